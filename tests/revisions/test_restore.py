"""Restoring an old revision: the content becomes that revision's again, as a new version
with its own revision, so history is only ever added to; only those who may edit restore."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.models import Status
from kb.platforms.models import Platform
from kb.research.models import ResearchLink
from tests.factories import ArticleFactory, ResearchLinkFactory
from tests.revisions.helpers import (
    article_form,
    edit_url,
    history_url,
    research_form,
    restore_url,
    revision_numbers,
    revisions_of,
    save_edit,
    write_article,
)


def related_titles(manager) -> list[str]:
    return sorted(manager.values_list("title", flat=True))


def tag_names(item) -> list[str]:
    return sorted(tag.name for tag in item.tags.all())


@pytest.fixture
def article(
    advocate_client: Client, editor, council_story: CaseStudy, trust_survey: ResearchLink
) -> Article:
    """Published; revision 1 cites the council story, revision 2 rewrote it all."""
    article = write_article(
        advocate_client,
        publisher=editor,
        title="Posting habits",
        body="Post once a week.",
        tags="habits, linkedin",
        related_case_studies=[council_story.pk],
    )
    save_edit(
        advocate_client,
        article,
        article_form(
            article,
            title="Posting rituals",
            body="Post every day.",
            tags="video",
            related_case_studies=[],
            related_research=[trust_survey.pk],
        ),
    )
    return article


def test_restoring_revision_1_makes_the_content_that_of_revision_1_again(
    advocate_client: Client, article: Article, council_story: CaseStudy
) -> None:
    response = advocate_client.post(restore_url(article, 1))
    assertRedirects(response, history_url(article), fetch_redirect_response=False)
    article.refresh_from_db()
    assert article.title == "Posting habits"
    assert article.body == "Post once a week."
    assert tag_names(article) == ["habits", "linkedin"]
    assert list(article.related_case_studies.all()) == [council_story]
    assert list(article.related_research.all()) == []


def test_a_restore_is_a_new_version_with_its_own_revision_and_keeps_the_history(
    advocate_client: Client, advocate, article: Article
) -> None:
    before = {r.number: r.data for r in revisions_of(article)}
    advocate_client.post(restore_url(article, 1))
    article.refresh_from_db()
    assert article.version == 3
    revisions = revisions_of(article)
    assert [r.number for r in revisions] == [1, 2, 3]
    assert {r.number: r.data for r in revisions[:2]} == before
    restored = revisions[2]
    assert restored.message == "Restored revision 1"
    assert restored.author == advocate
    assert restored.data == before[1]


def test_the_history_says_which_revision_the_restore_made(
    advocate_client: Client, article: Article
) -> None:
    response = advocate_client.post(restore_url(article, 1), follow=True)
    assertContains(response, "Revision 1 restored; it is now revision 3.")
    assertContains(response, "<strong>Revision 3</strong> — Restored revision 1")


def test_a_restore_can_itself_be_undone(advocate_client: Client, article: Article) -> None:
    advocate_client.post(restore_url(article, 1))
    advocate_client.post(restore_url(article, 2))
    article.refresh_from_db()
    assert (article.version, article.title, tag_names(article)) == (4, "Posting rituals", ["video"])
    assert revision_numbers(article) == [1, 2, 3, 4]


def test_restoring_a_case_study_brings_back_its_metric_rows_and_platforms(
    advocate_client: Client, reworked_case_study: CaseStudy, linkedin: Platform
) -> None:
    case_study = reworked_case_study
    advocate_client.post(restore_url(case_study, 1))
    case_study.refresh_from_db()
    assert case_study.title == "Hiring on LinkedIn"
    assert list(case_study.platforms.all()) == [linkedin]
    rows = case_study.metrics.values_list(
        "name", "value_before", "value_after", "unit", "period", "lower_is_better"
    )
    assert [(name, str(before), str(after), *rest) for name, before, after, *rest in rows] == [
        ("Applications per vacancy", "14.00", "31.00", "applications", "6 months", False)
    ]
    assert revisions_of(case_study)[-1].data == revisions_of(case_study)[0].data


def test_restoring_the_baseline_undoes_the_first_edit_of_an_item_made_without_revisions(
    advocate_client: Client, advocate
) -> None:
    link = ResearchLinkFactory(added_by=advocate, title="Fixture survey", tags=["trust"])
    save_edit(advocate_client, link, research_form(link, title="Survey, renamed", tags="surveys"))
    response = advocate_client.post(restore_url(link, 1))
    assertRedirects(response, history_url(link), fetch_redirect_response=False)
    link.refresh_from_db()
    assert (link.version, link.title, tag_names(link)) == (3, "Fixture survey", ["trust"])


def test_an_editor_may_restore_an_advocates_item(
    editor_client: Client, editor, advocate, article: Article
) -> None:
    editor_client.post(restore_url(article, 1))
    article.refresh_from_db()
    assert article.title == "Posting habits"
    assert article.author == advocate
    assert revisions_of(article)[-1].author == editor


def test_an_edit_form_opened_before_a_restore_is_a_conflict(
    advocate_client: Client, editor_client: Client, article: Article
) -> None:
    stale_form = article_form(article, title="Typed before the restore")
    editor_client.post(restore_url(article, 1))
    response = advocate_client.post(edit_url(article), stale_form)
    assert response.status_code == 409
    article.refresh_from_db()
    assert article.title == "Posting habits"


# Who may restore, and how ---------------------------------------------------------------


def assert_unchanged(article: Article) -> None:
    article.refresh_from_db()
    assert (article.version, article.title) == (2, "Posting rituals")
    assert revision_numbers(article) == [1, 2]


def test_restore_is_post_only(advocate_client: Client, article: Article) -> None:
    assert advocate_client.get(restore_url(article, 1)).status_code == 405
    assert_unchanged(article)


@pytest.mark.parametrize("persona", ["reader_client", "other_advocate_client"])
def test_only_those_who_may_edit_restore_a_published_item(
    persona: str, article: Article, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.post(restore_url(article, 1)).status_code == 403
    assert_unchanged(article)


@pytest.mark.parametrize("persona", ["reader_client", "other_advocate_client"])
def test_someone_elses_draft_cannot_be_restored_nor_found(
    persona: str, article: Article, request: pytest.FixtureRequest
) -> None:
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    client: Client = request.getfixturevalue(persona)
    assert client.post(restore_url(article, 1)).status_code == 404
    assert_unchanged(article)


@pytest.mark.parametrize("number", [9, 2**31, 10**20])
def test_a_revision_that_does_not_exist_is_404(
    advocate_client: Client, article: Article, number: int
) -> None:
    assert advocate_client.post(restore_url(article, number)).status_code == 404
    assert_unchanged(article)


def test_a_revision_of_another_item_cannot_be_restored_onto_this_one(
    advocate_client: Client, advocate, article: Article
) -> None:
    other = ArticleFactory(author=advocate, title="Another article")
    save_edit(advocate_client, other, article_form(other, title="Another article, edited"))
    advocate_client.post(restore_url(other, 1))
    assert_unchanged(article)


def test_restoring_a_url_another_link_has_taken_since_is_refused_with_a_message(
    advocate_client: Client, advocate
) -> None:
    link = ResearchLinkFactory(added_by=advocate, url="https://example.org/report")
    save_edit(advocate_client, link, research_form(link, url="https://example.org/report-v2"))
    ResearchLinkFactory(url="https://example.org/report")
    response = advocate_client.post(restore_url(link, 1), follow=True)
    assert response.status_code == 200
    link.refresh_from_db()
    assert (link.version, link.url) == (2, "https://example.org/report-v2")
