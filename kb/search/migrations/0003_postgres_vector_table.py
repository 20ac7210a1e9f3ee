"""PostgreSQL: move the tsvectors into their own narrow table (see backends/postgres.py).

Databases created before this had a generated head_vector column on the entries and a
GIN index on an expression over their texts; those go, and the new table is created and
filled from the existing entries. New databases got the table from 0002 already. SQLite
is unchanged.
"""

from django.db import migrations

from kb.search.backends import get_backend


def upgrade(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
    schema_editor.execute("ALTER TABLE search_indexentry DROP COLUMN IF EXISTS head_vector")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_vector') IS NOT NULL")
        (installed,) = cursor.fetchone()
    if not installed:
        get_backend(connection).install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
