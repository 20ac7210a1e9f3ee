"""Writing the index: turn Searchable objects into entries, facets and words.

All writes go through index_objects() / remove_objects() / rebuild(); the database keeps
its full-text structure (FTS5 table or tsvector table) in step by itself. The backend
writes the rows (kb.search.backends: PostgreSQL uses COPY).
"""

import functools
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from taggit.models import TaggedItem

from kb.core.search import Facet, Searchable, SearchDocument, TagRef
from kb.search.backends import get_backend
from kb.search.models import IndexEntry, IndexFacet, IndexState, SearchWord

WORD = re.compile(r"[^\W_]{3,40}")
# Characters the snippet code uses as highlight marks must never come from documents.
_RESERVED = str.maketrans({"\x00": " ", "\x02": " ", "\x03": " "})
BATCH = 1000
WORD_BATCH = 500
T = TypeVar("T")


@functools.cache
def searchable_models() -> tuple[type[Searchable], ...]:
    """Every Searchable model (the registry is fixed once apps are ready, so cached)."""
    return tuple(model for model in apps.get_models() if issubclass(model, Searchable))


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _clean(text: str, limit: int) -> str:
    return (text or "").translate(_RESERVED)[:limit]


def _build(obj: Searchable, content_type: ContentType) -> tuple[IndexEntry, list[Facet], str]:
    doc: SearchDocument = obj.search_document()
    entry = IndexEntry(
        content_type=content_type,
        object_id=obj.pk,
        is_published=doc.is_published,
        published_at=doc.published_at,
        owner_id=doc.owner_id,
        doc_type=obj.SEARCH_TYPE[0],
        evidence_level=doc.evidence_level,
        url=doc.url[:300],
        subtitle=_clean(doc.subtitle, 300),
        title=_clean(doc.title, 300),
        keywords=_clean(doc.keywords, 5_000),
        summary=_clean(doc.summary, 5_000),
        body=_clean(doc.body, 200_000),
    )
    facets = obj.search_facets(doc)  # the type is the entry's doc_type
    text = " ".join((entry.title, entry.keywords, entry.summary, entry.body))
    return entry, facets, text


def _load_tags(content_type: ContentType, objects: list[Searchable]) -> None:
    """Attach every object's tags with one query (taggit's prefetch costs ~1 ms an object)."""
    tags: dict = {obj.pk: [] for obj in objects}
    rows = TaggedItem.objects.filter(content_type=content_type, object_id__in=list(tags))
    for object_id, name, slug in rows.values_list("object_id", "tag__name", "tag__slug"):
        tags[object_id].append(TagRef(name, slug))
    for obj in objects:
        obj._search_tags = sorted(tags[obj.pk], key=lambda tag: tag.name.lower())


def _words(built: list[tuple[IndexEntry, list[Facet], str]]) -> Counter:
    counts: Counter = Counter()
    for _, _, text in built:
        counts.update(words_of(text))
    return counts


def _write(built: list[tuple[IndexEntry, list[Facet], str]]) -> None:
    get_backend().write([entry for entry, _, _ in built], [facets for _, facets, _ in built])


def _build_all(model: type[Searchable], objects: list[Searchable]) -> list:
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
    if not objects:
        return 0
    built = _build_all(model, objects)
    removed = _delete(ContentType.objects.get_for_model(model), [obj.pk for obj in objects])
    _write(built)
    _count_words(_words(built), removed)
    return len(built)


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
    entries._raw_delete(entries.db)  # facets are gone: no cascade to collect
    return words


@transaction.atomic
def reindex(model: type[Searchable], pks: Iterable) -> None:
    """Bring the index up to date for these primary keys: write what exists, drop the rest."""
    pks = set(pks)
    _changed()  # before reading: see _changed
    objects = list(model.search_queryset().filter(pk__in=pks))
    _index(model, objects)
    gone = pks - {obj.pk for obj in objects}
    if gone:
        _count_words(Counter(), _delete(ContentType.objects.get_for_model(model), list(gone)))


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
    """Empty and refill the whole index; returns (documents, seconds).

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
    words: Counter = Counter()
    done = 0
    with get_backend().rebuilding():
        with connection.cursor() as cursor:
            for model in (IndexFacet, IndexEntry, SearchWord):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        chunks = _built(batch)
        for built, counts in _in_background(chunks) if background else chunks:
            _write(built)
            words.update(counts)
            done += len(built)
            if progress:
                progress(done)
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, doc_count=n) for word, n in words.items()], batch_size=5000
        )
        _changed()
    return done, time.perf_counter() - started
