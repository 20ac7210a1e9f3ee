"""Every tag has a slug that its topic page's URL can carry, whatever its name.

Tags are django-taggit's own ``Tag`` rows, shared by content tags and advocates' expertise.
taggit slugifies names with ``allow_unicode``, so "café" and "日本語" keep their letters
(the URLs route them with ``UnicodeSlugConverter``), but a name of symbols alone ("!!!",
"🎉") would get an empty slug, which no URL can carry. Such a tag is named after its
symbols' Unicode names instead (/tags/party-popper/): a pre_save hook on ``Tag`` sees every
way a tag is made (forms, the admin, the shell), so there is no path that skips it.
"""

import re
import unicodedata

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls.converters import StringConverter
from django.utils.text import slugify

# What the topic URL accepts: Django's Unicode slug (validate_unicode_slug), which is
# everything taggit's slugify and the admin's slug field can produce.
TAG_SLUG = r"[-\w]+"
_TAG_SLUG = re.compile(TAG_SLUG)
# What taggit makes of an empty slug on a clash ("_1"): addressable, but says nothing.
_EMPTY_WITH_SUFFIX = re.compile(r"_\d+")
# Leaves room for taggit's "_<n>" suffix within the 100 characters of Tag.slug.
_MAX_BASE = 90


class UnicodeSlugConverter(StringConverter):
    """A path segment that is a Unicode slug: letters of any script, digits, - and _."""

    regex = TAG_SLUG


def tag_slug_base(name: str) -> str:
    """taggit's slug of ``name`` or, for a name with no letters or digits, one from its
    symbols' Unicode names: "🎉" is party-popper, "!!!" exclamation-mark; else "tag"."""
    slug = slugify(name, allow_unicode=True)[:_MAX_BASE].strip("-_")
    if slug:
        return slug
    words = [
        unicodedata.name(char, "")
        for char in unicodedata.normalize("NFKC", name)
        if unicodedata.category(char)[0] in "PS"
    ]
    slug = slugify(" ".join(dict.fromkeys(words)))[:_MAX_BASE].strip("-")
    return slug or "tag"


def is_routable(slug: str) -> bool:
    return bool(_TAG_SLUG.fullmatch(slug or ""))


def ensure_tag_slug(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    """Before a tag is written, give it a unique slug if its own is empty, unroutable or
    taggit's "_1" for an empty one (as when two tags of symbols are made at once)."""
    if is_routable(instance.slug) and not _EMPTY_WITH_SUFFIX.fullmatch(instance.slug):
        return
    base = tag_slug_base(instance.name)
    taken = set(
        sender._default_manager.filter(slug__startswith=base)
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    instance.slug = slug


SUGGESTION_LIMIT = 8
# Longer input is no tag anyone typed; it is cut before it reaches the database.
MAX_QUERY = 100


def tag_suggestions(text: str, limit: int = SUGGESTION_LIMIT) -> list[dict]:
    """Existing tags for what an author has typed, in any case: those starting with it
    first, then those containing it, each most used first (how many items carry it)."""
    from taggit.models import Tag  # this module is imported while apps load

    text = " ".join(text.split())[:MAX_QUERY]
    if not text:
        return []
    slug = slugify(text, allow_unicode=True)
    match = Q(name__icontains=text) | (Q(slug__icontains=slug) if slug else Q())
    tags = (
        Tag.objects.filter(match)
        .annotate(uses=Count("core_taggeditem_items"))
        .order_by("-uses", Lower("name"))[: limit * 4]
    )
    lowered = text.lower()
    ranked = sorted(tags, key=lambda tag: not tag.name.lower().startswith(lowered))
    return [{"name": tag.name, "slug": tag.slug, "uses": tag.uses} for tag in ranked[:limit]]
