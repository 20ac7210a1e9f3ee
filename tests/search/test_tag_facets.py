"""The search page's tag facet narrows by tags of any script or of symbols alone."""

import re
from html import escape, unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

URL = reverse("search:results")


@pytest.mark.parametrize("name", ["café", "日本語", "🎉", "!!!"])
def test_a_facet_link_for_any_tag_narrows_the_results(reader_client: Client, name: str) -> None:
    ArticleFactory(title="Video for nurses", tags=[name])
    ArticleFactory(title="Video for teachers", tags=["education"])
    html = reader_client.get(URL, {"q": "video"}).content.decode()
    facet_link = re.search(rf'<a href="(\?[^"]*)">{re.escape(escape(name))}</a>', html)
    response = reader_client.get(URL + unescape(facet_link[1]))
    narrowed = response.content.decode()
    assert not response.context["form_errors"]
    assert "1 result " in narrowed
    assert "teachers" not in narrowed


def test_the_page_lists_the_commonest_tags_and_keeps_the_chosen_one(reader_client: Client) -> None:
    """A free-form facet shows its dozen commonest values; the chosen one stays among them
    (with its label) even when a dozen others tie with it."""
    for n in range(13):
        ArticleFactory(title=f"Video {n}", tags=["common", f"rare-{n:02}"])
    ArticleFactory(title="Video extra", tags=["common", "rare-00"])
    ArticleFactory(title="Video many", tags=["Rare Thirteen", *(f"also-{n:02}" for n in range(12))])
    response = reader_client.get(URL, {"q": "video"})
    tag_facet = next(f for f in response.context["facets"] if f["title"] == "Topic")
    labels = [value["label"] for value in tag_facet["values"]]
    assert labels[:2] == ["common", "rare-00"]
    assert len(labels) == 12
    chosen = reader_client.get(URL, {"q": "video", "tag": "rare-thirteen"})
    assert chosen.context["results"].total == 1
    assert [f["label"] for f in chosen.context["active_filters"]] == ["Rare Thirteen"]
    tag_facet = next(f for f in chosen.context["facets"] if f["title"] == "Topic")
    selected = [value["label"] for value in tag_facet["values"] if value["selected"]]
    assert selected == ["Rare Thirteen"]
