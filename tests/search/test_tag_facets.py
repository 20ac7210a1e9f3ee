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
