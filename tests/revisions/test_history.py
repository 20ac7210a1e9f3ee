"""The history page: the timeline of an item's revisions and workflow steps, for its owner
and editors only, at a cost that does not grow with the length of the history."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from kb.articles.models import Article
from kb.core.models import Status
from kb.revisions.services import revision_record
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    ContentFactory,
    ResearchLinkFactory,
    UserFactory,
)
from tests.revisions.helpers import (
    article_form,
    edit_url,
    history_url,
    restore_url,
    save_edit,
    write_article,
)

DRAFT = {"status": Status.DRAFT, "published_at": None}


@pytest.fixture
def edited_article(advocate_client: Client, editor) -> Article:
    """A published article the advocate wrote on the site and edited once: revisions 1, 2."""
    article = write_article(advocate_client, publisher=editor, title="Posting habits")
    save_edit(advocate_client, article, article_form(article, title="Posting habits, revised"))
    assert article.version == 2
    return article


def test_the_owner_sees_each_revision_with_its_author_and_message(
    advocate_client: Client, edited_article: Article
) -> None:
    response = advocate_client.get(history_url(edited_article))
    assertTemplateUsed(response, "revisions/history.html")
    assertContains(response, "Version 2")
    assertContains(response, "<strong>Revision 2</strong> — Edited")
    assertContains(response, "<strong>Revision 1</strong> — Created")
    assertContains(response, "by Adam Advocate", count=2)


def test_a_baseline_revision_is_shown_as_made_by_the_system(
    advocate_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate, title="Fixture title")
    advocate_client.post(edit_url(article), article_form(article, title="Edited title"))
    response = advocate_client.get(history_url(article))
    assertContains(
        response, "<strong>Revision 1</strong> — As it was before the first recorded edit"
    )
    assertContains(response, "by the system")


def test_a_step_by_a_since_deleted_user_is_shown_as_made_by_someone(
    advocate_client: Client, advocate, editor
) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    revision_record(item=article, user=advocate, message="Created")
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    editor.delete()
    assertContains(advocate_client.get(history_url(article)), "by someone")


def test_the_newest_revision_comes_first(advocate_client: Client, edited_article: Article) -> None:
    content = advocate_client.get(history_url(edited_article)).content.decode()
    assert content.index("<strong>Revision 2</strong>") < content.index(
        "<strong>Revision 1</strong>"
    )


def test_the_owner_may_restore_every_revision_but_the_current_one(
    advocate_client: Client, edited_article: Article
) -> None:
    response = advocate_client.get(history_url(edited_article))
    assertContains(response, restore_url(edited_article, 1))
    assertNotContains(response, restore_url(edited_article, 2))


def test_an_editor_sees_the_history_of_an_advocates_item(
    editor_client: Client, edited_article: Article
) -> None:
    response = editor_client.get(history_url(edited_article))
    assertContains(response, "<strong>Revision 2</strong> — Edited")
    assertContains(response, restore_url(edited_article, 1))


def test_workflow_transitions_are_part_of_the_timeline(advocate_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, **DRAFT)
    revision_record(item=article, user=advocate, message="Created")
    content_transition(item=article, action=Action.SUBMIT, user=advocate)
    response = advocate_client.get(history_url(article))
    assertContains(response, "<strong>Submit for review</strong>")
    assertContains(response, "(draft → submitted for review)")
    assertContains(response, "<strong>Revision 1</strong> — Created")


@pytest.mark.parametrize(
    "factory", [ArticleFactory, CaseStudyFactory, ResearchLinkFactory], ids=lambda f: f.__name__
)
def test_every_kind_of_content_has_a_history_page(
    editor_client: Client, advocate, factory: type[ContentFactory]
) -> None:
    item = factory(**{factory._meta.model.OWNER_FIELD: advocate})
    revision_record(item=item, user=advocate, message="Created")
    response = editor_client.get(history_url(item))
    assertContains(response, "<strong>Revision 1</strong> — Created")
    assertContains(response, item.title)


def test_an_item_without_recorded_revisions_says_so(advocate_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate)
    assertContains(advocate_client.get(history_url(article)), "No changes have been recorded yet")


def test_a_reader_may_not_see_the_history_of_a_published_item(
    reader_client: Client, edited_article: Article
) -> None:
    response = reader_client.get(history_url(edited_article))
    assert response.status_code == 403


def test_another_advocate_may_not_see_the_history_of_a_published_item(
    other_advocate_client: Client, edited_article: Article
) -> None:
    assert other_advocate_client.get(history_url(edited_article)).status_code == 403


@pytest.mark.parametrize("persona", ["reader_client", "other_advocate_client"])
def test_someone_elses_draft_has_no_history_page(
    persona: str, advocate, request: pytest.FixtureRequest
) -> None:
    """A 404, not a 403: the draft's existence is not given away."""
    article = ArticleFactory(author=advocate, **DRAFT)
    revision_record(item=article, user=advocate, message="Created")
    client: Client = request.getfixturevalue(persona)
    assert client.get(history_url(article)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, edited_article: Article) -> None:
    response = client.get(history_url(edited_article))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("kind", "slug"),
    [("nonsense", "posting-habits"), ("article", "no-such-article"), ("revision", "1")],
    ids=["unknown-kind", "unknown-slug", "not-a-content-kind"],
)
def test_an_unknown_kind_or_slug_is_404(
    editor_client: Client, edited_article: Article, kind: str, slug: str
) -> None:
    assert editor_client.get(f"/history/{kind}/{slug}/").status_code == 404


# Query counts ---------------------------------------------------------------------------


def _article_with_history(author, length: int) -> Article:
    """An in-review article with ``length`` revisions by different people and ``length``
    workflow steps (submit, withdraw, submit …)."""
    article = ArticleFactory(author=author, **DRAFT)
    for number in range(1, length + 1):
        article.version = number
        article.save(update_fields=["version"])
        revision_record(item=article, user=UserFactory(), message=f"Edit {number}")
    for step in range(length):
        action = Action.SUBMIT if step % 2 == 0 else Action.WITHDRAW
        content_transition(item=article, action=action, user=author)
    return article


def _queries_for_history(client: Client, article: Article) -> int:
    client.get(history_url(article))  # warm the session, content types and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(history_url(article))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["advocate_client", "editor_client"])
def test_the_history_page_costs_the_same_queries_for_2_and_20_revisions(
    persona: str, advocate, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    short, long = _article_with_history(advocate, 2), _article_with_history(advocate, 20)
    assert _queries_for_history(client, short) == _queries_for_history(client, long)
    assertContains(client.get(history_url(long)), "<strong>Revision 20</strong> — Edit 20")
