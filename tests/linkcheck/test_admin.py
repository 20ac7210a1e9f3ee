"""The link checker's results in the admin: a "Link" column and filter on the changelists of
research and case studies, the last check on the change form, and constant query counts."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.linkcheck.models import LinkCheck
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db


def record(item, url: str, reason: str = "", **fields) -> LinkCheck:
    now = timezone.now()
    return LinkCheck.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        url=url,
        final_url=url,
        reason=reason,
        checked_at=now,
        broken_since=now if reason else None,
        consecutive_failures=1 if reason else 0,
        **fields,
    )


@pytest.fixture
def three_research_links() -> dict:
    broken = ResearchLinkFactory(title="Broken study")
    ok = ResearchLinkFactory(title="Working study")
    unchecked = ResearchLinkFactory(title="Unchecked study")
    record(broken, broken.url, "404 Not Found")
    record(ok, ok.url)
    return {"broken": broken, "ok": ok, "unchecked": unchecked}


@pytest.mark.parametrize("state", ["broken", "ok", "unchecked"])
def test_the_link_filter_finds_the_items_in_that_state(
    editor_client: Client, three_research_links: dict, state: str
) -> None:
    response = editor_client.get(
        f"{admin_url(three_research_links[state], 'changelist')}?link={state}"
    )
    for name, item in three_research_links.items():
        (assertContains if name == state else assertNotContains)(response, item.title)


def test_the_changelist_shows_each_links_state(
    editor_client: Client, three_research_links: dict
) -> None:
    response = editor_client.get(admin_url(three_research_links["ok"], "changelist"))
    assertContains(response, "Broken: 404 Not Found")
    assertContains(response, '<td class="field-link_state">OK</td>', html=True)
    assertContains(response, '<td class="field-link_state">Unchecked</td>', html=True)
    assertContains(response, "?link=broken")


def test_a_check_of_an_earlier_address_no_longer_counts(editor_client: Client) -> None:
    case_study = CaseStudyFactory(title="Moved on", source_url="https://new.example.org/")
    record(case_study, "https://old.example.org/", "404 Not Found")
    response = editor_client.get(f"{admin_url(case_study, 'changelist')}?link=unchecked")
    assertContains(response, "Moved on")


def test_the_change_form_shows_the_last_check(editor_client: Client) -> None:
    case_study = CaseStudyFactory(source_url="https://example.org/gone")
    record(case_study, case_study.source_url, "500 Internal Server Error")
    response = editor_client.get(admin_url(case_study, "change", case_study.pk))
    assertContains(response, "Broken when checked on")
    assertContains(response, "500 Internal Server Error")


def test_kinds_without_a_source_link_have_no_link_filter(editor_client: Client) -> None:
    article = ArticleFactory()
    response = editor_client.get(admin_url(article, "changelist"))
    assertNotContains(response, "?link=")
    assertNotContains(response, "field-link_state")


def test_featuring_from_the_broken_filter_features_only_those(
    editor_client: Client, three_research_links: dict
) -> None:
    broken = three_research_links["broken"]
    type(broken).objects.update(featured=False)
    editor_client.post(
        f"{admin_url(broken, 'changelist')}?link=broken",
        {
            "action": "feature",
            "_selected_action": [item.pk for item in three_research_links.values()],
        },
    )
    assert list(type(broken).objects.filter(featured=True)) == [broken]


@pytest.mark.parametrize("factory", [ResearchLinkFactory, CaseStudyFactory])
def test_the_changelist_costs_the_same_queries_for_one_item_as_for_twenty(
    admin_client: Client, factory
) -> None:
    def queries_for_changelist() -> int:
        admin_client.get(url)  # warms per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(f"{url}?link=broken").status_code == 200
        return len(queries)

    def make(n: int) -> None:
        for _ in range(n):
            item = factory()
            field = type(item).KIND.source_url_field
            record(item, getattr(item, field) or "", "404 Not Found")

    url = admin_url(factory._meta.model, "changelist")
    make(1)
    for_one = queries_for_changelist()
    make(19)
    assert queries_for_changelist() == for_one
