"""Moving content through the workflow: one rule table, one service that applies it.

Each action says which states it leaves from, which state it leads to, and who may take
it. `content_transition` checks the rule on the server, locks the row, records the
Transition and notifies the people concerned once the transaction commits.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kb.core.models import Content, Status, content_models, trash_cutoff
from kb.core.permissions import AnyUser, can_publish
from kb.freshness.services import review_schedule
from kb.notifications.services import notify, notify_many
from kb.workflow.models import Action, Transition

OWNER, PUBLISHER = "owner", "publisher"
ANY_STATE = frozenset(Status.values)


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the status stays (trash and restore)
    who: str  # OWNER: whoever may edit the item (its owner, editors); PUBLISHER: editors
    comment_required: bool = False
    notify_verb: str | None = None  # what the owner is told when someone else does it


RULES: dict[str, Rule] = {
    Action.SUBMIT: Rule(
        frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.UNPUBLISHED}),
        Status.IN_REVIEW,
        OWNER,
    ),
    Action.WITHDRAW: Rule(frozenset({Status.IN_REVIEW}), Status.DRAFT, OWNER),
    Action.PUBLISH: Rule(
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.UNPUBLISHED}),
        Status.PUBLISHED,
        PUBLISHER,
        notify_verb="published",
    ),
    Action.REQUEST_CHANGES: Rule(
        frozenset({Status.IN_REVIEW}),
        Status.CHANGES_REQUESTED,
        PUBLISHER,
        comment_required=True,
        notify_verb="changes_requested",
    ),
    Action.UNPUBLISH: Rule(
        frozenset({Status.PUBLISHED}), Status.UNPUBLISHED, OWNER, notify_verb="unpublished"
    ),
    Action.TRASH: Rule(ANY_STATE, None, OWNER),
    Action.RESTORE: Rule(ANY_STATE, None, OWNER, notify_verb="restored"),
}


class TransitionError(ValidationError):
    """The action does not apply to the item as it is now (say, publishing it twice)."""


def _state_allows(item: Content, action: str) -> bool:
    if item.status not in RULES[action].sources:
        return False
    if action == Action.RESTORE:
        return item.in_trash and item.deleted_at >= trash_cutoff()
    return not item.in_trash


def _user_allowed(item: Content, action: str, user: AnyUser) -> bool:
    if RULES[action].who == PUBLISHER:
        return can_publish(user, item)
    return item.can_edit(user)


def may_take(item: Content, action: str, user: AnyUser) -> bool:
    """Whether ``user`` may take ``action`` on ``item`` in its current state."""
    return action in RULES and _state_allows(item, action) and _user_allowed(item, action, user)


def allowed_actions(item: Content, user: AnyUser) -> list[str]:
    return [action for action in RULES if may_take(item, action, user)]


def content_transition(
    *,
    item: Content,
    action: str,
    user: AnyUser,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Transition:
    """Take ``action`` on ``item`` as ``user``; raises PermissionDenied or TransitionError.

    ``publish_at`` (publish only) schedules the item: it stays hidden until then, and no
    job is needed to reveal it, because "published" means status published and due.
    """
    rule = RULES.get(action)
    if rule is None:
        raise TransitionError("Unknown action.")
    comment = comment.strip()
    if rule.comment_required and not comment:
        raise TransitionError("Say what needs to change; the author will see your comment.")
    with transaction.atomic():
        locked = type(item).all_objects.select_for_update().get(pk=item.pk)
        if not _user_allowed(locked, action, user):
            raise PermissionDenied("You may not do this to this item.")
        if not _state_allows(locked, action):
            state = locked.get_status_display().lower()
            if locked.in_trash:
                state += ", in the trash"
            raise TransitionError(
                f"“{locked}” is {state}: “{Action(action).label}” does not apply to it now."
            )
        from_status = locked.status
        fields = ["updated_at"]
        if rule.target is not None:
            locked.status = rule.target
            fields.append("status")
        if action == Action.PUBLISH:
            locked.published_at = publish_at or timezone.now()
            fields.append("published_at")
            # Fresh from its publication day: its first review is one interval later.
            fields += review_schedule(locked, start=timezone.localdate(locked.published_at))
        elif action == Action.UNPUBLISH:
            locked.featured = False
            fields.append("featured")
        elif action == Action.TRASH:
            locked.deleted_at, locked.deleted_by = timezone.now(), user
            fields += ["deleted_at", "deleted_by"]
        elif action == Action.RESTORE:
            locked.deleted_at = locked.deleted_by = None
            fields += ["deleted_at", "deleted_by"]
        locked.save(update_fields=fields)
        record = Transition.objects.create(
            item=locked,
            action=action,
            from_status=from_status,
            to_status=locked.status,
            actor=user,
            comment=comment,
            published_at=locked.published_at if action == Action.PUBLISH else None,
        )
        _notify(locked, record, rule, user)
    for name in fields:
        setattr(item, name, getattr(locked, name))
    return record


def _notify(item: Content, record: Transition, rule: Rule, user: AnyUser) -> None:
    if record.action == Action.SUBMIT:
        notify_many(
            recipients=reviewers_of(type(item)).exclude(pk=user.pk),
            actor=user,
            verb="submitted",
            target=item,
            message=record.comment,
        )
        return
    if rule.notify_verb is None or item.owner_id is None:
        return
    verb = "scheduled" if record.is_scheduled else rule.notify_verb
    notify(recipient=item.owner, actor=user, verb=verb, target=item, message=record.comment)


def reviewers_of(model: type[Content]):
    """Active users who may publish this type: the people a submission should reach."""
    opts = model._meta
    perm = Permission.objects.filter(
        content_type__app_label=opts.app_label, codename=f"publish_{opts.model_name}"
    )
    return (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        )
        .distinct()
    )


def purge_trash(*, dry_run: bool = False) -> list[Content]:
    """Delete every item trashed before the restore window; returns what went (or would)."""
    purged: list[Content] = []
    for model in content_models().values():
        expired = list(model.all_objects.expired().order_by("deleted_at"))
        if expired and not dry_run:
            with transaction.atomic():
                for item in expired:
                    # One at a time: the generic relations (comments, revisions, history)
                    # are collected and deleted with each item.
                    item.delete()
        purged += expired
    return purged
