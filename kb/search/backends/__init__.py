"""Pick the search backend for the database in use, as Wagtail's database backends do."""

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from kb.search.backends.base import SearchBackend


def get_backend(db: BaseDatabaseWrapper = connection) -> SearchBackend:
    if db.vendor == "postgresql":
        from kb.search.backends.postgres import PostgresBackend

        return PostgresBackend(db)
    if db.vendor == "sqlite":
        from kb.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend(db)
    raise NotImplementedError(f"No search backend for {db.vendor}; use SQLite or PostgreSQL.")
