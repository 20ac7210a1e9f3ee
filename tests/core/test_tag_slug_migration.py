"""The data migration that gives tags saved with an empty or unroutable slug a working one."""

import importlib

from django.apps import apps
from taggit.models import Tag

repair = importlib.import_module("kb.core.migrations.0001_repair_tag_slugs").repair_tag_slugs


def tag_with_slug(name: str, slug: str) -> Tag:
    """A tag as an older version saved it (the update skips today's save rules)."""
    tag = Tag.objects.create(name=name)
    Tag.objects.filter(pk=tag.pk).update(slug=slug)
    return tag


def test_it_gives_each_bad_tag_its_own_working_slug_and_merges_nothing(db) -> None:
    good = [Tag.objects.create(name=name) for name in ("café", "日本語", "Recruitment")]
    taken = Tag.objects.create(name="Exclamation mark")
    bad = [
        tag_with_slug("!!!", ""),
        tag_with_slug("!", "_1"),
        tag_with_slug("🎉", "_2"),
        tag_with_slug("Café au lait", "café au lait"),
        tag_with_slug("\u200d", "a/b"),
    ]
    before = {tag.pk: tag.name for tag in Tag.objects.all()}
    repair(apps, None)
    slugs = {tag.pk: tag.slug for tag in Tag.objects.all()}
    assert {tag.pk: tag.name for tag in Tag.objects.all()} == before
    assert [slugs[tag.pk] for tag in good] == ["café", "日本語", "recruitment"]
    assert slugs[taken.pk] == "exclamation-mark"
    assert [slugs[tag.pk] for tag in bad] == [
        "exclamation-mark_1",
        "exclamation-mark_2",
        "party-popper",
        "café-au-lait",
        "tag",
    ]


def test_running_it_again_changes_nothing(db) -> None:
    tag_with_slug("?", "")
    repair(apps, None)
    first = list(Tag.objects.values_list("slug", flat=True))
    repair(apps, None)
    assert list(Tag.objects.values_list("slug", flat=True)) == first == ["question-mark"]
