"""Keeping topics tidy: editors merge and rename tags with every tagged item re-tagged and
re-indexed, and see which tags repeat a platform's name.

Tags are django-taggit's ``Tag`` rows shared by every kind of content and by advocates'
expertise (``TaggedItem`` joins them to any model), so nothing here names a kind.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag

from kb.core.models import TaggedItem
from kb.core.search import Searchable
from kb.platforms.models import Platform
from kb.search.signals import schedule


def _reindex_tagged(rows: Iterable[tuple[int, int]]) -> None:
    """Schedule a search re-index of every searchable item among (content type, id) rows."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in rows:
        by_type[content_type_id].add(object_id)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, Searchable):
            for pk in ids:
                schedule(model, pk)


@transaction.atomic
def tag_merge(*, target: Tag, tags: Iterable[Tag]) -> int:
    """Move every item tagged with one of ``tags`` onto ``target``, delete those tags, and
    re-index the items. Returns how many taggings were moved (an item carrying both keeps
    one). Items' revisions keep the names they were saved with."""
    others = [tag for tag in tags if tag.pk != target.pk]
    if not others:
        return 0
    moved_rows = TaggedItem.objects.filter(tag__in=others)
    affected = set(moved_rows.values_list("content_type_id", "object_id"))
    already = set(TaggedItem.objects.filter(tag=target).values_list("content_type_id", "object_id"))
    moved = 0
    for row in moved_rows.select_for_update():
        key = (row.content_type_id, row.object_id)
        if key in already:
            row.delete()
        else:
            row.tag = target
            row.save(update_fields=["tag"])
            already.add(key)
            moved += 1
    Tag.objects.filter(pk__in=[tag.pk for tag in others]).delete()
    _reindex_tagged(affected)
    return moved


def tag_renamed(tag: Tag) -> None:
    """After a tag's name or slug changed: re-index what carries it (its facet and text)."""
    _reindex_tagged(TaggedItem.objects.filter(tag=tag).values_list("content_type_id", "object_id"))


def platform_named_tags() -> dict[int, str]:
    """Tags that repeat a platform's name (any case, or its slug): {tag id: platform name}.
    Items should name the platform in their platforms field, not as a topic."""
    platforms = list(Platform.objects.values_list("name", "slug"))
    names = {name.lower(): name for name, _ in platforms}
    slugs = {slug: name for name, slug in platforms}
    found = {}
    for pk, name, slug in Tag.objects.values_list("pk", "name", "slug"):
        platform = names.get(name.lower()) or slugs.get(slug)
        if platform:
            found[pk] = platform
    return found
