"""The one search interface the views (and the benchmark) use.

search() parses the query, counts facets and total in one statement, fetches one page of
highlighted results in a second, and — only when nothing matched — tries a typo-corrected
query. The number of SQL statements does not depend on the page size.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.utils import timezone

from kb.core.permissions import AnyUser
from kb.search.backends import get_backend
from kb.search.backends.base import Criteria, FacetCount, Row
from kb.search.index import searchable_models
from kb.search.query import Clause, Query, Term, parse

FACETS = ("type", "tag", "platform", "department", "evidence", "year")
SORTS = ("relevance", "newest")
MAX_CORRECTIONS = 5


@dataclass
class SearchResults:
    text: str
    query: Query
    hits: list[Row]
    total: int
    page: Page
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    corrected_text: str = ""  # shown as "Showing results for …" when the query was corrected

    def all_facet_values(self) -> list[FacetCount]:
        return [value for values in self.facets.values() for value in values]


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


def correct_word(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The closest common word within 1 edit (short words) or 2 (longer ones)."""
    allowed = 1 if len(word) <= 5 else 2
    best = None
    for candidate, doc_count in candidates:
        if candidate == word:
            continue
        distance = damerau_levenshtein(word, candidate, allowed)
        if distance <= allowed:
            key = (distance, -doc_count, candidate)
            if best is None or key < best[0]:
                best = (key, candidate)
    return best[1] if best else None


def corrections(query: Query) -> dict[str, str]:
    """Replacements for the query's words that the index has never seen."""
    backend = get_backend()
    words = list(dict.fromkeys(query.words()))[:MAX_CORRECTIONS]
    known = backend.known_words(words)
    unknown = [word for word in words if word not in known]
    replacements = {}
    for word in unknown:
        fixed = correct_word(word, backend.similar_words(word))
        if fixed:
            replacements[word] = fixed
    return replacements


def search(
    text: str,
    *,
    user: AnyUser,
    filters: dict[str, str] | None = None,
    sort: str = "relevance",
    page: int | str | None = 1,
    per_page: int = 20,
) -> SearchResults:
    backend = get_backend()
    query = parse(text)
    criteria = Criteria(
        query=query,
        filters={k: v for k, v in (filters or {}).items() if k in FACETS and v},
        user_id=user.pk if user.is_authenticated else None,
        now=timezone.now(),
        sort=sort if sort in SORTS else "relevance",
    )
    facets = backend.facet_counts(criteria)
    corrected_text = ""
    if not facets and query.positive:
        replacements = corrections(query)
        if replacements:
            corrected = query.replace_words(replacements)
            corrected_criteria = Criteria(**{**criteria.__dict__, "query": corrected})
            corrected_facets = backend.facet_counts(corrected_criteria)
            if corrected_facets:
                criteria, facets, corrected_text = (
                    corrected_criteria,
                    corrected_facets,
                    corrected.text(),
                )
    total = sum(f.count for f in facets.get("type", []))
    page_obj = Paginator(range(total), per_page).get_page(page)
    offset = (page_obj.number - 1) * per_page
    hits = backend.results(criteria, offset=offset, limit=per_page) if total else []
    labels = dict(type_labels())
    for hit in hits:
        hit.type_label = labels.get(hit.doc_type, hit.doc_type)
    return SearchResults(
        text=text,
        query=query,
        hits=hits,
        total=total,
        page=page_obj,
        facets=facets,
        corrected_text=corrected_text,
    )


def suggest(text: str, *, user: AnyUser, limit: int = 6) -> dict:
    """Search-as-you-type: complete the last word from the index's words, then find titles."""
    query = parse(text)
    completions: list[str] = []
    last_clause = query.clauses[-1] if query.clauses else None
    if last_clause and not last_clause.negated and not text[-1:].isspace():
        last = last_clause.alternatives[-1]
        if not last.is_phrase:
            completions = get_backend().completions(last.words[-1])
    if completions:
        alternatives = [Term((word,)) for word in completions]
        query = Query([*query.clauses[:-1], Clause(alternatives)])
    results = search(query.text(), user=user, per_page=limit) if query.positive else None
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
            for hit in (results.hits if results else [])
        ],
    }
