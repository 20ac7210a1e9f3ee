"""Beside an item, the first few related by tags; when there are more, a link to a page of
all of them."""

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.lists import RELATED_SHOWN
from kb.core.models import Status
from tests.factories import ArticleFactory, CaseStudyFactory


def test_the_sidebar_links_to_all_related_items_when_it_cannot_show_them_all(
    reader_client: Client,
) -> None:
    case_study = CaseStudyFactory(tags=["recruitment"])
    CaseStudyFactory.create_batch(RELATED_SHOWN, tags=["recruitment"])
    url = reverse("related", args=["casestudy", case_study.slug])
    assertNotContains(reader_client.get(case_study.get_absolute_url()), url)
    CaseStudyFactory(title="One too many", tags=["recruitment"])
    response = reader_client.get(case_study.get_absolute_url())
    assertContains(response, f'<a href="{url}">See all related case studies →</a>', html=False)


def test_the_related_page_lists_every_published_related_item_most_shared_first(
    reader_client: Client,
) -> None:
    case_study = CaseStudyFactory(title="Subject", tags=["recruitment", "linkedin"])
    CaseStudyFactory(title="Shares one", tags=["recruitment"])
    CaseStudyFactory(title="Shares two", tags=["recruitment", "linkedin"])
    CaseStudyFactory(title="Unrelated", tags=["gardening"])
    CaseStudyFactory(title="Draft related", tags=["recruitment"], status=Status.DRAFT,
                     published_at=None)  # fmt: skip
    response = reader_client.get(reverse("related", args=["casestudy", case_study.slug]))
    html = response.content.decode()
    assertContains(response, "2 published case studies share its topics")
    assert html.index("Shares two") < html.index("Shares one")
    assert html.count('class="card card-casestudy"') == 2  # not the subject itself
    assert "Unrelated" not in html
    assert "Draft related" not in html


def test_the_related_page_of_an_item_the_reader_may_not_see_is_not_found(
    reader_client: Client,
) -> None:
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, tags=["x"])
    assert reader_client.get(reverse("related", args=["article", draft.slug])).status_code == 404
    assert reader_client.get(reverse("related", args=["nothing", "x"])).status_code == 404
    assert reader_client.get(reverse("related", args=["article", "missing"])).status_code == 404
