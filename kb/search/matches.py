"""Each process remembers the matches of the queries asked most recently.

A broad word matches a fifth or more of the documents, and finding those ids is most of
what its search costs: the full-text index gives the rows, and the database must still
visit each one. People ask the same words again and again (the popular topics, the
platforms' names), so each process keeps the sets of ids its latest queries matched, as
an index's query cache does.

A remembered match is never served stale: it is kept with the view of the index
(kb.search.snapshot.Sets) it was made against, and when the index has changed since, only
the entries changed in between are matched again (the backend's match_among(), one
statement through the primary key on PostgreSQL) — or, when the view no longer remembers
that far back or a whole load intervened, the query is matched afresh. The sets are
compressed and their number is bounded (KB_SEARCH_MATCH_CACHE, least recently used
first out), so memory stays bounded whatever is asked.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from pyroaring import BitMap, FrozenBitMap

from kb.search.backends.base import SearchBackend
from kb.search.query import Query
from kb.search.recent import Recent
from kb.search.snapshot import Sets

# More changed entries than this are cheaper to match afresh with the whole query.
REMATCH_LIMIT = 1000


@dataclass(frozen=True)
class _Match:
    epoch: int
    seq: int  # made against this change of the index, or a later one
    ids: FrozenBitMap


_matches: Recent[_Match] = Recent("KB_SEARCH_MATCH_CACHE")


def match(backend: SearchBackend, sets: Sets, query: Query) -> BitMap:
    """backend.match(query), from memory when the same query was matched before, brought
    up to date with the changes ``sets`` has seen since. The set returned is frozen: it
    is shared with the next search asking the same."""
    if not settings.KB_SEARCH_MATCH_CACHE:
        return backend.match(query)
    key = (connection.alias, repr(query.clauses))
    known = _matches.get(key)
    ids = None
    if known is not None and known.epoch == sets.epoch and known.seq <= sets.change[0]:
        changed = sets.changed_since(known.seq)
        if changed is not None and len(changed) <= REMATCH_LIMIT:
            ids = known.ids
            if changed:
                ids = FrozenBitMap((ids - changed) | backend.match_among(query, changed))
    if ids is None:
        ids = FrozenBitMap(backend.match(query))
    # Made from ``sets`` (or later): a change after it is matched again next time.
    _matches.put(key, _Match(sets.epoch, sets.change[0], ids))
    return ids


def forget() -> None:
    """Drop every remembered match: for tests, and for the benchmark's timings of
    queries new to the process. A rebuilt index needs no call: its sets load whole, in a
    new epoch, and every match remembered before is matched afresh."""
    _matches.clear()
