"""Index writes under concurrency: two transactions indexing one item queue rather than
collide, and a failing index write never turns a saved edit into an error page."""

import threading
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client

from kb.articles.models import Article
from kb.search import index, signals
from kb.search.models import IndexEntry
from tests.factories import ArticleFactory
from tests.revisions.helpers import article_form, edit_url


def test_a_failing_index_write_is_logged_and_the_edit_is_still_saved(
    monkeypatch, advocate, advocate_client: Client, django_capture_on_commit_callbacks, caplog
) -> None:
    monkeypatch.setattr(signals, "transaction", transaction)  # the real on_commit here
    article = ArticleFactory(author=advocate, title="Before")

    def broken(*args, **kwargs) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(index, "reindex", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = advocate_client.post(edit_url(article), article_form(article, title="After"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "After"
    assert "index unavailable" in caplog.text
    # What failed stays pending, and the next write's flush indexes it.
    assert article.pk in signals._pending()[Article]
    monkeypatch.undo()
    signals.flush()
    entry = IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    )
    assert entry.title == "After"


def _at_once(work: Callable[[], None], threads: int = 2) -> list[BaseException]:
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    running = [threading.Thread(target=run) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=30)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_indexing_the_same_item_at_once_leave_one_entry() -> None:
    article = ArticleFactory(title="Indexed twice at once")
    errors = []
    for _ in range(20):
        errors += _at_once(lambda: index.reindex(Article, [article.pk]))
    assert errors == []
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    )
    assert [entry.title for entry in entries] == ["Indexed twice at once"]
