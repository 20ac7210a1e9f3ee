"""An in-memory snapshot of who may see each index entry and which facets it has.

Counting facets in SQL costs time in proportion to the number of hits (every hit's
facet rows are read and grouped), which made a broad query over 100,000 documents take
hundreds of milliseconds. Here every facet value, the public entries and each owner's
entries are bit sets (Python ints, one bit per entry id), so a search fetches only the
matching ids from the full-text index and counts every facet with an AND and a popcount.

The snapshot is rebuilt when IndexState.version changes (any index write) or when a
scheduled item falls due; reading the version is one tiny query per search.
"""

import functools
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils import timezone

from kb.search.bitsets import bits_of
from kb.search.models import IndexEntry, IndexFacet, IndexState

_lock = threading.Lock()
_snapshots: dict[str, "Snapshot"] = {}


@dataclass
class FacetValue:
    label: str
    bits: int = 0


@dataclass
class Snapshot:
    version: str
    built_at: datetime
    next_due: datetime | None = None  # the next scheduled publication, which changes `public`
    all_ids: list[int] = field(default_factory=list)
    all_bits: int = 0
    newest: list[int] = field(default_factory=list)  # ids, newest first
    public: int = 0
    by_owner: dict[int, int] = field(default_factory=dict)
    facets: dict[str, dict[str, FacetValue]] = field(default_factory=dict)
    evidence: dict[int, int] = field(default_factory=dict)
    published: dict[int, float] = field(default_factory=dict)  # id → timestamp

    def recency(self, pk: int) -> tuple:
        """Sort key: newest first (the order of ``newest``)."""
        return (-self.published.get(pk, 0.0), -pk)

    @functools.cached_property
    def strongest(self) -> list[int]:
        """Ids, strongest evidence first, then newest (only PostgreSQL's ranking asks)."""
        return sorted(self.newest, key=lambda pk: -self.evidence.get(pk, 0))

    def strength(self, pk: int) -> tuple:
        """Sort key: strongest evidence, then newest (the order of ``strongest``)."""
        return (-self.evidence.get(pk, 0), -self.published.get(pk, 0.0), -pk)

    def visible_to(self, user_id: int | None, all_of_types: Iterable[str] = ()) -> int:
        """Public entries, the user's own, and every entry of ``all_of_types`` (those an
        editor may publish)."""
        visible = self.public | self.by_owner.get(user_id, 0) if user_id else self.public
        for doc_type in all_of_types:
            facet = self.facets.get("type", {}).get(doc_type)
            visible |= facet.bits if facet else 0
        return visible

    def filter_bits(self, filters: dict[str, str]) -> int | None:
        """Entries having every filter's value; None when there is no filter."""
        result = None
        for name, value in filters.items():
            facet = self.facets.get(name, {}).get(value)
            bits = facet.bits if facet else 0
            result = bits if result is None else result & bits
        return result

    def count(self, hits: int) -> dict[str, list[tuple[str, str, int]]]:
        """(value, label, count) of every facet value present among ``hits``."""
        counts = {}
        for name, values in self.facets.items():
            present = []
            for value, facet in values.items():
                n = (hits & facet.bits).bit_count()
                if n:
                    present.append((value, facet.label, n))
            if present:
                counts[name] = present
        return counts

    def stale(self, version: str, now: datetime) -> bool:
        return version != self.version or (self.next_due is not None and now >= self.next_due)


def _load(version: str, now: datetime) -> Snapshot:
    snapshot = Snapshot(version=version, built_at=now)
    facets: dict[str, dict[str, FacetValue]] = defaultdict(dict)
    owners: dict[int, list[int]] = defaultdict(list)
    public: list[int] = []
    columns = IndexEntry.objects.values_list(
        "id", "is_published", "published_at", "owner_id", "doc_type", "evidence_level",
        "year", "department", "department_name",
    )  # fmt: skip
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for (
        pk,
        is_published,
        published_at,
        owner,
        doc_type,
        evidence,
        year,
        dept,
        dept_name,
    ) in columns.iterator(chunk_size=5000):
        snapshot.all_ids.append(pk)
        if published_at is not None:
            snapshot.published[pk] = published_at.timestamp()
        if is_published and published_at is not None:
            if published_at <= now:
                public.append(pk)
            elif snapshot.next_due is None or published_at < snapshot.next_due:
                snapshot.next_due = published_at
        if owner is not None:
            owners[owner].append(pk)
        groups["type", doc_type].append(pk)
        if evidence is not None:
            snapshot.evidence[pk] = evidence
            groups["evidence", str(evidence)].append(pk)
        if year is not None:
            groups["year", str(year)].append(pk)
        if dept:
            groups["department", dept].append(pk)
            labels["department", dept] = dept_name or dept
    for entry_id, name, value, label in IndexFacet.objects.values_list(
        "entry_id", "name", "value", "label"
    ).iterator(chunk_size=10000):
        groups[name, value].append(entry_id)
        labels[name, value] = label
    for (name, value), ids in groups.items():
        facets[name][value] = FacetValue(labels.get((name, value), value), bits_of(ids))
    snapshot.facets = dict(facets)
    snapshot.all_bits = bits_of(snapshot.all_ids)
    snapshot.newest = sorted(snapshot.all_ids, key=snapshot.recency)
    snapshot.public = bits_of(public)
    snapshot.by_owner = {owner: bits_of(ids) for owner, ids in owners.items()}
    return snapshot


def current(now: datetime | None = None) -> Snapshot:
    """The snapshot matching the index as it is now (reloaded when it is not)."""
    now = now or timezone.now()
    version = IndexState.objects.values_list("version", flat=True).first() or ""
    key = connection.alias
    snapshot = _snapshots.get(key)
    if snapshot is None or snapshot.stale(version, now):
        with _lock:
            snapshot = _snapshots.get(key)
            if snapshot is None or snapshot.stale(version, now):
                snapshot = _snapshots[key] = _load(version, now)
    return snapshot
