"""Each process's search sets: as small as the facets, and brought up to date from the
change log rather than reloaded whole."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from kb.core.models import Status
from kb.search import service
from kb.search import snapshot as snapshots
from kb.search.models import IndexChange, IndexEntry
from tests.factories import ArticleFactory, UserFactory


@pytest.fixture
def loads(monkeypatch) -> list[tuple[int, int]]:
    """The changes each whole load of the sets was made at."""
    made: list[tuple[int, int]] = []
    load = snapshots._load

    def counted(change, now):
        made.append(change)
        return load(change, now)

    monkeypatch.setattr(snapshots, "_load", counted)
    return made


def titles(text: str, user) -> list[str]:
    return sorted(hit.title_html for hit in service.search(text, user=user).hits)


def test_the_sets_do_not_grow_with_the_number_of_owners(reader) -> None:
    # Dense bit sets kept per owner grew as owners × highest id; nothing is kept per owner.
    author = UserFactory()
    for n in range(40):
        ArticleFactory(title=f"Roadshow {n}", author=author, tags=["events"])
    one_owner = snapshots.current().size()
    for n, entry in enumerate(IndexEntry.objects.all()):
        IndexEntry.objects.filter(pk=entry.pk).update(owner_id=10_000 + n)
    assert snapshots.current().size() == one_owner


def test_a_write_is_read_from_the_change_log_not_by_reloading_everything(reader, loads) -> None:
    ArticleFactory(title="Podcast pilot", tags=["audio"])
    assert titles("podcast", reader) == ["<mark>Podcast</mark> pilot"]
    loads.clear()
    ArticleFactory(title="Podcast guests", tags=["audio"])
    results = service.search("podcast", user=reader)
    assert loads == []
    assert len(results.hits) == 2
    assert [(f.value, f.count) for f in results.facets["tag"]] == [("audio", 2)]


def test_an_edit_and_a_delete_leave_no_trace_in_the_facets(reader, loads) -> None:
    kept = ArticleFactory(title="Webinar kit", tags=["events"])
    gone = ArticleFactory(title="Webinar slides", tags=["slides"])
    service.search("webinar", user=reader)
    kept.tags.set(["video"])
    gone.delete()
    results = service.search("webinar", user=reader)
    assert len(loads) == 1  # the first search's
    assert {f.value: f.count for f in results.facets["tag"]} == {"video": 1}
    assert service.search("webinar", user=reader, filters={"tag": "slides"}).total == 0


def test_a_change_not_in_the_log_as_seen_makes_the_sets_reload(reader, loads) -> None:
    # After a rollback SQLite numbers the next change as the one rolled back: its token
    # tells them apart, and the sets are loaded again rather than trusted.
    ArticleFactory(title="Mastodon trial")
    service.search("mastodon", user=reader)
    seq = IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first()
    IndexEntry.objects.update(is_published=False)
    IndexChange.objects.filter(seq__gt=seq).delete()  # as if rolled back …
    IndexChange.objects.filter(seq=seq).update(token=F("token") + 1)  # … and renumbered
    assert titles("mastodon", reader) == []
    assert len(loads) == 2


def test_a_process_further_behind_than_the_limit_loads_the_sets_whole(
    reader, loads, monkeypatch
) -> None:
    monkeypatch.setattr(snapshots, "MAX_CHANGES", 1)
    ArticleFactory(title="Threads launch")
    service.search("threads", user=reader)
    ArticleFactory(title="Threads recap")
    ArticleFactory(title="Threads review")
    assert len(titles("threads", reader)) == 3
    assert len(loads) == 2


def test_a_scheduled_item_joins_the_public_sets_when_due(reader, loads) -> None:
    now = timezone.now()
    ArticleFactory(title="Election guidance", status=Status.PUBLISHED, published_at=now)
    ArticleFactory(
        title="Election night", status=Status.PUBLISHED, published_at=now + timedelta(hours=1)
    )
    assert titles("election", reader) == ["<mark>Election</mark> guidance"]
    later = snapshots.current(now + timedelta(hours=2))
    assert len(later.public) == 2
    assert len(loads) == 1


def test_every_index_write_is_logged_by_the_database(reader) -> None:
    article = ArticleFactory(title="Newsletter")
    entry = IndexEntry.objects.get()
    logged = set(IndexChange.objects.values_list("entry_id", flat=True))
    assert entry.pk in logged
    before = IndexChange.objects.count()
    IndexEntry.objects.filter(pk=entry.pk).update(title="Newsletters")
    article.delete()
    assert IndexChange.objects.count() == before + 2
