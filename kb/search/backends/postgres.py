"""PostgreSQL backend: weighted tsvectors in a narrow table of their own, GIN-indexed.

search_vector holds, for each index entry, three tsvectors: the title's, the "head"
(title A, keywords B, summary C) and the whole document (head plus body D). Triggers on
search_indexentry keep it in step, a statement at a time, so whatever writes entries
the full-text index follows. The table is narrow on purpose: the vectors live out of
line, so the bitmap heap scan behind a broad match (tens of thousands of rows, which
PostgreSQL must visit to check they are visible) reads a few megabytes, not the
hundred-odd of the entries with their texts; and a phrase's recheck reads the stored
vector instead of parsing the text again.

The title and head vectors tell which hits carry a query word in their title or head
(service._best's tiers) without reading any text. Ranking is ts_rank_cd over the whole
document's vector, the body weighted lowest, as bm25 ranks on SQLite.
to_tsquery reads the query (already reduced to safe words), ts_headline
highlights only the page's rows, and pg_trgm similarity over the word list suggests
corrections for typos.
"""

from contextlib import contextmanager

from pyroaring import BitMap

from kb.core.search import Facet
from kb.search.backends.base import (
    MARK_END,
    MARK_START,
    HighlightSQL,
    SearchBackend,
    any_word,
    facet_rows,
    ids_in,
)
from kb.search.models import IndexEntry
from kb.search.query import Query, Term

CONFIG = "english"
VECTORS = "search_vector"
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D, C, B, A
SNIPPET_SOURCE_CHARS = 4000
HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}"
QUERY = f"to_tsquery('{CONFIG}', %s) q"
SCORE = f"ts_rank_cd('{RANK_WEIGHTS}', document, q)"
FIELD_VECTOR = {"title": "title", "head": "head"}
TEXT_COMPRESSION = ", ".join(
    f"ALTER COLUMN {column} SET COMPRESSION {{method}}"
    for column in ("keywords", "summary", "body")
)


def vectors_sql(source: str) -> str:
    """INSERT the vectors of every entry in ``source`` (a table or transition table).

    Each text is parsed once: the head reuses the title's vector and the document the
    head's. MATERIALIZED stops the planner from inlining, and so repeating, the parsing.
    """
    return f"""
        WITH t AS MATERIALIZED (
            SELECT id, keywords, summary, body,
                   to_tsvector('{CONFIG}', coalesce(title, '')) AS title
            FROM {source}
        ), h AS MATERIALIZED (
            SELECT id, body, title,
                   setweight(title, 'A')
                   || setweight(to_tsvector('{CONFIG}', coalesce(keywords, '')), 'B')
                   || setweight(to_tsvector('{CONFIG}', coalesce(summary, '')), 'C') AS head
            FROM t
        )
        INSERT INTO {VECTORS} (entry_id, title, head, document)
        SELECT id, title, head, head || setweight(to_tsvector('{CONFIG}', coalesce(body, '')), 'D')
        FROM h
        ON CONFLICT (entry_id) DO UPDATE
        SET title = excluded.title, head = excluded.head, document = excluded.document
    """


def _tsquery_term(term: Term) -> str:
    # Words are letters and digits only (see query.py), so none is read as an operator.
    return "(" + " <-> ".join(term.words) + ")"


def tsquery_text(query: Query) -> str:
    """to_tsquery syntax: clauses ANDed, alternatives ORed, exclusions with !, each clause
    in parentheses. Not websearch_to_tsquery: it has no parentheses and binds AND tighter
    than OR, so "a OR b c" meant a | (b & c), and a word ORed with its synonyms matched
    without the rest of the query."""
    parts = []
    for clause in query.clauses:
        alternatives = " | ".join(_tsquery_term(term) for term in clause.alternatives)
        parts.append(f"{'!' if clause.negated else ''}({alternatives})")
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    @property
    def _indexes(self) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS search_vector_document ON {VECTORS} USING gin (document)",
            f"CREATE INDEX IF NOT EXISTS search_vector_head ON {VECTORS} USING gin (head)",
            f"CREATE INDEX IF NOT EXISTS search_vector_title ON {VECTORS} USING gin (title)",
            f"CREATE INDEX IF NOT EXISTS search_word_trgm ON {self.word_table}"
            " USING gin (word gin_trgm_ops)",
        ]

    def install(self, schema_editor) -> None:
        execute = schema_editor.execute
        entries = self.entry_table
        execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        execute(
            f"CREATE TABLE {VECTORS} (entry_id bigint PRIMARY KEY, title tsvector NOT NULL,"
            " head tsvector NOT NULL, document tsvector NOT NULL)"
        )
        # Out of line and uncompressed: a match reads neither, a recheck or a score reads
        # them fast. Only rows over 2 kB (TOAST_TUPLE_THRESHOLD, fixed when PostgreSQL is
        # built) are toasted at all; toast_tuple_target pushes those down to a few dozen
        # bytes, but shorter rows, about half of them, keep their vectors inline.
        execute(
            f"ALTER TABLE {VECTORS} ALTER COLUMN head SET STORAGE EXTERNAL,"
            " ALTER COLUMN document SET STORAGE EXTERNAL, SET (toast_tuple_target = 128)"
        )
        # Texts out of line: rows of 2 kB and more (most documents) would otherwise keep
        # them inline, and the entries, which the search sets and highlighting read, would
        # crowd the vectors out of shared buffers.
        execute(f"ALTER TABLE {entries} SET (toast_tuple_target = 256)")
        if self._has_lz4():
            # Several times faster than the default pglz, which took a rebuild seconds.
            execute(f"ALTER TABLE {entries} {TEXT_COMPRESSION.format(method='lz4')}")
        execute(
            f"CREATE FUNCTION search_vector_write() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {vectors_sql('new_rows')}; RETURN NULL; END $$"
        )
        execute(
            "CREATE FUNCTION search_vector_delete() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN DELETE FROM {VECTORS} v USING old_rows o WHERE v.entry_id = o.id;"
            " RETURN NULL; END $$"
        )
        execute(
            "CREATE FUNCTION search_vector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN TRUNCATE {VECTORS}; RETURN NULL; END $$"
        )
        for event in ("INSERT", "UPDATE"):
            execute(
                f"CREATE TRIGGER search_vector_{event.lower()} AFTER {event} ON {entries}"
                " REFERENCING NEW TABLE AS new_rows"
                " FOR EACH STATEMENT EXECUTE FUNCTION search_vector_write()"
            )
        execute(
            f"CREATE TRIGGER search_vector_delete AFTER DELETE ON {entries}"
            " REFERENCING OLD TABLE AS old_rows"
            " FOR EACH STATEMENT EXECUTE FUNCTION search_vector_delete()"
        )
        execute(
            f"CREATE TRIGGER search_vector_truncate AFTER TRUNCATE ON {entries}"
            " FOR EACH STATEMENT EXECUTE FUNCTION search_vector_truncate()"
        )
        for sql in self._indexes:
            execute(sql)
        # The whole match of a query, always from the GIN index, as one value: see match().
        execute(
            "CREATE OR REPLACE FUNCTION search_match_ids(q tsquery) RETURNS bytea"
            " LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off"
            f" AS $$ SELECT {self.id_list('entry_id')} FROM {VECTORS} WHERE document @@ q $$"
        )
        # Entries written before this table existed (an upgrade) get their vectors now.
        execute(vectors_sql(entries))

    def uninstall(self, schema_editor) -> None:
        for name in ("insert", "update", "delete", "truncate"):
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS search_vector_{name} ON {self.entry_table}"
            )
        for name in ("write", "delete", "truncate"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS search_vector_{name}()")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_match_ids(tsquery)")
        schema_editor.execute(f"DROP TABLE IF EXISTS {VECTORS}")
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trgm")
        compression = TEXT_COMPRESSION.format(method="default")
        schema_editor.execute(f"ALTER TABLE {self.entry_table} {compression}")
        schema_editor.execute(f"ALTER TABLE {self.entry_table} RESET (toast_tuple_target)")

    def _has_lz4(self) -> bool:
        """Whether this server was built with lz4 (a choice of default_toast_compression)."""
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            )
            row = cursor.fetchone()
        return bool(row and row[0])

    @contextmanager
    def rebuilding(self):
        """Build the GIN indexes once after the bulk load instead of row by row."""
        with self.db.cursor() as cursor:
            # Django's foreign keys are deferred to the commit. Checked as the rows arrive,
            # they cost the server time while Python builds the next chunk, rather than
            # seconds at the end; and the indexes can only be built with none pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in ("document", "head", "title"):
                cursor.execute(f"DROP INDEX IF EXISTS search_vector_{name}")
            cursor.execute("DROP INDEX IF EXISTS search_word_trgm")
            cursor.execute(f"TRUNCATE {VECTORS}")
        yield
        with self.db.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for sql in self._indexes:
                cursor.execute(sql)
            # The facet rows too: a process's whole load of its sets groups them all.
            for table in (self.entry_table, self.facet_table, VECTORS, self.word_table):
                cursor.execute(f"ANALYZE {table}")

    def write(self, entries: list[IndexEntry], facets: list[list[Facet]]) -> None:
        """COPY rather than INSERT: a rebuild writes a few hundred thousand rows, and
        COPY needs no statement per batch. New ids come from the table's sequence first, so
        the facets can name their entries without reading them back."""
        if not entries:
            return
        fields = IndexEntry._meta.concrete_fields
        columns = ", ".join(field.column for field in fields)
        unnumbered = [entry for entry in entries if entry.pk is None]
        with self.db.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{self.entry_table}', 'id'))"
                " FROM generate_series(1, %s)",
                [len(unnumbered)],
            )
            for entry, (pk,) in zip(unnumbered, cursor.fetchall(), strict=True):
                entry.pk = pk
            raw = cursor.cursor  # psycopg's own cursor, which speaks COPY
            with raw.copy(f"COPY {self.entry_table} ({columns}) FROM STDIN") as copy:
                for entry in entries:
                    copy.write_row([getattr(entry, field.attname) for field in fields])
            with raw.copy(
                f"COPY {self.facet_table} (entry_id, name, value, label) FROM STDIN"
            ) as copy:
                for row in facet_rows(entries, facets):
                    copy.write_row(row)
        for entry in entries:
            entry._state.adding = False

    def id_list(self, column: str) -> str:
        # Each id's low four bytes, big-endian: no text to format or parse.
        return f"string_agg(substring(int8send({column}) from 5), ''::bytea)"

    def match(self, query: Query) -> BitMap:
        return self.match_each([query])[0]

    def match_each(self, queries: list[Query]) -> list[BitMap]:
        # Always through the GIN index (search 0010, 0011): for a query matching most
        # documents the planner picks a sequential scan, not counting that it reads every
        # vector out of TOAST — three times slower. The function aggregates as it reads.
        if not queries:
            return []
        sql = " UNION ALL ".join(
            f"SELECT {number}, search_match_ids(to_tsquery('{CONFIG}', %s))"
            for number in range(len(queries))
        )
        found = dict(self._rows(sql, [tsquery_text(query) for query in queries]))
        return [ids_in(found.get(number)) for number in range(len(queries))]

    def match_among(self, query: Query, ids: BitMap) -> BitMap:
        # Through the vectors' primary key: a few rows, whatever the query matches.
        listed = ", ".join(map(str, ids)) or "NULL"  # integers: safe to list
        sql, params = self.matching_sql(query)
        return self._id_set(f"{sql} AND entry_id IN ({listed})", params)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        # A sample's LIMIT stops the heap visits, though GIN gives a bitmap of every match.
        sql = f"SELECT entry_id AS id FROM {VECTORS}, {QUERY} WHERE document @@ q"
        return sql, [tsquery_text(query)]

    def field_matches(self, query: Query, fields: str) -> BitMap:
        sql = f"SELECT entry_id AS id FROM {VECTORS}, {QUERY} WHERE {FIELD_VECTOR[fields]} @@ q"
        return self._id_set(sql, [tsquery_text(any_word(query))])

    def title_scores(self, query: Query, hits: BitMap) -> list[tuple[int, float]]:
        # One statement through the title index: no list of ids to send, and a broad
        # word's thousand-odd title matches cost one pass rather than as many lookups.
        # Title matches that miss the rest of the query, or the filters, are dropped here.
        sql = (
            f"SELECT entry_id, {SCORE} FROM {VECTORS}, {QUERY},"
            f" to_tsquery('{CONFIG}', %s) w WHERE title @@ w"
        )
        found = self._rows(sql, [tsquery_text(query), tsquery_text(any_word(query))])
        return [(pk, score) for pk, score in found if pk in hits]

    def scores(self, query: Query, ids: list[int]) -> list[tuple[int, float]]:
        if not ids:
            return []
        sql = f"SELECT entry_id, {SCORE} FROM {VECTORS}, {QUERY} WHERE entry_id = ANY(%s)"
        return self._rows(sql, [tsquery_text(query), list(ids)])

    def tiered_scores(self, query: Query, ids: list[int]) -> list[tuple[int, int, float]]:
        if not ids:
            return []
        sql = (
            f"SELECT entry_id, CASE WHEN title @@ w THEN 2 WHEN head @@ w THEN 1 ELSE 0 END,"
            f" {SCORE} FROM {VECTORS}, {QUERY}, to_tsquery('{CONFIG}', %s) w"
            " WHERE entry_id = ANY(%s)"
        )
        return self._rows(sql, [tsquery_text(query), tsquery_text(any_word(query)), list(ids)])

    def ranked(self, query: Query, limit: int) -> list[tuple[int, float]]:
        sql = (
            f"SELECT entry_id, {SCORE} AS score FROM {VECTORS}, {QUERY} WHERE document @@ q"
            " ORDER BY score DESC LIMIT %s"
        )
        return self._rows(sql, [tsquery_text(query), limit])

    def highlight_sql(self, query: Query) -> HighlightSQL:
        return HighlightSQL(
            from_sql=f"{self.entry_table} e, to_tsquery('{CONFIG}', %s) q",
            expressions=[
                f"ts_headline('{CONFIG}', e.title, q, %s)",
                f"ts_headline('{CONFIG}', left(e.summary || ' ' || e.body,"
                f" {SNIPPET_SOURCE_CHARS}), q, %s)",
            ],
            expression_params=[
                f"HighlightAll=true, {HEADLINE}",
                f'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", {HEADLINE}',
            ],
            from_params=[tsquery_text(query)],
        )

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        sql = (
            f"SELECT word, doc_count FROM {self.word_table} WHERE word %% %s"
            " ORDER BY similarity(word, %s) DESC, doc_count DESC LIMIT %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, [word, word, limit])
            return cursor.fetchall()
