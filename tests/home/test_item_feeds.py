"""Private Atom feeds of one topic, one department and one collection, read by feedparser
as a feed reader would, and the "Feed" link that offers each on its page."""

from collections.abc import Callable
from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.home.feeds import feed_token, feed_url
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.collections.factories import CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    MetricFactory,
    ResearchLinkFactory,
    UserFactory,
)

SITE = "https://kb.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = SITE


def read(url: str) -> feedparser.FeedParserDict:
    """The feed at ``url`` as a feed reader sees it, fetched without signing in."""
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def titles(url: str) -> list[str]:
    return [entry.title for entry in read(url).entries]


def ago(**delta: float):
    return timezone.now() - timedelta(**delta)


def test_a_topic_feed_lists_that_topics_published_items_newest_first(reader: User) -> None:
    CaseStudyFactory(title="Old story", tags=["video"], published_at=ago(days=3))
    ResearchLinkFactory(title="Fresh survey", tags=["video", "trust"], published_at=ago(hours=1))
    ArticleFactory(title="Middle guide", tags=["Video"], published_at=ago(days=1))
    ArticleFactory(title="Other topic", tags=["trust"])
    ArticleFactory(title="No topic")
    assert titles(feed_url(reader, "topics", "video")) == [
        "Research link: Fresh survey",
        "Article: Middle guide",
        "Case study: Old story",
    ]
    assert titles(feed_url(reader, "topics", "trust")) == [
        "Article: Other topic",
        "Research link: Fresh survey",
    ]


def test_a_topic_feed_leaves_out_drafts_scheduled_and_trashed_items(
    reader: User, editor: User
) -> None:
    ArticleFactory(title="Draft", tags=["video"], status=Status.DRAFT, published_at=None)
    ArticleFactory(title="Tomorrow", tags=["video"], published_at=timezone.now() + timedelta(1))
    ArticleFactory(title="Unpublished", tags=["video"], status=Status.UNPUBLISHED)
    trashed = ArticleFactory(title="Deleted", tags=["video"])
    content_transition(item=trashed, action=Action.TRASH, user=editor)
    ArticleFactory(title="Visible", tags=["video"])
    assert titles(feed_url(reader, "topics", "video")) == ["Article: Visible"]


def test_each_entry_carries_its_link_dates_author_tags_and_summary(reader: User) -> None:
    author = UserFactory(first_name="Ann", last_name="Author")
    published = ago(days=2)
    article = ArticleFactory(
        title="Start on LinkedIn",
        summary="**Post** weekly & <b>measure</b>.",
        tags=["linkedin", "video"],
        author=author,
        published_at=published,
    )
    feed = read(feed_url(reader, "topics", "linkedin"))
    assert feed.feed.title == "linkedin in the KB"
    assert feed.feed.link == f"{SITE}{reverse('tag_detail', args=['linkedin'])}"
    (entry,) = feed.entries
    assert entry.link == f"{SITE}{article.get_absolute_url()}"
    assert entry.id == entry.link
    assert entry.author == "Ann Author"
    assert sorted(tag.term for tag in entry.tags) == ["linkedin", "video"]
    assert entry.summary == "Post weekly &amp; measure."
    article.refresh_from_db()
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == article.updated_at.utctimetuple()[:6]


def test_a_summary_leads_with_the_headline_result_and_evidence_level(reader: User) -> None:
    story = CaseStudyFactory(title="Recruitment", tags=["jobs"], evidence_level=3)
    MetricFactory(case_study=story)
    ExperimentFactory(title="Videos", tags=["jobs"], published_at=ago(days=1))
    ResearchLinkFactory(title="Trust", tags=["jobs"], evidence_level=4, published_at=ago(days=2))
    summaries = {
        entry.title: entry.summary for entry in read(feed_url(reader, "topics", "jobs")).entries
    }
    assert summaries["Case study: Recruitment"] == (
        f"Applications per vacancy: {story.headline().text} · "
        "Evidence: Measured with published data · "
        "Recruitment posts on LinkedIn doubled applications."
    )
    experiment = summaries["Experiment: Videos"]
    assert experiment.startswith("Applications per vacancy: ") and "Evidence: " in experiment
    # A research link's headline is its key finding, said once.
    assert summaries["Research link: Trust"] == (
        "Evidence: Peer-reviewed or audited · Employees trust colleagues more than brand accounts."
    )


def test_a_department_feed_lists_what_its_people_and_experiments_published(
    reader: User,
) -> None:
    marketing = DepartmentFactory(name="Marketing", slug="marketing")
    member = AdvocateProfileFactory(department=marketing).user
    outsider = AdvocateProfileFactory(department=DepartmentFactory(name="Finance")).user
    ArticleFactory(title="Our guide", author=member, published_at=ago(days=1))
    ExperimentFactory(title="Our trial", department=marketing, created_by=outsider)
    ArticleFactory(title="Their guide", author=outsider)
    ExperimentFactory(title="Their trial", created_by=member)  # another department's trial
    ArticleFactory(title="Our draft", author=member, status=Status.DRAFT, published_at=None)
    feed = read(feed_url(reader, "departments", "marketing"))
    assert feed.feed.title == "Marketing in the KB"
    assert [entry.title for entry in feed.entries] == [
        "Experiment: Our trial",
        "Article: Our guide",
    ]


def test_an_advocate_feed_lists_what_they_published_of_every_kind(reader: User) -> None:
    profile = AdvocateProfileFactory(
        user=UserFactory(username="a.b", first_name="Al", last_name="B")
    )
    ArticleFactory(title="Their guide", author=profile.user, published_at=ago(days=1))
    CaseStudyFactory(title="Their story", created_by=profile.user)
    ArticleFactory(title="Someone else's guide")
    ArticleFactory(title="Their draft", author=profile.user, status=Status.DRAFT, published_at=None)
    feed = read(feed_url(reader, "advocates", "a.b"))
    assert feed.feed.title == "Al B in the KB"
    assert [entry.title for entry in feed.entries] == [
        "Case study: Their story",
        "Article: Their guide",
    ]
    profile.user.is_active = False
    profile.user.save()
    assert Client().get(feed_url(reader, "advocates", "a.b")).status_code == 404


def test_a_collection_feed_lists_its_published_items_in_order_with_why_they_matter(
    reader: User,
) -> None:
    first = CaseStudyFactory(title="Strongest", published_at=ago(days=9))
    draft = ArticleFactory(title="Unfinished", status=Status.DRAFT, published_at=None)
    last = ArticleFactory(title="Weakest", published_at=ago(hours=1))
    collection = CollectionFactory(
        title="Board brief",
        slug="board-brief",
        items=[(first, "It doubled hires."), (draft, "Soon."), (last, "A start.")],
    )
    feed = read(feed_url(reader, "collections", "board-brief"))
    assert feed.feed.title == "Board brief"
    assert feed.feed.link == f"{SITE}{collection.get_absolute_url()}"
    assert [entry.title for entry in feed.entries] == ["Case study: Strongest", "Article: Weakest"]
    assert feed.entries[0].summary.startswith("Why it matters: It doubled hires. · ")
    assert feed.entries[1].summary == "Why it matters: A start. · How to start."


@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.DRAFT, "published_at": None},
        {"status": Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_a_collection_not_published_has_no_feed(reader: User, state: dict) -> None:
    CollectionFactory(slug="secret", items=[(ArticleFactory(), "Note.")], **state)
    assert Client().get(feed_url(reader, "collections", "secret")).status_code == 404


def test_a_trashed_collection_has_no_feed(reader: User, editor: User) -> None:
    collection = CollectionFactory(slug="gone")
    url = feed_url(reader, "collections", "gone")
    assert Client().get(url).status_code == 200
    content_transition(item=collection, action=Action.TRASH, user=editor)
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("slug", ["no-such-thing", "%00", "x" * 300, "a%2Fb", "%F0%9F%8E%89"])
@pytest.mark.parametrize("feed", ["topics", "departments", "advocates", "collections"])
def test_an_unknown_or_malformed_slug_is_not_found(reader: User, feed: str, slug: str) -> None:
    ArticleFactory(tags=["video"])
    response = Client().get(f"/feeds/{feed_token(reader)}/{feed}/{slug}.atom")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: "nonsense",
        lambda token: token[:-1],
        lambda token: "9" + token,
        lambda token: token + ":x",
        lambda token: "x" * 500,
    ],
)
@pytest.mark.parametrize("feed", ["topics", "departments", "advocates", "collections"])
def test_a_bad_or_tampered_token_is_not_found(
    reader: User, feed: str, tamper: Callable[[str], str]
) -> None:
    ArticleFactory(tags=["video"])
    DepartmentFactory(slug="video")
    CollectionFactory(slug="video")
    AdvocateProfileFactory(user=UserFactory(username="video"))
    assert Client().get(f"/feeds/{feed_token(reader)}/{feed}/video.atom").status_code == 200
    token = tamper(feed_token(reader))
    response = Client().get(f"/feeds/{token}/{feed}/video.atom")
    assert response.status_code == 404 and b"Article" not in response.content


def test_a_deactivated_account_and_a_reset_address_lose_every_feed(
    reader: User, reader_client: Client
) -> None:
    ArticleFactory(tags=["video"])
    CollectionFactory(slug="brief")
    DepartmentFactory(slug="sales")
    old = [feed_url(reader, "topics", "video"), feed_url(reader, "collections", "brief")]
    old.append(feed_url(reader, "departments", "sales"))
    reader_client.post(reverse("feed_reset"))
    assert [Client().get(url).status_code for url in old] == [404, 404, 404]
    new = feed_url(reader, "topics", "video")
    assert Client().get(new).status_code == 200
    reader.is_active = False
    reader.save()
    assert Client().get(new).status_code == 404


def test_feeds_answer_get_only(reader: User) -> None:
    ArticleFactory(tags=["video"])
    assert Client().post(feed_url(reader, "topics", "video")).status_code == 405


@pytest.mark.parametrize("feed", ["topics", "departments", "advocates", "collections"])
def test_a_feed_costs_the_same_queries_for_few_and_many_items(
    reader: User, feed: str, django_assert_num_queries
) -> None:
    def fill(n: int) -> None:
        for _ in range(n):
            story = CaseStudyFactory(tags=["video"], created_by=advocate)
            MetricFactory(case_study=story)
            ExperimentFactory(tags=["video"], department=department, created_by=advocate)
            article = ArticleFactory(
                tags=["video", "trust"], author=AdvocateProfileFactory(department=department).user
            )
            for item in (story, article):
                collection.items.create(
                    content_type=ContentType.objects.get_for_model(item),
                    object_id=item.pk,
                    position=collection.items.count() + 1,
                    note="Why.",
                )

    department = DepartmentFactory(slug="video")
    collection = CollectionFactory(slug="video")
    advocate = AdvocateProfileFactory(user=UserFactory(username="video")).user
    url = feed_url(reader, feed, "video")
    client = Client()
    fill(1)
    client.get(url)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    fill(9)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert len(feedparser.parse(response.content).entries) >= 18


# The pages that offer a feed.


def test_the_topic_page_offers_the_users_private_topic_feed(
    reader: User, reader_client: Client
) -> None:
    ArticleFactory(tags=["video"])
    response = reader_client.get(reverse("tag_detail", args=["video"]))
    url = feed_url(reader, "topics", "video")
    assertContains(
        response,
        f'<link rel="alternate" type="application/atom+xml" title="video: Atom feed" href="{url}">',
    )
    assertContains(response, f'<a href="{url}" type="application/atom+xml">Feed')


def test_the_department_page_offers_the_users_private_department_feed(
    reader: User, reader_client: Client
) -> None:
    DepartmentFactory(name="Sales", slug="sales")
    response = reader_client.get(reverse("departments:detail", args=["sales"]))
    url = feed_url(reader, "departments", "sales")
    assertContains(response, f'title="Sales: Atom feed" href="{url}"')
    assertContains(response, f'<a href="{url}" type="application/atom+xml">Feed')


def test_the_collection_page_offers_the_feed_once_published(
    advocate: User, advocate_client: Client
) -> None:
    collection = CollectionFactory(
        slug="brief", created_by=advocate, status=Status.DRAFT, published_at=None
    )
    page = reverse("collections:detail", args=["brief"])
    url = feed_url(advocate, "collections", "brief")
    assertNotContains(advocate_client.get(page), url)
    collection.status, collection.published_at = Status.PUBLISHED, timezone.now()
    collection.save()
    response = advocate_client.get(page)
    assertContains(
        response, f'type="application/atom+xml" title="{collection.title}: Atom feed" href="{url}"'
    )
    assertContains(response, f'<a href="{url}" type="application/atom+xml">Feed')


def test_the_advocate_page_offers_the_users_private_advocate_feed(
    reader: User, reader_client: Client, advocate: User
) -> None:
    response = reader_client.get(reverse("advocates:detail", args=[advocate.username]))
    url = feed_url(reader, "advocates", advocate.username)
    assertContains(response, f'title="Adam Advocate: Atom feed" href="{url}"')
    assertContains(response, f'<a href="{url}" type="application/atom+xml">Feed')


def test_each_user_sees_their_own_private_address(
    reader: User, reader_client: Client, advocate: User
) -> None:
    ArticleFactory(tags=["video"])
    response = reader_client.get(reverse("tag_detail", args=["video"]))
    assertContains(response, feed_url(reader, "topics", "video"))
    assertNotContains(response, feed_token(advocate))
