"""Saving content with revisions and optimistic locking, and restoring old revisions.

Every save through the site (or the admin) locks the item's row, checks that the editor
started from the version now stored, bumps the version and stores a revision of the result.
A save started from an older version raises EditConflict instead of overwriting.

Workflow transitions (publish, unpublish, trash, featuring) do not bump the version: an
edit racing one is not a conflict of content. Instead a save writes only the fields its
user changed and takes every other field from the row as it is under the lock, so it can
never undo a transition; an item moved to the trash meanwhile refuses the save.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseFormSet, ModelForm

from kb.core.models import Content
from kb.core.permissions import AnyUser
from kb.freshness.services import review_after_edit
from kb.revisions import snapshot
from kb.revisions.models import Revision


class ItemInTrash(Exception):
    """The item was moved to the trash after this edit began; nothing was saved."""

    def __init__(self, current: Content) -> None:
        super().__init__(
            f"“{current}” was moved to the trash while you were editing it, so nothing was "
            "saved. Your text is still below: copy what you need, or restore the item from "
            "the trash and save again."
        )
        self.current = current


class EditConflict(Exception):
    """Someone saved the item after this edit began; ``current`` is the item as it is now."""

    def __init__(self, current: Content, base_version: int) -> None:
        super().__init__(f"“{current}” changed since version {base_version}.")
        self.current = current
        self.base_version = base_version


def revision_record(*, item: Content, user: AnyUser | None, message: str = "") -> Revision:
    """Store the item's content as revision number ``item.version`` (once per version)."""
    revision, _ = Revision.objects.get_or_create(
        content_type_id=_content_type_id(item),
        object_id=item.pk,
        number=item.version,
        defaults={
            "data": snapshot.capture(item),
            "author": user if user and user.is_authenticated else None,
            "message": message[:200],
        },
    )
    return revision


def _content_type_id(item: Content) -> int:
    return ContentType.objects.get_for_model(item).pk


def _lock(item: Content) -> Content:
    return type(item).all_objects.select_for_update().get(pk=item.pk)


def keep_baseline(current: Content) -> None:
    """Items made before revisions existed (or by a fixture) get their stored state kept
    as a revision before the first edit, so that edit can be compared and undone."""
    revision_record(item=current, user=None, message="As it was before the first recorded edit")


def edit_begin(*, instance: Content, changed: list[str], base_version: int | None) -> Content:
    """Make ``instance`` (an existing item with a form's changes applied) ready to save as
    the next version; call inside the transaction that saves it.

    Locks the row, refuses a trashed item or a stale version, keeps the stored state as a
    baseline revision, and takes every field named in ``changed`` from the instance and
    every other one from the locked row, so a transition or featuring committed since the
    instance was loaded is kept. Returns the locked row as it was.
    """
    current = _lock(instance)
    if current.in_trash:
        raise ItemInTrash(current)
    if base_version != current.version:
        raise EditConflict(current, base_version or 0)
    keep_baseline(current)
    for field in instance._meta.concrete_fields:
        if field.name not in changed and not field.primary_key:
            setattr(instance, field.attname, getattr(current, field.attname))
    instance.version = current.version + 1
    return current


@transaction.atomic
def content_save(
    *,
    form: ModelForm,
    user: AnyUser,
    base_version: int | None,
    formset: BaseFormSet | None = None,
) -> Content:
    """Save a valid content form (and formset) as a new version with its revision."""
    instance = form.instance
    is_new = instance.pk is None
    if not is_new:
        edit_begin(instance=instance, changed=form.changed_data, base_version=base_version)
        review_after_edit(item=instance, changed=form.changed_data)
    saved = form.save()
    if formset is not None:
        formset.instance = saved
        formset.save()
    revision_record(item=saved, user=user, message="Created" if is_new else "Edited")
    return saved


@transaction.atomic
def revision_restore(*, item: Content, revision: Revision, user: AnyUser) -> Revision:
    """Make an old revision's content current again, as a new revision (history is kept)."""
    if not item.can_edit(user):
        raise PermissionDenied("You may not edit this item.")
    current = _lock(item)
    keep_baseline(current)
    snapshot.apply(current, revision.data)
    # The old content must still be valid now: another item may have taken its URL.
    current.full_clean()
    current.version += 1
    current.save()
    snapshot.save_related(current, revision.data)
    return revision_record(item=current, user=user, message=f"Restored revision {revision.number}")
