"""Atom feeds of what is published, for feed readers and intranet dashboards.

Feed readers cannot sign in, so each user gets private feed addresses carrying a signed
token of their account and their FeedKey (like a calendar subscription link): what is
newly published everywhere (``latest.atom``), and the same for one topic, department,
advocate or collection (``topics/<slug>.atom`` …). Every feed shows only what every
signed-in reader may see — published and due, nothing in the trash — and stops working when the
account is deactivated or the user resets the address.

The feeds are ``django.contrib.syndication`` Feed classes over one base, ``ContentFeed``:
each entry is the item's kind and title, its absolute address (SITE_URL), dates, owner,
tags, and a plain-text summary led by its headline result and evidence level.
"""

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core import signing
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_POST, require_safe
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile, Department
from kb.collections.entries import fetch_items
from kb.collections.models import Collection
from kb.core.evidence import evidence_level_of
from kb.core.markdown import markdown_to_text, render_markdown_text
from kb.core.models import Content
from kb.core.registry import kind_for, kinds_where
from kb.departments.contributions import department_path
from kb.follows.services import Following, following_of
from kb.home.models import FeedKey

FEED_ITEMS = 30
FEED_SUMMARY_CHARS = 1_000
_SALT = "kb.home.feed"
# What Django accepts as a username (UnicodeUsernameValidator).
_USERNAME = re.compile(r"[\w.@+-]+")

# A kind's published items, narrowed to what one feed is about; None leaves the kind out.
Narrow = Callable[[type[Content], QuerySet], QuerySet | None]


def _sign(user_pk: int, key: str) -> str:
    return signing.Signer(salt=_SALT).sign(f"{user_pk}:{key}" if key else str(user_pk))


def feed_token(user) -> str:
    key = FeedKey.objects.filter(user_id=user.pk).values_list("key", flat=True).first()
    return _sign(user.pk, key or "")


def feed_url(user, feed: str = "", slug: str = "", *, token: str = "") -> str:
    """The user's private address of the latest feed, or of one topic's, department's,
    advocate's or collection's feed (``feed`` one of FEEDS, with the subject's slug or,
    for an advocate, username)."""
    token = token or feed_token(user)
    if not feed:
        return reverse("latest_feed", args=[token])
    return reverse(FEEDS[feed], args=[token, slug])


def _user_for(token: str):
    try:
        pk, _, key = signing.Signer(salt=_SALT).unsign(token).partition(":")
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        raise Http404("No such feed.") from None
    user = (
        get_user_model()
        ._default_manager.filter(pk=pk, is_active=True)
        .select_related("feed_key")
        .first()
    )
    current = getattr(user, "feed_key", None)
    if user is None or not constant_time_compare(key, current.key if current else ""):
        raise Http404("No such feed.")
    return user


@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    """A new private address; the old one (perhaps shared by mistake) stops working."""
    FeedKey.objects.update_or_create(user=request.user, defaults={"key": secrets.token_urlsafe(16)})
    messages.success(
        request,
        "Your feed address has changed and the old one no longer works. "
        "Give your feed reader the new address below.",
    )
    return redirect(f"{reverse('home')}#feed")


def _for_feed(model: type[Content]) -> QuerySet:
    """A kind's published items with what an entry shows: owner, tags, headline."""
    return (
        model.objects.published()
        .select_related(model.OWNER_FIELD)
        .prefetch_related("tags")
        .for_headlines()
    )


def feed_items(narrow: Narrow | None = None, limit: int = FEED_ITEMS) -> list[Content]:
    """The newest published items of every kind in the feed, newest first: a query or two
    per kind, whatever the number of items. ``narrow(model, queryset)`` keeps the part of
    each kind a feed is about (one topic's items, …), or returns None to leave it out."""
    querysets = []
    for model, _ in kinds_where("in_feed"):
        queryset = _for_feed(model)
        if narrow is not None:
            queryset = narrow(model, queryset)
        if queryset is not None:
            querysets.append(queryset.order_by("-published_at", "-pk")[:limit])
    items = sorted(chain.from_iterable(querysets), key=lambda item: item.published_at, reverse=True)
    return items[:limit]


# XML 1.0 has no place for C0 controls other than tab and newlines, nor for U+FFFE/U+FFFF;
# Django's feed writer refuses them, which would take the whole feed down.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; ``note`` is what a collection says about it."""

    item: Content
    note: str = ""


def entry_summary(item: Content, note: str = "") -> str:
    """The summary as plain text — why it matters (in a collection), the headline result,
    the evidence level, then the item's own summary — cut, then escaped: Atom1Feed sends
    it as type="html".

    Escaping after the cut is what makes it safe: a cut through markup that was merely
    filtered could leave half a tag for a feed reader to complete.
    """
    summary = render_markdown_text(getattr(item, item.SUMMARY_FIELD, "") or "")
    parts = [f"Why it matters: {note}"] if note else []
    headline = item.headline()
    plain_summary = " ".join(markdown_to_text(getattr(item, item.SUMMARY_FIELD, "") or "").split())
    # A research link's headline is its summary (the key finding): said once, as rendered.
    if headline is not None and headline.text and headline.text != plain_summary:
        parts.append(f"{headline.label}: {headline.text}")
    level = evidence_level_of(item)
    if level is not None:
        parts.append(f"Evidence: {level.label}")
    parts.append(summary)
    text = " · ".join(part for part in parts if part)
    if len(text) > FEED_SUMMARY_CHARS:
        text = text[: FEED_SUMMARY_CHARS - 1].rstrip() + "…"
    return escape(_xml_text(text))


class ContentFeed(Feed):
    """An Atom feed of content items behind a private token; subclasses say what it is
    about (``get_subject``), its title and page, and which items (``entries``)."""

    feed_type = Atom1Feed
    language = "en"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, max-age=300"
        return response

    def get_object(self, request: HttpRequest, token: str, slug: str = "") -> Model | None:
        # The token first: a stranger learns nothing, not even which slugs exist.
        _user_for(token)
        self.request_path = request.path
        return self.get_subject(slug)

    def get_subject(self, slug: str) -> Model | None:
        """What the feed is about; a missing one raises DoesNotExist (a 404)."""
        return None

    def feed_url(self) -> str:
        return _absolute(self.request_path)

    def entries(self, subject) -> Iterable[FeedEntry]:
        raise NotImplementedError

    def items(self, subject) -> list[FeedEntry]:
        return list(self.entries(subject))

    def item_title(self, entry: FeedEntry) -> str:
        kind = kind_for(entry.item)
        return _xml_text(f"{kind.label}: {entry.item.title}" if kind else entry.item.title)

    def item_link(self, entry: FeedEntry) -> str:
        return _absolute(entry.item.get_absolute_url())

    def item_description(self, entry: FeedEntry) -> str:
        return entry_summary(entry.item, entry.note)

    def item_pubdate(self, entry: FeedEntry):
        return entry.item.published_at

    def item_updateddate(self, entry: FeedEntry):
        return entry.item.updated_at

    def item_author_name(self, entry: FeedEntry) -> str | None:
        owner = getattr(entry.item, entry.item.OWNER_FIELD, None)
        return _xml_text(owner.get_full_name() or owner.username) if owner else None

    def item_categories(self, entry: FeedEntry) -> list[str]:
        return [_xml_text(tag.name) for tag in entry.item.tags.all()]


class LatestFeed(ContentFeed):
    """What is new everywhere; only what comes from what the user follows when they
    follow anything (kb.follows), and the feed's title says so."""

    def get_object(self, request: HttpRequest, token: str, slug: str = "") -> Following:
        self.request_path = request.path
        return following_of(_user_for(token))

    def title(self, following: Following) -> str:
        if following.anything:
            return f"New in what you follow in {settings.SITE_NAME}"
        return f"New in {settings.SITE_NAME}"

    def subtitle(self, following: Following) -> str:
        if following.anything:
            return (
                "What is published on the topics, platforms, departments, advocates and "
                "briefs you follow, as it is published."
            )
        return "What is published in the KB, as it is published."

    description = subtitle

    def link(self) -> str:
        return _absolute("/")

    def entries(self, following: Following) -> Iterable[FeedEntry]:
        if not following.anything:
            return map(FeedEntry, feed_items())

        def followed(model: type[Content], queryset: QuerySet) -> QuerySet | None:
            condition = following.condition(model)
            return queryset.filter(condition) if condition is not None else None

        return map(FeedEntry, feed_items(followed))


class TopicFeed(ContentFeed):
    def get_subject(self, slug: str) -> Tag:
        return Tag.objects.get(slug=slug)

    def title(self, tag: Tag) -> str:
        return _xml_text(f"{tag.name} in {settings.SITE_NAME}")

    def subtitle(self, tag: Tag) -> str:
        return _xml_text(f"What is published in the KB about {tag.name}.")

    def link(self, tag: Tag) -> str:
        return _absolute(reverse("tag_detail", args=[tag.slug]))

    def entries(self, tag: Tag) -> Iterable[FeedEntry]:
        def on_topic(model: type[Content], queryset: QuerySet) -> QuerySet | None:
            return queryset.filter(tags=tag) if kind_for(model).on_topic_pages else None

        return map(FeedEntry, feed_items(on_topic))


class DepartmentFeed(ContentFeed):
    def get_subject(self, slug: str) -> Department:
        return Department.objects.get(slug=slug)

    def title(self, department: Department) -> str:
        return _xml_text(f"{department.name} in {settings.SITE_NAME}")

    def subtitle(self, department: Department) -> str:
        return _xml_text(f"What {department.name} publishes in the KB.")

    def link(self, department: Department) -> str:
        return _absolute(reverse("departments:detail", args=[department.slug]))

    def entries(self, department: Department) -> Iterable[FeedEntry]:
        def in_department(model: type[Content], queryset: QuerySet) -> QuerySet:
            return queryset.filter(**{department_path(model): department.pk})

        return map(FeedEntry, feed_items(in_department))


class AdvocateFeed(ContentFeed):
    """What one advocate (an active account with a profile) has published, of every kind."""

    def get_subject(self, username: str) -> AdvocateProfile:
        # What no username can be (a NUL byte, which PostgreSQL refuses) is simply not found.
        if not _USERNAME.fullmatch(username):
            raise AdvocateProfile.DoesNotExist
        return AdvocateProfile.objects.listed().select_related("user").get(user__username=username)

    def title(self, profile: AdvocateProfile) -> str:
        return _xml_text(f"{profile.display_name} in {settings.SITE_NAME}")

    def subtitle(self, profile: AdvocateProfile) -> str:
        return _xml_text(f"What {profile.display_name} publishes in the KB.")

    def link(self, profile: AdvocateProfile) -> str:
        return _absolute(reverse("advocates:detail", args=[profile.user.username]))

    def entries(self, profile: AdvocateProfile) -> Iterable[FeedEntry]:
        def theirs(model: type[Content], queryset: QuerySet) -> QuerySet:
            return queryset.filter(**{model.OWNER_FIELD: profile.user_id})

        return map(FeedEntry, feed_items(theirs))


class CollectionFeed(ContentFeed):
    """A published brief or learning path: its published items in the collection's own
    order, each with why it matters."""

    def get_subject(self, slug: str) -> Collection:
        return Collection.objects.published().get(slug=slug)

    def title(self, collection: Collection) -> str:
        return _xml_text(collection.title)

    def subtitle(self, collection: Collection) -> str:
        return _xml_text(collection.purpose)

    def link(self, collection: Collection) -> str:
        return _absolute(collection.get_absolute_url())

    def entries(self, collection: Collection) -> Iterable[FeedEntry]:
        rows = list(collection.items.all())
        # _for_feed already fetches what headlines read.
        items = fetch_items(rows, _for_feed, headlines=False)
        return [FeedEntry(items[row.key], row.note) for row in rows if row.key in items]


def _view(feed_class: type[ContentFeed]):
    """A view serving ``feed_class``: a new instance per request, which keeps its path."""

    @login_not_required
    @require_safe
    def view(request: HttpRequest, token: str, slug: str = "") -> HttpResponse:
        return feed_class()(request, token=token, slug=slug)

    view.__name__ = view.__qualname__ = f"{feed_class.__name__.removesuffix('Feed').lower()}_feed"
    return view


latest_feed = _view(LatestFeed)
topic_feed = _view(TopicFeed)
department_feed = _view(DepartmentFeed)
advocate_feed = _view(AdvocateFeed)
collection_feed = _view(CollectionFeed)

# The feeds about one thing, by the name their addresses use, and their URL names.
FEEDS = {
    "topics": "topic_feed",
    "departments": "department_feed",
    "advocates": "advocate_feed",
    "collections": "collection_feed",
}
