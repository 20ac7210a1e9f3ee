"""Follows and digest preferences for the demo users, and a week of read counts, so "For
you", the Following page, the feed and ``send_digests`` have something to show."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kb.core.registry import kinds
from kb.follows.models import DigestPreference, Frequency, ItemRead
from kb.follows.registry import followable_by_key
from kb.follows.services import follow_add

# username: (what they follow as (followable key, lookup), their digest frequency)
DEMO_FOLLOWS = {
    "reader": (
        [
            ("topic", {"slug": "recruitment"}),
            ("topic", {"slug": "employee-advocacy"}),
            ("platform", {"slug": "linkedin"}),
            ("department", {"slug": "human-resources"}),
            ("collection", {"title": "The case for employee advocacy"}),
        ],
        Frequency.WEEKLY,
    ),
    "advocate": (
        [
            ("topic", {"slug": "video"}),
            ("platform", {"slug": "tiktok"}),
            ("department", {"slug": "communications"}),
        ],
        Frequency.DAILY,
    ),
    "editor": (
        [("topic", {"slug": "policy"}), ("advocate", {"user__username": "advocate"})],
        Frequency.OFF,
    ),
}


def load() -> None:
    users = get_user_model()._default_manager
    for username, (follows, frequency) in DEMO_FOLLOWS.items():
        user = users.filter(username=username).first()
        if user is None:
            continue
        for key, lookup in follows:
            followable = followable_by_key(key)
            target = followable.queryset(user).filter(**lookup).first()
            if target is not None:
                follow_add(user=user, target=target)
        DigestPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    _reads()


def _reads() -> None:
    """A week of reads of the newest items, the newest read most."""
    today = timezone.localdate()
    rows = []
    for model, _ in kinds():
        content_type = ContentType.objects.get_for_model(model)
        for rank, pk in enumerate(model.objects.published().values_list("pk", flat=True)[:3]):
            for days_ago in range(7):
                rows.append(
                    ItemRead(
                        content_type=content_type,
                        object_id=pk,
                        day=today - timedelta(days=days_ago),
                        reads=(3 - rank) * (7 - days_ago),
                    )
                )
    ItemRead.objects.bulk_create(rows, ignore_conflicts=True)
