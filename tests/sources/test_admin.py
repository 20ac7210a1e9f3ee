"""Editors curate the register in the admin: domains inline, each rating signed by whoever
set it, and only those who may rate touch the rating."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.core.permissions import ADVOCATE, READER
from kb.sources.models import Rating, Source
from tests.factories import SourceFactory, UserFactory


def source_form(**overrides) -> dict:
    data = {
        "name": "Office for National Statistics",
        "kind": "government",
        "rating": Rating.HIGH,
        "rationale": "National statistics body.",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-domain": "https://www.ONS.gov.uk/",
    }
    data.update(overrides)
    return data


def test_an_editor_adds_a_rated_source_with_a_domain_and_is_recorded_as_its_rater(
    editor_client: Client, editor
) -> None:
    response = editor_client.post(reverse("admin:sources_source_add"), source_form())
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.rating, source.rated_by) == (Rating.HIGH, editor)
    assert source.rated_at is not None
    assert list(source.domains.values_list("domain", flat=True)) == ["ons.gov.uk"]


def test_changing_the_rating_re_signs_it_and_renaming_does_not(
    editor_client: Client, editor, admin_user
) -> None:
    source = SourceFactory(
        name="ONS",
        domain=None,
        rating=Rating.LOW,
        rationale="National statistics body.",
        rated_by=admin_user,
    )
    url = reverse("admin:sources_source_change", args=[source.pk])
    editor_client.post(
        url, source_form(name="ONS (UK)", rating=Rating.LOW, **{"domains-0-domain": ""})
    )
    source.refresh_from_db()
    assert (source.name, source.rated_by) == ("ONS (UK)", admin_user)
    editor_client.post(url, source_form(name="ONS", **{"domains-0-domain": ""}))
    source.refresh_from_db()
    assert (source.rating, source.rated_by) == (Rating.HIGH, editor)


@pytest.mark.parametrize(
    ("domain", "error"),
    [
        ("not a domain", "is not a valid domain name"),
        ("org", "not a top-level one"),
        ("www.taken.example", "Source domain with this Domain already exists"),
    ],
)
def test_a_bad_or_taken_domain_is_refused_with_a_clear_error(
    editor_client: Client, domain: str, error: str
) -> None:
    SourceFactory(name="Taken", domain="taken.example")
    response = editor_client.post(
        reverse("admin:sources_source_add"), source_form(**{"domains-0-domain": domain})
    )
    assert response.status_code == 200
    assertContains(response, error)
    assert Source.objects.count() == 1


def test_a_staff_member_who_may_not_rate_proposes_sources_unrated(db) -> None:
    advocate = UserFactory(username="sam", is_staff=True)
    advocate.groups.add(*Group.objects.filter(name__in=[READER, ADVOCATE]))
    client = Client()
    client.force_login(advocate)
    response = client.post(reverse("admin:sources_source_add"), source_form())
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.rating, source.rationale, source.rated_by) == (Rating.UNRATED, "", None)


def test_only_editors_may_rate(reader, advocate, editor, admin_user) -> None:
    assert [Source.can_rate(user) for user in (reader, advocate, editor, admin_user)] == [
        False, False, True, True,
    ]  # fmt: skip


def test_a_reader_cannot_reach_the_register_in_the_admin(reader_client: Client, db) -> None:
    response = reader_client.get(reverse("admin:sources_source_changelist"))
    assert response.status_code == 302


def test_the_changelist_shows_domains_and_counts(editor_client: Client, db) -> None:
    SourceFactory(name="ONS", domain="ons.gov.uk")
    response = editor_client.get(reverse("admin:sources_source_changelist") + "?q=ons.gov")
    assertContains(response, "ons.gov.uk")
    assertContains(response, "ONS")
