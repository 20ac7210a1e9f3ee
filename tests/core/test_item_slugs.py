"""Items get an ASCII slug their pages can be found at, whatever the script of the title."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory


@pytest.mark.parametrize(
    ("title", "slug"),
    [("日本語", "item"), ("!!!", "item"), ("Zürich café", "zurich-cafe"), ("🎉 Launch", "launch")],
)
def test_a_title_in_any_script_gives_a_working_item_address(
    advocate_client: Client, title: str, slug: str
) -> None:
    advocate_client.post(
        reverse("articles:create"), {"title": title, "summary": "S", "body": "B", "tags": ""}
    )
    article = Article.objects.get(title=title)
    assert article.slug == slug
    assert advocate_client.get(article.get_absolute_url()).status_code == 200
    assert advocate_client.get(reverse("articles:edit", args=[article.slug])).status_code == 200


def test_titles_without_latin_letters_get_distinct_slugs(db) -> None:
    slugs = [factory(title="日本語").slug for factory in (ArticleFactory, ArticleFactory)]
    slugs += [CaseStudyFactory(title="Ελληνικά").slug, ResearchLinkFactory(title="?").slug]
    assert slugs == ["item", "item-2", "item", "item"]


def test_an_item_saved_with_an_empty_slug_gets_one_again(db) -> None:
    article = ArticleFactory(title="Ελληνικά")
    article.slug = ""
    article.save()
    assert article.slug == "item"
