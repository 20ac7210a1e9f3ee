"""Index rows are updated in place: an object keeps its entry id through edits and
rebuilds, facet rows change by difference, and the word counts stay exact."""

import re
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.search import index, service
from kb.search.models import IndexEntry, IndexFacet, SearchWord
from tests.factories import ArticleFactory, CaseStudyFactory, PlatformFactory

WORD = re.compile(r"[^\W_]{3,40}")


def entry_of(item) -> IndexEntry:
    return IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )


def found(text: str, user) -> list[str]:
    return [hit.url for hit in service.search(text, user=user).hits]


def recounted_words() -> dict[str, int]:
    counts: Counter = Counter()
    for texts in IndexEntry.objects.values_list("title", "keywords", "summary", "body"):
        counts.update(set(WORD.findall(" ".join(texts).lower())))
    return dict(counts)


def test_saving_an_item_keeps_its_entry_and_the_entry_its_id(reader) -> None:
    article = ArticleFactory(title="Podcasting basics", tags=["audio"])
    first = entry_of(article).pk
    for title in ("Livestreaming basics", "Webinar basics", "Podcasting basics again"):
        article.title = title
        article.save()
    assert entry_of(article).pk == first
    assert IndexEntry.objects.count() == 1
    assert found("podcasting", reader) == [article.get_absolute_url()]
    assert found("livestreaming", reader) == []


def test_a_rebuild_gives_every_entry_its_old_id_and_new_items_the_next_one() -> None:
    articles = [ArticleFactory(title=f"Rebuilt article {n}") for n in range(3)]
    ids = {article.pk: entry_of(article).pk for article in articles}
    for _ in range(3):
        index.rebuild(batch=2)
    assert {article.pk: entry_of(article).pk for article in articles} == ids
    # Neither edits nor rebuilds spent ids: the next item numbers on from the last.
    later = ArticleFactory(title="Written after the rebuilds")
    assert entry_of(later).pk == max(ids.values()) + 1


def test_an_entry_whose_object_is_deleted_during_a_rebuild_is_gone_and_its_words_too(
    reader,
) -> None:
    kept, dropped = ArticleFactory(title="Kept piece"), ArticleFactory(title="Dropped zither")
    kept_id = entry_of(kept).pk
    type(dropped).objects.filter(pk=dropped.pk).delete()  # behind the signals' back
    index.rebuild()
    assert list(IndexEntry.objects.values_list("pk", flat=True)) == [kept_id]
    assert not SearchWord.objects.filter(word="zither").exists()


def test_facet_rows_change_by_difference(reader) -> None:
    mastodon = PlatformFactory(name="Mastodon", slug="mastodon")
    threads = PlatformFactory(name="Threads", slug="threads")
    case_study = CaseStudyFactory(title="A council story", tags=["local", "news"])
    case_study.platforms.add(mastodon)
    rows = IndexFacet.objects.filter(name__in=["tag", "platform"])
    before = dict(rows.values_list("value", "pk"))
    case_study.tags.remove("news")
    case_study.tags.add("video")
    case_study.platforms.add(threads)
    after = dict(rows.values_list("value", "pk"))
    assert set(after) == {"local", "video", "mastodon", "threads"}
    # What stayed was not rewritten.
    assert after["local"] == before["local"] and after["mastodon"] == before["mastodon"]
    results = service.search("council", user=reader, filters={"platform": "threads"})
    assert [hit.url for hit in results.hits] == [case_study.get_absolute_url()]


def test_word_counts_stay_exact_through_edits_and_rebuilds() -> None:
    first = ArticleFactory(title="Employer branding", summary="Branding on LinkedIn")
    second = ArticleFactory(title="Branding for charities", summary="Volunteers speak")
    first.title, first.summary = "Employer stories", "Stories on Bluesky"
    first.save()
    second.summary = "Volunteers speak up"
    second.save()
    assert dict(SearchWord.objects.values_list("word", "doc_count")) == recounted_words()
    assert SearchWord.objects.get(word="branding").doc_count == 1
    assert not SearchWord.objects.filter(word="linkedin").exists()
    index.rebuild()
    assert dict(SearchWord.objects.values_list("word", "doc_count")) == recounted_words()


def test_a_reindex_that_changes_nothing_writes_no_entry_or_facet() -> None:
    article = ArticleFactory(title="Unchanged", tags=["audio"])
    with CaptureQueriesContext(connection) as queries:
        index.reindex(type(article), [article.pk])
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if re.match(r"(UPDATE|INSERT|DELETE).*search_index(entry|facet)", query["sql"])
    ]
    assert writes == []
