"""Writing the index: turn Searchable objects into entries, facets and words.

All writes go through index_objects() / reindex() / rebuild() / process_queue(); the
database keeps its full-text structure (FTS5 table or tsvector table) in step by itself.
An object keeps its entry, and the entry its id, for life: a reindex updates the row in
place (only the columns that changed, facets by difference), and a rebuild writes every
entry back under its old id. The backend writes the rows (kb.search.backends: PostgreSQL
uses COPY).

Work that must not be lost goes through IndexQueue: content changes queue their documents
in the transaction that made them, and process_queue() works the queue after the commit
(kb.search.signals), on the next index write, or from `manage.py process_search_queue`.
A failing row is logged and kept for a later try.
"""

import functools
import logging
import re
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from kb.core.models import Content, TaggedItem
from kb.core.search import Facet, Searchable, SearchDocument, TagRef
from kb.search.backends import get_backend
from kb.search.models import (
    IndexAudience,
    IndexChange,
    IndexEntry,
    IndexFacet,
    IndexQueue,
    IndexState,
    SearchWord,
)

log = logging.getLogger(__name__)
WORD = re.compile(r"[^\W_]{3,40}")
# Characters the snippet code uses as highlight marks must never come from documents.
_RESERVED = str.maketrans({"\x00": " ", "\x02": " ", "\x03": " "})
BATCH = 1000
WORD_BATCH = 500
T = TypeVar("T")
# The columns an index write compares and, where they differ, updates in place.
ENTRY_COLUMNS = [
    field.attname
    for field in IndexEntry._meta.concrete_fields
    if field.attname not in {"id", "content_type_id", "object_id"}
]
TEXT_COLUMNS = ("title", "keywords", "summary", "body")
# Queue rows a pass claims at once, and how long a failed row waits before its next try.
QUEUE_BATCH = 500
# Documents an index write after a request's commit indexes from the queue, at most: a
# rename shown by more is finished by the next writes or process_search_queue.
REQUEST_DOCUMENTS = 200
RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=6)


@functools.cache
def searchable_models() -> tuple[type[Searchable], ...]:
    """Every Searchable model (the registry is fixed once apps are ready, so cached)."""
    return tuple(model for model in apps.get_models() if issubclass(model, Searchable))


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _clean(text: str, limit: int) -> str:
    return (text or "").translate(_RESERVED)[:limit]


@dataclass
class Built:
    """What the index holds of one object: its entry, facet values, audience and text."""

    entry: IndexEntry
    facets: list[Facet]
    text: str
    audience: set[int]


def _build(obj: Searchable, content_type: ContentType) -> Built:
    doc: SearchDocument = obj.search_document()
    entry = IndexEntry(
        content_type=content_type,
        object_id=obj.pk,
        is_published=doc.is_published,
        published_at=doc.published_at,
        owner_id=doc.owner_id,
        doc_type=obj.SEARCH_TYPE[0],
        evidence_level=doc.evidence_level,
        review_by=obj.review_by if isinstance(obj, Content) else None,
        url=doc.url[:300],
        subtitle=_clean(doc.subtitle, 300),
        title=_clean(doc.title, 300),
        keywords=_clean(doc.keywords, 5_000),
        summary=_clean(doc.summary, 5_000),
        body=_clean(doc.body, 200_000),
    )
    facets = obj.search_facets(doc)  # the type is the entry's doc_type
    text = " ".join((entry.title, entry.keywords, entry.summary, entry.body))
    return Built(entry, facets, text, set(doc.audience))


def _load_tags(content_type: ContentType, objects: list[Searchable]) -> None:
    """Attach every object's tags with one query (taggit's prefetch costs ~1 ms an object)."""
    tags: dict = {obj.pk: [] for obj in objects}
    rows = TaggedItem.objects.filter(content_type=content_type, object_id__in=list(tags))
    for object_id, name, slug in rows.values_list("object_id", "tag__name", "tag__slug"):
        tags[object_id].append(TagRef(name, slug))
    for obj in objects:
        obj._search_tags = sorted(tags[obj.pk], key=lambda tag: tag.name.lower())


def _words(built: list[Built]) -> Counter:
    counts: Counter = Counter()
    for each in built:
        counts.update(words_of(each.text))
    return counts


def _write(built: list[Built]) -> None:
    """Insert new entries (the backend numbers them), then their audiences."""
    get_backend().write([each.entry for each in built], [each.facets for each in built])
    IndexAudience.objects.bulk_create(
        IndexAudience(entry_id=each.entry.pk, user_id=user_id)
        for each in built
        for user_id in sorted(each.audience)
    )


def _build_all(model: type[Searchable], objects: list[Searchable]) -> list[Built]:
    content_type = ContentType.objects.get_for_model(model)
    _load_tags(content_type, objects)
    return [_build(obj, content_type) for obj in objects]


@transaction.atomic
def index_objects(model: type[Searchable], objects: Iterable[Searchable]) -> int:
    """(Re)index these objects of one model; returns how many were written."""
    objects = list(objects)
    if not objects:
        return 0
    _changed()
    return _index(model, objects)


def _index(model: type[Searchable], objects: list[Searchable]) -> int:
    """Write these objects' entries: new ones inserted, existing ones updated in place
    (only if something changed, and only what changed), so an entry keeps its id."""
    if not objects:
        return 0
    built = _build_all(model, objects)
    content_type = ContentType.objects.get_for_model(model)
    stored = {
        row["object_id"]: row
        for row in IndexEntry.objects.filter(
            content_type=content_type, object_id__in=[obj.pk for obj in objects]
        ).values("id", "object_id", *ENTRY_COLUMNS)
    }
    new: list[Built] = []
    changed: list[tuple[IndexEntry, list[str]]] = []
    kept_facets: dict[int, list[Facet]] = {}
    kept_audience: dict[int, set[int]] = {}
    added: Counter = Counter()
    removed: Counter = Counter()
    for each in built:
        entry, text = each.entry, each.text
        old = stored.get(entry.object_id)
        if old is None:
            new.append(each)
            added.update(words_of(text))
            continue
        entry.pk = old["id"]
        entry._state.adding = False
        kept_facets[entry.pk] = each.facets
        kept_audience[entry.pk] = each.audience
        columns = [name for name in ENTRY_COLUMNS if getattr(entry, name) != old[name]]
        if columns:
            changed.append((entry, columns))
        if any(name in TEXT_COLUMNS for name in columns):
            added.update(words_of(text))
            removed.update(words_of(" ".join(old[name] for name in TEXT_COLUMNS)))
    backend = get_backend()
    backend.update(changed)
    # The change log's triggers see entry rows only: an entry whose facets alone changed
    # (its author moved department) is logged here, or the processes' sets would miss it.
    facets_only = _update_facets(kept_facets) - {entry.pk for entry, _ in changed}
    IndexChange.objects.bulk_create(
        IndexChange(entry_id=pk, token=secrets.randbits(62)) for pk in sorted(facets_only)
    )
    _update_audience(kept_audience)
    _write(new)
    _count_words(added, removed)
    return len(built)


def _facet_key(facet: Facet) -> tuple[str, str, str]:
    return facet.name, facet.value[:100], facet.label[:120]


def _update_facets(facets: dict[int, list[Facet]]) -> set[int]:
    """Bring stored entries' facet rows to ``facets`` (entry id → facets) by difference:
    rows that stay are not touched. Returns the ids of the entries whose facets changed."""
    if not facets:
        return set()
    wanted = {pk: {_facet_key(f) for f in entry_facets} for pk, entry_facets in facets.items()}
    stale, touched = [], set()
    rows = IndexFacet.objects.filter(entry_id__in=list(wanted))
    for pk, entry_id, *key in rows.values_list("pk", "entry_id", "name", "value", "label"):
        if tuple(key) in wanted[entry_id]:
            wanted[entry_id].discard(tuple(key))
        else:
            stale.append(pk)
            touched.add(entry_id)
    if stale:
        gone = IndexFacet.objects.filter(pk__in=stale)
        gone._raw_delete(gone.db)  # nothing refers to facet rows: no cascade to collect
    IndexFacet.objects.bulk_create(
        IndexFacet(entry_id=pk, name=name, value=value, label=label)
        for pk, keys in wanted.items()
        for name, value, label in sorted(keys)
    )
    return touched | {pk for pk, keys in wanted.items() if keys}


def _update_audience(audience: dict[int, set[int]]) -> None:
    """Bring stored entries' audience rows to ``audience`` (entry id → user ids) by
    difference. Not logged in IndexChange: the processes' sets hold no audience, each
    search reads it."""
    wanted = {pk: set(users) for pk, users in audience.items()}
    if not wanted:
        return
    stale = []
    rows = IndexAudience.objects.filter(entry_id__in=list(wanted))
    for pk, entry_id, user_id in rows.values_list("pk", "entry_id", "user_id"):
        if user_id in wanted[entry_id]:
            wanted[entry_id].discard(user_id)
        else:
            stale.append(pk)
    if stale:
        IndexAudience.objects.filter(pk__in=stale).delete()
    IndexAudience.objects.bulk_create(
        IndexAudience(entry_id=pk, user_id=user_id)
        for pk, users in wanted.items()
        for user_id in sorted(users)
    )


def _count_words(added: Counter, removed: Counter) -> None:
    """Keep SearchWord's counts exact: a word goes with the last entry holding it, so the
    words of deleted, purged and edited-out texts are no longer offered to anyone.

    A word kept in an edit (most of them) is not written. Index writers queue (see
    _changed), so two of them never update the same counts at once.
    """
    delta = Counter(added)
    delta.subtract(removed)
    gained = sorted((word, n) for word, n in delta.items() if n > 0)
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(gained), WORD_BATCH):
            rows = gained[start : start + WORD_BATCH]
            values = ", ".join(["(%s, %s)"] * len(rows))
            cursor.execute(
                f"INSERT INTO {table} (word, doc_count) VALUES {values} ON CONFLICT (word)"
                f" DO UPDATE SET doc_count = {table}.doc_count + excluded.doc_count",
                [value for row in rows for value in row],
            )
    lost: dict[int, list[str]] = {}
    for word, n in sorted(delta.items()):
        if n < 0:
            lost.setdefault(-n, []).append(word)
    gone = []
    for n, words in lost.items():
        for start in range(0, len(words), WORD_BATCH):
            batch = words[start : start + WORD_BATCH]
            # Never below zero, should a count be short (an index from before exact counts).
            SearchWord.objects.filter(word__in=batch).update(
                doc_count=Greatest(F("doc_count") - n, 0)
            )
            gone += batch
    for start in range(0, len(gone), WORD_BATCH):
        unused = SearchWord.objects.filter(word__in=gone[start : start + WORD_BATCH], doc_count=0)
        unused._raw_delete(unused.db)  # nothing refers to words: no cascade to collect


def _changed() -> None:
    """Queue behind any other index write (processes follow IndexChange, see snapshot.py).

    Every index write calls this first: updating IndexState's one row holds its lock until
    the write commits, so writers queue instead of two of them deleting an object's old
    entry and both inserting a new one (the second would break the unique constraint),
    and each reads the content only after the one before it committed.
    """
    version = uuid.uuid4().hex
    if not IndexState.objects.filter(pk=1).update(version=version):
        IndexState.objects.update_or_create(pk=1, defaults={"version": version})


def _delete(content_type: ContentType, object_ids: list) -> Counter:
    """Remove these objects' entries; returns how many of them held each word."""
    entries = IndexEntry.objects.filter(content_type=content_type, object_id__in=object_ids)
    words: Counter = Counter()
    for texts in entries.values_list("title", "keywords", "summary", "body"):
        words.update(words_of(" ".join(texts)))
    IndexFacet.objects.filter(entry__in=entries.values("pk")).delete()
    IndexAudience.objects.filter(entry__in=entries.values("pk")).delete()
    entries._raw_delete(entries.db)  # facets and audiences are gone: no cascade to collect
    return words


@transaction.atomic
def reindex(model: type[Searchable], pks: Iterable) -> None:
    """Bring the index up to date for these primary keys: write what exists, drop the rest."""
    _changed()  # before reading: see _changed
    _reindex(model, set(pks))


def _reindex(model: type[Searchable], pks: set) -> None:
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        wanted = set(pks[start : start + BATCH])
        objects = list(model.search_queryset().filter(pk__in=wanted))
        _index(model, objects)
        gone = wanted - {obj.pk for obj in objects}
        if gone:
            _count_words(Counter(), _delete(ContentType.objects.get_for_model(model), list(gone)))


def documents_reaching(
    model: type[Searchable], via: str, related_pk, *, after=None, limit: int | None = None
) -> list:
    """The primary keys of ``model``'s documents whose lookup ``via`` reaches the related
    object ``related_pk`` (every one, trashed too: reindex decides what stays), in order;
    with ``after`` and ``limit``, the next ``limit`` of them after that key."""
    reaching = model._base_manager.filter(**{f"{via}__pk": related_pk})
    if after is not None:
        reaching = reaching.filter(pk__gt=after)
    pks = reaching.order_by("pk").values_list("pk", flat=True).distinct()
    return list(pks if limit is None else pks[:limit])


# --- the queue -----------------------------------------------------------------------


def enqueue(model: type[Searchable], object_ids: Iterable, via: str = "") -> None:
    """Queue index work in the current transaction (one statement): these documents, or
    with ``via``, the documents whose lookup ``via`` reaches these related objects. The
    rows commit or roll back with the change that made them."""
    content_type = ContentType.objects.get_for_model(model._meta.concrete_model)
    IndexQueue.objects.bulk_create(
        IndexQueue(content_type=content_type, object_id=pk, via=via) for pk in object_ids
    )


@dataclass
class QueueReport:
    rows: int = 0
    failed: int = 0
    documents: int = 0


def queue_is_due(everything: bool = False) -> bool:
    rows = (
        IndexQueue.objects.all()
        if everything
        else IndexQueue.objects.filter(retry_at__lte=timezone.now())
    )
    return rows.exists()


def process_queue(
    *, everything: bool = False, batch: int = QUEUE_BATCH, documents: int | None = None
) -> QueueReport:
    """Work the queue: the rows that are due, or with ``everything`` all of them (failed
    ones too, whatever their retry time). Each row's work is done in a savepoint: one
    that fails is logged and kept, with its error and a later retry time, and the rest
    go on. With ``documents``, stop after about that many documents: a rename shown by
    thousands is then indexed a slice per call, resuming where the last one stopped."""
    report = QueueReport()
    last = 0
    while documents is None or report.documents < documents:
        with transaction.atomic():
            _changed()  # one queue worker at a time, reading what committed before it
            rows = IndexQueue.objects.filter(pk__gt=last).order_by("pk")
            if not everything:
                rows = rows.filter(retry_at__lte=timezone.now())
            claimed = list(rows.select_related("content_type")[:batch])
            if not claimed:
                break
            last = claimed[-1].pk
            for work, rows_of_work in _group(claimed):
                left = None if documents is None else documents - report.documents
                if left is not None and left <= 0:
                    break
                report.rows += len(rows_of_work)
                done = _attempt(work, rows_of_work, left)
                if done is None:
                    report.failed += len(rows_of_work)
                else:
                    report.documents += done
    return report


def _group(rows: list[IndexQueue]) -> list[tuple[tuple, list[IndexQueue]]]:
    """Queue rows as units of work: all of a model's objects together (tried one by one
    should that fail), each related object on its own."""
    objects: dict[type, list[IndexQueue]] = {}
    related: dict[tuple, list[IndexQueue]] = {}
    for row in rows:
        model = row.content_type.model_class()
        if row.via:
            related.setdefault((model, row.via, row.object_id), []).append(row)
        else:
            objects.setdefault(model, []).append(row)
    work: list[tuple[tuple, list[IndexQueue]]] = []
    for model, object_rows in objects.items():
        work.append(((model, "", {row.object_id for row in object_rows}), object_rows))
    work += list(related.items())
    return work


def _attempt(work: tuple, rows: list[IndexQueue], limit: int | None = None) -> int | None:
    """Do one unit of work; how many documents it indexed, or None if it failed."""
    model, via, target = work
    try:
        with transaction.atomic():
            finished, done = True, 0
            if model is not None and via:  # a model that is gone has nothing to index
                resume = [row.resume_after for row in rows if row.resume_after is not None]
                after = min(resume) if len(resume) == len(rows) else None
                pks = documents_reaching(model, via, target, after=after, limit=limit)
                _reindex(model, set(pks))
                done = len(pks)
                finished = limit is None or done < limit
                if not finished:
                    IndexQueue.objects.filter(pk__in=[row.pk for row in rows]).update(
                        resume_after=pks[-1]
                    )
            elif model is not None:
                _reindex(model, target)
                done = len(target)
            if finished:
                IndexQueue.objects.filter(pk__in=[row.pk for row in rows]).delete()
        return done
    except Exception as error:
        if not via and len(target) > 1:
            # One broken document must not hold back the others queued with it.
            each: dict = {}
            for row in rows:
                each.setdefault(row.object_id, []).append(row)
            results = [_attempt((model, "", {pk}), pk_rows) for pk, pk_rows in each.items()]
            failed = None in results
            return None if failed else sum(results)
        log.exception("Search index: could not index %s (queued for a retry)", rows[0])
        _failed(rows, error)
        return None


def _failed(rows: list[IndexQueue], error: Exception) -> None:
    """Keep one row for the failed work (folding in earlier failures of the same work),
    with its error and a later retry time, each failure doubling the wait."""
    first = rows[0]
    rows = list(
        IndexQueue.objects.filter(
            content_type_id=first.content_type_id, via=first.via, object_id=first.object_id
        ).order_by("pk")
    )
    row, *duplicates = rows
    row.attempts = min(max(each.attempts for each in rows) + 1, 30)
    row.retry_at = timezone.now() + min(RETRY_DELAY * 2 ** (row.attempts - 1), MAX_RETRY_DELAY)
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.save(update_fields=["attempts", "retry_at", "last_error"])
    if duplicates:
        IndexQueue.objects.filter(pk__in=[each.pk for each in duplicates]).delete()


def _chunks(model: type[Searchable], size: int) -> Iterator[list[Searchable]]:
    """The model's search queryset in primary-key order, a chunk at a time (prefetch works)."""
    last = None
    while True:
        queryset = model.search_queryset().order_by("pk")
        if last is not None:
            queryset = queryset.filter(pk__gt=last)
        chunk = list(queryset[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def count_documents() -> int:
    return sum(model._default_manager.count() for model in searchable_models())


def _built(batch: int) -> Iterator[tuple[list, Counter]]:
    """Every searchable object's index rows and words, a chunk at a time."""
    for model in searchable_models():
        for chunk in _chunks(model, batch):
            built = _build_all(model, chunk)
            yield built, _words(built)


def _in_background(items: Iterator[T]) -> Iterator[T]:
    """Yield what ``items`` yields, each item computed in a second thread (with its own
    database connection) while the caller works on the one before.

    The thread reads only committed data, so use it only outside a transaction.
    """
    done = object()
    with ThreadPoolExecutor(1, thread_name_prefix="search-index-builder") as thread:
        try:
            ahead = thread.submit(next, items, done)
            while (item := ahead.result()) is not done:
                ahead = thread.submit(next, items, done)
                yield item
        finally:
            thread.submit(connections.close_all)  # the thread's own connection


def rebuild(progress: Callable[[int], None] | None = None, batch: int = BATCH) -> tuple[int, float]:
    """Empty and refill the whole index; returns (documents, seconds). Every object that
    had an entry gets its old id back, so rebuilding does not renumber the index.

    On PostgreSQL, called outside a transaction (the management command), the documents
    are read and built in a second thread while this one writes: the server parses the
    texts of one chunk on its own core while Python builds the next.
    """
    background = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        return _rebuild(progress, batch, background)


def _rebuild(
    progress: Callable[[int], None] | None, batch: int, background: bool
) -> tuple[int, float]:
    started = time.perf_counter()
    _changed()  # before reading: see _changed
    words: Counter = Counter()
    done = 0
    stored = IndexEntry.objects.values_list("id", "content_type_id", "object_id")
    ids = {
        (content_type, object_id): pk
        for pk, content_type, object_id in stored.iterator(chunk_size=10_000)
    }
    with get_backend().rebuilding():
        with connection.cursor() as cursor:
            for model in (IndexFacet, IndexAudience, IndexEntry, SearchWord):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        chunks = _built(batch)
        for built, counts in _in_background(chunks) if background else chunks:
            for each in built:
                each.entry.pk = ids.get((each.entry.content_type_id, each.entry.object_id))
            _write(built)
            words.update(counts)
            done += len(built)
            if progress:
                progress(done)
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, doc_count=n) for word, n in words.items()], batch_size=5000
        )
    return done, time.perf_counter() - started
