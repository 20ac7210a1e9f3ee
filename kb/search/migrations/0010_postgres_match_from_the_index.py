"""PostgreSQL: the full match of a query always read from the document vectors' GIN index.

A query matching most documents ("linkedin OR mastodon", 60% of them) was planned as a
sequential scan, which reads every document's vector out of TOAST — a cost the planner
does not count: 224–326 ms at 100,000 documents, against 75–85 ms through the index
(docs/bench/2026-12-01-quiet-100k.md). A function declared with `SET enable_seqscan =
off` runs the match with that setting alone, in the one statement it was before. The SQL
is this migration's own, as every migration of the search app carries its day's.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION search_matching(q tsquery) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$ SELECT entry_id FROM search_vector WHERE document @@ q $$
"""
DROP = "DROP FUNCTION IF EXISTS search_matching(tsquery)"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_indexentry_review_by"),
    ]

    operations = [migrations.RunPython(create, drop)]
