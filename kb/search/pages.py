"""Each process remembers the rendered results of its latest searches by readers who see
only what is public.

Most searchers see exactly the published KB (kb.search.service.Matched.public_only), so a
popular search shows all of them the same results. Ranking the hits, counting the facets,
highlighting the page's rows and rendering them is most of what a search costs once its
matches are remembered (kb.search.matches); this keeps the rendered results for the next
such searcher.

A page is never served stale. It is kept with the view of the index it was made against
(kb.search.snapshot.Sets) and the hits it showed; it is served again only while the same
request matches exactly those hits and none of them has changed since. Everything a page
shows comes from its hits' index entries (titles, snippets, facets and their labels,
evidence, dates) or from the request, so an edit, a rename re-indexing what shows the old
name, an item published, unpublished or falling due, or a new synonym either changes the
hits, changes one of them or changes the key. Today's date is in the key: overdue items
rank lower from their review-by date.

Only full pages are kept: with fewer hits than a page, partial matches and corrections
are looked up, which the hits alone do not decide. Pages are bounded in number
(KB_SEARCH_PAGE_CACHE, least recently used first out) and are a few tens of kilobytes;
the hits are kept as a digest, not as a set.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from pyroaring import BitMap

from kb.search.recent import Recent
from kb.search.snapshot import Sets


@dataclass(frozen=True)
class _Page:
    epoch: int
    seq: int  # made against this change of the index
    hits: bytes  # a digest of the hits it showed (the hits themselves can be 100 kB)
    html: str


def _digest(hits: BitMap) -> bytes:
    return hashlib.blake2b(hits.serialize(), digest_size=16).digest()


_pages: Recent[_Page] = Recent("KB_SEARCH_PAGE_CACHE")


def key(*parts: object) -> tuple:
    """A page's key: what the caller says decides it, on this database, today."""
    return (connection.alias, timezone.localdate().isoformat(), *parts)


def get(page_key: tuple, sets: Sets, hits: BitMap) -> str | None:
    """The page remembered under ``page_key``, if it showed ``hits`` and none of them has
    changed since it was made."""
    if not settings.KB_SEARCH_PAGE_CACHE:
        return None
    known = _pages.get(page_key)
    if known is None or known.epoch != sets.epoch or known.seq > sets.change[0]:
        return None
    if known.hits != _digest(hits):
        return None
    changed = sets.changed_since(known.seq)
    if changed is None or changed.intersect(hits):
        return None
    return known.html


def put(page_key: tuple, sets: Sets, hits: BitMap, html: str) -> None:
    if settings.KB_SEARCH_PAGE_CACHE:
        _pages.put(page_key, _Page(sets.epoch, sets.change[0], _digest(hits), html))


def forget() -> None:
    """Drop every remembered page: for tests and the benchmark's first-time timings."""
    _pages.clear()
