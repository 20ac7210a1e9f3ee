"""PostgreSQL: move the tsvectors into their own narrow table (see backends/postgres.py).

Databases migrated before this had a generated head_vector column on the entries and a
GIN index on an expression over their texts (0002); those go, and the table of vectors
is created, kept in step by statement-level triggers, and filled from the existing
entries. The entries' texts stay out of line (toast_tuple_target, set by 0002) and are
compressed with lz4 where the server has it. SQLite is unchanged.

The SQL is this migration's own, as the backend installed it on the day (it once called
the backend's install code, which may change; this may not). A database whose 0002 had
already installed the table is left as it is.
"""

from django.db import migrations

# Byte for byte as the backend wrote it (its indentation included), so the trigger
# function's source is what databases of that day hold.
VECTORS_FROM = """
        WITH t AS MATERIALIZED (
            SELECT id, keywords, summary, body,
                   to_tsvector('english', coalesce(title, '')) AS title
            FROM {source}
        ), h AS MATERIALIZED (
            SELECT id, body, title,
                   setweight(title, 'A')
                   || setweight(to_tsvector('english', coalesce(keywords, '')), 'B')
                   || setweight(to_tsvector('english', coalesce(summary, '')), 'C') AS head
            FROM t
        )
        INSERT INTO search_vector (entry_id, title, head, document)
        SELECT id, title, head, head || setweight(to_tsvector('english', coalesce(body, '')), 'D')
        FROM h
        ON CONFLICT (entry_id) DO UPDATE
        SET title = excluded.title, head = excluded.head, document = excluded.document
    """
TEXT_COMPRESSION = (
    "ALTER TABLE search_indexentry ALTER COLUMN keywords SET COMPRESSION {method},"
    " ALTER COLUMN summary SET COMPRESSION {method}, ALTER COLUMN body SET COMPRESSION {method}"
)
INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_vector (entry_id bigint PRIMARY KEY, title tsvector NOT NULL,"
    " head tsvector NOT NULL, document tsvector NOT NULL)",
    "ALTER TABLE search_vector ALTER COLUMN head SET STORAGE EXTERNAL,"
    " ALTER COLUMN document SET STORAGE EXTERNAL, SET (toast_tuple_target = 128)",
    "ALTER TABLE search_indexentry SET (toast_tuple_target = 256)",
    "CREATE FUNCTION search_vector_write() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN {VECTORS_FROM.format(source='new_rows')}; RETURN NULL; END $$",
    "CREATE FUNCTION search_vector_delete() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN DELETE FROM search_vector v USING old_rows o WHERE v.entry_id = o.id;"
    " RETURN NULL; END $$",
    "CREATE FUNCTION search_vector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN TRUNCATE search_vector; RETURN NULL; END $$",
    "CREATE TRIGGER search_vector_insert AFTER INSERT ON search_indexentry"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_vector_write()",
    "CREATE TRIGGER search_vector_update AFTER UPDATE ON search_indexentry"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_vector_write()",
    "CREATE TRIGGER search_vector_delete AFTER DELETE ON search_indexentry"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_vector_delete()",
    "CREATE TRIGGER search_vector_truncate AFTER TRUNCATE ON search_indexentry"
    " FOR EACH STATEMENT EXECUTE FUNCTION search_vector_truncate()",
    "CREATE INDEX IF NOT EXISTS search_vector_document ON search_vector USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_vector_head ON search_vector USING gin (head)",
    "CREATE INDEX IF NOT EXISTS search_vector_title ON search_vector USING gin (title)",
    "CREATE INDEX IF NOT EXISTS search_word_trgm ON search_searchword"
    " USING gin (word gin_trgm_ops)",
    # Entries written before this table existed get their vectors now.
    VECTORS_FROM.format(source="search_indexentry"),
]
# Back to what 0002 left: no vector table, the head column and the expression index.
UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS search_vector_{name} ON search_indexentry"
        for name in ("insert", "update", "delete", "truncate")
    ),
    *(f"DROP FUNCTION IF EXISTS search_vector_{name}()" for name in ("write", "delete", "truncate")),
    "DROP TABLE IF EXISTS search_vector",
    TEXT_COMPRESSION.format(method="default"),
]
HEAD_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', coalesce(keywords, '')), 'B')"
    " || setweight(to_tsvector('english', coalesce(summary, '')), 'C')"
)
VECTOR = f"{HEAD_VECTOR} || setweight(to_tsvector('english', coalesce(body, '')), 'D')"
RESTORE_0002 = [
    "ALTER TABLE search_indexentry ADD COLUMN head_vector tsvector"
    f" GENERATED ALWAYS AS ({HEAD_VECTOR}) STORED",
    "ALTER TABLE search_indexentry ALTER COLUMN head_vector SET STORAGE MAIN",
    f"CREATE INDEX search_entry_vector ON search_indexentry USING gin (({VECTOR}))",
]


def _has_lz4(cursor) -> bool:
    """Whether this server was built with lz4 (a choice of default_toast_compression)."""
    cursor.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def upgrade(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
    schema_editor.execute("ALTER TABLE search_indexentry DROP COLUMN IF EXISTS head_vector")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_vector') IS NOT NULL")
        (installed,) = cursor.fetchone()
        lz4 = _has_lz4(cursor)
    if installed:
        return
    for sql in INSTALL:
        schema_editor.execute(sql)
        if lz4 and sql.startswith("ALTER TABLE search_indexentry SET"):
            # Several times faster than the default pglz, which took a rebuild seconds.
            schema_editor.execute(TEXT_COMPRESSION.format(method="lz4"))


def downgrade(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in UNINSTALL + RESTORE_0002:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(upgrade, downgrade)]
