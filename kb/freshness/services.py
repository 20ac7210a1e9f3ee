"""Keeping content fresh: when each item is next reviewed, reminding its owner once, and
recording that it is still accurate.

An item's review-by date is set when it is published (from its publication day), moved on
one interval when someone who may edit it confirms it is still accurate, and reset when a
published item's content is edited. From that date on it is *due for review*: readers see
that it may be out of date, search ranks it a little lower, editors list it, and
``notify_reviews`` reminds its owner — once per review-by date.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kb.core.models import Content, Status
from kb.core.permissions import AnyUser
from kb.core.registry import kinds
from kb.freshness.models import ReviewPolicy, Verification
from kb.notifications.models import Verb
from kb.notifications.services import notify

# Fields whose change is no news to readers: editing only these keeps the review-by date.
NOT_CONTENT = frozenset(
    {"featured", "published_at", "base_version", "review_by", "review_interval_months"}
)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months`` calendar months (31 January + 1 → 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def policy_months(model: type[Content]) -> int:
    """The usual interval of a kind of content: its ReviewPolicy, else the setting."""
    policy = ReviewPolicy.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).first()
    return policy.interval_months if policy else settings.KB_REVIEW_DEFAULT_MONTHS


def review_interval(item: Content) -> int:
    """How many months ``item`` stays fresh: its own setting, else its kind's."""
    return item.review_interval_months or policy_months(type(item))


def review_schedule(item: Content, *, start: date | None = None) -> list[str]:
    """Give ``item`` its next review-by date, one interval after ``start`` (today); it is
    not saved. Returns the fields changed, for ``save(update_fields=…)``."""
    item.review_by = add_months(start or timezone.localdate(), review_interval(item))
    item.review_notified_for = None
    return ["review_by", "review_notified_for"]


def review_after_edit(*, item: Content, changed: list[str]) -> None:
    """Before a published item's edit is saved: new content starts a new interval, and a
    changed interval of its own moves its date. A review-by date typed in (the admin) wins."""
    if item.status != Status.PUBLISHED or "review_by" in changed:
        return
    if set(changed) - NOT_CONTENT or "review_interval_months" in changed:
        review_schedule(item)


def may_verify(item: Content, user: AnyUser) -> bool:
    """Its owner and editors (whoever may edit it) confirm a published item."""
    return item.is_published and item.can_edit(user)


@transaction.atomic
def content_verify(*, item: Content, user: AnyUser) -> Verification:
    """Record that ``user`` confirmed ``item`` is still accurate, and move its review-by
    date on one interval from today. Raises PermissionDenied or ValidationError."""
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    if not locked.can_edit(user):
        raise PermissionDenied("Only its owner or an editor can confirm this item.")
    if not locked.is_published:
        raise ValidationError("Only a published item can be confirmed as still accurate.")
    # Not a change of content: no new version, revision or modification time.
    fields = review_schedule(locked)
    locked.save(update_fields=fields)
    verification = Verification.objects.create(
        item=locked, verified_by=user, review_by=locked.review_by
    )
    for name in fields:
        setattr(item, name, getattr(locked, name))
    return verification


def latest_verification(item: Content) -> Verification | None:
    return Verification.objects.for_item(item).select_related("verified_by").first()


def reviews_schedule_missing() -> int:
    """Give published items without a review-by date (published before review dates
    existed, or loaded from fixtures) one, an interval after their publication."""
    count = 0
    for model, _kind in kinds():
        for item in model.objects.published().filter(review_by__isnull=True):
            published = timezone.localdate(item.published_at)
            # Only these fields: no new version, revision or modification time; the save
            # signal still re-indexes it, so search knows its date.
            item.save(update_fields=review_schedule(item, start=published))
            count += 1
    return count


@dataclass(frozen=True)
class Reminder:
    item: Content
    # False: the owner is gone or inactive (or has no owner); the date counts as reminded.
    notified: bool


def reviews_notify(*, today: date | None = None, dry_run: bool = False) -> list[Reminder]:
    """Remind the owners of the items that fell due, once per review-by date.

    Each item is claimed by a conditional UPDATE before its owner is told, so a second
    run, or two runs at once, remind nobody again for the same date.
    """
    today = today or timezone.localdate()
    if not dry_run:
        reviews_schedule_missing()
    reminders: list[Reminder] = []
    for model, _kind in kinds():
        due = (
            model.objects.due_for_review(today)
            .exclude(review_notified_for=F("review_by"))
            .select_related(model.OWNER_FIELD)
            .order_by("review_by", "pk")
        )
        for item in due:
            if dry_run:
                reminders.append(Reminder(item, notified=item.owner is not None))
                continue
            reminder = _remind(model, item)
            if reminder is not None:
                reminders.append(reminder)
    return reminders


@transaction.atomic
def _remind(model: type[Content], item: Content) -> Reminder | None:
    claimed = (
        model.objects.filter(pk=item.pk, review_by=item.review_by)
        .exclude(review_notified_for=item.review_by)
        .update(review_notified_for=item.review_by)
    )
    if not claimed:  # another run got there first
        return None
    notification = notify(
        recipient=item.owner,
        actor=None,
        verb=Verb.REVIEW_DUE,
        target=item,
        message=f"It was due for review on {item.review_by:%d %B %Y}. If it is still "
        "accurate, open it and press “Confirm it is still accurate”; otherwise edit it. "
        "Until then readers are told it may be out of date.",
    )
    return Reminder(item, notified=notification is not None)
