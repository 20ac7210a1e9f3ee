"""What every search backend does: match, highlight, and look up words.

A backend only talks full text: which entries match a query (with a relevance score)
and how their title and snippet look highlighted. Visibility, facets, filters, ordering
and paging are the same for every backend and live in kb.search.snapshot and service.
Sets of entries are roaring bitmaps; the database hands one over as a single text of ids.
"""

import sys
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape

from django.db.backends.base.base import BaseDatabaseWrapper
from pyroaring import BitMap

from kb.core.search import Facet
from kb.search.models import IndexEntry, IndexFacet, SearchWord
from kb.search.query import Clause, Query

MARK_START, MARK_END = "\x02", "\x03"
# The fields a query word is looked for in to find a hit's tier (see service._best).
FIELDS = {"title": ("title",), "head": ("title", "keywords", "summary")}


def facet_rows(entries: list[IndexEntry], facets: list[list[Facet]]) -> list[tuple]:
    """(entry_id, name, value, label) of every facet of these (saved) entries."""
    return [
        (entry.pk, f.name, f.value[:100], f.label[:120])
        for entry, entry_facets in zip(entries, facets, strict=True)
        for f in entry_facets
    ]


def ids_in(packed: str | bytes | None) -> BitMap:
    """The set of ids in an ``id_list()`` aggregate: four bytes an id, big-endian, or the
    eight hex digits of those bytes (decoded in C, many times faster than parsing decimal
    numbers one by one)."""
    if isinstance(packed, str):
        packed = bytes.fromhex(packed)
    ids = array("I", packed or b"")
    if sys.byteorder == "little":
        ids.byteswap()
    return BitMap(ids)


def any_word(query: Query) -> Query:
    """One clause matching any positive term of ``query``: which fields a match touches."""
    return Query([Clause([term for clause in query.positive for term in clause.alternatives])])


def highlight_html(text: str) -> str:
    """Escape a backend's snippet, then turn its marks into <mark> elements."""
    return escape(text or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


@dataclass
class HighlightSQL:
    """How a backend highlights: SELECT expressions FROM … WHERE …, with their params."""

    from_sql: str
    expressions: list[str]  # title, then snippets in order of preference
    expression_params: list
    from_params: list
    where_sql: str = ""
    where_params: list = field(default_factory=list)
    # The id column to restrict to the page's ids: on SQLite the FTS rowid, so that FTS5
    # looks the rows up instead of walking every match.
    id_column: str = "e.id"


@dataclass
class Highlight:
    id: int
    doc_type: str
    url: str
    subtitle: str
    title_html: str
    snippet_html: str
    evidence_level: int | None = None


class SearchBackend:
    entry_table = IndexEntry._meta.db_table
    facet_table = IndexFacet._meta.db_table
    word_table = SearchWord._meta.db_table

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db

    # --- structures -------------------------------------------------------------------
    def install(self, schema_editor) -> None:
        raise NotImplementedError

    def uninstall(self, schema_editor) -> None:
        raise NotImplementedError

    @contextmanager
    def rebuilding(self):
        """Wrap a full rebuild; backends may suspend incremental maintenance meanwhile."""
        yield

    # --- writing ----------------------------------------------------------------------
    def write(self, entries: list[IndexEntry], facets: list[list[Facet]]) -> None:
        """Insert these new entries, each with its facets (``facets[i]`` for ``entries[i]``);
        an entry without an id gets the next one (a rebuild gives entries their old ids
        back). A rebuild writes a few hundred thousand rows, so backends write them in
        bulk (COPY, executemany) rather than through the ORM."""
        raise NotImplementedError

    def update(self, changes: list[tuple[IndexEntry, list[str]]]) -> None:
        """Update stored entries in place: for each entry, the columns (attnames) that
        changed. The full-text triggers follow an UPDATE as they follow an INSERT."""
        by_columns: dict[tuple[str, ...], list[IndexEntry]] = {}
        for entry, columns in changes:
            by_columns.setdefault(tuple(columns), []).append(entry)
        fields = {field.attname: field for field in IndexEntry._meta.concrete_fields}
        with self.db.cursor() as cursor:
            for columns, entries in by_columns.items():
                assignments = ", ".join(
                    f"{self.db.ops.quote_name(fields[name].column)} = %s" for name in columns
                )
                cursor.executemany(
                    f"UPDATE {self.entry_table} SET {assignments} WHERE id = %s",
                    [
                        [
                            *(
                                fields[name].get_db_prep_value(getattr(entry, name), self.db)
                                for name in columns
                            ),
                            entry.pk,
                        ]
                        for entry in entries
                    ],
                )

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def id_list(self, column: str) -> str:
        """An aggregate of the ids in ``column`` into one value for ids_in(): a match of
        tens of thousands of ids is one row to fetch, not one an id. Ids stay below 2³²,
        as the sets' do. Hex text here; a backend with byte strings packs the bytes."""
        return f"group_concat(printf('%%08x', {column}), '')"

    def _id_set(self, sql: str, params: list) -> BitMap:
        """The ids ``sql`` (a SELECT of one id column) selects."""
        (text,) = self._rows(f"SELECT {self.id_list('found.id')} FROM ({sql}) found", params)[0]
        return ids_in(text)

    # --- full text --------------------------------------------------------------------
    # Scores rate the whole document, its title, keywords, summary and body weighted in
    # that order, on every backend.

    def match(self, query: Query) -> BitMap:
        """The set of the entries matching ``query``'s positive clauses and none of its
        negative ones. Needs a positive clause."""
        raise NotImplementedError

    def match_among(self, query: Query, ids: BitMap) -> BitMap:
        """Which of ``ids`` match ``query``, as match() has it: how entries that changed
        match now (see kb.search.matches). By default the whole match cut to them; a
        backend that can look its full-text rows up by id does only those."""
        return self.match(query) & ids

    def matching_sql(self, query: Query) -> tuple[str, list]:
        """A SELECT of the ids, as column ``id``, of the entries matching ``query``, with its
        parameters: what match() runs, for composing several matches into one statement."""
        raise NotImplementedError

    def match_each(self, queries: list[Query]) -> list[BitMap]:
        """match() of each of ``queries``, in one statement: one row for each, however
        broad (each set as one value of ids, see id_list())."""
        parts, params = [], []
        for number, query in enumerate(queries):
            sql, query_params = self.matching_sql(query)
            parts.append(f"SELECT {number}, {self.id_list('found.id')} FROM ({sql}) found")
            params += query_params
        found = [BitMap() for _ in queries]
        for number, text in self._rows(" UNION ALL ".join(parts), params) if parts else []:
            found[number] = ids_in(text)
        return found

    def query_samples(self, queries: list[Query], size: int) -> list[list[int]]:
        """Up to ``size`` ids of the entries each of ``queries`` finds, in one statement:
        enough to tell, nearly always, whether a query finds something someone may see
        (see service.findable). All of them when there are fewer."""
        parts, params = [], []
        for number, query in enumerate(queries):
            sql, query_params = self.matching_sql(query)
            parts.append(f"SELECT {number}, found.id FROM ({sql} LIMIT {int(size)}) found")
            params += query_params
        ids: list[list[int]] = [[] for _ in queries]
        for number, pk in self._rows(" UNION ALL ".join(parts), params) if parts else []:
            ids[number].append(pk)
        return ids

    def field_matches(self, query: Query, fields: str) -> BitMap:
        """The set of the entries with any positive term of ``query`` in these FIELDS."""
        raise NotImplementedError

    def title_scores(self, query: Query, hits: BitMap) -> list[tuple[int, float]]:
        """(entry id, relevance) of the ``hits`` (entries matching ``query``) with a
        positive term of ``query`` in their title, in one statement."""
        raise NotImplementedError

    def scores(self, query: Query, ids: list[int]) -> list[tuple[int, float]]:
        """(entry id, relevance) of these entries, which all match ``query``; a higher
        score is a better match."""
        raise NotImplementedError

    def tiered_scores(self, query: Query, ids: list[int]) -> list[tuple[int, int, float]]:
        """(entry id, tier, relevance) of these entries, which all match ``query``: tier 2
        with a positive term in the title, 1 in the keywords or summary, else 0."""
        raise NotImplementedError

    def ranked(self, query: Query, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` most relevant matches as (entry id, relevance), best first."""
        raise NotImplementedError

    def highlight_sql(self, query: Query) -> HighlightSQL:
        raise NotImplementedError

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------
    def highlight(self, query: Query, ids: list[int]) -> dict[int, Highlight]:
        """Titles and snippets of these entries, the query's words marked."""
        if not ids:
            return {}
        if query.positive:
            spec = self.highlight_sql(query)
        else:
            spec = HighlightSQL(
                f"{self.entry_table} e", ["e.title", "substr(e.summary, 1, 300)"], [], []
            )
        conditions = [spec.where_sql] if spec.where_sql else []
        conditions.append(f"{spec.id_column} IN ({', '.join(['%s'] * len(ids))})")
        sql = (
            f"SELECT e.id, e.doc_type, e.url, e.subtitle, e.evidence_level,"
            f" {', '.join(spec.expressions)}"
            f" FROM {spec.from_sql} WHERE {' AND '.join(conditions)}"
        )
        params = spec.expression_params + spec.from_params + spec.where_params + list(ids)
        found = {}
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, doc_type, url, subtitle, evidence, title, *snippets in cursor.fetchall():
                snippets = [text for text in snippets if text]
                # The first snippet with a marked word, else the first there is.
                marked = [text for text in snippets if MARK_START in text]
                snippet = (marked or snippets or [""])[0]
                found[pk] = Highlight(
                    pk,
                    doc_type,
                    url,
                    subtitle,
                    highlight_html(title),
                    highlight_html(snippet),
                    evidence,
                )
        return found

    def known_words(self, words: list[str]) -> set[str]:
        return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))

    def completions(self, prefix: str, limit: int = 5, offset: int = 0) -> list[str]:
        """Indexed words starting with ``prefix``, most common first (uses the unique index),
        whoever's entries hold them."""
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return list(
            SearchWord.objects.filter(word__gte=prefix, word__lt=upper)
            .order_by("-doc_count", "word")
            .values_list("word", flat=True)[offset : offset + limit]
        )
