"""An Atom feed of what is newly published, for feed readers and intranet dashboards.

Feed readers cannot sign in, so each user gets a private feed address carrying a signed
token of their account and their FeedKey (like a calendar subscription link). The feed shows
only what every signed-in reader may see — published and due, nothing in the trash — and
stops working when the account is deactivated or the user resets the address.
"""

import re
import secrets
from itertools import chain

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_POST, require_safe

from kb.core.markdown import render_markdown_text
from kb.core.registry import kind_for, kinds_where
from kb.follows.services import Following, following_of
from kb.home.models import FeedKey

FEED_ITEMS = 30
FEED_SUMMARY_CHARS = 1_000
_SALT = "kb.home.feed"


def _sign(user_pk: int, key: str) -> str:
    return signing.Signer(salt=_SALT).sign(f"{user_pk}:{key}" if key else str(user_pk))


def feed_token(user) -> str:
    key = FeedKey.objects.filter(user_id=user.pk).values_list("key", flat=True).first()
    return _sign(user.pk, key or "")


def feed_url(user) -> str:
    return reverse("latest_feed", args=[feed_token(user)])


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


def _latest(following: Following | None = None) -> list:
    """The newest published items of every kind in the feed, newest first (a query or
    two per kind, whatever the number of items); only those from what the user follows
    when ``following`` holds anything."""
    following = following or Following()
    items = chain.from_iterable(
        following.narrow(model.objects.published())
        .for_cards()
        .order_by("-published_at")[:FEED_ITEMS]
        for model, _ in kinds_where("in_feed")
    )
    return sorted(items, key=lambda item: item.published_at, reverse=True)[:FEED_ITEMS]


# XML 1.0 has no place for C0 controls other than tab and newlines, nor for U+FFFE/U+FFFF;
# Django's feed writer refuses them, which would take the whole feed down.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def _description(item) -> str:
    """The summary as plain text, cut, then escaped: Atom1Feed sends it as type="html".

    Escaping after the cut is what makes it safe: a cut through markup that was merely
    filtered could leave half a tag for a feed reader to complete.
    """
    text = render_markdown_text(getattr(item, item.SUMMARY_FIELD, ""))
    if len(text) > FEED_SUMMARY_CHARS:
        text = text[: FEED_SUMMARY_CHARS - 1].rstrip() + "…"
    return escape(_xml_text(text))


@login_not_required
@require_safe
def latest_feed(request: HttpRequest, token: str) -> HttpResponse:
    following = following_of(_user_for(token))
    site = settings.SITE_URL
    if following.anything:
        title = f"New in what you follow in {settings.SITE_NAME}"
        about = (
            "What is published on the topics, platforms, departments, advocates and briefs "
            "you follow, as it is published."
        )
    else:
        title, about = (
            f"New in {settings.SITE_NAME}",
            "What is published in the KB, as it is published.",
        )
    feed = Atom1Feed(
        title=title,
        link=f"{site}/",
        description=about,
        subtitle=about,
        feed_url=f"{site}{request.path}",
        language="en",
    )
    for item in _latest(following):
        author = getattr(item, "author", None)
        feed.add_item(
            title=_xml_text(f"{kind_for(item).label}: {item.title}"),
            link=f"{site}{item.get_absolute_url()}",
            description=_description(item),
            unique_id=f"{site}{item.get_absolute_url()}",
            pubdate=item.published_at,
            updateddate=item.updated_at,
            author_name=_xml_text(author.get_full_name() or author.username) if author else None,
            categories=[_xml_text(tag.name) for tag in item.tags.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
