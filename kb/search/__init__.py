"""Full-text search across the KB: one interface, an SQLite FTS5 and a PostgreSQL backend."""
