"""Following and what it selects: follow and unfollow, the items that come from what a user
follows (for "For you", the digest and the feed), and counting reads.

Reads as queryset conditions: ``following_of(user)`` costs one query, whatever the user
follows, and turns it into one condition per kind of content; every list built on it then
costs one query per kind, however many follows and items there are.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models
from django.db.models import Q

from kb.core.models import CHANGED_AT, Content
from kb.core.permissions import AnyUser
from kb.core.registry import ContentKind, kinds_where
from kb.follows.models import Follow, ItemRead
from kb.follows.registry import Followable, followable_by_content_type, followable_for

logger = logging.getLogger(__name__)

# An item saved this long after it was published counts as updated, not new.
UPDATED_AFTER = timedelta(hours=1)


def follow_add(*, user: AnyUser, target: models.Model) -> Follow:
    """``user`` follows ``target`` (once: following again changes nothing)."""
    follow, _ = Follow.objects.get_or_create(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    )
    return follow


def follow_remove(*, user: AnyUser, target: models.Model) -> bool:
    """``user`` no longer follows ``target``; whether they did."""
    deleted, _ = Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).delete()
    return bool(deleted)


@dataclass(frozen=True)
class FollowState:
    following: bool
    followers: int


def follow_state(user: AnyUser, target: models.Model) -> FollowState:
    """Whether ``user`` follows ``target`` and how many do, in one query."""
    counts = Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).aggregate(
        followers=models.Count("pk"),
        mine=models.Count("pk", filter=Q(user_id=user.pk)),
    )
    return FollowState(following=bool(counts["mine"]), followers=counts["followers"])


@dataclass
class Following:
    """What one user follows: the ids of each followable's rows they follow."""

    ids: dict[Followable, list[int]] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return bool(self.ids)

    def condition(self, model: type[models.Model]) -> Q | None:
        """The items of content ``model`` that come from anything followed; None when
        nothing followed reaches this kind."""
        condition = Q()
        for followable, ids in self.ids.items():
            found = followable.items(model, ids)
            if found is not None:
                condition |= found
        return condition or None

    def followed_only(self, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` cut to what comes from what is followed."""
        condition = self.condition(queryset.model)
        return queryset.filter(condition) if condition is not None else queryset.none()

    def narrow(self, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` cut to what is followed; all of it for a user who follows nothing
        (the feed's rule: follow nothing and see everything)."""
        return self.followed_only(queryset) if self.anything else queryset


def following_of(user: AnyUser) -> Following:
    """One query: what ``user`` follows, grouped by followable."""
    ids: dict[Followable, list[int]] = defaultdict(list)
    if user.is_authenticated:
        rows = Follow.objects.filter(user=user).values_list("content_type_id", "object_id")
        for content_type_id, object_id in rows:
            followable = followable_by_content_type(content_type_id)
            if followable is not None:
                ids[followable].append(object_id)
    return Following(ids=dict(ids))


def followed_targets(user: AnyUser) -> list[tuple[Followable, list[tuple[models.Model, str]]]]:
    """What ``user`` follows, as rows with their addresses, by followable in declared
    order: one query for the follows and one per followable in use. Rows the user may no
    longer follow (an advocate who left, an unpublished collection) are left out."""
    following = following_of(user)
    found = []
    for followable, ids in following.ids.items():
        rows = list(followable.queryset(user).filter(pk__in=ids).order_by(*_name_order(followable)))
        if rows:
            found.append((followable, [(row, followable.url(row)) for row in rows]))
    order = {followable: n for n, followable in enumerate(_declared())}
    return sorted(found, key=lambda pair: order[pair[0]])


def _declared() -> tuple[Followable, ...]:
    from kb.follows.registry import FOLLOWABLES

    return FOLLOWABLES


def _name_order(followable: Followable) -> list[str]:
    model = followable.model_class
    names = {f.name for f in model._meta.get_fields()}
    for candidate in ("name", "title"):
        if candidate in names:
            return [candidate]
    return list(model._meta.ordering or ["pk"])


@dataclass(frozen=True)
class ForYouItem:
    item: Content
    kind: ContentKind
    followed: bool  # from something the user follows (else one of the rest)
    updated: bool  # changed well after it was published

    @property
    def changed_at(self):
        return self.item.changed_at


@dataclass(frozen=True)
class ForYou:
    follows_anything: bool
    items: list[ForYouItem]

    @property
    def followed_count(self) -> int:
        return sum(entry.followed for entry in self.items)


def for_you(user: AnyUser, limit: int) -> ForYou:
    """Published items new or updated, from what ``user`` follows first, newest first, then
    the rest: one query for the follows, one per kind for what is followed and, only when
    that finds fewer than ``limit``, one per kind for the rest.

    Each query walks the kind's index on the changed date (Content's "_changed" index) and
    stops after ``limit`` rows; one query ordering every published item by "followed, then
    newest" has to sort them all (40 ms a kind at 100,000 documents)."""
    following = following_of(user)
    if not following.anything:
        return ForYou(follows_anything=False, items=[])
    on_home = kinds_where("on_home")
    followed: list[ForYouItem] = []
    for model, kind in on_home:
        condition = following.condition(model)
        if condition is not None:
            followed += _newest(model.objects.published().filter(condition), kind, limit, True)
    rest: list[ForYouItem] = []
    if len(followed) < limit:
        # Every kind's followed items were all found (each gave fewer than limit), so
        # whatever of the newest is not among them is not followed.
        seen = {(type(entry.item), entry.item.pk) for entry in followed}
        for model, kind in on_home:
            rest += [
                entry
                for entry in _newest(model.objects.published(), kind, limit, False)
                if (model, entry.item.pk) not in seen
            ]
    followed.sort(key=_newest_first)
    rest.sort(key=_newest_first)
    return ForYou(follows_anything=True, items=(followed + rest)[:limit])


def _newest(queryset: models.QuerySet, kind: ContentKind, limit: int, followed: bool):
    queryset = queryset.annotate(changed_at=CHANGED_AT).order_by("-changed_at", "-pk")[:limit]
    return [
        ForYouItem(
            item=item,
            kind=kind,
            followed=followed,
            updated=item.updated_at - item.published_at > UPDATED_AFTER,
        )
        for item in queryset
    ]


def _newest_first(entry: ForYouItem) -> float:
    return -entry.changed_at.timestamp()


def read_record_on_signal(sender, item: Content, user: AnyUser, **kwargs) -> None:
    """Count a read of a published item by a signed-in reader other than its owner; a
    counter that fails is logged and never breaks the page."""
    if not user.is_authenticated or not item.is_published or item.owner_id == user.pk:
        return
    try:
        ItemRead.record(item)
    except DatabaseError:
        logger.exception("Could not count a read of %s %s", sender.__name__, item.pk)


def is_followable(obj: models.Model) -> bool:
    return followable_for(obj) is not None
