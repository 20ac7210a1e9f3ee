"""On an item's page, editors (who may publish its kind) see what the link check found."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import CaseStudyFactory, ResearchLinkFactory
from tests.linkcheck.test_admin import record

pytestmark = pytest.mark.django_db

BROKEN = "The source link was broken when checked on"


@pytest.fixture(params=[ResearchLinkFactory, CaseStudyFactory], ids=["research", "case study"])
def broken_item(request, advocate):
    item = request.param(
        **{
            "url"
            if request.param is ResearchLinkFactory
            else "source_url": "https://gone.example.org/"
        }
    )
    record(item, "https://gone.example.org/", "404 Not Found")
    return item


def test_editors_see_that_the_source_link_was_broken(editor_client: Client, broken_item) -> None:
    response = editor_client.get(broken_item.get_absolute_url())
    assertContains(response, BROKEN)
    assertContains(response, ": 404 Not Found.")


def test_readers_and_advocates_do_not_see_the_notice(
    reader_client: Client, advocate_client: Client, broken_item
) -> None:
    for client in (reader_client, advocate_client):
        assertNotContains(client.get(broken_item.get_absolute_url()), BROKEN)


def test_editors_see_no_notice_once_the_address_is_edited(
    editor_client: Client, broken_item
) -> None:
    type(broken_item).objects.filter(pk=broken_item.pk).update(
        **{type(broken_item).KIND.source_url_field: "https://new.example.org/"}
    )
    assertNotContains(editor_client.get(broken_item.get_absolute_url()), BROKEN)


def test_editors_are_shown_where_a_permanently_moved_source_now_lives(
    editor_client: Client,
) -> None:
    link = ResearchLinkFactory(url="https://old.example.org/paper")
    record(link, link.url, moved_permanently=True)
    LinkCheck = type(
        record(CaseStudyFactory(source_url="https://x.example.org/"), "https://x.example.org/")
    )
    LinkCheck.objects.filter(url=link.url).update(final_url="https://new.example.org/paper")
    response = editor_client.get(link.get_absolute_url())
    assertContains(response, "The source has moved permanently to")
    assertContains(response, 'href="https://new.example.org/paper"')
    assertNotContains(response, BROKEN)
