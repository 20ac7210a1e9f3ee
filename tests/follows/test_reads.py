"""Read counts: each signed-in reader's view of a published item's page adds one to that
item's count for the day (what the digest's "most read" is chosen by)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from kb.core.models import Status
from kb.core.registry import kinds
from kb.follows.models import ItemRead
from tests.factories import content_factory


def reads_of(item) -> int:
    row = ItemRead.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).first()
    return row.reads if row else 0


@pytest.mark.parametrize("model", [model for model, _ in kinds()], ids=lambda m: m.__name__)
def test_every_kinds_page_counts_each_read(
    reader_client: Client, editor_client: Client, model
) -> None:
    item = content_factory(model)()
    for client in (reader_client, reader_client, editor_client):
        assert client.get(item.get_absolute_url()).status_code == 200
    assert reads_of(item) == 3
    assert ItemRead.objects.count() == 1


def test_reads_are_counted_per_day(reader_client: Client) -> None:
    item = content_factory(model=kinds()[0][0])()
    ItemRead.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        day=timezone.localdate() - timedelta(days=1),
        reads=5,
    )
    reader_client.get(item.get_absolute_url())
    assert sorted(ItemRead.objects.values_list("reads", flat=True)) == [1, 5]


def test_the_owners_own_views_and_drafts_are_not_counted(
    advocate, advocate_client: Client, editor_client: Client
) -> None:
    model = kinds()[0][0]
    mine = content_factory(model)(**{model.OWNER_FIELD: advocate})
    advocate_client.get(mine.get_absolute_url())
    draft = content_factory(model)(status=Status.DRAFT, published_at=None)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert ItemRead.objects.count() == 0


def test_a_purged_item_takes_its_counts_with_it(reader_client: Client) -> None:
    item = content_factory(kinds()[0][0])()
    reader_client.get(item.get_absolute_url())
    item.delete()
    assert ItemRead.objects.count() == 0
