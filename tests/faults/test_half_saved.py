"""A request that dies after its first write leaves nothing of itself behind.

Every save that writes several rows runs in one transaction: an item with its revision,
tags, related rows, workflow record, notifications and search queue entry; a question
with its topics; a question's routings with their notifications; a collection with its
items; a profile with its handles. Here the process "dies" after the first write — a
signal handler raises once that write is done, as a SIGKILL would end the worker there —
and the database must hold nothing of the request.

Why not ATOMIC_REQUESTS: on SQLite the KB opens transactions with BEGIN IMMEDIATE (the
write lock, to avoid lock upgrades), so a transaction round every request would make
every page wait for every other one; and the services are also called by the admin and
management commands, which need their own transactions anyway. Each multi-write service
is atomic instead, and the views that combine two are wrapped once more.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AbstractUser
from django.db.models import Model, signals
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.collections.models import Collection, CollectionItem
from kb.comments.models import Comment
from kb.core.models import Status, TaggedItem
from kb.notifications.models import Notification
from kb.questions.models import Question, Routing
from kb.revisions.models import Revision
from kb.search.models import IndexQueue
from kb.workflow.models import Transition
from tests.articles.test_pages import form_data as new_article_form
from tests.collections.test_forms import form_data as collection_form
from tests.factories import ArticleFactory, CaseStudyFactory
from tests.questions.factories import QuestionFactory
from tests.revisions.helpers import article_form, edit_url


class WorkerKilled(Exception):
    """Stands for the process dying: nothing after this point of the request runs."""


@contextmanager
def dies_after_saving(model: type[Model]) -> Iterator[list[Model]]:
    """The request dies right after its first row of ``model`` is written."""
    written: list[Model] = []

    def die(sender, instance: Model, **kwargs) -> None:
        written.append(instance)
        raise WorkerKilled(f"killed after writing {instance!r}")

    signals.post_save.connect(die, sender=model, weak=False, dispatch_uid="faults-die")
    try:
        yield written
    finally:
        signals.post_save.disconnect(sender=model, dispatch_uid="faults-die")


def _dying_client(user: AbstractUser) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _counts(*models: type[Model]) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


ROWS = [Article, Revision, TaggedItem, IndexQueue, Transition, Notification]


def test_a_new_article_that_dies_after_its_row_leaves_no_row_revision_tag_or_queue_entry(
    advocate: AbstractUser,
) -> None:
    before = _counts(*ROWS)
    with dies_after_saving(Revision) as written:
        response = _dying_client(advocate).post(
            reverse("articles:create"), new_article_form(title="Half a thought")
        )
    assert written and response.status_code == 500
    assert _counts(*ROWS) == before


def test_an_edit_that_dies_after_its_row_keeps_the_item_as_it_was(
    advocate: AbstractUser,
) -> None:
    article = ArticleFactory(author=advocate, title="As it was", tags=["video"])
    before = _counts(*ROWS)
    with dies_after_saving(Revision) as written:
        response = _dying_client(advocate).post(
            edit_url(article), article_form(article, title="Half changed", tags="audio")
        )
    assert written and response.status_code == 500
    article.refresh_from_db()
    assert (article.title, article.version) == ("As it was", 1)
    assert list(article.tags.names()) == ["video"]
    assert _counts(*ROWS) == before


def test_save_and_submit_is_one_change_and_dying_at_the_submission_keeps_neither(
    advocate: AbstractUser,
) -> None:
    article = ArticleFactory(author=advocate, title="As it was", status=Status.DRAFT)
    before = _counts(*ROWS)
    data = article_form(article, title="Ready now", submit_for_review="1")
    with dies_after_saving(Transition) as written:
        response = _dying_client(advocate).post(edit_url(article), data)
    assert written and response.status_code == 500
    article.refresh_from_db()
    assert (article.title, article.status) == ("As it was", Status.DRAFT)
    assert _counts(*ROWS) == before


def test_publishing_that_dies_before_telling_the_author_leaves_the_item_unpublished(
    advocate: AbstractUser, editor: AbstractUser
) -> None:
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    before = _counts(*ROWS)
    with dies_after_saving(Notification) as written:
        response = _dying_client(editor).post(
            reverse("workflow:action", args=["article", article.slug, "publish"])
        )
    assert written and response.status_code == 500
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW and article.published_at is None
    assert _counts(*ROWS) == before


def test_a_question_that_dies_after_its_row_leaves_no_question_without_its_topics(
    reader: AbstractUser,
) -> None:
    before = _counts(Question, TaggedItem, IndexQueue)
    with dies_after_saving(Question.topics.through) as written:
        response = _dying_client(reader).post(
            reverse("questions:ask"),
            {"title": "How do we start a LinkedIn page?", "body": "For our team",
             "topics": "pages, linkedin"},
        )  # fmt: skip
    assert written and response.status_code == 500
    assert _counts(Question, TaggedItem, IndexQueue) == before


def test_routing_a_question_that_dies_while_telling_the_advocates_routes_it_to_no_one(
    reader: AbstractUser, advocate: AbstractUser, other_advocate: AbstractUser
) -> None:
    department = advocate.advocate_profile.department
    other_advocate.advocate_profile.department = department
    other_advocate.advocate_profile.save()
    question = QuestionFactory(asker=reader, department=department)
    with dies_after_saving(Notification) as written:
        response = _dying_client(reader).post(
            reverse("questions:route", args=[question.pk]),
            {"advocates": [advocate.pk, other_advocate.pk]},
        )
    assert written and response.status_code == 500
    assert not Routing.objects.exists() and not Notification.objects.exists()


def test_a_collection_that_dies_after_its_items_leaves_no_collection_and_no_items(
    advocate: AbstractUser,
) -> None:
    study = CaseStudyFactory(title="First study")
    data = collection_form([(study.get_absolute_url(), "Read it first.", "1")])
    before = _counts(Collection, CollectionItem, Revision, IndexQueue)
    # The items are written in bulk (no signal); the revision is written after them.
    with dies_after_saving(Revision) as written:
        response = _dying_client(advocate).post(reverse("collections:create"), data)
    assert written and response.status_code == 500
    assert _counts(Collection, CollectionItem, Revision, IndexQueue) == before


def test_a_comment_that_dies_while_telling_the_owner_is_not_posted(
    reader: AbstractUser, advocate: AbstractUser
) -> None:
    article = ArticleFactory(author=advocate, status=Status.PUBLISHED)
    with dies_after_saving(Notification) as written:
        response = _dying_client(reader).post(
            reverse("comments:post", args=["article", article.slug]), {"body": "Half a thought"}
        )
    assert written and response.status_code == 500
    assert not Comment.objects.exists()


@pytest.mark.parametrize("mark", ["answered", "delete"])
def test_a_question_change_and_its_search_queue_entry_are_kept_or_lost_together(
    reader: AbstractUser, mark: str
) -> None:
    question = QuestionFactory(asker=reader)
    before = _counts(IndexQueue)
    url = reverse(f"questions:{mark}", args=[question.pk])
    with dies_after_saving(Question) as written:
        response = _dying_client(reader).post(url, {"answered": "1"})
    assert written and response.status_code == 500
    question.refresh_from_db()
    assert question.answered_at is None and question.deleted_at is None
    assert _counts(IndexQueue) == before
