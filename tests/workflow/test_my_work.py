"""An author's home, "My work": their items of every kind by workflow state, the editor's
comment on what came back, what waits for editors, and the header's tools per role."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.core.permissions import ADVOCATE
from kb.core.registry import kinds
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, content_factory

MY_WORK = reverse("workflow:my_work")
DRAFT = {"status": Status.DRAFT, "published_at": None}


def _item_of(model: type, owner: AbstractUser, title: str, **fields):
    return content_factory(model)(**{model.OWNER_FIELD: owner, "title": title, **fields})


def test_an_author_sees_their_items_of_every_kind_by_where_they_stand(
    advocate_client: Client, advocate, editor
) -> None:
    for model, kind in kinds():
        _item_of(model, advocate, f"Draft {kind.label}", **DRAFT)
        _item_of(
            model, advocate, f"Waiting {kind.label}", status=Status.IN_REVIEW, published_at=None
        )
        _item_of(model, advocate, f"Live {kind.label}")
        _item_of(
            model,
            advocate,
            f"Tomorrow {kind.label}",
            published_at=timezone.now() + timedelta(days=1),
        )
        returned = _item_of(
            model, advocate, f"Returned {kind.label}", status=Status.IN_REVIEW, published_at=None
        )
        content_transition(
            item=returned,
            action=Action.REQUEST_CHANGES,
            user=editor,
            comment=f"Cite a source for the {kind.label} figures.",
        )
    html = advocate_client.get(MY_WORK).content.decode()
    sections = {
        "Drafts": "Draft",
        "In review": "Waiting",
        "Scheduled": "Tomorrow",
        "Published": "Live",
        "Changes requested": "Returned",
    }
    for _, kind in kinds():
        for heading, prefix in sections.items():
            start = html.index(f">{heading} (")
            end = html.index("</section>", start)
            assert f"{prefix} {kind.label}" in html[start:end], (heading, kind.label)
        assert f"Cite a source for the {kind.label} figures." in html
    assert "Eddie Editor" in html  # who asked for the changes


def test_an_author_sees_only_their_own_items(advocate_client: Client, other_advocate) -> None:
    ArticleFactory(author=other_advocate, title="Olga's secret draft", **DRAFT)
    assertNotContains(advocate_client.get(MY_WORK), "Olga&#x27;s secret draft")


def test_an_author_is_offered_every_kind_they_may_write(advocate_client: Client) -> None:
    response = advocate_client.get(MY_WORK)
    for _model, kind in kinds():
        if kind.add_role == ADVOCATE:
            assertContains(response, f'href="{reverse(kind.create_url)}"')


def test_editors_see_how_many_submissions_wait_for_them(editor_client: Client) -> None:
    ArticleFactory.create_batch(2, status=Status.IN_REVIEW, published_at=None)
    response = editor_client.get(MY_WORK)
    assertContains(response, "2 submissions wait for review")
    assertContains(response, '<span class="badge nav-count">2', html=False)


def test_authors_are_not_told_about_the_review_queue(advocate_client: Client) -> None:
    ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    response = advocate_client.get(MY_WORK)
    assertNotContains(response, "wait for review")
    assertNotContains(response, "nav-count")


@pytest.mark.parametrize(
    ("persona", "write", "review", "admin", "trash"),
    [
        ("reader_client", False, False, False, False),
        ("advocate_client", True, False, False, True),
        ("editor_client", True, True, True, True),
    ],
)
def test_the_header_offers_write_review_admin_and_trash_only_to_who_may_use_them(
    request, persona: str, write: bool, review: bool, admin: bool, trash: bool
) -> None:
    html = request.getfixturevalue(persona).get(reverse("home")).content.decode()
    assert (f'href="{MY_WORK}"' in html and ">Write<" in html) is write
    assert (f'href="{reverse("workflow:review_queue")}"' in html) is review
    assert (f'href="{reverse("admin:index")}"' in html and ">Admin<" in html) is admin
    assert (f'href="{reverse("workflow:trash")}"' in html) is trash


def test_my_work_costs_the_same_queries_for_1_and_for_many_items(
    advocate_client: Client, advocate, editor
) -> None:
    def fill(count: int) -> None:
        for model, kind in kinds():
            for n in range(count):
                _item_of(model, advocate, f"{kind.label} {n}", **DRAFT)
                returned = _item_of(
                    model,
                    advocate,
                    f"Back {kind.label} {n}",
                    status=Status.IN_REVIEW,
                    published_at=None,
                )
                content_transition(
                    item=returned, action=Action.REQUEST_CHANGES, user=editor, comment="Again."
                )
                _item_of(model, advocate, f"Out {kind.label} {n}")

    fill(1)
    with CaptureQueriesContext(connection) as one:
        advocate_client.get(MY_WORK)
    fill(4)
    with CaptureQueriesContext(connection) as many:
        advocate_client.get(MY_WORK)
    assert len(many) == len(one)
