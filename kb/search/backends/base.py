"""What every search backend does, and the SQL they share.

A backend turns a parsed query into a *source*: the FROM clause, the condition that
matches documents, a rank and the highlighted title/snippet expressions. Visibility,
facet filters, facet counting, paging and word look-ups are written once here.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from django.db.backends.base.base import BaseDatabaseWrapper

from kb.search.models import IndexEntry, IndexFacet, SearchWord
from kb.search.query import Clause, Query

MARK_START, MARK_END = "\x02", "\x03"


def highlight_html(text: str) -> str:
    """Escape a backend's snippet, then turn its marks into <mark> elements."""
    return escape(text or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


@dataclass
class Criteria:
    query: Query
    filters: dict[str, str]
    user_id: int | None
    now: datetime
    sort: str = "relevance"


@dataclass
class Source:
    """Backend-specific pieces of one search statement."""

    from_sql: str
    where_sql: str = ""
    params: list = field(default_factory=list)  # for with_sql, then where_sql
    with_sql: str = ""
    with_params: list = field(default_factory=list)
    rank_sql: str = ""  # ORDER BY fragment putting the best match first
    title_sql: str = "e.title"
    snippet_sqls: list[str] = field(default_factory=lambda: ["substr(e.summary, 1, 300)"])
    highlight_params: list = field(default_factory=list)  # for title_sql, then snippet_sqls


@dataclass
class Row:
    id: int
    doc_type: str
    url: str
    subtitle: str
    is_published: bool
    published_at: datetime | None
    owner_id: int | None
    title_html: str
    snippet_html: str
    is_draft: bool = False
    type_label: str = ""


@dataclass
class FacetCount:
    name: str
    value: str
    label: str
    count: int


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

    # --- per-backend query pieces -----------------------------------------------------
    def source(self, query: Query) -> Source:
        """Where documents matching the positive part of ``query`` come from."""
        raise NotImplementedError

    def exclusion(self, query: Query) -> tuple[str, list]:
        """A condition on e.id excluding documents that match any term of ``query``."""
        raise NotImplementedError

    def similar_words(self, word: str, limit: int = 40) -> list[tuple[str, int]]:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------
    def _statement(self, criteria: Criteria) -> tuple[Source, str, list]:
        query = criteria.query
        if query.positive:
            source = self.source(Query(query.positive))
        else:
            source = Source(from_sql=f"{self.entry_table} e")
        conditions, params = [], []
        if source.where_sql:
            conditions.append(source.where_sql)
            params += source.params
        if query.negative:
            # Exclude what matches any excluded term: one positive clause of alternatives.
            excluded = [term for clause in query.negative for term in clause.alternatives]
            sql, extra = self.exclusion(Query([Clause(excluded)]))
            conditions.append(sql)
            params += extra
        # Published and due, or the searcher's own (drafts included).
        conditions.append("((e.is_published = %s AND e.published_at <= %s) OR e.owner_id = %s)")
        now = self.db.ops.adapt_datetimefield_value(criteria.now)
        params += [True, now, criteria.user_id or 0]
        for name, value in sorted(criteria.filters.items()):
            conditions.append(
                f"e.id IN (SELECT entry_id FROM {self.facet_table} WHERE name = %s AND value = %s)"
            )
            params += [name, value]
        return source, " AND ".join(conditions), params

    def facet_counts(self, criteria: Criteria) -> dict[str, list[FacetCount]]:
        source, where, params = self._statement(criteria)
        sql = (
            f"{source.with_sql} SELECT f.name, f.value, f.label, COUNT(*) FROM {self.facet_table} f"
            f" WHERE f.entry_id IN (SELECT e.id FROM {source.from_sql} WHERE {where})"
            " GROUP BY f.name, f.value, f.label"
        )
        counts: dict[str, list[FacetCount]] = {}
        with self.db.cursor() as cursor:
            cursor.execute(sql, source.with_params + params)
            for name, value, label, count in cursor.fetchall():
                counts.setdefault(name, []).append(FacetCount(name, value, label, count))
        for values in counts.values():
            values.sort(key=lambda f: (-f.count, f.label.lower()))
        return counts

    def order_by(self, criteria: Criteria, source: Source) -> str:
        newest = "e.published_at DESC NULLS LAST, e.id DESC"
        if criteria.sort == "newest" or not source.rank_sql:
            return newest
        return f"{source.rank_sql}, e.evidence_level DESC NULLS LAST, {newest}"

    def results(self, criteria: Criteria, offset: int, limit: int) -> list[Row]:
        """One page of hits: rank and page the ids first, then highlight only those rows."""
        source, where, params = self._statement(criteria)
        order = self.order_by(criteria, source)
        sql = (
            f"{source.with_sql} SELECT e.id FROM {source.from_sql} WHERE {where}"
            f" ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, source.with_params + params + [limit, offset])
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        snippets = ", ".join(source.snippet_sqls)
        conditions = [source.where_sql] if source.where_sql else []
        conditions.append(f"e.id IN ({', '.join(['%s'] * len(ids))})")
        sql = (
            f"{source.with_sql} SELECT e.id, e.doc_type, e.url, e.subtitle, e.is_published,"
            f" e.published_at, e.owner_id, {source.title_sql}, {snippets}"
            f" FROM {source.from_sql} WHERE {' AND '.join(conditions)}"
        )
        with self.db.cursor() as cursor:
            cursor.execute(sql, source.with_params + source.highlight_params + source.params + ids)
            rows = {row[0]: row for row in cursor.fetchall()}
        return [self._row(rows[pk], criteria) for pk in ids if pk in rows]

    def _row(self, row: tuple, criteria: Criteria) -> Row:
        published_at = self._datetime(row[5])
        is_published = bool(row[4])
        snippets = [text for text in row[8:] if text]
        # The first snippet with a highlighted word, else the first one there is.
        snippet = next(
            (text for text in snippets if MARK_START in text), snippets[0] if snippets else ""
        )
        return Row(
            id=row[0],
            doc_type=row[1],
            url=row[2],
            subtitle=row[3],
            is_published=is_published,
            published_at=published_at,
            owner_id=row[6],
            title_html=highlight_html(row[7]),
            snippet_html=highlight_html(snippet),
            # Only the searcher's own unpublished or scheduled items reach here.
            is_draft=not is_published or not published_at or published_at > criteria.now,
        )

    def _datetime(self, value) -> datetime | None:
        return value

    def known_words(self, words: list[str]) -> set[str]:
        return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))

    def completions(self, prefix: str, limit: int = 5) -> list[str]:
        """Indexed words starting with ``prefix``, most common first (uses the unique index)."""
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return list(
            SearchWord.objects.filter(word__gte=prefix, word__lt=upper)
            .order_by("-doc_count", "word")
            .values_list("word", flat=True)[:limit]
        )
