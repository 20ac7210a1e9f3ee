"""Add the database's own full-text structures to the index tables.

SQLite: FTS5 tables over the entries and the word list, kept in sync by triggers.
PostgreSQL: pg_trgm, a generated weighted "head" tsvector column (title A, keywords B,
summary C), a GIN index on the whole weighted vector as an expression, and the texts
pushed out of line.

The SQL is this migration's own, as the backends installed it before 0003 moved the
PostgreSQL vectors to a table of their own (0003 upgrades from exactly this). It once
called the backend's install code, which kept changing, so a fresh database got
something else each time; the backends' code may change, this may not.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, keywords, summary, body,"
    " content='search_indexentry', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, content='search_searchword',"
    " content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_indexentry BEGIN"
    " INSERT INTO search_fts(rowid, title, keywords, summary, body)"
    " VALUES (new.id, new.title, new.keywords, new.summary, new.body); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_indexentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, keywords, summary, body)"
    " VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_indexentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, keywords, summary, body)"
    " VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body);"
    " INSERT INTO search_fts(rowid, title, keywords, summary, body)"
    " VALUES (new.id, new.title, new.keywords, new.summary, new.body); END",
    "CREATE TRIGGER search_word_ai AFTER INSERT ON search_searchword BEGIN"
    " INSERT INTO search_word_trigram(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_word_ad AFTER DELETE ON search_searchword BEGIN"
    " INSERT INTO search_word_trigram(search_word_trigram, rowid, word)"
    " VALUES ('delete', old.id, old.word); END",
    "CREATE TRIGGER search_word_au AFTER UPDATE ON search_searchword BEGIN"
    " INSERT INTO search_word_trigram(search_word_trigram, rowid, word)"
    " VALUES ('delete', old.id, old.word);"
    " INSERT INTO search_word_trigram(rowid, word) VALUES (new.id, new.word); END",
]
SQLITE_REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "search_fts_ai", "search_fts_ad", "search_fts_au",
            "search_word_ai", "search_word_ad", "search_word_au",
        )
    ),  # fmt: skip
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_word_trigram",
]

HEAD_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', coalesce(keywords, '')), 'B')"
    " || setweight(to_tsvector('english', coalesce(summary, '')), 'C')"
)
VECTOR = f"{HEAD_VECTOR} || setweight(to_tsvector('english', coalesce(body, '')), 'D')"
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_indexentry ADD COLUMN head_vector tsvector"
    f" GENERATED ALWAYS AS ({HEAD_VECTOR}) STORED",
    "ALTER TABLE search_indexentry ALTER COLUMN head_vector SET STORAGE MAIN",
    "ALTER TABLE search_indexentry SET (toast_tuple_target = 256)",
    f"CREATE INDEX search_entry_vector ON search_indexentry USING gin (({VECTOR}))",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_indexentry RESET (toast_tuple_target)",
    "ALTER TABLE search_indexentry DROP COLUMN IF EXISTS head_vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    # FTS5 virtual tables and triggers are created outside Django's table model.
    atomic = True

    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
