"""Forgiving queries: synonyms editors keep, and results with most of the words.

Every word of a query must match (kb.search.query), which is what people expect of a
search box until it finds nothing: "linkedin b2b recruit" dead-ends when no document
says all three. So:

- a query word also finds its synonyms (Synonym, kept by editors in the admin): the
  word becomes an OR of itself and the other side of each of its pairs, a phrase when
  that side has several words. Applied to the query, never the index, so a new pair
  works at once on both databases and nothing is re-indexed. Quoted words are taken as
  typed, and excluded words (-word) are not expanded;
- when all of the words find fewer than a page, entries matching most of them follow
  (PartialMatches), those matching more words first, each labelled with the words it
  lacks. They are found with one statement more than the search: every word's matches
  as a set (match_each), counted in memory.

Common words are dropped before any of this (Query.without_stop_words).
"""

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from pyroaring import BitMap

from kb.search.backends.base import SearchBackend
from kb.search.models import Synonym
from kb.search.query import STOP_WORDS, Clause, Query, Term

# At most this many synonyms are added for one word, so a query stays small.
MAX_SYNONYMS = 8


def _key(term: Term) -> str:
    return " ".join(term.words)


def synonym_pairs(query: Query, words: list[str] = ()) -> list[tuple[str, str]]:
    """The pairs that may expand ``query`` (or ``words``), in one statement; none when
    there is nothing to expand.

    Read per search rather than cached: a lookup of a few words by index costs about as
    much as checking a cached copy is current would, and is never stale in any process.
    """
    keys = {_key(term) for term in _expandable(query)} | set(words)
    if not keys:
        return []
    pairs = Synonym.objects.filter(Q(term__in=keys) | Q(synonym__in=keys))
    return list(pairs.order_by("term", "synonym").values_list("term", "synonym"))


def _expandable(query: Query) -> list[Term]:
    return [term for clause in query.positive for term in clause.alternatives if not term.exact]


def expand(query: Query, pairs: list[tuple[str, str]]) -> Query:
    """``query`` with each positive, unquoted term ORed with its synonyms among ``pairs``
    (one step: a synonym's own synonyms are not added). Clauses keep their order, so the
    n-th positive clause is still what the n-th word typed became."""
    if not pairs:
        return query
    others: dict[str, list[str]] = defaultdict(list)
    for term, synonym in pairs:
        others[term].append(synonym)
        others[synonym].append(term)
    clauses = []
    for clause in query.clauses:
        alternatives = list(clause.alternatives)
        if not clause.negated:
            for term in clause.alternatives:
                if term.exact:
                    continue
                for other in others.get(_key(term), [])[:MAX_SYNONYMS]:
                    added = Term(tuple(other.split()))
                    if added not in alternatives:
                        alternatives.append(added)
        clauses.append(Clause(alternatives, clause.negated))
    return Query(clauses)


def completed_queries(rest: Query, words: list[str]) -> tuple[list[Query], list[tuple[str, str]]]:
    """The query someone typing gets for each completion of their last word: what they
    typed before it (less common words), then the word, both with their synonyms; and
    the synonym pairs read for them (one statement)."""
    rest = rest.without_stop_words()
    pairs = synonym_pairs(rest, words)
    queries = [expand(Query([*rest.clauses, Clause([Term((word,))])]), pairs) for word in words]
    return queries, pairs


def completion_candidates(words: list[str]) -> list[str]:
    """Completions worth offering: a common word would be dropped from the query."""
    return [word for word in words if word not in STOP_WORDS]


@dataclass
class PartialMatches:
    """Entries matching most but not all of a query's words, for after its full matches.

    A "word" is a positive clause as typed (a word, a phrase, or words joined by OR,
    with its synonyms). ``groups`` holds the entries matching all but one of them, then
    all but two, down to half of them (rounded up); only entries the searcher may see
    and the filters keep, never those excluded with -word.
    """

    labels: list[str]  # each positive clause, as the searcher typed it
    matched: list[BitMap]  # the entries matching each positive clause
    groups: list[BitMap]  # most words first
    any_count: int  # entries matching any positive clause, before visibility and filters

    @property
    def ids(self) -> BitMap:
        return BitMap().union(*self.groups)

    @property
    def total(self) -> int:
        return sum(len(group) for group in self.groups)

    def missing(self, pk: int) -> list[str]:
        """The words (clauses as typed) entry ``pk`` does not match."""
        return [
            label for label, found in zip(self.labels, self.matched, strict=True) if pk not in found
        ]

    def first(self, count: int, rank: Callable[[BitMap, int], list[int]]) -> list[int]:
        """The first ``count`` of them: group by group, each group in the order of
        ``rank(ids, count)``, which gives the best ``count`` of a set. Only the groups
        that reach the page are ranked."""
        found: list[int] = []
        for group in self.groups:
            if len(found) >= count:
                break
            if group:
                found += rank(group, min(count - len(found), len(group)))
        return found[:count]


def partial_matches(
    backend: SearchBackend,
    query: Query,
    labels: list[str],
    *,
    allowed: BitMap,
) -> PartialMatches | None:
    """Entries matching at least half of ``query``'s positive clauses but not all, among
    ``allowed`` (visible to the searcher and kept by the filters): one statement, each
    clause's matches and the excluded terms' as sets (a broad word costs what its own
    search does: one text of ids). None when there are none, or when the query has a
    single positive clause."""
    positive = query.positive
    if len(positive) < 2:
        return None
    queries = [Query([clause]) for clause in positive]
    excluded = [term for clause in query.negative for term in clause.alternatives]
    if excluded:
        queries.append(Query([Clause(excluded)]))
    matched = backend.match_each(queries)
    if excluded:
        allowed = allowed - matched.pop()
    at_least = _at_least(matched)
    n = len(positive)
    groups = []
    for count in range(n - 1, math.ceil(n / 2) - 1, -1):
        groups.append((at_least[count] - at_least[count + 1]) & allowed)
    if not any(groups):
        return None
    return PartialMatches(labels, matched, groups, len(at_least[1]))


def _at_least(sets: list[BitMap]) -> list[BitMap]:
    """``at_least[k]``: the members of at least ``k`` of ``sets`` (k = 0 … len(sets)),
    a few set operations per set rather than a count per entry. New sets throughout:
    ``sets`` are left as they are."""
    at_least = [BitMap().union(*sets)] + [BitMap() for _ in sets]
    for found in sets:
        for k in range(len(sets), 0, -1):
            at_least[k] = at_least[k] | (at_least[k - 1] & found)
    return at_least
