"""A collection as a reader sees it: its items in order, each fetched with what its
headline reads, leaving out whatever that reader may not see.

One query for the collection's rows, then one per kind of content among them (whatever
the number of items), with each kind's own visibility rule (``visible_to``): someone
else's draft, an item in the trash or one scheduled for later is not shown.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType

from kb.collections.models import Collection, CollectionItem
from kb.core.evidence import EvidenceLevel, evidence_level_of
from kb.core.headline import Headline
from kb.core.models import Content
from kb.core.permissions import AnyUser
from kb.core.registry import kind_for


@dataclass
class Entry:
    """One item of a collection in its place: the row (position, note) and the item."""

    row: CollectionItem
    item: Content
    number: int  # its place among what this reader sees, from 1
    done: bool = False

    @property
    def note(self) -> str:
        return self.row.note

    @property
    def kind_label(self) -> str:
        kind = kind_for(self.item)
        return kind.label if kind else str(self.item._meta.verbose_name).capitalize()

    @cached_property
    def headline(self) -> Headline | None:
        return self.item.headline()

    @property
    def evidence(self) -> EvidenceLevel | None:
        return evidence_level_of(self.item)


def fetch_items(
    rows: list[CollectionItem], queryset_for, *, headlines: bool = True
) -> dict[tuple[int, int], Content]:
    """The items ``rows`` point at, by (content type id, object id): one query per kind,
    through ``queryset_for(model)`` (the manager or visibility rule to use)."""
    ids_by_type: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        ids_by_type[row.content_type_id].append(row.object_id)
    found: dict[tuple[int, int], Content] = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or kind_for(model) is None:
            continue  # an app removed since, or a row the admin pointed elsewhere
        queryset = queryset_for(model).filter(pk__in=ids)
        if headlines:
            queryset = queryset.for_headlines()
        for item in queryset:
            found[(content_type_id, item.pk)] = item
    return found


def collection_entries(
    collection: Collection, user: AnyUser, done: set[tuple[int, int]] | None = None
) -> list[Entry]:
    """The items of ``collection`` that ``user`` may see, in order; ``done`` marks the
    steps this reader has done."""
    rows = list(collection.items.all())
    items = fetch_items(rows, lambda model: model.objects.visible_to(user))
    entries = []
    for row in rows:
        item = items.get(row.key)
        if item is not None:
            entries.append(
                Entry(row=row, item=item, number=len(entries) + 1, done=row.key in (done or ()))
            )
    return entries


def published_step_keys(collection: Collection) -> list[tuple[int, int]]:
    """The steps every reader sees (published items), which the owner's counts are over."""
    rows = list(collection.items.all())
    items = fetch_items(rows, lambda model: model.objects.published(), headlines=False)
    return [row.key for row in rows if row.key in items]
