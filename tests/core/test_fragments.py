"""The part of the home and topic pages every reader shares is rendered once
(kb.core.fragments) and served again until anything it may show changes: every such
change shows at once, what differs by person is never shared, and the content version
moves on only after a commit, once per transaction."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.articles.models import Article
from kb.comments.models import Comment
from kb.core import fragments
from kb.core.models import ContentVersion, Status
from kb.follows.services import follow_add
from kb.home import cards
from kb.home import views as home_views
from kb.notifications.models import Notification
from tests.factories import AdvocateProfileFactory, ArticleFactory, CommentFactory, UserFactory

URL = reverse("tag_detail", args=["podcasts"])


@pytest.fixture
def item(db):
    return ArticleFactory(title="Our first podcast", tags=["podcasts"])


def page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def statements(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    return len(queries)


def test_a_second_reader_gets_the_shared_part_without_its_queries(
    item, reader_client: Client, advocate_client: Client
) -> None:
    first = statements(reader_client)
    assert "Our first podcast" in page(reader_client)
    # The shared part is served: the page's own statements (session, user, tag, version,
    # the follow button and the header's) remain.
    assert statements(advocate_client) < first - 5
    assert "Our first podcast" in page(advocate_client)


def test_what_differs_by_person_is_never_shared(
    item, reader: User, reader_client: Client, advocate_client: Client
) -> None:
    follow_add(user=reader, target=Tag.objects.get(slug="podcasts"))
    mine = page(reader_client)
    theirs = page(advocate_client)
    assert "You follow this topic" in mine and "You follow this topic" not in theirs
    assert "Rita" not in theirs  # the first reader's name, in her header only
    # Forms carry a person's CSRF token: only the sign-out and follow forms, both theirs.
    assert mine.count("csrfmiddlewaretoken") == theirs.count("csrfmiddlewaretoken") == 2


def test_every_change_it_may_show_shows_at_once(item, reader_client: Client) -> None:
    page(reader_client)

    item.title = "Our podcast, renamed"
    item.save()
    assert "Our podcast, renamed" in page(reader_client)

    CommentFactory(target=item)
    assert "1 comment" in page(reader_client)

    item.author.first_name, item.author.last_name = "Renamed", "Author"
    item.author.save()
    assert "Renamed Author" in page(reader_client)

    AdvocateProfileFactory(
        user=UserFactory(first_name="Pat", last_name="Podcaster"), expertise=["podcasts"]
    )
    assert "Pat Podcaster" in page(reader_client)

    item.status = Status.DRAFT
    item.save()
    assert "Our podcast, renamed" not in page(reader_client)


def test_admin_actions_that_update_rows_in_bulk_start_a_new_version(
    item, admin_client: Client
) -> None:
    comment = CommentFactory(target=item)
    before = fragments.current()
    response = admin_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "hide", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_at is not None
    assert fragments.current() > before

    before = fragments.current()
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "feature", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    assert fragments.current() > before


def test_what_no_shared_part_shows_leaves_the_version(item, reader: User) -> None:
    before = fragments.current()
    Notification.objects.create(recipient=reader, verb="commented", message="Hello")
    follow_add(user=reader, target=Tag.objects.get(slug="podcasts"))
    assert fragments.current() == before


def test_zero_seconds_renders_it_every_time(item, reader_client: Client, settings) -> None:
    settings.HOME_CACHE_SECONDS = 0
    first = statements(reader_client)
    assert statements(reader_client) == first


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_version_moves_on_after_the_commit_once_and_not_for_a_rollback() -> None:
    # The migration's row (flushed for this test), and the articles' kind's.
    ContentVersion.objects.get_or_create(scope=fragments.ALL, defaults={"version": 7})
    kind = fragments.kind_scope(Article)
    ContentVersion.objects.get_or_create(scope=kind, defaults={"version": 70})
    start = fragments.current()
    with transaction.atomic():
        ArticleFactory(tags=["podcasts", "video"])  # the item, its tags, its revision…
        ArticleFactory()
        assert fragments.current() == start, "not before the commit"
    # Their authors are people (everything), the articles their kind and their tags.
    assert fragments.current() == start + 1
    assert fragments.current(kind) == 71
    assert fragments.current(fragments.tag_scope(Tag.objects.get(slug="video").pk)) != 0

    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory()
        raise RuntimeError("the save is undone")
    assert fragments.current() == start + 1
    assert fragments.current(kind) == 71

    ArticleFactory()  # outside a transaction each save commits, and moves it at once
    assert fragments.current() > start + 1


def test_the_home_page_shares_its_part_and_keeps_for_you_and_the_feed_link_each_readers(
    item, reader: User, reader_client: Client, advocate_client: Client
) -> None:
    home = reverse("home")
    follow_add(user=reader, target=Tag.objects.get(slug="podcasts"))
    with CaptureQueriesContext(connection) as first:
        mine = reader_client.get(home).content.decode()
    with CaptureQueriesContext(connection) as second:
        theirs = advocate_client.get(home).content.decode()
    assert len(second) < len(first) - 10
    assert "Our first podcast" in mine and "Our first podcast" in theirs
    assert "new in what you follow" in mine and "new in what you follow" not in theirs
    feed_links = [
        re.search(r'href="([^"]+)" type="application/atom\+xml"', page).group(1)
        for page in (mine, theirs)
    ]
    assert feed_links[0] != feed_links[1], "each reader's private feed"
    assert "<!-- kb:" not in mine + theirs

    item.title = "Our podcast, renamed"
    item.save()
    assert "Our podcast, renamed" in advocate_client.get(home).content.decode()


def test_a_comment_or_an_edit_renders_afresh_only_its_own_topics_and_the_home_page(
    item, reader_client: Client, monkeypatch
) -> None:
    other = ArticleFactory(title="A video that worked", tags=["video"])
    commenter = UserFactory()  # a new person is a change to everything: made beforehand
    podcasts, video = Tag.objects.get(slug="podcasts"), Tag.objects.get(slug="video")
    page(reader_client)
    video_url = reverse("tag_detail", args=["video"])
    reader_client.get(video_url)
    before = {
        scope: fragments.current(scope) for scope in (fragments.ALL, fragments.tag_scope(video.pk))
    }

    CommentFactory(target=item, author=commenter)
    item.title = "Our podcast, renamed"
    item.save()

    assert "1 comment" in page(reader_client) and "Our podcast, renamed" in page(reader_client)
    assert "Our podcast, renamed" in reader_client.get(reverse("home")).content.decode()
    # The other topic shows nothing of that item: its part and its number are kept.
    assert {scope: fragments.current(scope) for scope in before} == before
    rendered = []
    monkeypatch.setattr(home_views, "_topic_body", lambda tag: rendered.append(tag) or {})
    assert "A video that worked" in reader_client.get(video_url).content.decode()
    assert rendered == []
    assert fragments.current(fragments.tag_scope(podcasts.pk)) != 0
    assert other.title == "A video that worked"


def test_an_item_that_loses_a_tag_leaves_that_topic_at_once(item, reader_client: Client) -> None:
    assert "Our first podcast" in page(reader_client)
    item.tags.set(["video"])
    assert "Our first podcast" not in page(reader_client)
    assert (
        "Our first podcast"
        in reader_client.get(reverse("tag_detail", args=["video"])).content.decode()
    )

    item.tags.add("podcasts")
    assert "Our first podcast" in page(reader_client)
    item.delete()
    assert "Our first podcast" not in page(reader_client)


def test_a_change_to_what_every_part_may_show_renders_them_all_afresh(
    item, reader_client: Client
) -> None:
    page(reader_client)
    before = fragments.current()
    tag = Tag.objects.get(slug="podcasts")
    tag.name = "Podcasting"
    tag.save()
    assert fragments.current() != before
    assert "Podcasting" in page(reader_client)


def test_an_items_card_is_rendered_once_for_every_page_until_the_item_changes(
    reader_client: Client, monkeypatch
) -> None:
    item = ArticleFactory(title="Podcast and video", tags=["podcasts", "video"])
    ArticleFactory(title="Only video", tags=["video"])
    commenter = UserFactory()  # a new person is a change to everything: made beforehand
    rendered = []
    card = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda *args: rendered.append(args[1]) or card(*args))
    assert "Podcast and video" in page(reader_client)
    video = reader_client.get(reverse("tag_detail", args=["video"])).content.decode()
    assert "Podcast and video" in video and "Only video" in video
    # The second topic rendered only the card the first had not.
    assert [shown.title for shown in rendered] == ["Podcast and video", "Only video"]

    rendered.clear()
    CommentFactory(target=item, author=commenter)
    assert "1 comment" in page(reader_client)
    assert "1 comment" in reader_client.get(reverse("tag_detail", args=["video"])).content.decode()
    assert [shown.title for shown in rendered] == ["Podcast and video"]


def test_a_card_whose_item_is_no_longer_published_is_left_out(item, reader_client: Client) -> None:
    assert "Our first podcast" in page(reader_client)
    item.status = Status.DRAFT
    item.save()
    assert "Our first podcast" not in page(reader_client)


def test_lists_and_topic_pages_share_each_items_card_and_show_its_changes_at_once(
    item, reader_client: Client, monkeypatch
) -> None:
    commenter = UserFactory()
    rendered = []
    card = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda *args: rendered.append(args[1]) or card(*args))
    listed = reader_client.get(reverse("articles:list")).content.decode()
    assert "Our first podcast" in listed
    assert "Our first podcast" in page(reader_client)
    assert [shown.title for shown in rendered] == ["Our first podcast"]  # once for both

    CommentFactory(target=item, author=commenter)
    assert "1 comment" in reader_client.get(reverse("articles:list")).content.decode()
    item.title = "Our podcast, renamed"
    item.save()
    assert "Our podcast, renamed" in reader_client.get(reverse("articles:list")).content.decode()
    # Filtered, sorted and paged lists show the same cards.
    filtered = reader_client.get(reverse("articles:list"), {"tag": "podcasts", "page": "1"})
    assert "Our podcast, renamed" in filtered.content.decode()


# The home page: kept while what is published and the items it shows stay as they are ----


def home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def home_renders(monkeypatch) -> list:
    """Each rendering of the home page's shared part, as it happens."""
    rendered = []
    render = home_views._home_body

    def counted(on_home, chosen):
        rendered.append(chosen)
        return render(on_home, chosen)

    monkeypatch.setattr(home_views, "_home_body", counted)
    return rendered


def test_a_comment_or_an_edit_of_an_item_the_home_page_does_not_show_leaves_it_kept(
    reader_client: Client, home_renders: list
) -> None:
    old = ArticleFactory(title="An old article", published_at=timezone.now() - timedelta(days=400))
    ArticleFactory.create_batch(6)  # newer: the old one is not among the five shown
    commenter = UserFactory()  # a new person is a change to everything: made beforehand
    assert "An old article" not in home(reader_client)
    assert len(home_renders) == 1

    CommentFactory(target=old, author=commenter)
    old.title = "An old article, renamed"
    old.save()
    ArticleFactory(title="A draft", status=Status.DRAFT, published_at=None, author=commenter)

    assert "renamed" not in home(reader_client)
    assert len(home_renders) == 1


def test_an_edit_of_an_item_the_home_page_shows_shows_at_once(
    reader_client: Client, home_renders: list
) -> None:
    shown = ArticleFactory(title="A shown article")
    assert "A shown article" in home(reader_client)
    shown.title = "A shown article, renamed"
    shown.save()
    assert "A shown article, renamed" in home(reader_client)
    assert len(home_renders) == 2


def test_what_is_published_featured_or_withdrawn_shows_on_the_home_page_at_once(
    reader_client: Client,
) -> None:
    old = ArticleFactory(title="An old article", published_at=timezone.now() - timedelta(days=400))
    ArticleFactory.create_batch(6)
    assert "An old article" not in home(reader_client)

    old.featured = True
    old.save()
    assert "An old article" in home(reader_client)  # in the featured grid

    fresh = ArticleFactory(title="Just published", status=Status.DRAFT, published_at=None)
    assert "Just published" not in home(reader_client)
    fresh.status, fresh.published_at = Status.PUBLISHED, timezone.now()
    fresh.save()
    assert "Just published" in home(reader_client)

    fresh.status = Status.DRAFT
    fresh.save()
    old.featured = False
    old.save()
    page = home(reader_client)
    assert "Just published" not in page and "An old article" not in page
