"""What readers see of an item due for review, and the editors' list of what needs it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.registry import kinds
from kb.freshness.services import reviews_notify
from kb.linkcheck.checker import LinkResult
from kb.linkcheck.services import link_check_record
from kb.notifications.models import Notification, Verb
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    ResearchLinkFactory,
    UserFactory,
    content_factory,
)
from tests.linkcheck.test_admin import record

NOTE = "This may be out of date."
MARKER = "May be out of date"
LIST = "/reviews/"


def past(days: int = 1):
    return timezone.localdate() - timedelta(days=days)


# The KB's own kinds (a kind added in the tests has a bare page of its own).
KB_KINDS = [model for model, _ in kinds() if model.__module__.startswith("kb.")]


@pytest.mark.parametrize("model", KB_KINDS, ids=lambda m: m.__name__)
def test_readers_are_told_an_item_due_for_review_may_be_out_of_date(model, reader_client):
    item = content_factory(model)(review_by=past(3))
    response = reader_client.get(item.get_absolute_url())
    assertContains(response, NOTE)
    assertContains(response, f"due for review on {past(3):%-d %B %Y}")


def test_a_fresh_item_has_no_note(reader_client: Client) -> None:
    article = ArticleFactory(review_by=timezone.localdate() + timedelta(days=1))
    response = reader_client.get(article.get_absolute_url())
    assertNotContains(response, NOTE)
    assertNotContains(response, MARKER)
    assertNotContains(response, "Confirm it is still accurate")


def test_cards_carry_a_small_marker(reader_client: Client) -> None:
    ArticleFactory(title="Old advice", review_by=past())
    ArticleFactory(title="New advice", review_by=timezone.localdate() + timedelta(days=30))
    html = reader_client.get("/articles/").content.decode()
    assert html.count(f">{MARKER}</span>") == 1


def test_the_owner_is_offered_the_confirmation_on_the_page(advocate, advocate_client) -> None:
    article = ArticleFactory(author=advocate, review_by=past())
    assertContains(advocate_client.get(article.get_absolute_url()), "Confirm it is still accurate")


def test_my_work_lists_the_authors_items_due_for_review(advocate, advocate_client) -> None:
    ArticleFactory(author=advocate, title="Old advice", review_by=past(2))
    ArticleFactory(author=advocate, title="New advice", review_by=past(-30))
    response = advocate_client.get("/my-work/")
    assertContains(response, "Due for review (1)")
    assert [item.title for item in response.context["due_for_review"]] == ["Old advice"]


# The overdue list ---------------------------------------------------------------------


@pytest.fixture
def owners(advocate, other_advocate):
    advocate.advocate_profile.department = DepartmentFactory(name="Human Resources", slug="hr")
    advocate.advocate_profile.save()
    other_advocate.advocate_profile.department = DepartmentFactory(name="Finance", slug="finance")
    other_advocate.advocate_profile.save()
    return advocate, other_advocate


@pytest.fixture
def needing_review(owners):
    advocate, other = owners
    broken = ResearchLinkFactory(added_by=other, title="Moved study", review_by=past(-100))
    record(broken, broken.url, "404 Not Found")
    return {
        "old": CaseStudyFactory(created_by=advocate, title="Council pilot", review_by=past(40)),
        "recent": ArticleFactory(author=other, title="Posting times", review_by=past(1)),
        "broken": broken,
        "fresh": ArticleFactory(author=advocate, title="Fresh advice", review_by=past(-5)),
        "draft": ArticleFactory(
            author=advocate, title="Old draft", status="draft", published_at=None, review_by=past(9)
        ),
    }


def _titles(response) -> list[str]:
    return [entry.item.title for entry in response.context["object_list"]]


@pytest.mark.parametrize("persona", ["reader", "advocate"])
def test_only_editors_see_the_list(request, persona) -> None:
    client = request.getfixturevalue(f"{persona}_client")
    assert client.get(LIST).status_code == 403


def test_editors_see_what_needs_review_longest_overdue_first(editor_client, needing_review):
    response = editor_client.get(LIST)
    assert response.status_code == 200
    assert _titles(response) == ["Council pilot", "Posting times", "Moved study"]
    html = response.content.decode()
    assert "Source link broken: 404 Not Found" in html
    assert "Human Resources" in html and "Olga Other" in html


def test_editors_reach_the_list_from_my_work(editor_client) -> None:
    assertContains(editor_client.get("/my-work/"), f'href="{LIST}"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner=adam", ["Council pilot"]),
        ("owner=olga", ["Posting times", "Moved study"]),
        ("department=finance", ["Posting times", "Moved study"]),
        ("department=hr&reason=due", ["Council pilot"]),
        ("reason=link", ["Moved study"]),
    ],
)
def test_the_list_filters_by_owner_department_and_reason(
    editor_client, needing_review, query: str, expected: list[str]
) -> None:
    assert _titles(editor_client.get(f"{LIST}?{query}")) == expected


@pytest.mark.parametrize(
    "query",
    ["owner=nobody", "department=%27%22%3E", "reason=<script>", "page=-1", "page=abc", "x=1"],
)
def test_bad_filters_are_ignored_never_an_error(editor_client, needing_review, query) -> None:
    response = editor_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert len(_titles(response)) == 3
    assert "<script>" not in response.content.decode().replace("&lt;script&gt;", "")


def test_the_list_is_paginated(editor_client, settings, advocate) -> None:
    settings.KB_PAGE_SIZE = 2
    for n in range(5):
        ArticleFactory(author=advocate, title=f"Old {n}", review_by=past(10 - n))
    first = editor_client.get(LIST)
    assert _titles(first) == ["Old 0", "Old 1"]
    assert _titles(editor_client.get(f"{LIST}?page=3")) == ["Old 4"]


def test_the_list_costs_the_same_queries_for_one_item_or_many(
    editor_client, django_assert_num_queries
) -> None:
    def make(count: int) -> None:
        for _ in range(count):
            owner = UserFactory()
            AdvocateProfileFactory(user=owner)
            ArticleFactory(author=owner, review_by=past())
            broken = CaseStudyFactory(
                created_by=owner, review_by=past(-50), source_url="https://gone.example.org/"
            )
            record(broken, broken.source_url, "timed out")
            ResearchLinkFactory(added_by=owner, review_by=past(2))

    make(1)
    editor_client.get(LIST)  # warm the content type cache
    with CaptureQueriesContext(connection) as first:
        editor_client.get(LIST)
    expected = len(first)  # before the next request clears Django's record of them
    make(6)
    editor_client.get(LIST)  # new people: the kept permissions are read again once
    with django_assert_num_queries(expected):
        response = editor_client.get(LIST)
    assert response.context["page"].paginator.count == 21


def test_a_broken_source_link_lists_the_item_without_a_second_reminder(
    editor_client, advocate
) -> None:
    study = ResearchLinkFactory(added_by=advocate, title="Moved study", review_by=past(-100))
    result = LinkResult(
        url=study.url, final_url=study.url, status_code=404, reason="404 Not Found", ok=False
    )
    link_check_record(item=study, result=result)
    reviews_notify()
    told = Notification.objects.filter(recipient=advocate).values_list("verb", flat=True)
    assert list(told) == [Verb.LINK_BROKEN]
    response = editor_client.get(f"{LIST}?reason=link")
    assert _titles(response) == ["Moved study"]
    assertContains(response, "Source link broken: 404 Not Found")
