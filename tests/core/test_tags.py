"""Every tag gets a non-empty slug its topic page can be found at, however it is made."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from taggit.models import Tag

from kb.articles.models import Article
from kb.core.tags import is_routable
from kb.research.models import ResearchLink


def assert_has_a_topic_page(client: Client, tag: Tag) -> None:
    assert is_routable(tag.slug), tag.slug
    response = client.get(reverse("tag_detail", args=[tag.slug]))
    assert response.status_code == 200
    assert response.context["tag"] == tag


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("café", "café"),
        ("Zürich", "zürich"),
        ("日本語", "日本語"),
        ("naïve café", "naïve-café"),
        ("Launch 🚀", "launch"),
        ("🎉", "party-popper"),
        ("!!!", "exclamation-mark"),
        ("---", "hyphen-minus"),
        ("?", "question-mark"),
        ("¿?", "inverted-question-mark-question-mark"),
        ("\u200d", "tag"),
    ],
)
def test_it_gives_every_tag_a_slug_that_keeps_letters_or_names_the_symbols(
    db, name: str, slug: str
) -> None:
    assert Tag.objects.create(name=name).slug == slug


def test_it_gives_tags_whose_slugs_would_clash_different_slugs(db) -> None:
    slugs = [Tag.objects.create(name=name).slug for name in ("!!!", "!", "! !", "Café", "CAFÉ")]
    assert slugs == [
        "exclamation-mark", "exclamation-mark_1", "exclamation-mark_2", "café", "café_1",
    ]  # fmt: skip


def test_it_never_saves_a_tag_with_an_empty_or_unroutable_slug(db) -> None:
    tag = Tag.objects.create(name="Recruitment")
    for bad in ("", "a/b", " ", "_1"):
        tag.slug = bad
        tag.save()
        tag.refresh_from_db()
        assert tag.slug == "recruitment"


def test_an_advocate_may_tag_an_article_with_any_name(advocate_client: Client) -> None:
    typed = "!!!, 日本語, Café, CAFÉ, café, cafe, 🎉, ?"
    response = advocate_client.post(
        reverse("articles:create"),
        {"title": "Topics", "summary": "S", "body": "B", "tags": typed},
    )
    article = Article.objects.get(title="Topics")
    assertRedirects(response, article.get_absolute_url())
    tags = list(article.tags.all())
    assert {"!!!", "日本語", "cafe", "🎉", "?"} <= {tag.name for tag in tags}
    for tag in tags:
        assert_has_a_topic_page(advocate_client, tag)
    assert advocate_client.get(article.get_absolute_url()).status_code == 200


def test_an_advocate_may_list_expertise_of_any_name(advocate_client: Client, advocate) -> None:
    response = advocate_client.post(
        reverse("advocates:edit_own"),
        {
            "first_name": "Adam",
            "expertise": "!!!, Zürich, 日本語",
            "handles-TOTAL_FORMS": "0",
            "handles-INITIAL_FORMS": "0",
            "handles-MIN_NUM_FORMS": "0",
            "handles-MAX_NUM_FORMS": "15",
        },
    )
    profile = advocate.advocate_profile
    assertRedirects(response, profile.get_absolute_url())
    assert sorted(profile.expertise.names()) == ["!!!", "Zürich", "日本語"]
    for tag in profile.expertise.all():
        assert_has_a_topic_page(advocate_client, tag)
    assert advocate_client.get(profile.get_absolute_url()).status_code == 200
    assert advocate_client.get(reverse("advocates:list")).status_code == 200


def test_an_editor_may_tag_in_the_admin_with_any_name(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:research_researchlink_add"),
        {
            "title": "A survey",
            "url": "https://example.org/survey",
            "kind": "other",
            "evidence_level": "1",
            "publisher": "Example",
            "key_finding": "It works.",
            "status": "draft",
            "tags": "!!!, 日本語",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    link = ResearchLink.objects.get(title="A survey")
    for tag in link.tags.all():
        assert_has_a_topic_page(admin_client, tag)
    assert admin_client.get(reverse("admin:taggit_tag_changelist")).status_code == 200
