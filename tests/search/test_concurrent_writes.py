"""Index writes under concurrency: two transactions indexing one item, or working the
queue, wait for each other rather than collide. (A failing index write: test_queue.)"""

import threading
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kb.articles.models import Article
from kb.search import index
from kb.search.models import IndexEntry
from tests.factories import ArticleFactory


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
