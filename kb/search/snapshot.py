"""Each process's sets of index entries: the public ones, each type's and each facet value's.

A search gets its matches from the full-text index as a set of entry ids and counts every
facet by intersecting it with these sets, so the cost of a broad match does not grow with
the number of hits' rows. The sets are compressed (roaring bitmaps), so they take about
as much memory as the facet rows they stand for; nothing is kept per owner (the
searcher's own drafts are read from the entries, see service.visible_entries).

The sets follow the index through its change log (IndexChange, written by triggers on the
entries): each search reads the newest change, and a process that is behind re-reads only
the entries changed since (one or two statements). A process with no sets yet, or
further behind than the log reaches, loads them whole: a statement grouping the entries
by type and one grouping the facet rows by value, each set arriving as one text of ids.
"""

import itertools
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, connection
from django.utils import timezone
from pyroaring import BitMap

from kb.search.backends import get_backend
from kb.search.backends.base import ids_in
from kb.search.models import IndexChange, IndexEntry, IndexFacet

# A process further behind than this re-reads everything rather than every change.
MAX_CHANGES = 5000
# How many of its latest refreshes a view of the index remembers the changed entries of,
# so that what was computed from an older view can be brought up to date (kb.search.matches).
RECENT_REFRESHES = 64

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_states: dict[str, "Sets"] = {}
# Each whole load starts a new epoch: what was computed before it cannot be brought up to
# date through the changes, which a whole load does not list.
_epochs = itertools.count(1)

FacetKey = tuple[str, str]  # (facet name, value)


@dataclass(frozen=True)
class Sets:
    """One consistent view of the index. Never changed once made: a refresh makes a new
    one sharing the sets it did not touch, so a search in another thread is unaffected."""

    change: tuple[int, int]  # (seq, token) of the last change it includes
    public_at: datetime  # `public` holds what was due at this time
    next_due: datetime | None  # the next scheduled publication after public_at
    all: BitMap
    public: BitMap
    types: dict[str, BitMap]
    facets: dict[FacetKey, BitMap]
    labels: dict[FacetKey, str] = field(hash=False)
    epoch: int = 0
    # (the change refreshed from, the entries changed since) of the latest refreshes in
    # this epoch, oldest first: each starts where the one before it ended.
    recent: tuple[tuple[int, BitMap], ...] = field(default=(), hash=False)

    def changed_since(self, seq: int) -> BitMap | None:
        """The entries changed after change ``seq`` up to this view's, or None when this
        view does not remember back that far (or ``seq`` is not one it passed through)."""
        if seq == self.change[0]:
            return BitMap()
        changed = BitMap()
        for start, entries in reversed(self.recent):
            changed |= entries
            if start == seq:
                return changed
            if start < seq:
                return None
        return None

    def filter(self, filters: dict[str, str]) -> BitMap | None:
        """Entries having every filter's value; None when there is no filter."""
        result = None
        for name, value in filters.items():
            found = self.types.get(value) if name == "type" else self.facets.get((name, value))
            found = found if found is not None else BitMap()
            result = found if result is None else result & found
        return result

    def count(self, hits: BitMap) -> dict[str, list[tuple[str, str, int]]]:
        """(value, label, count) of every facet value present among ``hits``."""
        counts: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for doc_type, entries in self.types.items():
            if n := hits.intersection_cardinality(entries):
                counts["type"].append((doc_type, doc_type, n))
        for (name, value), entries in self.facets.items():
            if n := hits.intersection_cardinality(entries):
                counts[name].append((value, self.labels[name, value], n))
        return dict(counts)

    def due(self, now: datetime) -> bool:
        """Whether a scheduled item has fallen due since the sets were made."""
        return self.next_due is not None and now >= self.next_due

    def size(self) -> int:
        """Bytes the sets take, serialized (about what they take in memory)."""
        sets = [self.all, self.public, *self.types.values(), *self.facets.values()]
        return sum(len(entries.serialize()) for entries in sets)


def _id_sets(sql: str, params: list) -> list[tuple]:
    """Rows of ``sql`` whose last column is an id_list() aggregate, as sets."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(*row[:-1], ids_in(row[-1])) for row in cursor.fetchall()]


def _due(now: datetime) -> tuple[str, list]:
    """SQL for "published and due at ``now``" with its parameters."""
    return (
        "is_published AND published_at IS NOT NULL AND published_at <= %s",
        [connection.ops.adapt_datetimefield_value(now)],
    )


def _next_due(now: datetime) -> datetime | None:
    scheduled = IndexEntry.objects.filter(is_published=True, published_at__gt=now)
    return scheduled.order_by("published_at").values_list("published_at", flat=True).first()


def _entry_sets(where: str, params: list, now: datetime) -> tuple[BitMap, dict[str, BitMap]]:
    """(the due ones, each type's) of the entries ``where`` selects."""
    due, due_params = _due(now)
    ids = get_backend().id_list("id")
    rows = _id_sets(
        f"SELECT doc_type, {due}, {ids} FROM {IndexEntry._meta.db_table}"
        f" WHERE {where} GROUP BY 1, 2",
        [*due_params, *params],
    )
    public, types = BitMap(), defaultdict(BitMap)
    for doc_type, is_due, entries in rows:
        types[doc_type] |= entries
        if is_due:
            public |= entries
    return public, dict(types)


def _facet_sets(where: str, params: list) -> tuple[dict[FacetKey, BitMap], dict[FacetKey, str]]:
    ids = get_backend().id_list("entry_id")
    table = IndexFacet._meta.db_table
    # The label of each value from its first row (through the index on name and value):
    # max(label) would read every row, not just its index entry.
    label = f"(SELECT l.label FROM {table} l WHERE l.name = f.name AND l.value = f.value LIMIT 1)"
    rows = _id_sets(
        f"SELECT f.name, f.value, {label}, {ids} FROM {table} f WHERE {where} GROUP BY 1, 2",
        params,
    )
    return (
        {(name, value): entries for name, value, _, entries in rows},
        {(name, value): label for name, value, label, _ in rows},
    )


def _load(change: tuple[int, int], now: datetime) -> Sets:
    public, types = _entry_sets("1 = 1", [], now)
    facets, labels = _facet_sets("1 = 1", [])
    every = BitMap()
    for entries in types.values():
        every |= entries
    return Sets(
        change, now, _next_due(now), every, public, types, facets, labels, epoch=next(_epochs)
    )


def _apply(sets: Sets, change: tuple[int, int], changed: BitMap, now: datetime) -> Sets:
    """``sets`` with the ``changed`` entries re-read (gone if deleted) and what fell due
    since it was made added to the public ones."""
    # Ids are integers, so listing them in the SQL is safe; there are at most MAX_CHANGES.
    ids = ", ".join(map(str, changed)) or "NULL"
    public, types = _entry_sets(f"id IN ({ids})", [], now)
    facets, labels = _facet_sets(f"f.entry_id IN ({ids})", [])
    public |= sets.public - changed
    if sets.due(now):
        due, params = _due(now)
        later = "published_at > %s"
        public |= _id_sets(
            f"SELECT {get_backend().id_list('id')} FROM {IndexEntry._meta.db_table}"
            f" WHERE {due} AND {later}",
            [*params, connection.ops.adapt_datetimefield_value(sets.public_at)],
        )[0][0]
    every = (sets.all - changed) | BitMap().union(*types.values())
    merged_facets = _merge(sets.facets, facets, changed)
    return Sets(
        change,
        now,
        _next_due(now),
        every,
        public,
        _merge(sets.types, types, changed),
        merged_facets,
        {key: label for key, label in {**sets.labels, **labels}.items() if key in merged_facets},
        epoch=sets.epoch,
        recent=(*sets.recent, (sets.change[0], changed))[-RECENT_REFRESHES:],
    )


def _merge(old: dict, new: dict, changed: BitMap) -> dict:
    """Each set of ``old`` less the changed entries, plus what ``new`` says they hold."""
    merged = dict(old)
    for key, entries in old.items():
        if entries.intersect(changed):
            merged[key] = entries - changed
    for key, entries in new.items():
        merged[key] = merged.get(key, BitMap()) | entries
    return {key: entries for key, entries in merged.items() if entries}


def current(now: datetime | None = None) -> Sets:
    """The sets as the index is now: refreshed from the change log when it moved on, and
    for what fell due when a scheduled item's time came."""
    now = now or timezone.now()
    latest = IndexChange.objects.order_by("-seq").values_list("seq", "token").first() or (0, 0)
    key = connection.alias
    sets = _states.get(key)
    if sets is not None and sets.change == latest and not sets.due(now):
        return sets
    with _lock:
        sets = _states.get(key)
        if sets is None or sets.change != latest or sets.due(now):
            _states[key] = sets = _refreshed(sets, latest, now)
    return sets


def _refreshed(sets: Sets | None, latest: tuple[int, int], now: datetime) -> Sets:
    if sets is None or latest[0] - sets.change[0] > MAX_CHANGES:
        return _load(latest, now)
    seen, token = sets.change
    log = list(
        IndexChange.objects.filter(seq__gte=seen, seq__lte=latest[0])
        .order_by("seq")
        .values_list("seq", "token", "entry_id")
    )
    # The change this process saw must still be in the log: if it was rolled back or
    # pruned, what came after cannot be told from it.
    if seen and (not log or log[0][:2] != (seen, token)):
        return _load(latest, now)
    changed = BitMap(entry for seq, _, entry in log if seq > seen)
    return _apply(sets, latest, changed, now)


def warm() -> None:
    """Load the sets before a process takes requests (gunicorn.conf.py calls this in each
    new worker), so no request waits for a whole load; a failure is logged and the first
    search loads them instead."""
    try:
        current()
    except DatabaseError:
        logger.exception("Could not load the search sets; the first search will.")
    finally:
        connection.close()
