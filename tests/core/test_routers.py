"""Read replicas (kb.core.routers): pages read from a replica, writes go to the primary,
and whoever has just written reads from the primary for a while.

The suite's "replica" alias is a second connection to the test database standing in for
a replica; these tests commit (transaction=True) so that it sees what they write."""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.articles.models import Article
from kb.core.routers import PIN_COOKIE
from tests.factories import ArticleFactory, PlatformFactory

# serialized_rollback: the flush after each test then restores the role groups, rather than
# re-running post_migrate, whose groups the next serialized test would insert a second time.
pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture
def with_replica(settings) -> None:
    settings.KB_READ_REPLICAS = ["replica"]


class Queries:
    """The SQL each connection ran inside the block."""

    def __enter__(self) -> "Queries":
        self._contexts = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        for context in self._contexts.values():
            context.__exit__(*exc)

    def on(self, alias: str) -> list[str]:
        return [query["sql"] for query in self._contexts[alias].captured_queries]


def test_a_page_is_read_from_the_replica_and_the_session_from_the_primary(
    with_replica, reader_client
) -> None:
    ArticleFactory(title="Read from the replica")
    with Queries() as queries:
        response = reader_client.get(reverse("articles:list"))
    assert response.status_code == 200
    assert "Read from the replica" in response.text
    assert any("articles_article" in sql for sql in queries.on("replica"))
    assert not any("django_session" in sql for sql in queries.on("replica"))
    assert all("django_session" in sql for sql in queries.on("default"))
    assert PIN_COOKIE not in response.cookies


def test_after_a_write_that_browser_reads_from_the_primary_and_others_from_the_replica(
    with_replica, settings, reader_client, advocate_client
) -> None:
    platform = PlatformFactory(name="Mastodon", slug="mastodon")
    with Queries() as queries:
        response = reader_client.post(reverse("follows:follow", args=["platform", platform.pk]))
    assert response.status_code == 302
    assert queries.on("replica") == []  # a POST decides on what the primary holds
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == settings.KB_REPLICA_PIN_SECONDS and pin["httponly"]

    with Queries() as queries:
        response = reader_client.get(reverse("follows:following"))
    assert "Mastodon" in response.text
    assert queries.on("replica") == []

    with Queries() as queries:
        advocate_client.get(reverse("follows:following"))
    assert queries.on("replica") != []


def test_a_get_that_writes_reads_from_the_primary_from_then_on(with_replica) -> None:
    """The router sees the write itself: everything the request reads after it, and the
    browser's next requests, go to the primary."""
    from kb.core.routers import _request, _RequestReads

    reads = _RequestReads(replica="replica")
    token = _request.set(reads)
    try:
        assert router.db_for_read(Article) == "replica"
        ArticleFactory()
        assert reads.wrote
        assert router.db_for_read(Article) == "default"
    finally:
        _request.reset(token)


def test_outside_a_request_everything_reads_from_the_primary(with_replica) -> None:
    """Management commands and cron jobs (digests, the trash) act on what is committed."""
    assert Article.objects.db == "default"
    assert router.db_for_write(Article) == "default"


def test_migrations_run_on_the_primary_only(with_replica) -> None:
    assert router.allow_migrate_model("default", Article)
    assert not router.allow_migrate_model("replica", Article)


@pytest.mark.django_db
def test_without_replicas_the_router_changes_nothing(reader_client) -> None:
    """No replica configured (the suite's default): every query on the one database, and
    no cookie; a query on the replica alias would fail this test."""
    platform = PlatformFactory(name="Mastodon", slug="mastodon")
    response = reader_client.post(reverse("follows:follow", args=["platform", platform.pk]))
    assert response.status_code == 302 and PIN_COOKIE not in response.cookies
    assert reader_client.get(reverse("articles:list")).status_code == 200
    assert router.allow_migrate_model("replica", Article)
