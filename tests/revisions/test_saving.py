"""Every save through the site (or the admin) is a new version with its revision.

Revision N holds the content as it was after the save that made version N; an item made
without revisions (a fixture, an import) gets its stored state kept as a baseline on its
first edit, so that edit can be compared and undone.
"""

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from kb.casestudies.models import CaseStudy
from kb.core.models import Status
from kb.platforms.models import Platform
from kb.research.models import ResearchLink
from tests.factories import ArticleFactory, MetricFactory, ResearchLinkFactory
from tests.revisions.helpers import (
    article_form,
    case_study_form,
    edit_url,
    research_form,
    revision_numbers,
    revisions_of,
    save_edit,
    write_article,
    write_case_study,
)

BASELINE_MESSAGE = "As it was before the first recorded edit"


def test_creating_an_article_stores_revision_1_by_its_author(
    advocate_client: Client, advocate
) -> None:
    article = write_article(advocate_client, title="Start small", tags="LinkedIn, habits")
    assert article.version == 1
    [revision] = revisions_of(article)
    assert revision.number == 1
    assert revision.author == advocate
    assert revision.message == "Created"
    assert revision.data["title"] == "Start small"
    assert revision.data["body"] == article.body
    assert revision.data["tags"] == ["habits", "LinkedIn"]
    assert revision.data["related_case_studies"] == []


def test_each_edit_bumps_the_version_and_stores_the_new_content_as_revision_n(
    advocate_client: Client, advocate, council_story: CaseStudy, trust_survey: ResearchLink
) -> None:
    article = write_article(advocate_client)
    save_edit(advocate_client, article, article_form(article, title="Second title"))
    save_edit(
        advocate_client,
        article,
        article_form(
            article,
            title="Third title",
            body="Post **twice** a week.",
            tags="video",
            related_case_studies=[council_story.pk],
            related_research=[trust_survey.pk],
        ),
    )
    assert article.version == 3
    revisions = revisions_of(article)
    assert [r.number for r in revisions] == [1, 2, 3]
    assert [r.message for r in revisions] == ["Created", "Edited", "Edited"]
    assert {r.author for r in revisions} == {advocate}
    assert revisions[1].data["title"] == "Second title"
    latest = revisions[2].data
    assert latest["title"] == "Third title"
    assert latest["body"] == "Post **twice** a week."
    assert latest["tags"] == ["video"]
    assert latest["related_case_studies"] == [[council_story.pk, "Council hiring drive"]]
    assert latest["related_research"] == [[trust_survey.pk, "Trust survey"]]


def test_an_editor_editing_an_advocates_article_is_the_author_of_that_revision(
    editor_client: Client, editor, advocate
) -> None:
    article = ArticleFactory(author=advocate)
    save_edit(editor_client, article, article_form(article, title="Tidied by the editor"))
    assert revisions_of(article)[-1].author == editor
    assert article.author == advocate


def test_a_case_study_revision_holds_its_metric_rows_and_platforms(
    advocate_client: Client, linkedin: Platform
) -> None:
    [revision] = revisions_of(write_case_study(advocate_client, platforms=[linkedin.pk]))
    assert revision.data["platforms"] == [[linkedin.pk, "LinkedIn"]]
    assert revision.data["metrics"] == [
        {
            "name": "Applications per vacancy",
            "value_before": "14.00",
            "value_after": "31.00",
            "unit": "applications",
            "period": "6 months",
            "lower_is_better": False,
            "is_headline": False,
            "position": 0,
        }
    ]


def test_editing_a_case_studys_metrics_and_platforms_stores_them_in_the_new_revision(
    reworked_case_study: CaseStudy, instagram: Platform
) -> None:
    assert reworked_case_study.version == 2
    data = revisions_of(reworked_case_study)[-1].data
    assert data["title"] == "Hiring, revisited"
    assert data["platforms"] == [[instagram.pk, "Instagram"]]
    assert [(row["name"], row["value_after"]) for row in data["metrics"]] == [
        ("Applications per vacancy", "40.00"),
        ("Cost per hire", "900.00"),
    ]


def test_the_first_edit_of_an_item_made_without_revisions_keeps_its_old_state_as_a_baseline(
    advocate_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate, title="Fixture title", tags=["linkedin"])
    assert revision_numbers(article) == []
    save_edit(advocate_client, article, article_form(article, title="Edited title"))
    baseline, edited = revisions_of(article)
    assert (baseline.number, edited.number) == (1, 2)
    assert baseline.data["title"] == "Fixture title"
    assert baseline.data["tags"] == ["linkedin"]
    assert baseline.author is None
    assert baseline.message == BASELINE_MESSAGE
    assert edited.data["title"] == "Edited title"
    assert edited.author == advocate


def test_the_baseline_is_kept_once_not_on_every_edit(advocate_client: Client, advocate) -> None:
    link = ResearchLinkFactory(added_by=advocate, title="Fixture survey")
    save_edit(advocate_client, link, research_form(link, title="Survey, corrected"))
    save_edit(advocate_client, link, research_form(link, publisher="Another institute"))
    assert link.version == 3
    assert [r.message for r in revisions_of(link)] == [BASELINE_MESSAGE, "Edited", "Edited"]


def test_a_case_study_baseline_holds_its_metric_rows(advocate_client: Client, advocate) -> None:
    metric = MetricFactory(case_study__created_by=advocate)
    case_study = metric.case_study
    save_edit(advocate_client, case_study, case_study_form(case_study, title="Renamed"))
    baseline = revisions_of(case_study)[0]
    assert [row["name"] for row in baseline.data["metrics"]] == ["Applications per vacancy"]


def test_an_invalid_edit_stores_nothing_and_keeps_the_version(
    advocate_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate)
    response = advocate_client.post(edit_url(article), article_form(article, title=""))
    assertContains(response, "This field is required")
    article.refresh_from_db()
    assert article.version == 1
    assert revision_numbers(article) == []


def test_saving_in_the_admin_stores_a_revision_after_a_baseline(
    admin_client: Client, admin_user, advocate
) -> None:
    article = ArticleFactory(author=advocate, title="Fixture title", status=Status.DRAFT)
    published_at = timezone.localtime()
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": "Curated title",
            "slug": article.slug,
            "author": advocate.pk,
            "summary": article.summary,
            "body": article.body,
            "tags": "curated",
            "published_at_0": published_at.strftime("%Y-%m-%d"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
            "base_version": article.version,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.version == 2
    baseline, edited = revisions_of(article)
    assert baseline.data["title"] == "Fixture title"
    assert edited.data["title"] == "Curated title"
    assert edited.data["tags"] == ["curated"]
    assert edited.author == admin_user
    assert edited.message == "Edited in the admin"


def test_a_stale_admin_save_is_refused_and_keeps_the_text(admin_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, title="Fixture title", status=Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": "Curated title",
        "slug": article.slug,
        "author": advocate.pk,
        "summary": article.summary,
        "body": article.body,
        "tags": "curated",
        "base_version": article.version,
        "_save": "Save",
    }
    type(article).objects.filter(pk=article.pk).update(version=2)  # someone saved meanwhile
    response = admin_client.post(url, data)
    assertContains(response, "Someone saved this item after you opened it")
    assertContains(response, 'value="Curated title"')
    assertContains(response, 'name="base_version" value="2"')
    article.refresh_from_db()
    assert article.title == "Fixture title"
    resent = admin_client.post(url, {**data, "base_version": 2})
    assert resent.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.version) == ("Curated title", 3)
