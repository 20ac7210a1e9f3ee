"""What the home, topic and list pages count over the published KB, cached until it changes.

Counting every published item's tags, kinds and evidence levels reads the whole KB (at
100,000 items the popular topics alone took 300 ms, a list's count of its items 15 ms),
yet the answer only changes when an item is published, unpublished, trashed, restored,
re-graded or re-tagged, or a tag is renamed, merged or deleted. So the answers are kept
in Django's cache (Redis when REDIS_URL is set, else each process's memory) under a
*generation*: every such change starts a new generation (``invalidate``), and values of
older ones are never read again. A value computed while a change commits is stored under
the generation it started in, so it cannot outlive the change.

Time changes some answers too: a scheduled item appears at its publication time with no
save, so nothing is kept past the next one due (``timeout``); "new this month" counts
may lag by up to ``HOME_CACHE_SECONDS`` (default 300) as items age out. With several
processes and no Redis each process has its own cache, and a change clears only the one
that made it: the others catch up within ``HOME_CACHE_SECONDS`` (set REDIS_URL there).
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from kb.core.models import Status
from kb.core.registry import kinds

T = TypeVar("T")

GENERATION_KEY = "published:generation"


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add(): of two processes starting one at once, the first wins for both.
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def invalidate() -> None:
    """Start a new generation: every cached count is computed afresh on its next use."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def next_scheduled() -> datetime | None:
    """When the next scheduled item is due (published, its time still to come)."""
    now = timezone.now()
    due = [
        model.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
        for model, _ in kinds()
    ]
    due = [when for when in due if when is not None]
    return min(due) if due else None


def timeout(generation: str | None = None) -> int:
    """Seconds a value may be kept: HOME_CACHE_SECONDS, or less when an item is due sooner.
    When the next item is due is kept in the generation too (finding it asks every kind),
    so only the first value a generation stores pays for it."""
    key = f"published:{generation or _generation()}:next_scheduled"
    found = cache.get(key)
    if found is None:
        found = (next_scheduled(),)  # in a tuple: None is the cache's "not there"
        cache.set(key, found, _until(found[0]))
    return _until(found[0])


def _until(due: datetime | None) -> int:
    seconds = settings.HOME_CACHE_SECONDS
    if due is not None:
        seconds = min(seconds, max(1, int((due - timezone.now()).total_seconds()) + 1))
    return seconds


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, from the cache while nothing it counts has changed."""
    if settings.HOME_CACHE_SECONDS <= 0:
        return compute()
    generation = _generation()
    key = f"published:{generation}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout(generation))
    return value
