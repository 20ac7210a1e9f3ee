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
