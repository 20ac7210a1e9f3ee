"""The home page's counts (popular topics, items per kind and per evidence level) come
from the cache until something they count changes, and every such change shows at once."""

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core import fragments
from kb.core import published_cache as cache
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status, TaggedItem
from kb.home.tagging import tag_merge
from kb.home.views import popular_tags
from kb.search.benchmark.load import edit_form
from tests.factories import ArticleFactory, CaseStudyFactory, MetricFactory

DRAFT = {"status": Status.DRAFT, "published_at": None}


def uses() -> dict[str, int]:
    return {tag.name: tag.uses for tag in popular_tags()}


def tag_behind_the_signals_back(item, name: str) -> None:
    """A tagging written without any signal: only a recount can see it."""
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(
                tag=Tag.objects.get_or_create(name=name, slug=name)[0],
                content_type=ContentType.objects.get_for_model(item),
                object_id=item.pk,
            )
        ]
    )


def test_the_home_page_serves_its_counts_from_the_cache(reader_client) -> None:
    item = ArticleFactory(tags=["video"])
    with CaptureQueriesContext(connection) as first:
        reader_client.get(reverse("home"))
    tag_behind_the_signals_back(item, "zebra")
    with CaptureQueriesContext(connection) as second:
        response = reader_client.get(reverse("home"))
    assert len(second) < len(first)
    assert "/tags/zebra/" not in response.content.decode(), "the cached topics were served"
    fragments.changed()  # the page's shared part made afresh: the counts still cached
    assert "/tags/zebra/" not in reader_client.get(reverse("home")).content.decode()
    cache.invalidate()
    fragments.changed()
    assert "/tags/zebra/" in reader_client.get(reverse("home")).content.decode()


def _publish(item) -> None:
    item.status, item.published_at = Status.PUBLISHED, timezone.now()
    item.save()


def _set(item, **values) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    item.save()


def _rename(item) -> None:
    tag = Tag.objects.get(name="topic")
    tag.name = "renamed topic"
    tag.save()


def _merge(item) -> None:
    tag_merge(target=Tag.objects.get(name="other topic"), tags=[Tag.objects.get(name="topic")])


# Each change: what the item tagged "topic" is before it, the change, and the topics
# counted after it (another published item carries "other topic" throughout).
OTHER = {"other topic": 1}
CHANGES: dict[str, tuple[dict, Callable, dict[str, int]]] = {
    "created published": ({}, lambda item: ArticleFactory(tags=["topic"]), {**OTHER, "topic": 2}),
    "a draft published": (DRAFT, _publish, {**OTHER, "topic": 1}),
    "unpublished": ({}, lambda item: _set(item, status=Status.UNPUBLISHED), OTHER),
    "put in the trash": ({}, lambda item: _set(item, deleted_at=timezone.now()), OTHER),
    "restored from the trash": (
        {"deleted_at": timezone.now()},
        lambda item: _set(item, deleted_at=None),
        {**OTHER, "topic": 1},
    ),
    "deleted": ({}, lambda item: item.delete(), OTHER),
    "a tag added": ({}, lambda item: item.tags.add("second"), {**OTHER, "topic": 1, "second": 1}),
    "a tag removed": ({}, lambda item: item.tags.remove("topic"), OTHER),
    "tags cleared": ({}, lambda item: item.tags.clear(), OTHER),
    "tags replaced": ({}, lambda item: item.tags.set(["third"]), {**OTHER, "third": 1}),
    "a tag renamed": ({}, _rename, {**OTHER, "renamed topic": 1}),
    "tags merged": ({}, _merge, {"other topic": 2}),
    "a tag deleted": ({}, lambda item: Tag.objects.filter(name="topic").delete(), OTHER),
}


def test_each_change_to_what_is_counted_shows_at_once(db) -> None:
    failures = []
    for label, (state, change, expected) in CHANGES.items():
        cache.invalidate()
        TaggedItem.objects.all().delete()
        Tag.objects.all().delete()
        item = ArticleFactory(tags=["topic"], **state)
        ArticleFactory(tags=["other topic"])
        uses()  # cached
        change(item)
        if uses() != expected:
            failures.append(f"{label}: {uses()} != {expected}")
    assert not failures, failures


def test_a_change_of_evidence_level_shows_in_the_home_counts(reader_client) -> None:
    study = CaseStudyFactory(evidence_level=EvidenceLevel.ANECDOTE)

    def levels() -> dict:
        evidence = reader_client.get(reverse("home")).context["evidence"]
        return {level: count for level, count in evidence.levels if count}

    assert levels() == {EvidenceLevel.ANECDOTE: 1}
    study.evidence_level = EvidenceLevel.MEASURED
    study.save()
    assert levels() == {EvidenceLevel.MEASURED: 1}


def test_what_the_counts_do_not_read_keeps_them_cached(editor_client) -> None:
    """Editing a published item's text through its form, or tagging a draft, counts the
    same: the cached value stays (a tagging written behind its back stays unseen)."""
    item = ArticleFactory(tags=["topic"])
    draft = ArticleFactory(**DRAFT)
    uses()
    tag_behind_the_signals_back(item, "zebra")
    edit = reverse("articles:edit", kwargs={"slug": item.slug})
    action, fields = edit_form(editor_client.get(edit).content.decode())
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(f"{value} edited" if name == "title" else value)
    assert editor_client.post(action or edit, data).status_code == 302
    draft.tags.add("draft topic")
    item.refresh_from_db()
    assert item.title.endswith(" edited")
    assert uses() == {"topic": 1}


def test_nothing_is_kept_past_the_next_scheduled_publication(db, settings) -> None:
    settings.HOME_CACHE_SECONDS = 300
    assert cache.timeout() == 300
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=60))
    assert 55 <= cache.timeout() <= 61


def test_when_the_next_item_is_due_is_found_once_a_generation(
    db, settings, django_assert_num_queries
) -> None:
    settings.HOME_CACHE_SECONDS = 300
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=60))
    cache.cached("first", lambda: 1)  # finds the next one due
    with django_assert_num_queries(0):
        assert cache.cached("second", lambda: 2) == 2
        assert 55 <= cache.timeout() <= 61
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=20))  # a new generation
    assert 15 <= cache.timeout() <= 21


def test_the_strongest_results_follow_a_changed_metric_and_show_a_new_title_at_once(
    reader_client,
) -> None:
    small = CaseStudyFactory(title="Small gain", evidence_level=EvidenceLevel.MEASURED)
    big = CaseStudyFactory(title="Big gain", evidence_level=EvidenceLevel.MEASURED)
    metric = MetricFactory(case_study=small, value_before=Decimal(10), value_after=Decimal(11))
    MetricFactory(case_study=big, value_before=Decimal(10), value_after=Decimal(40))

    def results() -> list[str]:
        return [r.item.title for r in reader_client.get(reverse("home")).context["results"]]

    assert results() == ["Big gain", "Small gain"]
    metric.value_after = Decimal(90)
    metric.save()
    assert results() == ["Small gain", "Big gain"]
    CaseStudy.objects.filter(pk=big.pk).update(title="Renamed behind the cache's back")
    fragments.changed()  # the shared part made afresh; the ranking still the kept one
    assert results() == ["Small gain", "Renamed behind the cache's back"], "read afresh"


def test_a_topic_page_serves_its_choice_from_the_cache_and_reads_the_items_afresh(
    reader_client,
) -> None:
    item = ArticleFactory(title="First title", tags=["topic"])
    hidden = ArticleFactory(title="Hidden", tags=["elsewhere"])
    url = reverse("tag_detail", args=["topic"])

    def shown() -> list[str]:
        sections = reader_client.get(url).context["sections"]
        cards = [card for section in sections for card in section.cards]
        return [re.search(r'class="card-title"><a [^>]*>([^<]*)</a>', card)[1] for card in cards]

    assert shown() == ["First title"]
    tag_behind_the_signals_back(hidden, "topic")
    Article.objects.filter(pk=item.pk).update(title="New title")
    # Another change makes the page's shared part afresh (kb.core.fragments); the
    # choice of items is still the one kept, and the items are read as they are now.
    fragments.changed()
    assert shown() == ["New title"], "the cached choice, its items read afresh"
    ArticleFactory(title="Published now", tags=["topic"], published_at=timezone.now())
    assert set(shown()) == {"New title", "Published now", "Hidden"}
