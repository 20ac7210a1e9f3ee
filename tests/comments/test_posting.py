"""Posting comments and replies: who may, where it lands, and what bad input gets back."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from kb.comments.models import Comment
from kb.core.models import Status
from tests.comments.conftest import post_comment, post_url
from tests.factories import ArticleFactory, CaseStudyFactory, CommentFactory

DRAFT = {"status": Status.DRAFT, "published_at": None}


def only_comment() -> Comment:
    return Comment.objects.get()


# Who may post --------------------------------------------------------------------------


def test_a_reader_may_comment_on_a_published_article(
    reader_client: Client, reader, article
) -> None:
    response = post_comment(reader_client, article, "This *worked* for us.")
    comment = only_comment()
    assertRedirects(
        response,
        f"{article.get_absolute_url()}#comment-{comment.pk}",
        fetch_redirect_response=False,
    )
    assert (comment.target, comment.author, comment.parent) == (article, reader, None)
    page = reader_client.get(article.get_absolute_url())
    assertContains(page, "This <em>worked</em> for us.", html=True)
    assertContains(page, "1 comment")


def test_a_reader_may_comment_on_a_published_case_study(reader_client: Client, case_study) -> None:
    response = post_comment(reader_client, case_study, "Which quarter were these figures?")
    comment = only_comment()
    assert response.url == f"{case_study.get_absolute_url()}#comment-{comment.pk}"
    assertContains(reader_client.get(case_study.get_absolute_url()), "Which quarter")


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, article) -> None:
    response = post_comment(client, article, "Hello")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_posting_needs_a_post(reader_client: Client, article) -> None:
    assert reader_client.get(post_url(article)).status_code == 405


def test_a_draft_of_someone_else_is_not_found(reader_client: Client, advocate) -> None:
    draft = ArticleFactory(author=advocate, **DRAFT)
    assert post_comment(reader_client, draft, "Sneaky").status_code == 404
    assert not Comment.objects.exists()


def test_the_owner_and_editors_may_discuss_a_draft(
    advocate_client: Client, editor_client: Client, advocate
) -> None:
    draft = CaseStudyFactory(created_by=advocate, **DRAFT)
    assert post_comment(editor_client, draft, "Please add the source.").status_code == 302
    assert post_comment(advocate_client, draft, "Added, thanks.").status_code == 302
    assert Comment.objects.for_item(draft).count() == 2


def test_the_comment_form_is_shown_to_signed_in_readers(reader_client: Client, article) -> None:
    assertContains(reader_client.get(article.get_absolute_url()), f'action="{post_url(article)}"')


# Replies -------------------------------------------------------------------------------


def test_a_reply_is_attached_to_its_comment(other_advocate_client: Client, article) -> None:
    comment = CommentFactory(target=article)
    post_comment(other_advocate_client, article, "Agreed", parent=comment.pk)
    reply = Comment.objects.get(body="Agreed")
    assert reply.parent == comment
    assert reply.target == article


def test_a_reply_to_a_reply_joins_the_top_level_thread(reader_client: Client, article) -> None:
    top = CommentFactory(target=article)
    reply = CommentFactory(parent=top)
    response = post_comment(reader_client, article, "Me too", parent=reply.pk)
    answer = Comment.objects.get(body="Me too")
    assert answer.parent == top
    assert response.url.endswith(f"#comment-{answer.pk}")


def test_a_reply_to_a_comment_on_another_item_is_rejected(reader_client: Client, article) -> None:
    elsewhere = CommentFactory(target=ArticleFactory())
    response = post_comment(reader_client, article, "Crossed wires", parent=elsewhere.pk)
    assert response.status_code == 400
    assertContains(response, "Crossed wires", status_code=400)
    assert not Comment.objects.filter(body="Crossed wires").exists()


def test_a_reply_to_a_hidden_comment_is_rejected_and_keeps_the_text(
    reader_client: Client, article, editor
) -> None:
    hidden = CommentFactory(
        target=article, hidden_at=timezone.now(), hidden_by=editor, hidden_reason="Spam"
    )
    response = post_comment(reader_client, article, "Late reply", parent=hidden.pk)
    assertContains(response, "can no longer be replied to", status_code=400)
    assertContains(response, "Late reply", status_code=400)


@pytest.mark.parametrize("parent", ["abc", "1.5", "-1", "0", "99999999999999999999999", "1e3"])
def test_a_malformed_parent_is_a_bad_request(reader_client: Client, article, parent: str) -> None:
    response = post_comment(reader_client, article, "Hello", parent=parent)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_missing_parent_is_a_bad_request(reader_client: Client, article) -> None:
    assert post_comment(reader_client, article, "Hello", parent=987654).status_code == 400


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_comment_is_sent_back_with_an_error(
    reader_client: Client, article, body: str
) -> None:
    response = post_comment(reader_client, article, body)
    assertContains(response, "Write something first.")
    assertContains(response, article.title)
    assert not Comment.objects.exists()


def test_a_comment_over_5000_characters_is_sent_back_with_the_text_kept(
    reader_client: Client, article
) -> None:
    body = "word " * 1000 + "x"  # 5,001 characters
    assert len(body) == 5001
    response = post_comment(reader_client, article, body)
    assertContains(response, "at most 5000 characters")
    assertContains(response, body.strip())
    assert not Comment.objects.exists()


def test_a_comment_of_exactly_5000_characters_is_accepted(reader_client: Client, article) -> None:
    assert post_comment(reader_client, article, "y" * 5000).status_code == 302


def test_a_null_character_is_a_form_error_not_a_crash(reader_client: Client, article) -> None:
    response = post_comment(reader_client, article, "bad\x00byte")
    assert response.status_code == 200
    assertContains(response, "Null characters are not allowed")


def test_a_failed_reply_keeps_its_parent_for_the_next_try(reader_client: Client, article) -> None:
    comment = CommentFactory(target=article)
    response = post_comment(reader_client, article, "", parent=comment.pk)
    assertContains(response, f'name="parent" value="{comment.pk}"', html=False)


@pytest.mark.parametrize(
    "path",
    [
        "/comments/on/page/some-slug/",
        "/comments/on/user/some-slug/",
        "/comments/on/article/no-such-article/",
        "/comments/on/casestudy/no-such-case/",
        "/comments/on/article/<script>/",
        "/comments/abc/edit/",
        "/comments/99999999999999999999999/edit/",
        "/comments/12345/edit/",
    ],
)
def test_unknown_kinds_items_and_ids_are_not_found(
    reader_client: Client, article, path: str
) -> None:
    assert reader_client.post(path, {"body": "Hello"}).status_code == 404
