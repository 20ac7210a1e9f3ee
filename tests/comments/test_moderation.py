"""Editors hide comments with a reason readers see; the author and editors still see the text."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.comments.models import Comment
from kb.comments.services import comment_hide
from tests.factories import CaseStudyFactory, CommentFactory

TEXT = "Buy cheap followers at example.com"
REASON = "Advertising"


@pytest.fixture
def comment(reader, article) -> Comment:
    return CommentFactory(target=article, author=reader, body=TEXT)


@pytest.fixture
def hidden(comment: Comment, editor) -> Comment:
    comment_hide(comment=comment, editor=editor, reason=REASON)
    return comment


def hide_url(comment: Comment) -> str:
    return reverse("comments:hide", args=[comment.pk])


def unhide_url(comment: Comment) -> str:
    return reverse("comments:unhide", args=[comment.pk])


def test_an_editor_hides_a_comment_with_a_reason(
    editor_client: Client, editor, comment, article
) -> None:
    response = editor_client.post(hide_url(comment), {"reason": REASON})
    assert response.url == f"{article.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert (comment.hidden_by, comment.hidden_reason) == (editor, REASON)


def test_editors_may_hide_comments_on_case_studies_too(editor_client: Client, reader) -> None:
    comment = CommentFactory(target=CaseStudyFactory(), author=reader)
    editor_client.post(hide_url(comment), {"reason": REASON})
    comment.refresh_from_db()
    assert comment.hidden_at is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_needs_a_reason(editor_client: Client, comment: Comment, reason: str) -> None:
    response = editor_client.post(hide_url(comment), {"reason": reason})
    assertContains(response, "Give the reason readers will see.")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_reason_over_300_characters_is_refused(editor_client: Client, comment: Comment) -> None:
    response = editor_client.post(hide_url(comment), {"reason": "r" * 301})
    assertContains(response, "at most 300 characters")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_the_hide_service_needs_a_reason_too(editor, comment: Comment) -> None:
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, editor=editor, reason=" ")


def test_the_database_refuses_a_hidden_comment_without_a_reason(comment: Comment) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())


@pytest.mark.parametrize("persona", ["reader_client", "advocate_client", "other_advocate_client"])
def test_only_editors_may_hide_or_unhide(request, comment: Comment, editor, persona: str) -> None:
    client = request.getfixturevalue(persona)
    assert client.post(hide_url(comment), {"reason": REASON}).status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None
    comment_hide(comment=comment, editor=editor, reason=REASON)
    assert client.post(unhide_url(comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is not None


def test_the_hide_service_refuses_an_advocate(advocate, comment: Comment) -> None:
    with pytest.raises(PermissionDenied):
        comment_hide(comment=comment, editor=advocate, reason=REASON)


def test_hiding_needs_a_post(editor_client: Client, comment: Comment) -> None:
    assert editor_client.get(hide_url(comment)).status_code == 405


def test_other_readers_see_the_reason_not_the_text(
    other_advocate_client: Client, hidden, article
) -> None:
    page = other_advocate_client.get(article.get_absolute_url())
    assertContains(page, f"Hidden by an editor: {REASON}")
    assertNotContains(page, TEXT)


@pytest.mark.parametrize("persona", ["reader_client", "editor_client", "admin_client"])
def test_the_author_and_editors_still_see_the_text_marked(
    request, hidden: Comment, article, persona: str
) -> None:
    page = request.getfixturevalue(persona).get(article.get_absolute_url())
    assertContains(page, f"Hidden by an editor: {REASON}")
    assertContains(page, TEXT)
    assertContains(page, "comment-hidden")


def test_a_hidden_comment_is_not_counted(reader_client: Client, hidden: Comment, article) -> None:
    CommentFactory(target=article)
    assertContains(reader_client.get(article.get_absolute_url()), "1 comment")


def test_a_hidden_comment_cannot_be_edited_by_its_author(
    reader_client: Client, hidden: Comment
) -> None:
    assert reader_client.get(reverse("comments:edit", args=[hidden.pk])).status_code == 403


def test_editors_see_hide_and_unhide_controls(
    editor_client: Client, comment: Comment, article
) -> None:
    assertContains(editor_client.get(article.get_absolute_url()), hide_url(comment))
    editor_client.post(hide_url(comment), {"reason": REASON})
    assertContains(editor_client.get(article.get_absolute_url()), unhide_url(comment))


def test_readers_see_no_moderation_controls(
    other_advocate_client: Client, comment, article
) -> None:
    assertNotContains(other_advocate_client.get(article.get_absolute_url()), hide_url(comment))


def test_an_editor_unhides_a_comment(editor_client: Client, hidden: Comment, reader_client) -> None:
    editor_client.post(unhide_url(hidden))
    hidden.refresh_from_db()
    assert (hidden.hidden_at, hidden.hidden_by, hidden.hidden_reason) == (None, None, "")
    page = reader_client.get(hidden.target.get_absolute_url())
    assertNotContains(page, "Hidden by an editor")
