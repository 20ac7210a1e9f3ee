"""Indexing never breaks a save: a failing index write is logged and queued in the
database, the request still succeeds and the other on-commit work (e-mails) still runs,
and the queue is worked by the next index write or `manage.py process_search_queue`.

These tests use Django's own on-commit callbacks, captured and run as a commit would,
not the immediate ones the other search tests install."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.articles.models import Article
from kb.core.models import Status
from kb.search import index, service
from kb.search.backends import get_backend
from kb.search.backends.base import SearchBackend
from kb.search.models import IndexEntry, IndexQueue
from tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def index_immediately(db) -> None:
    """Overrides the search tests' immediate on_commit: here callbacks are captured."""
    return None


class BrokenBackend(SearchBackend):
    """A backend whose database writes fail, as when the index tables are locked or gone."""

    def __init__(self) -> None:
        super().__init__(get_backend().db)

    def write(self, entries, facets) -> None:
        raise RuntimeError("search index unavailable")

    def update(self, changes) -> None:
        raise RuntimeError("search index unavailable")


@pytest.fixture
def broken_index(monkeypatch):
    monkeypatch.setattr(index, "get_backend", BrokenBackend)
    return monkeypatch


def entry_of(item) -> IndexEntry:
    return IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )


def found(text: str, user) -> list[str]:
    return [hit.url for hit in service.search(text, user=user).hits]


def publish_url(item) -> str:
    return reverse("workflow:action", args=[item._meta.model_name, item.slug, "publish"])


def test_publishing_with_a_failing_index_still_redirects_mails_the_author_and_queues_it(
    advocate, editor_client: Client, reader, broken_index, django_capture_on_commit_callbacks,
    caplog,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            author=advocate, title="Kestrel reels", status=Status.IN_REVIEW, published_at=None
        )
    queued = IndexQueue.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), via=""
    )
    assert [row.object_id for row in queued] == [article.pk]  # its entry could not be written
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(publish_url(article))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    [email] = mail.outbox
    assert email.to == [advocate.email] and "Kestrel reels" in email.subject
    assert "search index unavailable" in caplog.text
    [row] = queued.all()  # the publication's row and the failed one, folded into one
    assert (row.object_id, row.attempts) == (article.pk, 2)
    assert "search index unavailable" in row.last_error
    assert found("kestrel", reader) == []

    broken_index.undo()
    out = StringIO()
    call_command("process_search_queue", stdout=out)
    assert "Indexed" in out.getvalue()
    assert not IndexQueue.objects.exists()
    assert found("kestrel", reader) == [article.get_absolute_url()]


def test_the_next_index_write_works_what_is_due(
    reader, broken_index, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = ArticleFactory(title="Osprey notes")
    IndexQueue.objects.update(retry_at=timezone.now())  # its retry time has come
    broken_index.undo()
    with django_capture_on_commit_callbacks(execute=True):
        second = ArticleFactory(title="Osprey sightings")
    assert not IndexQueue.objects.exists()
    assert sorted(found("osprey", reader)) == sorted(
        [first.get_absolute_url(), second.get_absolute_url()]
    )


def test_a_failed_row_waits_longer_after_each_failure(broken_index) -> None:
    ArticleFactory(title="Never indexed")  # its on-commit flush never runs here
    waits = []
    for _ in range(3):
        before = timezone.now()
        index.process_queue(everything=True)
        waits.append(min(IndexQueue.objects.values_list("retry_at", flat=True)) - before)
    assert set(IndexQueue.objects.values_list("attempts", flat=True)) == {3}
    assert timedelta(minutes=1) <= waits[0] < waits[1] < waits[2]
    # Not due yet: an index write leaves the rows alone.
    assert index.process_queue().rows == 0


def test_one_broken_document_does_not_hold_back_the_others(
    reader, monkeypatch, django_capture_on_commit_callbacks, caplog
) -> None:
    build = index._build

    def build_or_fail(obj, content_type):
        if obj.title == "Broken":
            raise ValueError("cannot render")
        return build(obj, content_type)

    monkeypatch.setattr(index, "_build", build_or_fail)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fine = [ArticleFactory(title=f"Heron {n}") for n in range(3)]
        broken = ArticleFactory(title="Broken")
    callbacks[0]()
    assert sorted(found("heron", reader)) == sorted(a.get_absolute_url() for a in fine)
    [row] = IndexQueue.objects.all()
    assert row.object_id == broken.pk and "cannot render" in row.last_error
    with pytest.raises(CommandError, match="1 of 1 queued rows failed"):
        call_command("process_search_queue", stdout=StringIO())


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            ArticleFactory(title="Never committed")
            raise RuntimeError("form failed")
    assert not IndexQueue.objects.exists() and not IndexEntry.objects.exists()
