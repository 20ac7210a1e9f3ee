"""A profile lists its owner's contributions of every kind, from the kinds' declarations."""

from django.test import Client
from django.urls import reverse

from kb.core.models import Status
from tests.registry_app.factories import FindingFactory


def test_a_profile_lists_a_registered_kinds_contributions_as_cards(
    advocate, advocate_client: Client, reader_client: Client
) -> None:
    FindingFactory(owner=advocate, title="Lunchtime posts travel")
    FindingFactory(owner=advocate, title="Half-tested hunch", status=Status.DRAFT)
    url = reverse("advocates:detail", args=["adam"])
    html = reader_client.get(url).content.decode()
    assert "Findings contributed" in html and 'class="card card-finding"' in html
    assert "Lunchtime posts travel" in html and "Half-tested hunch" not in html
    assert "Half-tested hunch" in advocate_client.get(url).content.decode()


def test_a_profile_without_contributions_says_so(reader_client: Client, advocate) -> None:
    html = reader_client.get(reverse("advocates:detail", args=["adam"])).content.decode()
    assert "Nothing contributed yet." in html
