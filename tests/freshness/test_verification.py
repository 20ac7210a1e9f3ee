"""“Confirm it is still accurate”: only its owner or an editor, only by POST; recorded
with who and when, shown on the page, and the review date moves on one interval."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kb.core.models import Status
from kb.freshness.models import Verification
from kb.freshness.services import add_months
from tests.factories import ArticleFactory, CaseStudyFactory


def verify_url(item) -> str:
    return f"/reviews/items/{item._meta.model_name}/{item.slug}/verify/"


@pytest.fixture
def overdue(advocate):
    return CaseStudyFactory(
        created_by=advocate,
        title="Council pilot",
        review_by=timezone.localdate() - timedelta(days=5),
        review_notified_for=timezone.localdate() - timedelta(days=5),
    )


@pytest.mark.parametrize("persona", ["advocate", "editor"])
def test_the_owner_or_an_editor_confirms_it_is_still_accurate(request, persona, overdue) -> None:
    user = request.getfixturevalue(persona)
    client = request.getfixturevalue(f"{persona}_client")
    response = client.post(verify_url(overdue))
    assert response.status_code == 302
    assert response.url == overdue.get_absolute_url()
    overdue.refresh_from_db()
    assert overdue.review_by == add_months(timezone.localdate(), 12)
    assert overdue.review_notified_for is None
    (verification,) = Verification.objects.for_item(overdue)
    assert verification.verified_by == user
    assert verification.review_by == overdue.review_by
    page = re.sub(r"<[^>]+>", "", client.get(overdue.get_absolute_url()).content.decode())
    name = user.get_full_name()
    assert f"Verified by {name} on {timezone.localdate():%-d %B %Y}" in page
    assert "may be out of date" not in page


def test_every_verification_is_kept(advocate, advocate_client: Client, overdue) -> None:
    advocate_client.post(verify_url(overdue))
    advocate_client.post(verify_url(overdue))
    assert Verification.objects.for_item(overdue).count() == 2


@pytest.mark.parametrize("persona", ["reader", "other_advocate"])
def test_others_may_not_confirm_it(request, persona, overdue) -> None:
    client = request.getfixturevalue(f"{persona}_client")
    assert client.post(verify_url(overdue)).status_code == 403
    overdue.refresh_from_db()
    assert overdue.review_by < timezone.localdate()
    assert not Verification.objects.exists()
    assert (
        "Confirm it is still accurate"
        not in client.get(overdue.get_absolute_url()).content.decode()
    )


def test_a_get_changes_nothing(advocate_client: Client, overdue) -> None:
    assert advocate_client.get(verify_url(overdue)).status_code == 405
    assert not Verification.objects.exists()


def test_someone_elses_draft_is_not_found(advocate, other_advocate_client: Client) -> None:
    draft = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    assert other_advocate_client.post(verify_url(draft)).status_code == 404


def test_a_draft_cannot_be_confirmed_by_its_owner(advocate, advocate_client: Client) -> None:
    draft = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    response = advocate_client.post(verify_url(draft), follow=True)
    assert "Only a published item can be confirmed" in response.content.decode()
    assert not Verification.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/reviews/items/nothing/some-slug/verify/",
        "/reviews/items/article/no-such-article/verify/",
    ],
)
def test_unknown_kinds_and_items_are_not_found(advocate_client: Client, url: str) -> None:
    assert advocate_client.post(url).status_code == 404
