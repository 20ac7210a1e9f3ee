"""Give every tag a slug its topic page can be found at.

Until now a tag of symbols alone ("!!!", "🎉") was saved with an empty slug (or "_1", …),
and every page showing it failed. Each tag whose slug is not a Unicode slug, or is such a
"_1", gets a unique one: its name's slug, else its symbols' Unicode names, else "tag",
with _1, _2, … on a clash. Tags keep their rows and names; none is merged or deleted.
The rules are copied here as of this migration (kb.core.tags may change later).
"""

import re
import unicodedata

from django.db import migrations

ROUTABLE = re.compile(r"[-\w]+")
# What taggit made of an empty slug on a clash: addressable, but says nothing.
EMPTY_WITH_SUFFIX = re.compile(r"_\d+")
MAX_BASE = 90


def _slugify(text: str) -> str:
    """Django 5.2's slugify(text, allow_unicode=True)."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKC", text).lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def _base(name: str) -> str:
    slug = _slugify(name)[:MAX_BASE].strip("-_")
    if slug:
        return slug
    words = [
        unicodedata.name(char, "")
        for char in unicodedata.normalize("NFKC", name)
        if unicodedata.category(char)[0] in "PS"
    ]
    return _slugify(" ".join(dict.fromkeys(words)))[:MAX_BASE].strip("-") or "tag"


def repair_tag_slugs(apps, schema_editor) -> None:
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if ROUTABLE.fullmatch(tag.slug) and not EMPTY_WITH_SUFFIX.fullmatch(tag.slug):
            continue
        base = _base(tag.name)
        slug, n = base, 1
        while slug in taken:
            slug, n = f"{base}_{n}", n + 1
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop)]
