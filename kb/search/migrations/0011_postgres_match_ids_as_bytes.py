"""PostgreSQL: a query's whole match comes back as one value of packed ids.

0010's function returned the matching ids as rows, which the statement calling it then
aggregated into hex text: the function's rows were first gathered in a tuplestore, and
each id was formatted as text. `search_match_ids` aggregates inside the function, with
the same `SET enable_seqscan = off`, and packs each id as its low four bytes, big-endian
(the ids stay below 2³², as the search sets' do). The SQL is this migration's own, as
every migration of the search app carries its day's.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION search_match_ids(q tsquery) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$ SELECT string_agg(substring(int8send(entry_id) from 5), ''::bytea) FROM search_vector WHERE document @@ q $$
"""
DROP = "DROP FUNCTION IF EXISTS search_match_ids(tsquery)"

# 0010's function, dropped here and made again if this migration is reversed.
CREATE_ROWS = """
CREATE OR REPLACE FUNCTION search_matching(q tsquery) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$ SELECT entry_id FROM search_vector WHERE document @@ q $$
"""
DROP_ROWS = "DROP FUNCTION IF EXISTS search_matching(tsquery)"


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute(DROP_ROWS)


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_ROWS)
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0010_postgres_match_from_the_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
