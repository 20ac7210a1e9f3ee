"""Who can open a case study, research link or article that is not published yet.

The rule lives once, in kb.core.models.Content; this is its specification for every
content type.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.core.models import Status
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

TYPES = [
    pytest.param(CaseStudyFactory, "created_by", "casestudies:detail", id="case study"),
    pytest.param(ResearchLinkFactory, "added_by", "research:detail", id="research link"),
    pytest.param(ArticleFactory, "author", "articles:detail", id="article"),
]


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_someone_elses_unpublished_item_is_not_found(
    request, advocate, factory, owner_field, url_name, client_fixture, status
):
    item = factory(**{owner_field: advocate}, status=status, published_at=None)
    response = request.getfixturevalue(client_fixture).get(item.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["advocate_client", "editor_client"])
def test_an_unpublished_item_is_visible_to_its_owner_and_to_editors(
    request, advocate, factory, owner_field, url_name, client_fixture
):
    item = factory(
        **{owner_field: advocate}, title="Half-finished", status=Status.DRAFT, published_at=None
    )
    response = request.getfixturevalue(client_fixture).get(item.get_absolute_url())
    assert response.status_code == 200
    assert "Half-finished" in response.content.decode()


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
def test_a_scheduled_item_is_not_found_before_its_time(
    reader_client, factory, owner_field, url_name
):
    item = factory(published_at=timezone.now() + timedelta(hours=1))
    assert reader_client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
def test_an_unknown_slug_is_not_found(reader_client, factory, owner_field, url_name):
    response = reader_client.get(reverse(url_name, args=["no-such-item"]))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


# Whoever may not see an item gets what they would get if it did not exist ------------

EDIT_URLS = {
    CaseStudyFactory: "casestudies:edit",
    ResearchLinkFactory: "research:edit",
    ArticleFactory: "articles:edit",
}


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_the_edit_page_of_someone_elses_unpublished_item_is_not_found(
    request: pytest.FixtureRequest,
    advocate,
    factory,
    owner_field: str,
    url_name: str,
    client_fixture: str,
    status: str,
) -> None:
    item = factory(**{owner_field: advocate}, title="Secret plan", status=status)
    client = request.getfixturevalue(client_fixture)
    url = reverse(EDIT_URLS[factory], args=[item.slug])

    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Defaced"}).status_code == 404
    item.refresh_from_db()
    assert item.title == "Secret plan"


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
def test_the_edit_page_of_a_published_item_is_forbidden_to_who_may_not_edit_it(
    request: pytest.FixtureRequest, advocate, factory, owner_field: str, url_name: str,
    client_fixture: str,
) -> None:  # fmt: skip
    item = factory(**{owner_field: advocate})
    client = request.getfixturevalue(client_fixture)

    assert client.get(reverse(EDIT_URLS[factory], args=[item.slug])).status_code == 403


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
def test_the_history_and_workflow_pages_of_someone_elses_draft_are_not_found(
    request: pytest.FixtureRequest, advocate, factory, owner_field: str, url_name: str,
    client_fixture: str,
) -> None:  # fmt: skip
    item = factory(**{owner_field: advocate}, status=Status.DRAFT, published_at=None)
    client = request.getfixturevalue(client_fixture)
    kind = item._meta.model_name

    assert client.get(reverse("revisions:history", args=[kind, item.slug])).status_code == 404
    compare = reverse("revisions:compare", args=[kind, item.slug]) + "?from=1&to=2"
    assert client.get(compare).status_code == 404
    restore = reverse("revisions:restore", args=[kind, item.slug, 1])
    assert client.post(restore).status_code == 404
    for action in ("submit", "publish", "trash"):
        url = reverse("workflow:action", args=[kind, item.slug, action])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    item.refresh_from_db()
    assert (item.status, item.in_trash) == (Status.DRAFT, False)


@pytest.mark.parametrize(("factory", "owner_field", "url_name"), TYPES)
@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
def test_the_pages_of_someone_elses_item_in_the_trash_are_not_found(
    request: pytest.FixtureRequest, advocate, factory, owner_field: str, url_name: str,
    client_fixture: str,
) -> None:  # fmt: skip
    item = factory(**{owner_field: advocate}, deleted_at=timezone.now())
    client = request.getfixturevalue(client_fixture)
    kind = item._meta.model_name

    assert client.get(reverse(EDIT_URLS[factory], args=[item.slug])).status_code == 404
    assert client.get(reverse("revisions:history", args=[kind, item.slug])).status_code == 404
    restore = reverse("workflow:action", args=[kind, item.slug, "restore"])
    assert client.get(restore).status_code == 404
