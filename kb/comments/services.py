"""Writes on comments: post (and tell the people concerned), edit, delete, hide and unhide.

The rules are checked here, not only in the views, so no caller (a view, the shell, a
future API) can skip them: breaking one raises PermissionDenied, invalid input raises
ValidationError.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from kb.comments.models import Comment, can_comment_on
from kb.core.models import Content
from kb.notifications.services import notify


def comment_url(target: Content, comment: Comment) -> str:
    return f"{target.get_absolute_url()}#comment-{comment.pk}"


@transaction.atomic
def comment_post(
    *, target: Content, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """Add a comment, or a reply when ``parent`` is given; notify the item's owner and
    the author of the comment replied to.

    Threads are one level deep: a reply to a reply joins the top-level comment's thread.
    """
    if not can_comment_on(target, author):
        raise PermissionDenied("You may not comment on this item.")
    replied_to = parent
    if parent is not None:
        if not parent.is_on(target):
            raise ValidationError({"parent": "That comment belongs to another item."})
        if not parent.is_visible:
            raise ValidationError({"parent": "That comment can no longer be replied to."})
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment(target=target, author=author, body=body.strip(), parent=parent)
    comment.full_clean()
    comment.save()
    _notify_post(comment, target, replied_to)
    return comment


def _notify_post(comment: Comment, target: Content, replied_to: Comment | None) -> None:
    """One notification a person: replying to the owner's own comment tells them once."""
    common = {
        "actor": comment.author,
        "target": target,
        "message": Truncator(comment.body).chars(200),
        "url": comment_url(target, comment),
    }
    replied_to_author = replied_to.author if replied_to is not None else None
    if replied_to_author is not None:
        notify(recipient=replied_to_author, verb="replied", **common)
    owner = getattr(target, target.OWNER_FIELD)
    if owner is not None and owner != replied_to_author:
        notify(recipient=owner, verb="commented", **common)


def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    if not comment.can_edit(user):
        raise PermissionDenied("Comments can be edited only by their author, for a short while.")
    comment.body = body.strip()
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: User) -> None:
    """Remove a comment; one with replies becomes a "comment deleted" placeholder.

    Deleting the last reply under a placeholder removes the placeholder too.
    """
    if not comment.can_delete(user):
        raise PermissionDenied("Comments can be deleted only by their author, for a short while.")
    if comment.replies.exists():
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.save(update_fields=["deleted_at", "body"])
        return
    parent = comment.parent
    comment.delete()
    if parent is not None and parent.deleted_at is not None and not parent.replies.exists():
        parent.delete()


def comment_hide(*, comment: Comment, editor: User, reason: str) -> Comment:
    """Hide a comment from readers; the reason is shown in its place."""
    if not comment.can_moderate(editor):
        raise PermissionDenied("Only editors may hide comments.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"hidden_reason": "Give the reason readers will see."})
    comment.hidden_at = comment.hidden_at or timezone.now()
    comment.hidden_by = editor
    comment.hidden_reason = reason
    comment.full_clean()
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment


def comment_unhide(*, comment: Comment, editor: User) -> Comment:
    if not comment.can_moderate(editor):
        raise PermissionDenied("Only editors may unhide comments.")
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment
