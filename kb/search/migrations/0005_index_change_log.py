"""The log of changed index entries, written by triggers, that each process's sets follow.

Every insert, update and delete of an entry appends the entry's id with a random token;
the newest 100,000 changes are kept. The SQL is this day's, frozen here.
"""

from django.db import migrations, models

SQLITE = [
    *[
        f"CREATE TRIGGER search_change_{name} AFTER {event} ON search_indexentry BEGIN"
        f" INSERT INTO search_indexchange (entry_id, token) VALUES ({row}.id, random()); END"
        for name, event, row in (("ai", "INSERT", "new"), ("au", "UPDATE", "new"),
                                 ("ad", "DELETE", "old"))
    ],
    # Pruned a thousand changes at a time, so a change costs one insert.
    "CREATE TRIGGER search_change_prune AFTER INSERT ON search_indexchange"
    " WHEN new.seq % 1000 = 0 BEGIN"
    " DELETE FROM search_indexchange WHERE seq <= new.seq - 100000; END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS search_change_{name}" for name in ("ai", "au", "ad", "prune")
]

POSTGRES = [
    """
    CREATE FUNCTION search_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO search_indexchange (entry_id, token)
            SELECT id, (random() * 9e18)::bigint FROM old_rows;
        ELSE
            INSERT INTO search_indexchange (entry_id, token)
            SELECT id, (random() * 9e18)::bigint FROM new_rows;
        END IF;
        DELETE FROM search_indexchange
        WHERE seq <= (SELECT max(seq) FROM search_indexchange) - 100000;
        RETURN NULL;
    END $$
    """,
    *[
        f"CREATE TRIGGER search_change_{event.lower()} AFTER {event} ON search_indexentry"
        f" REFERENCING {rows} TABLE AS {name} FOR EACH STATEMENT"
        " EXECUTE FUNCTION search_change_log()"
        for event, rows, name in (("INSERT", "NEW", "new_rows"), ("UPDATE", "NEW", "new_rows"),
                                  ("DELETE", "OLD", "old_rows"))
    ],
]
POSTGRES_REVERSE = [
    *[
        f"DROP TRIGGER IF EXISTS search_change_{event} ON search_indexentry"
        for event in ("insert", "update", "delete")
    ],
    "DROP FUNCTION IF EXISTS search_change_log()",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0004_exact_word_counts")]

    operations = [
        migrations.CreateModel(
            name="IndexChange",
            fields=[
                ("seq", models.BigAutoField(primary_key=True, serialize=False)),
                ("entry_id", models.BigIntegerField()),
                ("token", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
