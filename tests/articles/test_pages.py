"""Article pages: the filtered list, the detail, and who may write, edit, publish and feature."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.articles.models import Article
from kb.core.models import Status
from kb.core.permissions import ADVOCATE
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory, UserFactory

IGNORED_NOTICE = "Some filters were ignored"
FORM_ERROR_NOTICE = "Please correct the errors below"
SUMMARY = "Five habits that make a LinkedIn page worth following."


@pytest.fixture
def three_articles(advocate, other_advocate) -> dict[str, Article]:
    """Each sort order puts these three in a different order."""
    now = timezone.now()
    return {
        "habits": ArticleFactory(
            title="Habits of good posters",
            author=advocate,
            tags=["linkedin"],
            published_at=now - timedelta(days=1),
        ),
        "video": ArticleFactory(
            title="Video without a studio",
            author=other_advocate,
            tags=["video", "linkedin"],
            published_at=now - timedelta(days=400),
        ),
        "accessibility": ArticleFactory(
            title="Accessible images",
            author=advocate,
            tags=["accessibility"],
            published_at=now - timedelta(days=30),
        ),
    }


def list_page(client: Client, query: str = ""):
    return client.get(f"{reverse('articles:list')}?{query}")


def titles_in_order(response, titles: list[str]) -> list[str]:
    content = response.content.decode()
    return sorted((t for t in titles if t in content), key=content.index)


def form_data(**overrides) -> dict:
    data = {
        "title": "Start small on LinkedIn",
        "summary": SUMMARY,
        "body": "## Post weekly\n\nConsistency beats volume.",
        "tags": "linkedin, habits",
    }
    data.update(overrides)
    return data


def edit_data(article: Article, **overrides) -> dict:
    """The edit form as sent back: it carries the version it was opened at."""
    return form_data(base_version=article.version, **overrides)


def edit_url(article: Article) -> str:
    return reverse("articles:edit", args=[article.slug])


# The list ------------------------------------------------------------------------------


def test_the_list_shows_published_articles_only(reader_client: Client) -> None:
    ArticleFactory(title="Published guide")
    ArticleFactory(title="Draft guide", status=Status.DRAFT, published_at=None)
    ArticleFactory(title="Guide in review", status=Status.IN_REVIEW, published_at=None)
    ArticleFactory(title="Scheduled guide", published_at=timezone.now() + timedelta(days=1))
    response = list_page(reader_client)
    assertContains(response, "Published guide")
    assertContains(response, "1 result")
    for hidden in ("Draft guide", "Guide in review", "Scheduled guide"):
        assertNotContains(response, hidden)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=linkedin", ["habits", "video"]),
        ("tag=video", ["video"]),
        ("author=olga", ["video"]),
        ("author=adam", ["habits", "accessibility"]),
        ("author=nobody", []),
        ("tag=linkedin&author=adam", ["habits"]),
    ],
)
def test_the_list_filters_by_tag_and_author(
    reader_client: Client, three_articles: dict, query: str, expected: list[str]
) -> None:
    response = list_page(reader_client, query)
    assertNotContains(response, IGNORED_NOTICE)
    for key, article in three_articles.items():
        if key in expected:
            assertContains(response, article.title)
        else:
            assertNotContains(response, article.title)


def test_the_list_filters_by_year_of_publication(reader_client: Client) -> None:
    ArticleFactory(title="From 2021", published_at=timezone.now().replace(year=2021, month=6))
    ArticleFactory(title="From 2023", published_at=timezone.now().replace(year=2023, month=6))
    response = list_page(reader_client, "year=2021")
    assertContains(response, "From 2021")
    assertNotContains(response, "From 2023")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["habits", "accessibility", "video"]),
        ("newest", ["habits", "accessibility", "video"]),
        ("oldest", ["video", "accessibility", "habits"]),
        ("title", ["accessibility", "habits", "video"]),
    ],
)
def test_the_list_sorts_in_each_named_order(
    reader_client: Client, three_articles: dict, sort: str, expected: list[str]
) -> None:
    response = list_page(reader_client, f"sort={sort}")
    titles = [article.title for article in three_articles.values()]
    assert titles_in_order(response, titles) == [three_articles[k].title for k in expected]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "year=1800",
        "sort=bad",
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_notice(
    reader_client: Client, three_articles: dict, query: str
) -> None:
    response = list_page(reader_client, query)
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "3 results")
    assertNotContains(response, "<script>", html=False)


@pytest.mark.parametrize("query", ["author=%3Cscript%3E", "tag=%3Cscript%3Ealert(1)%3C/script%3E"])
def test_an_author_or_tag_nobody_has_finds_nothing_and_is_shown_escaped(
    reader_client: Client, three_articles: dict, query: str
) -> None:
    response = list_page(reader_client, query)
    assertContains(response, "0 results")
    assertContains(response, "&lt;script&gt;")
    assertNotContains(response, "<script>", html=False)


@pytest.mark.parametrize(
    ("page", "shown"),
    [("1", "Page 1 of 3"), ("3", "Page 3 of 3"), ("abc", "Page 1 of 3"), ("999999", "Page 3 of 3")],
)
def test_the_list_is_paginated_by_the_page_size_setting(
    reader_client: Client, settings, page: str, shown: str
) -> None:
    settings.KB_PAGE_SIZE = 2
    author = UserFactory()
    for n in range(5):
        ArticleFactory(title=f"Paged guide {n}", author=author)
    response = list_page(reader_client, f"page={page}")
    assertContains(response, shown)
    expected_cards = 1 if shown == "Page 3 of 3" else 2
    assertContains(response, 'class="card card-article"', count=expected_cards)


# The detail ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_fixture", ["reader_client", "advocate_client", "editor_client", "admin_client"]
)
def test_a_published_article_is_open_to_every_role(request, db, client_fixture: str) -> None:
    article = ArticleFactory(title="Open guide", body="Post **weekly**.")
    response = request.getfixturevalue(client_fixture).get(article.get_absolute_url())
    assertContains(response, "Open guide")
    assertContains(response, "<strong>weekly</strong>", html=False)


def test_the_body_is_rendered_without_scripts(reader_client: Client) -> None:
    article = ArticleFactory(body="Hello <script>alert('x')</script> [bad](javascript:alert(1))")
    response = reader_client.get(article.get_absolute_url())
    assertContains(response, "Hello")
    assertNotContains(response, "<script>alert", html=False)
    assertNotContains(response, "javascript:", html=False)


def test_the_detail_shows_published_citations_and_related_articles(reader_client: Client) -> None:
    cited_study = CaseStudyFactory(title="Cited case study")
    unpublished_study = CaseStudyFactory(
        title="Unpublished case study", status=Status.DRAFT, published_at=None
    )
    cited_link = ResearchLinkFactory(title="Cited research")
    article = ArticleFactory(tags=["linkedin"])
    article.related_case_studies.add(cited_study, unpublished_study)
    article.related_research.add(cited_link)
    ArticleFactory(title="Also about LinkedIn", tags=["linkedin"])
    ArticleFactory(title="About gardening", tags=["gardening"])
    response = reader_client.get(article.get_absolute_url())
    assertContains(response, "Cited case study")
    assertContains(response, "Cited research")
    assertContains(response, "Also about LinkedIn")
    assertNotContains(response, "Unpublished case study")
    assertNotContains(response, "About gardening")


# Writing -------------------------------------------------------------------------------


def test_a_reader_may_not_write_an_article(reader_client: Client) -> None:
    url = reverse("articles:create")
    assertContains(reader_client.get(url), "Not allowed", status_code=403)
    assert reader_client.post(url, form_data()).status_code == 403
    assert not Article.objects.exists()


def test_an_advocate_writes_an_article_and_submits_it_for_review(
    advocate_client: Client, advocate
) -> None:
    response = advocate_client.post(
        reverse("articles:create"), form_data(submit_for_review="1"), follow=True
    )
    article = Article.objects.get()
    assertRedirects(response, article.get_absolute_url())
    assertContains(response, "waiting for an editor")
    assert article.author == advocate
    assert article.status == Status.IN_REVIEW
    assert article.published_at is None
    assert sorted(article.tags.names()) == ["habits", "linkedin"]


def test_an_advocate_may_save_a_draft(advocate_client: Client) -> None:
    advocate_client.post(reverse("articles:create"), form_data())
    assert Article.objects.get().status == Status.DRAFT


def test_an_advocate_is_not_offered_publishing_or_featuring(advocate_client: Client) -> None:
    response = advocate_client.get(reverse("articles:create"))
    assertContains(response, "Save and submit for review")
    assertNotContains(response, 'name="status"')
    assertNotContains(response, 'name="featured"')
    assertNotContains(response, 'name="published_at"')


def test_an_advocate_cannot_publish_their_article_through_the_form(
    advocate_client: Client,
) -> None:
    advocate_client.post(reverse("articles:create"), form_data(status=Status.PUBLISHED))
    assert Article.objects.get().status == Status.DRAFT


def test_an_advocate_cannot_feature_or_schedule_their_article(advocate_client: Client) -> None:
    advocate_client.post(
        reverse("articles:create"), form_data(featured="on", published_at="2020-01-01T10:00")
    )
    article = Article.objects.get()
    assert article.featured is False
    assert article.published_at is None


def test_an_article_cannot_cite_an_unpublished_case_study(advocate_client: Client) -> None:
    draft = CaseStudyFactory(status=Status.DRAFT, published_at=None)
    response = advocate_client.post(
        reverse("articles:create"), form_data(related_case_studies=[draft.pk])
    )
    assertContains(response, "Select a valid choice")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("bad_input", "error"),
    [
        ({"title": "x" * 10_000}, "Ensure this value has at most 200 characters"),
        ({"title": ""}, "This field is required"),
        ({"body": ""}, "This field is required"),
        ({"body": "b" * 100_001}, "Ensure this value has at most 100000 characters"),
        ({"tags": "z" * 51}, "Keep each tag under 50 characters"),
        ({"tags": ", ".join(f"tag{n}" for n in range(21))}, "Use at most 20 tags"),
    ],
    ids=[
        "title-10000-chars",
        "empty-title",
        "empty-body",
        "body-over-100000-chars",
        "tag-51-chars",
        "21-tags",
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    advocate_client: Client, bad_input: dict, error: str
) -> None:
    response = advocate_client.post(reverse("articles:create"), form_data(**bad_input))
    assertContains(response, FORM_ERROR_NOTICE)
    assertContains(response, error)
    assertContains(response, SUMMARY)
    for field, value in bad_input.items():
        if value and field != "tags":
            assertContains(response, value)
    assert not Article.objects.exists()


def test_a_summary_over_1000_characters_is_refused(advocate_client: Client) -> None:
    response = advocate_client.post(reverse("articles:create"), form_data(summary="s" * 1_001))
    assertContains(response, "Ensure this value has at most 1000 characters")
    assertContains(response, "Consistency beats volume.")
    assert not Article.objects.exists()


# Editing -------------------------------------------------------------------------------


def test_an_advocate_edits_their_own_article(advocate_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    response = advocate_client.post(edit_url(article), edit_data(article, title="Start smaller"))
    assertRedirects(response, article.get_absolute_url())
    article.refresh_from_db()
    assert article.title == "Start smaller"
    assert article.status == Status.DRAFT


def test_an_advocate_may_not_edit_another_advocates_article(
    advocate_client: Client, other_advocate
) -> None:
    article = ArticleFactory(title="Olga's guide", author=other_advocate)
    assertContains(advocate_client.get(edit_url(article)), "Not allowed", status_code=403)
    response = advocate_client.post(edit_url(article), form_data(title="Adam was here"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Olga's guide"
    assert article.author == other_advocate


def test_a_reader_may_not_edit_an_article(reader_client: Client, advocate) -> None:
    article = ArticleFactory(title="Adam's guide", author=advocate)
    assert reader_client.get(edit_url(article)).status_code == 403
    assert reader_client.post(edit_url(article), form_data(title="Defaced")).status_code == 403
    article.refresh_from_db()
    assert article.title == "Adam's guide"


def test_a_former_advocate_may_no_longer_edit_their_own_article(
    advocate_client: Client, advocate
) -> None:
    article = ArticleFactory(title="Written while advocate", author=advocate)
    advocate.groups.remove(Group.objects.get(name=ADVOCATE))
    assert advocate_client.get(edit_url(article)).status_code == 403
    assert advocate_client.post(edit_url(article), form_data(title="Later")).status_code == 403
    article.refresh_from_db()
    assert article.title == "Written while advocate"


def test_an_editor_edits_and_features_anyones_article(editor_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    form = editor_client.get(edit_url(article))
    assertContains(form, 'name="featured"')
    assertContains(form, 'name="published_at"')
    data = edit_data(article, title="Edited by an editor", featured="on")
    response = editor_client.post(edit_url(article), {**data, "published_at": ""})
    assertRedirects(response, article.get_absolute_url())
    article.refresh_from_db()
    assert article.title == "Edited by an editor"
    assert (article.status, article.featured) == (Status.IN_REVIEW, True)
    assert article.author == advocate


def test_an_advocate_editing_their_published_article_keeps_it_published(
    advocate_client: Client, advocate
) -> None:
    published_at = timezone.now() - timedelta(days=10)
    article = ArticleFactory(author=advocate, featured=True, published_at=published_at)
    response = advocate_client.post(edit_url(article), edit_data(article, title="Updated guide"))
    assertRedirects(response, article.get_absolute_url())
    article.refresh_from_db()
    assert article.title == "Updated guide"
    assert article.status == Status.PUBLISHED
    assert article.published_at == published_at
    assert article.featured is True
