"""Writes of a reader's progress on a learning path: marking a step done or not, and
choosing whether the path's owner may see their name."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from kb.collections.models import Collection, CollectionItem, PathProgress, StepDone
from kb.core.permissions import AnyUser


class NotAStep(Exception):
    """The row is not a step of that path, or its item is one the reader may not see."""


def _progress(collection: Collection, reader: AnyUser) -> PathProgress:
    progress, _ = PathProgress.objects.get_or_create(collection=collection, reader=reader)
    return progress


@transaction.atomic
def step_mark(*, collection: Collection, row: CollectionItem, reader: AnyUser, done: bool) -> None:
    """Mark one step of a path done (or not done again) for ``reader``. Idempotent."""
    if not collection.is_path or row.collection_id != collection.pk:
        raise NotAStep("This is not a step of a learning path.")
    item = row.item
    if item is None or not item.can_view(reader):
        raise NotAStep("This step is not one you can open.")
    content_type = ContentType.objects.get_for_id(row.content_type_id)
    if done:
        StepDone.objects.get_or_create(
            progress=_progress(collection, reader),
            content_type=content_type,
            object_id=row.object_id,
        )
    else:
        StepDone.objects.filter(
            progress__collection=collection,
            progress__reader=reader,
            content_type=content_type,
            object_id=row.object_id,
        ).delete()


@transaction.atomic
def progress_share(*, collection: Collection, reader: AnyUser, share: bool) -> PathProgress:
    """The reader lets the owner see their name and progress, or stops doing so."""
    progress = _progress(collection, reader)
    if progress.share_name != share:
        progress.share_name = share
        progress.save(update_fields=["share_name"])
    return progress


def steps_done(collection: Collection, reader: AnyUser) -> set[tuple[int, int]]:
    """The (content type id, object id) of the steps ``reader`` has marked done."""
    if not reader.is_authenticated:
        return set()
    return set(
        StepDone.objects.filter(
            progress__collection=collection, progress__reader=reader
        ).values_list("content_type_id", "object_id")
    )
