"""The thread on a detail page: its shape, what each persona sees, and a fixed query cost."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.comments.models import Comment
from kb.comments.services import comment_delete
from kb.comments.threads import comment_thread
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    CommentFactory,
    UserFactory,
)

MANY = 30


def test_top_level_comments_come_oldest_first_with_their_replies(reader, article) -> None:
    now = timezone.now()
    second = CommentFactory(target=article, created_at=now - timedelta(minutes=5))
    first = CommentFactory(target=article, created_at=now - timedelta(minutes=10))
    reply = CommentFactory(parent=first)
    thread = comment_thread(article, reader)
    assert [entry.comment for entry in thread.comments] == [first, second]
    assert [entry.comment for entry in thread.comments[0].replies] == [reply]
    assert thread.count == 3


def test_the_page_shows_author_time_and_a_reply_form(reader_client: Client, article) -> None:
    profile = AdvocateProfileFactory(user=UserFactory(first_name="Priya", last_name="Patel"))
    comment = CommentFactory(target=article, author=profile.user)
    page = reader_client.get(article.get_absolute_url())
    assertContains(page, f'id="comment-{comment.pk}"')
    assertContains(page, f'href="{profile.get_absolute_url()}">Priya Patel</a>', html=False)
    assertContains(page, "<time")
    assertContains(page, f'name="parent" value="{comment.pk}"')


def test_an_author_without_a_profile_is_shown_by_name(reader_client: Client, article) -> None:
    CommentFactory(target=article, author=UserFactory(first_name="Nadia", last_name="Noprofile"))
    assertContains(reader_client.get(article.get_absolute_url()), "Nadia Noprofile")


def test_an_item_without_comments_invites_the_first(reader_client: Client, case_study) -> None:
    page = reader_client.get(case_study.get_absolute_url())
    assertContains(page, "No comments yet.")
    assertContains(page, "Add a comment")


def test_a_deleted_comment_with_replies_keeps_the_thread_shape(
    reader, reader_client, article
) -> None:
    top = CommentFactory(target=article, author=reader)
    CommentFactory(parent=top, body="Still here")
    comment_delete(comment=top, user=reader)
    page = reader_client.get(article.get_absolute_url())
    assertContains(page, "Comment deleted.")
    assertContains(page, "Still here")
    # A placeholder takes no new replies.
    assertNotContains(page, f'name="parent" value="{top.pk}"')


# A fixed number of queries ---------------------------------------------------------------


def fill_thread(target, n: int, editor) -> None:
    """``n`` top-level comments, each with replies by authors with and without profiles."""
    for i in range(n):
        author = AdvocateProfileFactory().user if i % 2 else UserFactory()
        top = CommentFactory(target=target, author=author, edited_at=timezone.now())
        CommentFactory(parent=top, author=AdvocateProfileFactory().user)
        CommentFactory(
            parent=top,
            hidden_at=timezone.now(),
            hidden_by=editor,
            hidden_reason="Off topic",
        )
    placeholder = CommentFactory(target=target, deleted_at=timezone.now(), body="")
    CommentFactory(parent=placeholder)


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


ITEMS: dict[str, Callable] = {
    "article": lambda owner: ArticleFactory(author=owner, tags=["video"]),
    "case study": lambda owner: CaseStudyFactory(created_by=owner, tags=["video"]),
}


@pytest.mark.parametrize("make_item", ITEMS.values(), ids=ITEMS.keys())
@pytest.mark.parametrize("persona", ["reader_client", "editor_client", "advocate_client"])
def test_a_detail_page_costs_the_same_queries_for_one_comment_as_for_many(
    request, django_assert_num_queries, advocate, editor, make_item, persona: str
) -> None:
    client = request.getfixturevalue(persona)
    item = make_item(advocate)
    url = item.get_absolute_url()
    CommentFactory(target=item)
    for_one = queries_for(client, url)
    fill_thread(item, MANY, editor)
    client.get(url)  # new people moved `all`: the permissions kept are read again once
    with django_assert_num_queries(for_one):
        response = client.get(url)
    assert response.content.decode().count('<article class="comment') > MANY * 3
    assert Comment.objects.for_item(item).count() > MANY * 3
