"""SQLite FTS5 backend: an external-content FTS5 table over the index, with bm25 ranking.

The Porter stemmer gives "campaigns" → "campaign"; column weights in bm25() rank a title
match over keywords over summary over body. Triggers keep the FTS table in step with
search_indexentry; a second FTS5 table with the trigram tokenizer over the word list
finds candidates for typo correction.
"""

import json
from contextlib import contextmanager

from django.db import transaction
from pyroaring import BitMap

from kb.core.search import Facet
from kb.search.backends.base import (
    FIELDS,
    MARK_END,
    MARK_START,
    HighlightSQL,
    SearchBackend,
    any_word,
    facet_rows,
)
from kb.search.models import IndexEntry
from kb.search.query import Query, Term

FTS = "search_fts"
WORD_FTS = "search_word_trigram"
COLUMNS = ("title", "keywords", "summary", "body")
WEIGHTS = "10.0, 4.0, 2.0, 1.0"


def _fts_columns(prefix: str) -> str:
    return ", ".join(f"{prefix}{column}" for column in COLUMNS)


def _triggers(entry_table: str, word_table: str) -> list[str]:
    cols = ", ".join(COLUMNS)
    old = _fts_columns("old.")
    delete = f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {_fts_columns('new.')});"
    word_delete = (
        f"INSERT INTO {WORD_FTS}({WORD_FTS}, rowid, word) VALUES ('delete', old.id, old.word);"
    )
    word_insert = f"INSERT INTO {WORD_FTS}(rowid, word) VALUES (new.id, new.word);"
    word_update = f"{word_delete} {word_insert}"
    return [
        f"CREATE TRIGGER search_fts_ai AFTER INSERT ON {entry_table} BEGIN {insert} END",
        f"CREATE TRIGGER search_fts_ad AFTER DELETE ON {entry_table} BEGIN {delete} END",
        f"CREATE TRIGGER search_fts_au AFTER UPDATE ON {entry_table} BEGIN {delete} {insert} END",
        f"CREATE TRIGGER search_word_ai AFTER INSERT ON {word_table} BEGIN {word_insert} END",
        f"CREATE TRIGGER search_word_ad AFTER DELETE ON {word_table} BEGIN {word_delete} END",
        f"CREATE TRIGGER search_word_au AFTER UPDATE ON {word_table} BEGIN {word_update} END",
    ]


TRIGGER_NAMES = [
    "search_fts_ai", "search_fts_ad", "search_fts_au",
    "search_word_ai", "search_word_ad", "search_word_au",
]  # fmt: skip


def _fts_term(term: Term) -> str:
    # Words are letters and digits only (see query.py), so quoting them is always safe.
    return '"' + " ".join(term.words) + '"'


def _fts_any(terms: list[Term]) -> str:
    return "(" + " OR ".join(_fts_term(term) for term in terms) + ")"


def match_expression(query: Query) -> str:
    """FTS5 MATCH syntax: positive clauses ANDed, then NOT any excluded term."""
    expression = " AND ".join(_fts_any(clause.alternatives) for clause in query.positive)
    excluded = [term for clause in query.negative for term in clause.alternatives]
    if excluded:
        expression = f"({expression}) NOT {_fts_any(excluded)}"
    return expression


# bm25() is lower for a better match; the interface wants higher.
SCORE = f"-bm25({FTS}, {WEIGHTS})"


class SQLiteBackend(SearchBackend):
    def install(self, schema_editor) -> None:
        execute = schema_editor.execute
        execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(COLUMNS)},"
            f" content='{self.entry_table}', content_rowid='id',"
            " tokenize='porter unicode61 remove_diacritics 2')"
        )
        execute(
            f"CREATE VIRTUAL TABLE {WORD_FTS} USING fts5(word, content='{self.word_table}',"
            " content_rowid='id', tokenize='trigram')"
        )
        for sql in _triggers(self.entry_table, self.word_table):
            execute(sql)

    def uninstall(self, schema_editor) -> None:
        for name in TRIGGER_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {WORD_FTS}")

    @contextmanager
    def rebuilding(self):
        """Bulk load without per-row triggers, then build both FTS tables in one pass."""
        with self.db.cursor() as cursor:
            for name in TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
            cursor.execute(f"INSERT INTO {WORD_FTS}({WORD_FTS}) VALUES ('delete-all')")
        yield
        with self.db.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {WORD_FTS}({WORD_FTS}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
            for sql in _triggers(self.entry_table, self.word_table):
                cursor.execute(sql)

    def write(self, entries: list[IndexEntry], facets: list[list[Facet]]) -> None:
        """executemany rather than bulk_create: the ORM's preparing every field of every
        object was a large share of a rebuild. New ids continue the table's AUTOINCREMENT
        sequence, as SQLite would number them, so the facets can name their entries; the
        write lock is held from the transaction's start (IMMEDIATE), so no one else
        numbers entries meanwhile."""
        if not entries:
            return
        fields = IndexEntry._meta.concrete_fields
        adapters = {
            "DateTimeField": self.db.ops.adapt_datetimefield_value,
            "DateField": self.db.ops.adapt_datefield_value,
        }
        adapt = {
            f.attname: adapters[f.get_internal_type()]
            for f in fields
            if f.get_internal_type() in adapters
        }
        columns = ", ".join(f.column for f in fields)
        with transaction.atomic(using=self.db.alias), self.db.cursor() as cursor:
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
                f" coalesce((SELECT max(id) FROM {self.entry_table}), 0))",
                [self.entry_table],
            )
            (last,) = cursor.fetchone()
            unnumbered = [entry for entry in entries if entry.pk is None]
            for number, entry in enumerate(unnumbered, last + 1):
                entry.pk = number
            cursor.executemany(
                f"INSERT INTO {self.entry_table} ({columns})"
                f" VALUES ({', '.join(['%s'] * len(fields))})",
                [
                    [
                        adapt[f.attname](value) if f.attname in adapt else value
                        for f in fields
                        for value in (getattr(entry, f.attname),)
                    ]
                    for entry in entries
                ],
            )
            cursor.executemany(
                f"INSERT INTO {self.facet_table} (entry_id, name, value, label)"
                " VALUES (%s, %s, %s, %s)",
                facet_rows(entries, facets),
            )
        for entry in entries:
            entry._state.adding = False

    def _matching(self, expression: str) -> BitMap:
        return self._id_set(f"SELECT rowid AS id FROM {FTS} WHERE {FTS} MATCH %s", [expression])

    def match(self, query: Query) -> BitMap:
        return self._matching(match_expression(query))

    def matching_sql(self, query: Query) -> tuple[str, list]:
        return f"SELECT rowid AS id FROM {FTS} WHERE {FTS} MATCH %s", [match_expression(query)]

    def field_matches(self, query: Query, fields: str) -> BitMap:
        return self._matching(self._in_fields(query, fields))

    def scores(self, query: Query, ids: list[int]) -> list[tuple[int, float]]:
        return self._scores(query, ids, "")

    def title_scores(self, query: Query, hits: BitMap) -> list[tuple[int, float]]:
        # The match is walked once; bm25() runs only for the rows with a title match.
        sql = (
            f"SELECT rowid, {SCORE} FROM {FTS} WHERE {FTS} MATCH %s"
            f" AND +rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        )
        found = self._rows(sql, [match_expression(query), self._in_fields(query, "title")])
        return [(pk, score) for pk, score in found if pk in hits]

    def tiered_scores(self, query: Query, ids: list[int]) -> list[tuple[int, int, float]]:
        in_field = f"rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        tier = f"CASE WHEN {in_field} THEN 2 WHEN {in_field} THEN 1 ELSE 0 END, "
        return self._scores(
            query, ids, tier, [self._in_fields(query, "title"), self._in_fields(query, "head")]
        )

    def _in_fields(self, query: Query, fields: str) -> str:
        columns = " ".join(FIELDS[fields])
        return f"{{{columns}}} : {match_expression(any_word(query))}"

    def _scores(
        self, query: Query, ids: list[int], extra: str, params: list | None = None
    ) -> list[tuple]:
        if not ids:
            return []
        # Looking rowids up makes FTS5 restart the match for each one. The unary + keeps
        # the id list away from FTS5: it walks the matches once and bm25() runs only for
        # the rows in the list.
        sql = (
            f"SELECT rowid, {extra}{SCORE} FROM {FTS} WHERE {FTS} MATCH %s"
            " AND +rowid IN (SELECT value FROM json_each(%s))"
        )
        return self._rows(sql, [*(params or []), match_expression(query), json.dumps(ids)])

    def ranked(self, query: Query, limit: int) -> list[tuple[int, float]]:
        sql = (
            f"SELECT rowid, {SCORE} AS score FROM {FTS} WHERE {FTS} MATCH %s"
            " ORDER BY score DESC LIMIT %s"
        )
        return self._rows(sql, [match_expression(query), limit])

    def highlight_sql(self, query: Query) -> HighlightSQL:
        return HighlightSQL(
            # CROSS JOIN makes SQLite drive the join from the FTS match, never the reverse.
            from_sql=f"{FTS} CROSS JOIN {self.entry_table} e ON e.id = {FTS}.rowid",
            expressions=[
                f"highlight({FTS}, 0, %s, %s)",
                # Summary first, then body: the title is already shown highlighted.
                f"snippet({FTS}, 2, %s, %s, '…', 28)",
                f"snippet({FTS}, 3, %s, %s, '…', 28)",
            ],
            expression_params=[MARK_START, MARK_END] * 3,
            from_params=[],
            where_sql=f"{FTS} MATCH %s",
            where_params=[match_expression(query)],
            id_column=f"{FTS}.rowid",
        )

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not trigrams:
            return []
        match = " OR ".join(f'"{trigram}"' for trigram in sorted(trigrams))
        sql = (
            f"SELECT w.word, w.doc_count FROM {WORD_FTS} t JOIN {self.word_table} w"
            f" ON w.id = t.rowid WHERE {WORD_FTS} MATCH %s ORDER BY t.rank LIMIT %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, [match, limit])
            return cursor.fetchall()
