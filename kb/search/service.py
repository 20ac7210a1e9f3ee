"""The one search interface the views (and the benchmark) use.

search() brings the process's sets up to date (kb.search.snapshot: one query when nothing
changed), reads the searcher's own entries and those shared with them (one query) and
asks the backend which entries match (one query). It narrows them to what the user may
see and the chosen facets, counts every facet in memory, scores only the hits that can
reach the page (one statement for a few hundred hits; for more, the hits with a query
word in their title, then in their headings, then the best of the body matches: two to
five statements), lowers the score of entries past their review-by date and orders the
ties by evidence and date (one query), and highlights only the page's rows (one query).
Only when nothing matched does it try a typo-corrected query. The query is made forgiving
first (kb.search.forgiving: common words left out, synonyms added, one statement), and
when fewer than a page match, the entries with most of the words follow. The number of
SQL statements does not depend on the page size. It is two steps, which the results page
calls apart: prepare() matches (up to the hits the searcher may see), results() ranks,
counts and highlights them — a page kb.search.pages remembers skips the second.

The facets are those the searchable models declare (kb.core.search.FacetField).

Whatever a search offers — hits, facet counts, completions, "did you mean" — comes from
the entries the searcher may see (visible_entries): a word is offered only if searching
for it finds one of them, so the words of other people's drafts never leak.
"""

import dataclasses
import functools
import heapq
from dataclasses import dataclass, field

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F
from django.utils import timezone
from pyroaring import BitMap

from kb.core.permissions import AnyUser, can_publish
from kb.core.search import TYPE, FacetField, model_field
from kb.search import forgiving
from kb.search import matches as match_cache
from kb.search import snapshot as snapshots
from kb.search.backends import get_backend
from kb.search.backends.base import SearchBackend, any_word
from kb.search.index import searchable_models
from kb.search.models import IndexAudience, IndexEntry
from kb.search.query import Clause, Query, Term, parse

MAX_CORRECTIONS = 5
# Candidates checked for a misspelt word, closest first.
MAX_CORRECTION_CANDIDATES = 10
COMPLETIONS = 5
# Completion candidates checked at most, most common first (see _completions).
MAX_COMPLETION_CANDIDATES = 35
# Matches of a word looked at to find one the user may see (see visible_words).
WORD_SAMPLE = 20
# Up to this many body-only hits are scored by id rather than ranked in the database.
SCORE_BY_ID_LIMIT = 1000
# An entry due for review (kb.freshness) ranks with its relevance multiplied by this: 20 %
# lower within its tier, so it gives way to an otherwise equal fresh entry but still
# outranks a clearly weaker match, and never drops to a lower tier.
OVERDUE_FACTOR = 0.8
# Above this many hits, the newest are found by walking the entries newest first.
ORDER_SCAN_THRESHOLD = 2000


@dataclass
class FacetCount:
    name: str
    value: str
    label: str
    count: int


@dataclass
class Hit:
    id: int
    doc_type: str
    type_label: str
    url: str
    subtitle: str
    title_html: str
    snippet_html: str
    is_draft: bool
    # Not public, found by one of its audience (an advocate asked a private question).
    is_private: bool = False
    evidence_level: int | None = None
    missing: list[str] = field(default_factory=list)  # words it lacks (a partial match)


@dataclass
class SearchResults:
    text: str
    hits: list[Hit]
    total: int
    page: Page
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    corrected_text: str = ""  # shown as "Showing results for …" when the query was corrected
    # Entries with most but not all of the words, listed after the ``total`` full matches.
    partial_total: int = 0
    ignored_words: list[str] = field(default_factory=list)  # common words left out

    @property
    def full_hits(self) -> list[Hit]:
        return [hit for hit in self.hits if not hit.missing]

    @property
    def partial_hits(self) -> list[Hit]:
        """The page's entries with some of the words, which always follow the full ones."""
        return [hit for hit in self.hits if hit.missing]

    def all_facet_values(self) -> list[FacetCount]:
        return [value for values in self.facets.values() for value in values]


@functools.cache
def facet_fields() -> dict[str, FacetField]:
    """Every facet the searchable models declare, and the type, in page order by name."""
    declared = {TYPE.name: TYPE}
    for model in searchable_models():
        for facet in model.SEARCH_FACETS:
            declared.setdefault(facet.name, facet)
    return dict(sorted(declared.items(), key=lambda item: item[1].position))


def _alike(facet: FacetField) -> FacetField:
    return dataclasses.replace(facet, field="")  # each model reads its own field


def check_facet_declarations(**kwargs) -> list[checks.CheckMessage]:
    """Models sharing a facet declare it alike, and its field exists on each."""
    errors = []
    for model in searchable_models():
        for facet in model.SEARCH_FACETS:
            first = facet_fields()[facet.name]
            if _alike(facet) != _alike(first):
                errors.append(
                    checks.Error(f"{model.__name__} declares the facet {facet.name!r} unlike "
                                 "another model does.", obj=model, id="search.E001")
                )  # fmt: skip
            if facet.field:
                try:
                    model_field(model, facet.field)
                except (FieldDoesNotExist, AttributeError):  # AttributeError: not a relation
                    errors.append(
                        checks.Error(f"{model.__name__} has no field {facet.field!r} for the "
                                     f"facet {facet.name!r}.", obj=model, id="search.E002")
                    )  # fmt: skip
    return errors


def _facet_counts(
    sets: snapshots.Sets,
    hits: BitMap,
    limit: int | None = None,
    keep: dict[str, str] | None = None,
) -> dict[str, list[FacetCount]]:
    """Each facet's values among ``hits`` in page order. With ``limit``, a facet listed by
    count keeps only its ``limit`` commonest values and the one ``keep`` selects: free-form
    facets (tags, owners) have thousands of values, and building and sorting them all cost
    more than counting them."""
    types = dict(type_labels())
    keep = keep or {}
    facets = {}
    for name, values in sets.count(hits).items():
        declared = facet_fields().get(name)
        numeric = declared is not None and declared.numeric
        by_count = not numeric and not (declared is not None and declared.choices)
        if by_count and limit is not None and len(values) > limit:
            chosen = heapq.nsmallest(limit, values, key=lambda v: (-v[2], v[1].lower()))
            chosen += [v for v in values if v[0] == keep.get(name) and v not in chosen]
            values = chosen
        counts = [
            FacetCount(name, value, types.get(value, label) if name == "type" else label, n)
            for value, label, n in values
        ]
        if declared is not None and declared.choices:
            order = {value: place for place, (value, _) in enumerate(declared.choices)}
            facets[name] = sorted(counts, key=lambda facet: order.get(facet.value, len(order)))
        else:
            facets[name] = sorted(counts, key=_by_value if numeric else _by_count)
    return facets


def _by_value(facet: FacetCount) -> tuple:
    """Highest first: years newest first, evidence strongest first."""
    return (-int(facet.value) if facet.value.lstrip("-").isdigit() else 0, facet.value)


def _by_count(facet: FacetCount) -> tuple:
    return (-facet.count, facet.label.lower())


def type_labels() -> list[tuple[str, str]]:
    return [model.SEARCH_TYPE for model in searchable_models()]


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of neighbours as one edit; stops early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest_words(word: str, candidates: list[tuple[str, int]]) -> list[str]:
    """The candidates within 1 edit of ``word`` (short words) or 2 (longer ones), closest
    first, then the most common."""
    allowed = 1 if len(word) <= 5 else 2
    keyed = []
    for candidate, doc_count in candidates:
        if candidate == word:
            continue
        distance = damerau_levenshtein(word, candidate, allowed)
        if distance <= allowed:
            keyed.append((distance, -doc_count, candidate))
    return [candidate for _, _, candidate in sorted(keyed)]


def visible_entries(sets: snapshots.Sets, user: AnyUser) -> BitMap:
    """The entries ``user`` may find (see visible_and_shared)."""
    return visible_and_shared(sets, user)[0]


def visible_and_shared(sets: snapshots.Sets, user: AnyUser) -> tuple[BitMap, BitMap]:
    """The entries ``user`` may find, and which of them are not public but shared with
    them (their audience names them: a private question they were asked).

    Published and due entries, their own, those they are in the audience of, and all of
    the types they may publish, as ContentQuerySet.visible_to has it (the trash is never
    indexed). Their own and their shared ones are read from the index in one statement:
    few, and no set is kept for each owner or member of an audience."""
    if not user.is_authenticated:
        return sets.public, BitMap()
    own, shared = _own_and_shared(user.pk)
    visible = sets.public | own | shared
    if not sets.all - visible:
        return visible, shared - sets.public  # nothing is hidden: permissions need not be read
    for model in searchable_models():
        if _publishable(model) and can_publish(user, model):
            visible |= sets.types.get(model.SEARCH_TYPE[0], BitMap())
    return visible, shared - sets.public


def _own_and_shared(user_id: int) -> tuple[BitMap, BitMap]:
    entries = connection.ops.quote_name(IndexEntry._meta.db_table)
    audience = connection.ops.quote_name(IndexAudience._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, 0 FROM {entries} WHERE owner_id = %s"
            f" UNION ALL SELECT entry_id, 1 FROM {audience} WHERE user_id = %s",
            [user_id, user_id],
        )
        rows = cursor.fetchall()
    own = BitMap(pk for pk, shared in rows if not shared)
    return own, BitMap(pk for pk, shared in rows if shared)


@functools.cache
def _publishable(model: type) -> bool:
    """Whether the model has a publish permission, so its publishers see all of its
    entries. A superuser holds every permission name, even of a model that has none (a
    question, private to its audience), and must not see those."""
    codename = f"publish_{model._meta.model_name}"
    return any(name == codename for name, _ in model._meta.permissions)


def visible_words(backend: SearchBackend, words: list[str], visible: BitMap) -> dict[str, bool]:
    """Whether a search for each of ``words`` alone finds an entry in ``visible``; words
    that find nothing at all (gone from the index, or ignored by the backend) are left
    out."""
    queries = [Query([Clause([Term((word,))])]) for word in words]
    found = findable(backend, queries, visible)
    return {word: seen for word, seen in zip(words, found, strict=True) if seen is not None}


def findable(backend: SearchBackend, queries: list[Query], visible: BitMap) -> list[bool | None]:
    """Whether each of ``queries`` finds an entry in ``visible``; None if it finds none.

    A sample of each query's matches decides in one statement: a word in any published
    entry nearly always has one among its first few. Only a query whose whole sample is
    hidden from the user, and that has more matches, is matched in full.
    """
    found: list[bool | None] = []
    for query, sample in zip(queries, backend.query_samples(queries, WORD_SAMPLE), strict=True):
        seen = any(pk in visible for pk in sample) if sample else None
        if seen is False and len(sample) == WORD_SAMPLE:
            seen = backend.match(query).intersect(visible)
        found.append(seen)
    return found


def corrections(backend: SearchBackend, query: Query, visible: BitMap) -> dict[str, str]:
    """Replacements for the query's words that no entry the user may see contains, each
    the closest word that one does.

    A word only in entries hidden from the user is corrected like one never seen, so
    neither the correction nor its absence tells them it is in someone's draft.
    """
    words = list(dict.fromkeys(query.words()))[:MAX_CORRECTIONS]
    known = backend.known_words(words)
    seen = visible_words(backend, [word for word in words if word in known], visible)
    replacements = {}
    for word in words:
        if word in known and seen.get(word, True):
            continue  # the user may see it, or the backend ignores it
        candidates = closest_words(word, backend.similar_words(word))
        candidates = candidates[:MAX_CORRECTION_CANDIDATES]
        fixed = visible_words(backend, candidates, visible)
        replacement = next((candidate for candidate in candidates if fixed.get(candidate)), None)
        if replacement:
            replacements[word] = replacement
    return replacements


def _matching(
    backend: SearchBackend,
    sets: snapshots.Sets,
    query: Query,
    *,
    visible: BitMap,
    filters: dict[str, str],
) -> tuple[BitMap, int]:
    """(the matches the user may see and the filters keep, number of matches)."""
    if query.positive:
        hits = match_cache.match(backend, sets, query)
    else:
        # No words to look for: everything, less what is excluded.
        hits = sets.all
        if query.negative:
            excluded = [term for clause in query.negative for term in clause.alternatives]
            hits = hits - match_cache.match(backend, sets, Query([Clause(excluded)]))
    matches = len(hits)
    hits = hits & visible
    wanted = sets.filter(filters)
    return (hits if wanted is None else hits & wanted), matches


def _best(
    backend: SearchBackend, query: Query, hits: BitMap, matches: int, count: int
) -> list[int]:
    """The ``count`` best hits: tier, then score, then stronger evidence, then newest.

    A hit with a query word in its title (tier 2) outranks one with a word only in its
    keywords or summary (tier 1), which outranks a body-only match (tier 0): scores that
    normalise for length would otherwise let a short document's tag match beat a long
    document's title match. So the best hits are found a tier at a time, and only the
    hits of the tiers that fill the page are scored: a broad word matches tens of
    thousands of documents but has only hundreds in titles.
    """
    if len(hits) <= SCORE_BY_ID_LIMIT:
        # Few enough to score, tiers and all, in one statement.
        scored = backend.tiered_scores(query, list(hits))
    else:
        scored = _best_tiers(backend, query, hits, matches, count)
    if len(scored) > count:
        # Only the hits that tie with or beat the count-th best can make the page: within
        # its tier, a hit the overdue penalty could still let through is kept too.
        last_tier, last_score = heapq.nsmallest(
            count, [(-tier, -score) for _, tier, score in scored]
        )[-1]
        # Keys are negated: the floor is the count-th best's score lowered by the penalty.
        floor = (last_tier, last_score * OVERDUE_FACTOR)
        scored = [hit for hit in scored if (-hit[1], -hit[2]) <= floor]
    strength = _strength([pk for pk, _, _ in scored])
    keys = []
    for pk, tier, score in scored:
        overdue, *tie_break = strength.get(pk, (False, 0, 0.0))
        keys.append((-tier, -score * (OVERDUE_FACTOR if overdue else 1), *tie_break, -pk))
    return [-key[-1] for key in heapq.nsmallest(count, keys)]


def _strength(ids: list[int]) -> dict[int, tuple[bool, int, float]]:
    """Per entry: whether it is due for review (its score is lowered), then the sort keys
    for ties: stronger evidence, then newer (one query)."""
    today = timezone.localdate()
    rows = IndexEntry.objects.filter(pk__in=ids).values_list(
        "pk", "review_by", "evidence_level", "published_at"
    )
    return {
        pk: (
            review_by is not None and review_by <= today,
            -(evidence or 0),
            -published.timestamp() if published else 0.0,
        )
        for pk, review_by, evidence, published in rows
    }


def _best_tiers(
    backend: SearchBackend, query: Query, hits: BitMap, matches: int, count: int
) -> list[tuple[int, int, float]]:
    """(id, tier, score) of the hits of the best tiers, enough of them to fill ``count``."""
    title = backend.title_scores(query, hits)
    if len(title) >= count:
        return [(pk, 2, score) for pk, score in title]
    head = hits & backend.field_matches(query, "head")
    in_title = {pk for pk, _ in title}
    scored = [
        (pk, 2 if pk in in_title else 1, score) for pk, score in backend.scores(query, list(head))
    ]
    if len(scored) < count:
        # Every heading match makes the page; body-only matches fill the rest.
        body = _best_of_body(backend, query, hits - head, matches, count - len(scored))
        scored += [(pk, 0, score) for pk, score in body]
    return scored


def _best_of_body(
    backend: SearchBackend, query: Query, body: BitMap, matches: int, count: int
) -> list[tuple[int, float]]:
    """At least the ``count`` best-scored of the body-only hits ``body``, with their scores.

    A few are scored by id. Otherwise the database ranks every match and returns enough
    of the best for ``count`` of them to be among ``body`` (judged from the share of
    matches that are); when that would be most of the matches, or too few turn out to
    be, every hit is scored.
    """
    survivors = len(body)
    if survivors > SCORE_BY_ID_LIMIT:
        limit = int(count * matches / survivors * 2) + 50
        if limit < matches // 2:
            ranked = [(pk, score) for pk, score in backend.ranked(query, limit) if pk in body]
            if len(ranked) >= count:
                return ranked
    return backend.scores(query, list(body))


def _newest(hits: BitMap, total: int, count: int) -> list[int]:
    """The ``count`` newest hits (undated ones last, newest id first): a short hit list is
    sorted, a broad one found by walking the entries newest first a batch at a time (the
    dated ones through the date index, then the undated)."""
    if len(hits) <= ORDER_SCAN_THRESHOLD:
        entries = IndexEntry.objects.filter(pk__in=list(hits))
        newest = entries.order_by(F("published_at").desc(nulls_last=True), "-pk")
        return list(newest.values_list("pk", flat=True)[:count])
    found: list[int] = []
    for entries in (
        IndexEntry.objects.filter(published_at__isnull=False).order_by("-published_at", "-pk"),
        IndexEntry.objects.filter(published_at__isnull=True).order_by("-pk"),
    ):
        # Enough entries for about twice ``count`` hits among them, at the hits' density.
        batch, start = max(200, 2 * count * total // len(hits)), 0
        while len(found) < count:
            ids = list(entries.values_list("pk", flat=True)[start : start + batch])
            found += [pk for pk in ids if pk in hits]
            if len(ids) < batch:
                break
            start, batch = start + batch, batch * 4
    return found[:count]


@dataclass
class Matched:
    """What a search matched for its searcher, before anything is ranked or shown."""

    text: str
    query: Query  # as asked, without its common words
    expanded: Query  # with synonyms
    sets: snapshots.Sets
    visible: BitMap
    shared: BitMap
    filters: dict[str, str]
    hits: BitMap  # the matches the searcher may see and the filters keep
    matches: int  # every match, seen or not
    ignored: list[str]  # common words left out

    @property
    def public_only(self) -> bool:
        """Whether the searcher sees exactly what is public: the same hits show the same
        to every such searcher (no drafts of theirs, nothing shared with them alone)."""
        return not self.shared and self.visible == self.sets.public

    def key(self) -> str:
        """What, besides the hits, decides the results: the expanded query and filters."""
        return repr((self.expanded.clauses, sorted(self.filters.items())))


def prepare(text: str, *, user: AnyUser, filters: dict[str, str] | None = None) -> Matched:
    """Match ``text`` as ``user`` (the first half of search())."""
    sets = snapshots.current(timezone.now())
    visible, shared = visible_and_shared(sets, user)
    return _matched(text, parse(text), sets, visible, shared, filters)


def search(
    text: str,
    *,
    user: AnyUser,
    filters: dict[str, str] | None = None,
    sort: str = "relevance",
    page: int | str | None = 1,
    per_page: int = 20,
    facet_limit: int | None = None,
) -> SearchResults:
    """Search as ``user``. ``facet_limit`` caps how many values of a facet listed by count
    come back (the page shows a dozen); None returns them all."""
    return results(
        prepare(text, user=user, filters=filters),
        sort=sort,
        page=page,
        per_page=per_page,
        facet_limit=facet_limit,
    )


def _matched(
    text: str,
    query: Query,
    sets: snapshots.Sets,
    visible: BitMap,
    shared: BitMap,
    filters: dict[str, str] | None,
    synonyms: list[tuple[str, str]] | None = None,
) -> Matched:
    """The entries matching ``query`` (parsed from ``text``) that the searcher may see.
    ``synonyms``, the pairs that may expand the query, are read unless given."""
    filters = {k: str(v) for k, v in (filters or {}).items() if k in facet_fields() and v}
    ignored = query.stop_words()
    only_common_words = bool(query.positive) and not query.without_stop_words().positive
    query = query.without_stop_words()
    if synonyms is None:
        synonyms = forgiving.synonym_pairs(query)
    expanded = forgiving.expand(query, synonyms)
    if only_common_words:
        hits, matches = BitMap(), 0  # not everything, as a query with no words to find would be
    else:
        hits, matches = _matching(get_backend(), sets, expanded, visible=visible, filters=filters)
    return Matched(text, query, expanded, sets, visible, shared, filters, hits, matches, ignored)


def results(
    matched: Matched,
    *,
    sort: str = "relevance",
    page: int | str | None = 1,
    per_page: int = 20,
    partial: bool = True,
    facet_limit: int | None = None,
) -> SearchResults:
    """The page of results of what ``matched``: ranked, counted and highlighted. With
    ``partial``, entries matching most of the words follow when all of them find fewer
    than a page."""
    backend = get_backend()
    sets, visible, filters = matched.sets, matched.visible, matched.filters
    options = {"visible": visible, "filters": filters}
    query, expanded, hits, matches = matched.query, matched.expanded, matched.hits, matched.matches
    corrected_text = ""
    if not hits and query.positive:
        replacements = corrections(backend, query, visible)
        if replacements:
            corrected = query.replace_words(replacements)
            corrected_expanded = forgiving.expand(corrected, forgiving.synonym_pairs(corrected))
            retry, retry_matches = _matching(backend, sets, corrected_expanded, **options)
            if retry:
                query, expanded, hits, matches = corrected, corrected_expanded, retry, retry_matches
                corrected_text = corrected.text()

    total = len(hits)
    partials = None
    if partial and total < per_page:
        wanted = sets.filter(filters)
        partials = forgiving.partial_matches(
            backend,
            expanded,
            [Query([clause]).text() for clause in query.positive],
            allowed=visible if wanted is None else visible & wanted,
        )
    partial_total = partials.total if partials else 0
    page_obj = Paginator(range(total + partial_total), per_page).get_page(page)
    offset = (page_obj.number - 1) * per_page
    if not total:
        ids = []
    elif sort != "newest" and query.positive:
        ids = _best(backend, expanded, hits, matches, offset + per_page)[offset:]
    else:
        ids = _newest(hits, len(sets.all), offset + per_page)[offset:]
    missing: dict[int, list[str]] = {}
    if partials:
        some_words = any_word(expanded)

        def rank(found: BitMap, count: int) -> list[int]:
            if sort == "newest":
                return _newest(found, len(sets.all), count)
            return _best(backend, some_words, found, partials.any_count, count)

        shown = partials.first(offset + per_page - total, rank)[max(0, offset - total) :]
        missing = {pk: partials.missing(pk) for pk in shown}
        ids += shown
        if shown:
            expanded = some_words  # highlights in full and partial matches alike
    return SearchResults(
        text=matched.text,
        hits=_hits(backend, sets, expanded, ids, missing, matched.shared),
        total=total,
        page=page_obj,
        facets=_facet_counts(sets, hits | partials.ids if partials else hits, facet_limit, filters),
        corrected_text=corrected_text,
        partial_total=partial_total,
        ignored_words=matched.ignored,
    )


def _hits(
    backend: SearchBackend,
    sets: snapshots.Sets,
    query: Query,
    ids: list[int],
    missing: dict[int, list[str]],
    shared: BitMap,
) -> list[Hit]:
    labels = dict(type_labels())
    found = backend.highlight(query, ids)
    return [
        Hit(
            id=pk,
            doc_type=found[pk].doc_type,
            type_label=labels.get(found[pk].doc_type, found[pk].doc_type),
            url=found[pk].url,
            subtitle=found[pk].subtitle,
            title_html=found[pk].title_html,
            snippet_html=found[pk].snippet_html,
            # Only the searcher's own unpublished or scheduled items, and what is shared
            # with them alone, are not public.
            is_draft=pk not in sets.public and pk not in shared,
            is_private=pk in shared,
            evidence_level=found[pk].evidence_level,
            missing=missing.get(pk, []),
        )
        for pk in ids
        if pk in found
    ]


def _completions(
    backend: SearchBackend, prefix: str, visible: BitMap, rest: Query
) -> tuple[list[str], list[tuple[str, str]]]:
    """Up to COMPLETIONS indexed words starting with ``prefix`` with which ``rest``, what
    was typed before it, finds an entry the user may see; most common first.

    The word list is everyone's, and a word may be only in entries the rest of the query
    (or an excluded word) rules out, so each candidate is checked with the rest of the
    query, synonyms and all, against what the user may see. Common words are nearly
    always found, so the first COMPLETIONS candidates usually are all that is checked;
    more are read only when some are not. Returns the completions and the synonym pairs
    read for them and the rest, which the search for the completed query reuses.
    """
    found: list[str] = []
    pairs: list[tuple[str, str]] = []
    offset, batch = 0, COMPLETIONS
    while len(found) < COMPLETIONS and offset < MAX_COMPLETION_CANDIDATES:
        words = backend.completions(prefix, limit=batch, offset=offset)
        candidates = forgiving.completion_candidates(words)
        queries, batch_pairs = forgiving.completed_queries(rest, candidates)
        pairs += batch_pairs
        seen = findable(backend, queries, visible) if candidates else []
        found += [word for word, ok in zip(candidates, seen, strict=True) if ok]
        found = found[:COMPLETIONS]
        if len(words) < batch:
            break
        offset, batch = offset + batch, 2 * batch
    return found, list(dict.fromkeys(pairs))


def suggest(text: str, *, user: AnyUser, limit: int = 6) -> dict:
    """Search-as-you-type: complete the last word with the words of entries the user may
    see, then find titles."""
    backend = get_backend()
    sets = snapshots.current(timezone.now())
    visible = visible_entries(sets, user)
    query = parse(text)
    completions: list[str] = []
    synonyms = None
    last_clause = query.clauses[-1] if query.clauses else None
    if last_clause and not last_clause.negated and not text[-1:].isspace():
        last = last_clause.alternatives[-1]
        if not last.is_phrase:
            rest = Query(query.clauses[:-1])
            completions, synonyms = _completions(backend, last.words[-1], visible, rest)
    if completions:
        alternatives = [Term((word,)) for word in completions]
        query = Query([*query.clauses[:-1], Clause(alternatives)])
    page = None
    if query.positive:
        # The synonyms read for the completions cover the completed query too.
        reuse = synonyms if completions else None
        matched = _matched(query.text(), query, sets, visible, BitMap(), None, synonyms=reuse)
        page = results(matched, per_page=limit, partial=False)
    return {
        "query": text,
        "completions": completions,
        "results": [
            {
                "title": hit.title_html,
                "url": hit.url,
                "type": hit.doc_type,
                "subtitle": hit.subtitle,
            }
            for hit in (page.hits if page else [])
        ],
    }
