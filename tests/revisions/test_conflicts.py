"""Edit conflicts (optimistic locking): a save based on an out-of-date version never
overwrites; it shows what changed meanwhile next to the user's own text, kept in the form,
and saving from there is a deliberate second step."""

import pytest
from django.http import HttpResponse
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from kb.articles.models import Article
from kb.core.models import Status
from tests.factories import ArticleFactory
from tests.revisions.helpers import (
    article_form,
    case_study_form,
    edit_url,
    form_as_posted,
    revision_numbers,
    revisions_of,
    write_article,
    write_case_study,
)

FIRST_TITLE = "Posting habits that last"
SECOND_TITLE = "Posting habits for busy teams"
SECOND_BODY = "Post once a week. Keep a checklist."
MISSING_VERSION = "This form is missing the version it was opened at; reload the page."


@pytest.fixture
def article(advocate_client: Client, editor) -> Article:
    """A published article the advocate wrote on the site: version 1, revision 1."""
    return write_article(
        advocate_client, publisher=editor, title="Posting habits", body="Post once a week."
    )


def opened_at(client: Client, item: Article) -> int:
    """The version the edit form says it was opened at, as the browser will send it back."""
    return client.get(edit_url(item)).context["form"]["base_version"].value()


@pytest.fixture
def conflict(advocate_client: Client, editor_client: Client, article: Article) -> HttpResponse:
    """The advocate and the editor open the edit form at version 1; the advocate saves
    first, then the editor's save comes back as a conflict."""
    advocate_opened = opened_at(advocate_client, article)
    editor_opened = opened_at(editor_client, article)
    assert advocate_opened == editor_opened == 1
    saved = advocate_client.post(
        edit_url(article),
        article_form(
            article, base_version=advocate_opened, title=FIRST_TITLE, body="Post twice a week."
        ),
    )
    assert saved.status_code == 302
    return editor_client.post(
        edit_url(article),
        article_form(article, base_version=editor_opened, title=SECOND_TITLE, body=SECOND_BODY),
    )


def test_the_edit_form_carries_the_version_it_was_opened_at(
    advocate_client: Client, article: Article
) -> None:
    response = advocate_client.get(edit_url(article))
    assertContains(response, 'name="base_version" value="1"')


def test_the_second_save_from_the_same_version_is_a_conflict(conflict: HttpResponse) -> None:
    assert conflict.status_code == 409
    assertTemplateUsed(conflict, "revisions/conflict.html")
    heading = "Someone else saved “Posting habits that last” while you were editing"
    assertContains(conflict, heading, status_code=409)
    assertContains(conflict, "You started from version 1; it is now at version 2", status_code=409)
    assertContains(conflict, "saved by Adam Advocate", status_code=409)
    assertContains(conflict, "Nothing has been overwritten", status_code=409)


def test_the_conflict_page_shows_what_changed_meanwhile(conflict: HttpResponse) -> None:
    assertContains(conflict, "<dt>Title</dt>", status_code=409)
    assertContains(conflict, "<ins> that last</ins>", status_code=409)
    assertContains(conflict, "<del>once</del><ins>twice</ins>", status_code=409)


def test_the_conflict_page_keeps_the_second_users_text_in_the_form(conflict: HttpResponse) -> None:
    form = conflict.context["form"]
    assert form["title"].value() == SECOND_TITLE
    assert form["body"].value() == SECOND_BODY
    assertContains(conflict, f'value="{SECOND_TITLE}"', status_code=409)
    assertContains(conflict, SECOND_BODY, status_code=409)


def test_the_conflict_page_form_is_based_on_the_current_version(conflict: HttpResponse) -> None:
    assertContains(conflict, 'name="base_version" value="2"', status_code=409)
    assertContains(conflict, "Save my version", status_code=409)


def test_a_conflict_overwrites_nothing(conflict: HttpResponse, article: Article) -> None:
    article.refresh_from_db()
    assert (article.version, article.title, article.body) == (
        2,
        FIRST_TITLE,
        "Post twice a week.",
    )
    assert revision_numbers(article) == [1, 2]


def test_saving_again_from_the_conflict_page_saves_the_second_users_version(
    conflict: HttpResponse, editor_client: Client, editor, article: Article
) -> None:
    response = editor_client.post(edit_url(article), form_as_posted(conflict.context["form"]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.version, article.title, article.body) == (3, SECOND_TITLE, SECOND_BODY)
    latest = revisions_of(article)[-1]
    assert (latest.number, latest.author, latest.data["title"]) == (3, editor, SECOND_TITLE)


def test_posting_the_stale_form_again_is_still_a_conflict(
    conflict: HttpResponse, editor_client: Client, article: Article
) -> None:
    stale = article_form(article, title=SECOND_TITLE, base_version=1)
    assert editor_client.post(edit_url(article), stale).status_code == 409
    article.refresh_from_db()
    assert article.title == FIRST_TITLE


def test_a_conflicting_save_and_submit_does_not_submit_either(
    advocate_client: Client, advocate
) -> None:
    """The same author in two tabs: the second tab's "save and submit" changes nothing."""
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    first_tab, second_tab = article_form(article), article_form(article)
    advocate_client.post(edit_url(article), {**first_tab, "title": FIRST_TITLE})
    response = advocate_client.post(
        edit_url(article), {**second_tab, "title": SECOND_TITLE, "submit_for_review": "1"}
    )
    assert response.status_code == 409
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.DRAFT, FIRST_TITLE)


def test_a_case_study_conflict_shows_the_metric_changes_and_keeps_the_typed_rows(
    advocate_client: Client, editor_client: Client, editor
) -> None:
    case_study = write_case_study(advocate_client)
    advocate_form, editor_form = case_study_form(case_study), case_study_form(case_study)
    advocate_form["metrics-0-value_after"] = "40"
    assert advocate_client.post(edit_url(case_study), advocate_form).status_code == 302
    editor_form.update({"title": "Hiring, checked", "metrics-0-unit": "hires"})

    response = editor_client.post(edit_url(case_study), editor_form)

    assert response.status_code == 409
    assertContains(response, "<dt>Metrics</dt>", status_code=409)
    assertContains(response, "<ins>name: Applications per vacancy", status_code=409)
    assertContains(response, "value after: 40.00", status_code=409)
    assert response.context["formset"].forms[0]["unit"].value() == "hires"
    metric = case_study.metrics.get()
    assert (metric.value_after, metric.unit) == (40, "applications")

    saved = editor_client.post(edit_url(case_study), form_as_posted(response.context["form"]))
    assert saved.status_code == 302
    case_study.refresh_from_db()
    assert (case_study.version, case_study.title) == (3, "Hiring, checked")
    assert case_study.metrics.get().unit == "hires"


def test_a_conflict_on_an_item_made_without_revisions_still_shows_the_changes(
    advocate_client: Client, editor_client: Client, advocate
) -> None:
    """The first save kept the baseline, so there is something to compare with."""
    article = ArticleFactory(author=advocate, title="Fixture title")
    advocate_form, editor_form = article_form(article), article_form(article)
    advocate_client.post(edit_url(article), {**advocate_form, "title": "Fixture title, fixed"})
    response = editor_client.post(edit_url(article), {**editor_form, "title": SECOND_TITLE})
    assertContains(response, "<ins>, fixed</ins>", status_code=409)


def test_a_conflict_says_so_when_the_earlier_version_was_not_recorded(
    editor_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate, version=3)
    response = editor_client.post(edit_url(article), article_form(article, base_version=2))
    assertContains(response, "The earlier version was not recorded", status_code=409)
    assertNotContains(response, "<ins>", status_code=409)


def test_a_conflict_with_a_save_by_a_since_deleted_user_still_shows_the_page(
    advocate_client: Client, editor_client: Client, editor, article: Article
) -> None:
    advocate_form = article_form(article, title=SECOND_TITLE)
    editor_client.post(edit_url(article), article_form(article, title=FIRST_TITLE))
    editor.delete()
    response = advocate_client.post(edit_url(article), advocate_form)
    assertContains(response, "saved by someone", status_code=409)


# Forms that say nothing useful about their version --------------------------------------


@pytest.mark.parametrize(
    ("base_version", "error"),
    [
        (None, MISSING_VERSION),
        ("", MISSING_VERSION),
        ("abc", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-1", "Ensure this value is greater than or equal to 1."),
    ],
    ids=["missing", "empty", "letters", "fraction", "zero", "negative"],
)
def test_an_edit_without_a_usable_version_is_a_form_error_that_keeps_the_text(
    advocate_client: Client, article: Article, base_version: str | None, error: str
) -> None:
    data = article_form(article, title=SECOND_TITLE, body=SECOND_BODY)
    if base_version is None:
        del data["base_version"]
    else:
        data["base_version"] = base_version
    response = advocate_client.post(edit_url(article), data)
    assertContains(response, error)
    assertContains(response, "nothing you typed has been lost")
    assertContains(response, f'value="{SECOND_TITLE}"')
    assertContains(response, SECOND_BODY)
    article.refresh_from_db()
    assert (article.version, article.title) == (1, "Posting habits")
    assert revision_numbers(article) == [1]


def test_a_version_newer_than_the_item_is_a_conflict_not_a_crash(
    advocate_client: Client, article: Article
) -> None:
    data = article_form(article, title=SECOND_TITLE, base_version="7")
    response = advocate_client.post(edit_url(article), data)
    assert response.status_code == 409
    article.refresh_from_db()
    assert (article.version, article.title) == (1, "Posting habits")


@pytest.mark.parametrize("base_version", ["2147483648", "99999999999999999999"])
def test_an_impossible_version_is_a_form_error_that_keeps_the_text(
    advocate_client: Client, article: Article, base_version: str
) -> None:
    data = article_form(article, title=SECOND_TITLE, base_version=base_version)
    response = advocate_client.post(edit_url(article), data)
    assertContains(response, "nothing you typed has been lost")
    assertContains(response, f'value="{SECOND_TITLE}"')
    article.refresh_from_db()
    assert (article.version, article.title) == (1, "Posting habits")
