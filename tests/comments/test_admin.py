"""Comments in the admin: listed with their item, searchable, hidden and unhidden in bulk."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.comments.admin import ADMIN_HIDE_REASON
from kb.comments.models import Comment
from tests.factories import CaseStudyFactory, CommentFactory

CHANGELIST = reverse("admin:comments_comment_changelist")


def run_action(client: Client, action: str, comments: list[Comment]):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_the_changelist_shows_the_item_and_author(admin_client: Client, article) -> None:
    CommentFactory(target=article, body="Listed comment")
    CommentFactory(target=CaseStudyFactory(title="A case study"), body="Another one")
    response = admin_client.get(CHANGELIST)
    assertContains(response, "Listed comment")
    assertContains(response, f'href="{article.get_absolute_url()}"')
    assertContains(response, "A case study")


def test_the_changelist_searches_the_body(admin_client: Client) -> None:
    CommentFactory(body="About recruitment")
    CommentFactory(body="About video")
    response = admin_client.get(f"{CHANGELIST}?q=recruitment")
    assertContains(response, "About recruitment")
    assertNotContains(response, "About video")


def test_the_changelist_filters_hidden_comments(admin_client: Client, editor) -> None:
    CommentFactory(body="Shown one")
    CommentFactory(
        body="Hidden one", hidden_at=timezone.now(), hidden_by=editor, hidden_reason="Spam"
    )
    response = admin_client.get(f"{CHANGELIST}?hidden_at__isempty=0")
    assert response.status_code == 200
    assertContains(response, "Hidden one")
    assertNotContains(response, "Shown one")


def test_the_change_and_add_pages_load(admin_client: Client) -> None:
    comment = CommentFactory()
    for url in (
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:comments_comment_add"),
    ):
        assert admin_client.get(url).status_code == 200


def test_hiding_in_bulk_reports_how_many(admin_client: Client, admin_user) -> None:
    comments = CommentFactory.create_batch(2)
    response = run_action(admin_client, "hide", comments)
    assertContains(response, "2 comments hidden.")
    for comment in comments:
        comment.refresh_from_db()
        assert (comment.hidden_by, comment.hidden_reason) == (admin_user, ADMIN_HIDE_REASON)


def test_unhiding_in_bulk_reports_how_many(admin_client: Client, editor) -> None:
    hidden = CommentFactory(hidden_at=timezone.now(), hidden_by=editor, hidden_reason="Spam")
    shown = CommentFactory()
    response = run_action(admin_client, "unhide", [hidden, shown])
    assertContains(response, "1 comment unhidden.")
    hidden.refresh_from_db()
    assert hidden.hidden_at is None and hidden.hidden_reason == ""
