"""Workflow pages: the panel on an item, action pages, the review queue, the trash, purging."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.articles.models import Article
from kb.core.models import Status
from kb.revisions.models import Revision
from kb.revisions.services import revision_record
from kb.workflow.models import Action, Transition
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

DRAFT = {"status": Status.DRAFT, "published_at": None}


def action_url(item, action: str) -> str:
    return reverse("workflow:action", args=[item._meta.model_name, item.slug, action])


# The panel on an item's page -----------------------------------------------------------


def test_the_author_is_offered_to_submit_their_draft(advocate_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, **DRAFT)
    response = advocate_client.get(article.get_absolute_url())
    assertContains(response, "Status: <strong>Draft</strong>", html=False)
    assertContains(response, action_url(article, "submit"))
    assertNotContains(response, action_url(article, "publish"))


def test_an_editor_is_offered_publish_and_request_changes(editor_client: Client, advocate) -> None:
    case_study = CaseStudyFactory(created_by=advocate, status=Status.IN_REVIEW, published_at=None)
    response = editor_client.get(case_study.get_absolute_url())
    assertContains(response, action_url(case_study, "publish"))
    assertContains(response, action_url(case_study, "request_changes"))


def test_a_reader_sees_no_workflow_panel(reader_client: Client) -> None:
    article = ArticleFactory()
    response = reader_client.get(article.get_absolute_url())
    assertNotContains(response, "workflow-panel")
    assertNotContains(response, reverse("workflow:trash") + "x")


def test_the_author_sees_what_the_editor_asked_for(
    advocate_client: Client, advocate, editor
) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    content_transition(
        item=article, action=Action.REQUEST_CHANGES, user=editor, comment="Cite the <b>survey</b>."
    )
    response = advocate_client.get(article.get_absolute_url())
    assertContains(response, "Eddie Editor requested changes")
    assertContains(response, "Cite the &lt;b&gt;survey&lt;/b&gt;.")


# Action pages ---------------------------------------------------------------------------


def test_an_author_submits_with_one_click(advocate_client: Client, advocate) -> None:
    link = ResearchLinkFactory(added_by=advocate, **DRAFT)
    response = advocate_client.post(action_url(link, "submit"), follow=True)
    assertRedirects(response, link.get_absolute_url())
    assertContains(response, "submitted for review")
    link.refresh_from_db()
    assert link.status == Status.IN_REVIEW


def test_an_editor_requests_changes_with_a_comment(editor_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    url = action_url(article, "request_changes")
    assertContains(editor_client.get(url), "What needs to change")
    response = editor_client.post(url, {"comment": "Add a metric."})
    assertRedirects(response, article.get_absolute_url())
    assert Transition.objects.get().comment == "Add a metric."


def test_requesting_changes_without_a_comment_is_refused_on_the_page(
    editor_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    response = editor_client.post(action_url(article, "request_changes"), {"comment": ""})
    assertContains(response, "Say what needs to change", status_code=200)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_an_editor_schedules_publication(editor_client: Client, reader_client: Client) -> None:
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    later = timezone.localtime() + timedelta(days=2)
    response = editor_client.post(
        action_url(article, "publish"),
        {"comment": "", "publish_at": later.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assertContains(response, "is scheduled for")
    article.refresh_from_db()
    assert article.is_scheduled
    assert reader_client.get(article.get_absolute_url()).status_code == 404
    assertNotContains(reader_client.get(reverse("articles:list")), article.title)


@pytest.mark.parametrize(
    ("publish_at", "error"),
    [
        ("2001-01-01T10:00", "Choose a time from now on"),
        ("next tuesday", "Enter a valid date/time"),
        ("9" * 5000, "Enter a valid date/time"),
    ],
)
def test_a_bad_publication_time_is_refused_and_the_comment_kept(
    editor_client: Client, publish_at: str, error: str
) -> None:
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    response = editor_client.post(
        action_url(article, "publish"), {"comment": "Lovely piece", "publish_at": publish_at}
    )
    assertContains(response, error)
    assertContains(response, "Lovely piece")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_an_action_that_no_longer_applies_says_so(editor_client: Client) -> None:
    article = ArticleFactory()  # already published
    response = editor_client.post(action_url(article, "publish"))
    assertContains(response, "does not apply", status_code=400)


@pytest.mark.parametrize("persona", ["reader_client", "other_advocate_client"])
def test_others_cannot_act_on_someone_elses_item(request, persona: str, advocate) -> None:
    client = request.getfixturevalue(persona)
    published = ArticleFactory(author=advocate)
    draft = ArticleFactory(author=advocate, **DRAFT)
    assert client.post(action_url(published, "unpublish")).status_code == 404
    assert client.post(action_url(draft, "submit")).status_code == 404
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == (Status.PUBLISHED, Status.DRAFT)


@pytest.mark.parametrize(
    "path",
    [
        "/items/article/no-such-slug/publish/",
        "/items/spaceship/some-slug/publish/",
        "/items/article/{slug}/explode/",
        "/items/user/{slug}/publish/",
    ],
)
def test_unknown_items_kinds_and_actions_are_404(editor_client: Client, path: str) -> None:
    article = ArticleFactory(**DRAFT)
    assert editor_client.post(path.format(slug=article.slug)).status_code == 404


# The review queue -----------------------------------------------------------------------


def test_editors_see_what_waits_for_review_and_what_is_scheduled(editor_client: Client) -> None:
    ArticleFactory(title="Waiting article", status=Status.IN_REVIEW, published_at=None)
    CaseStudyFactory(title="Waiting study", status=Status.IN_REVIEW, published_at=None)
    ArticleFactory(title="Scheduled piece", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(title="Plain draft", **DRAFT)
    response = editor_client.get(reverse("workflow:review_queue"))
    assertContains(response, "Waiting article")
    assertContains(response, "Waiting study")
    assertContains(response, "Scheduled piece")
    assertNotContains(response, "Plain draft")


def test_the_account_menu_leads_editors_to_the_review_queue(
    editor_client: Client, advocate_client: Client
) -> None:
    queue = reverse("workflow:review_queue")
    assertContains(editor_client.get(reverse("home")), f'href="{queue}"')
    assertNotContains(advocate_client.get(reverse("home")), f'href="{queue}"')


@pytest.mark.parametrize("persona", ["reader_client", "advocate_client"])
def test_only_editors_have_a_review_queue(request, persona: str) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(reverse("workflow:review_queue")).status_code == 403


def test_the_review_queue_costs_the_same_queries_for_1_and_for_20_items(
    editor_client: Client,
) -> None:
    ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse("workflow:review_queue"))
    ArticleFactory.create_batch(19, status=Status.IN_REVIEW, published_at=None)
    with CaptureQueriesContext(connection) as twenty:
        editor_client.get(reverse("workflow:review_queue"))
    assert len(twenty) == len(one)


# Trash ----------------------------------------------------------------------------------


def test_an_author_trashes_their_article_and_it_vanishes_from_lists(
    advocate_client: Client, reader_client: Client, advocate
) -> None:
    article = ArticleFactory(author=advocate, title="Regrettable post")
    response = advocate_client.post(action_url(article, "trash"), follow=True)
    assertRedirects(response, reverse("workflow:trash"))
    assertContains(response, "Regrettable post")
    assert reader_client.get(article.get_absolute_url()).status_code == 404
    assertNotContains(reader_client.get(reverse("articles:list")), "Regrettable post")
    assertNotContains(reader_client.get(reverse("home")), "Regrettable post")
    assertNotContains(
        reader_client.get(reverse("search:results"), {"q": "regrettable"}), "Regrettable post"
    )


def test_the_trash_shows_authors_their_own_items_and_editors_everything(
    advocate, other_advocate, advocate_client: Client, other_advocate_client: Client,
    editor_client: Client,
) -> None:  # fmt: skip
    article = ArticleFactory(author=advocate, title="Deleted piece by Adam")
    content_transition(item=article, action=Action.TRASH, user=advocate)
    assertContains(advocate_client.get(reverse("workflow:trash")), "Deleted piece by Adam")
    assertContains(editor_client.get(reverse("workflow:trash")), "Deleted piece by Adam")
    assertNotContains(other_advocate_client.get(reverse("workflow:trash")), "Deleted piece by Adam")
    assert other_advocate_client.post(action_url(article, "restore")).status_code == 404


def test_an_editor_restores_from_the_trash(
    editor, editor_client: Client, reader_client: Client
) -> None:
    case_study = CaseStudyFactory(title="Back from the dead")
    content_transition(item=case_study, action=Action.TRASH, user=editor)
    response = editor_client.post(action_url(case_study, "restore"))
    assertRedirects(response, case_study.get_absolute_url())
    assert reader_client.get(case_study.get_absolute_url()).status_code == 200


def test_a_new_item_may_reuse_the_title_of_a_trashed_one(advocate) -> None:
    first = ArticleFactory(author=advocate, title="Same title")
    content_transition(item=first, action=Action.TRASH, user=advocate)
    second = ArticleFactory(author=advocate, title="Same title")
    assert second.slug != first.slug


def test_a_research_url_in_the_trash_is_caught_with_advice(advocate_client: Client, advocate):
    link = ResearchLinkFactory(added_by=advocate, url="https://example.org/gone", title="Gone")
    content_transition(item=link, action=Action.TRASH, user=advocate)
    response = advocate_client.post(
        reverse("research:create"),
        {"url": "https://example.org/gone", "title": "Again", "publisher": "X", "kind": "other"},
    )
    assertContains(response, "This link is in the trash as “Gone”; restore it instead.")


def test_purge_trash_deletes_only_what_is_past_the_window(advocate, editor, settings) -> None:
    old = ArticleFactory(author=advocate, title="Old rubbish")
    recent = ArticleFactory(author=advocate, title="Recent rubbish")
    revision_record(item=old, user=advocate)
    for item in (old, recent):
        content_transition(item=item, action=Action.TRASH, user=advocate)
    Article.all_objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - timedelta(days=settings.KB_TRASH_DAYS, minutes=1)
    )
    out = StringIO()
    call_command("purge_trash", "--dry-run", stdout=out)
    assert "Would delete 1 item" in out.getvalue()
    assert Article.all_objects.filter(pk=old.pk).exists()
    call_command("purge_trash", stdout=out)
    assert "Deleted article “Old rubbish”" in out.getvalue()
    assert list(Article.all_objects.values_list("title", flat=True)) == ["Recent rubbish"]
    assert not Transition.objects.filter(object_id=old.pk, content_type__model="article").exists()
    assert not Revision.objects.filter(object_id=old.pk, content_type__model="article").exists()
