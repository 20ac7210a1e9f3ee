"""PostgreSQL backend: a generated, weighted tsvector column with a GIN index.

websearch_to_tsquery reads the query (the parser has already reduced it to safe words),
ts_rank_cd ranks with weights A (title) > B (keywords) > C (summary) > D (body),
ts_headline highlights only the rows on the page, and pg_trgm similarity over the word
list suggests corrections for typos.
"""

from contextlib import contextmanager

from kb.search.backends.base import MARK_END, MARK_START, SearchBackend, Source
from kb.search.query import Query, Term

CONFIG = "english"
VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(keywords, '')), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(summary, '')), 'C')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(body, '')), 'D')"
)
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D, C, B, A
SNIPPET_SOURCE_CHARS = 4000
HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}"


def _websearch_term(term: Term) -> str:
    # Quoted even for one word, so words such as "or" are never read as operators.
    return '"' + " ".join(term.words) + '"'


def websearch_text(query: Query) -> str:
    """websearch_to_tsquery syntax for the positive clauses of ``query``."""
    return " ".join(
        " or ".join(_websearch_term(term) for term in clause.alternatives)
        for clause in query.positive
    )


class PostgresBackend(SearchBackend):
    def install(self, schema_editor) -> None:
        execute = schema_editor.execute
        execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        execute(
            f"ALTER TABLE {self.entry_table} ADD COLUMN search_vector tsvector"
            f" GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        execute(f"CREATE INDEX search_entry_vector ON {self.entry_table} USING gin (search_vector)")
        execute(f"CREATE INDEX search_word_trgm ON {self.word_table} USING gin (word gin_trgm_ops)")

    def uninstall(self, schema_editor) -> None:
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
        schema_editor.execute(f"ALTER TABLE {self.entry_table} DROP COLUMN IF EXISTS search_vector")

    @contextmanager
    def rebuilding(self):
        """Build the GIN indexes once after the bulk load instead of row by row."""
        with self.db.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_entry_vector")
            cursor.execute("DROP INDEX IF EXISTS search_word_trgm")
        yield
        with self.db.cursor() as cursor:
            # Django's foreign keys are deferred; check them now so the indexes can be built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"CREATE INDEX search_entry_vector ON {self.entry_table} USING gin (search_vector)"
            )
            cursor.execute(
                f"CREATE INDEX search_word_trgm ON {self.word_table} USING gin (word gin_trgm_ops)"
            )
            cursor.execute(f"ANALYZE {self.entry_table}")
            cursor.execute(f"ANALYZE {self.word_table}")

    def source(self, query: Query) -> Source:
        return Source(
            with_sql=f"WITH q AS (SELECT websearch_to_tsquery('{CONFIG}', %s) AS query)",
            with_params=[websearch_text(query)],
            from_sql=f"{self.entry_table} e CROSS JOIN q",
            where_sql="e.search_vector @@ q.query",
            rank_sql=f"ts_rank_cd('{RANK_WEIGHTS}', e.search_vector, q.query) DESC",
            title_sql=f"ts_headline('{CONFIG}', e.title, q.query, %s)",
            snippet_sqls=[
                f"ts_headline('{CONFIG}', left(e.summary || ' ' || e.body,"
                f" {SNIPPET_SOURCE_CHARS}), q.query, %s)"
            ],
            highlight_params=[
                f"HighlightAll=true, {HEADLINE}",
                f'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", {HEADLINE}',
            ],
        )

    def exclusion(self, query: Query) -> tuple[str, list]:
        return (
            f"e.id NOT IN (SELECT id FROM {self.entry_table}"
            f" WHERE search_vector @@ websearch_to_tsquery('{CONFIG}', %s))",
            [websearch_text(query)],
        )

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        sql = (
            f"SELECT word, doc_count FROM {self.word_table} WHERE word %% %s"
            " ORDER BY similarity(word, %s) DESC, doc_count DESC LIMIT %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, [word, word, limit])
            return cursor.fetchall()
