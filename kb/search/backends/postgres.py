"""PostgreSQL backend: a weighted tsvector expression behind a GIN index.

Matching uses a GIN index on the weighted tsvector *expression* (title A, keywords B,
summary C, body D) rather than a stored column: the planner then never chooses to scan
the table and evaluate a large stored vector row by row, which is what broad queries did,
and an exact GIN match needs no row's vector at all. The texts are pushed out of line
(toast_tuple_target), so the rows a search reads stay narrow.

Ranking uses ts_rank_cd over a small stored "head" vector (title, keywords, summary, kept
inline): a match in the body alone ranks below any head match and is ordered by evidence
and recency. websearch_to_tsquery reads the query (already reduced to safe words),
ts_headline highlights only the page's rows, and pg_trgm similarity over the word list
suggests corrections for typos.
"""

from contextlib import contextmanager

from kb.search.backends.base import (
    MARK_END,
    MARK_START,
    TIER_SIZE,
    HighlightSQL,
    SearchBackend,
    any_word,
)
from kb.search.query import Query, Term

CONFIG = "english"
HEAD_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(keywords, '')), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(summary, '')), 'C')"
)
VECTOR = f"{HEAD_VECTOR} || setweight(to_tsvector('{CONFIG}', coalesce(body, '')), 'D')"
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D, C, B, A
SNIPPET_SOURCE_CHARS = 4000
HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}"


def _websearch_term(term: Term) -> str:
    # Quoted even for one word, so words such as "or" are never read as operators.
    return '"' + " ".join(term.words) + '"'


def websearch_text(query: Query) -> str:
    """websearch_to_tsquery syntax: clauses ANDed, alternatives OR-ed, exclusions with -."""
    parts = []
    for clause in query.clauses:
        if clause.negated:
            parts += [f"-{_websearch_term(term)}" for term in clause.alternatives]
        else:
            parts.append(" or ".join(_websearch_term(term) for term in clause.alternatives))
    return " ".join(parts)


# The tiered score (see TIER_SIZE), given the query q and w, any of its words.
SCORE = (
    f"(CASE WHEN ts_filter(head_vector, '{{a}}') @@ w THEN {2 * TIER_SIZE}"
    f" WHEN head_vector @@ w THEN {TIER_SIZE} ELSE 0 END)"
    f" + ts_rank_cd('{RANK_WEIGHTS}', head_vector, q)"
)
QUERIES = f"websearch_to_tsquery('{CONFIG}', %s) q, websearch_to_tsquery('{CONFIG}', %s) w"


def query_params(query: Query) -> list[str]:
    return [websearch_text(query), websearch_text(any_word(query))]


class PostgresBackend(SearchBackend):
    @property
    def _indexes(self) -> list[str]:
        return [
            f"CREATE INDEX search_entry_vector ON {self.entry_table} USING gin (({VECTOR}))",
            f"CREATE INDEX search_word_trgm ON {self.word_table} USING gin (word gin_trgm_ops)",
        ]

    def install(self, schema_editor) -> None:
        execute = schema_editor.execute
        execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        execute(
            f"ALTER TABLE {self.entry_table} ADD COLUMN head_vector tsvector"
            f" GENERATED ALWAYS AS ({HEAD_VECTOR}) STORED"
        )
        execute(f"ALTER TABLE {self.entry_table} ALTER COLUMN head_vector SET STORAGE MAIN")
        execute(f"ALTER TABLE {self.entry_table} SET (toast_tuple_target = 256)")
        for sql in self._indexes:
            execute(sql)

    def uninstall(self, schema_editor) -> None:
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
        schema_editor.execute(f"ALTER TABLE {self.entry_table} RESET (toast_tuple_target)")
        schema_editor.execute(f"ALTER TABLE {self.entry_table} DROP COLUMN IF EXISTS head_vector")

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
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for sql in self._indexes:
                cursor.execute(sql)
            cursor.execute(f"ANALYZE {self.entry_table}")
            cursor.execute(f"ANALYZE {self.word_table}")

    def match(self, query: Query, *, scored: bool = True) -> list[tuple[int, float]]:
        sql = (
            f"SELECT id, {SCORE if scored else '0'} FROM {self.entry_table}, {QUERIES}"
            f" WHERE {VECTOR} @@ q"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, query_params(query))
            return cursor.fetchall()

    def scores(self, query: Query, ids: list[int]) -> list[tuple[int, float]]:
        if not ids:
            return []
        sql = f"SELECT id, {SCORE} FROM {self.entry_table}, {QUERIES} WHERE id = ANY(%s)"
        with self.db.cursor() as cursor:
            cursor.execute(sql, [*query_params(query), list(ids)])
            return cursor.fetchall()

    def ranked(self, query: Query, limit: int) -> list[tuple[int, float]]:
        sql = (
            f"SELECT id, {SCORE} AS score FROM {self.entry_table}, {QUERIES}"
            f" WHERE {VECTOR} @@ q ORDER BY score DESC LIMIT %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, [*query_params(query), limit])
            return cursor.fetchall()

    def highlight_sql(self, query: Query) -> HighlightSQL:
        return HighlightSQL(
            from_sql=f"{self.entry_table} e, websearch_to_tsquery('{CONFIG}', %s) q",
            expressions=[
                f"ts_headline('{CONFIG}', e.title, q, %s)",
                f"ts_headline('{CONFIG}', left(e.summary || ' ' || e.body,"
                f" {SNIPPET_SOURCE_CHARS}), q, %s)",
            ],
            expression_params=[
                f"HighlightAll=true, {HEADLINE}",
                f'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", {HEADLINE}',
            ],
            from_params=[websearch_text(query)],
        )

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        sql = (
            f"SELECT word, doc_count FROM {self.word_table} WHERE word %% %s"
            " ORDER BY similarity(word, %s) DESC, doc_count DESC LIMIT %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, [word, word, limit])
            return cursor.fetchall()
