"""Authors may edit or delete their own comments for KB_COMMENT_EDIT_MINUTES, nobody else."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.comments.models import Comment
from kb.comments.services import comment_delete, comment_edit
from tests.factories import CommentFactory


@pytest.fixture
def comment(reader, article) -> Comment:
    return CommentFactory(target=article, author=reader, body="First *draft* of my thoughts.")


@pytest.fixture
def old_comment(reader, article, settings) -> Comment:
    """Written just after the edit window closed."""
    created = timezone.now() - timedelta(minutes=settings.KB_COMMENT_EDIT_MINUTES, seconds=1)
    return CommentFactory(target=article, author=reader, created_at=created)


def edit_url(comment: Comment) -> str:
    return reverse("comments:edit", args=[comment.pk])


def delete_url(comment: Comment) -> str:
    return reverse("comments:delete", args=[comment.pk])


# Editing -------------------------------------------------------------------------------


def test_the_author_edits_within_the_window(
    reader_client: Client, comment: Comment, article
) -> None:
    form = reader_client.get(edit_url(comment))
    assertContains(form, "First *draft* of my thoughts.")
    response = reader_client.post(edit_url(comment), {"body": "Second thoughts."})
    assertRedirects(
        response,
        f"{article.get_absolute_url()}#comment-{comment.pk}",
        fetch_redirect_response=False,
    )
    comment.refresh_from_db()
    assert comment.body == "Second thoughts."
    assert comment.edited_at is not None
    assertContains(reader_client.get(article.get_absolute_url()), "edited")


def test_the_author_sees_edit_and_delete_links_while_the_window_is_open(
    reader_client: Client, comment: Comment, article
) -> None:
    page = reader_client.get(article.get_absolute_url())
    assertContains(page, edit_url(comment))
    assertContains(page, delete_url(comment))


def test_an_empty_edit_is_sent_back_with_an_error(reader_client: Client, comment: Comment) -> None:
    response = reader_client.post(edit_url(comment), {"body": " "})
    assertContains(response, "Write something first.")
    comment.refresh_from_db()
    assert comment.body == "First *draft* of my thoughts."


def test_a_too_long_edit_keeps_the_text(reader_client: Client, comment: Comment) -> None:
    body = "z" * 5001
    response = reader_client.post(edit_url(comment), {"body": body})
    assertContains(response, body)
    assertContains(response, "at most 5000 characters")


def test_editing_is_refused_after_the_window(
    reader_client: Client, old_comment: Comment, article
) -> None:
    assert reader_client.get(edit_url(old_comment)).status_code == 403
    assert reader_client.post(edit_url(old_comment), {"body": "Rewrite"}).status_code == 403
    assertNotContains(reader_client.get(article.get_absolute_url()), edit_url(old_comment))


@pytest.mark.parametrize("persona", ["other_advocate_client", "advocate_client", "editor_client"])
def test_nobody_else_may_edit_a_comment(request, comment: Comment, persona: str) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(edit_url(comment)).status_code == 403
    assert client.post(edit_url(comment), {"body": "Hijacked"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body != "Hijacked"


def test_the_edit_service_refuses_others_too(other_advocate, comment: Comment) -> None:
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, user=other_advocate, body="Hijacked")


def test_the_window_follows_the_setting(
    reader_client: Client, old_comment: Comment, settings
) -> None:
    settings.KB_COMMENT_EDIT_MINUTES = 60
    assert reader_client.get(edit_url(old_comment)).status_code == 200


# Deleting ------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_first(reader_client: Client, comment: Comment) -> None:
    response = reader_client.get(delete_url(comment))
    assertContains(response, "Delete your comment?")
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_without_replies_is_removed(
    reader_client: Client, comment: Comment, article
) -> None:
    response = reader_client.post(delete_url(comment))
    assertRedirects(
        response, f"{article.get_absolute_url()}#comments", fetch_redirect_response=False
    )
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_with_replies_stays_as_a_placeholder(
    reader_client: Client, comment: Comment, article
) -> None:
    reply = CommentFactory(parent=comment, body="A reply that still makes sense")
    reader_client.post(delete_url(comment))
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == ""
    page = reader_client.get(article.get_absolute_url())
    assertContains(page, "Comment deleted.")
    assertContains(page, "A reply that still makes sense")
    assertNotContains(page, "First <em>draft</em>")
    assertContains(page, "1 comment")
    assert reply.pk in Comment.objects.values_list("pk", flat=True)


def test_a_placeholder_goes_with_its_last_reply(reader, comment: Comment) -> None:
    reply = CommentFactory(parent=comment)
    comment_delete(comment=comment, user=reader)
    comment_delete(comment=reply, user=reply.author)
    assert not Comment.objects.exists()


def test_a_placeholder_cannot_be_edited_or_deleted_again(
    reader_client: Client, comment: Comment
) -> None:
    CommentFactory(parent=comment)
    reader_client.post(delete_url(comment))
    assert reader_client.get(edit_url(comment)).status_code == 404
    assert reader_client.post(delete_url(comment)).status_code == 404


def test_deleting_is_refused_after_the_window(reader_client: Client, old_comment: Comment) -> None:
    assert reader_client.get(delete_url(old_comment)).status_code == 403
    assert reader_client.post(delete_url(old_comment)).status_code == 403
    assert Comment.objects.filter(pk=old_comment.pk).exists()


@pytest.mark.parametrize("persona", ["other_advocate_client", "advocate_client", "editor_client"])
def test_nobody_else_may_delete_a_comment(request, comment: Comment, persona: str) -> None:
    client = request.getfixturevalue(persona)
    assert client.post(delete_url(comment)).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_the_item_deletes_its_comments(article, comment: Comment) -> None:
    CommentFactory(parent=comment)
    article.delete()
    assert not Comment.objects.exists()
