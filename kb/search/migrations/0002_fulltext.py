"""Add the database's own full-text structures to the index tables.

SQLite: FTS5 tables over the entries and the word list, kept in sync by triggers.
PostgreSQL: pg_trgm, a generated weighted tsvector column and GIN indexes.
"""

from django.db import migrations

from kb.search.backends import get_backend


def install(apps, schema_editor):
    get_backend(schema_editor.connection).install(schema_editor)


def uninstall(apps, schema_editor):
    get_backend(schema_editor.connection).uninstall(schema_editor)


class Migration(migrations.Migration):
    # FTS5 virtual tables and triggers are created outside Django's table model.
    atomic = True

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
