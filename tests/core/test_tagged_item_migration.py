"""The migration that moves every tagging from taggit's table into core.TaggedItem, whose
object ids are bigint like the items' keys: nothing lost, nothing left behind, and back."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import Tag
from taggit.models import TaggedItem as TaggitTaggedItem

from kb.core.models import TaggedItem
from tests.factories import AdvocateProfileFactory, ArticleFactory, CaseStudyFactory

migration = importlib.import_module("kb.core.migrations.0002_bigint_tagged_items")
EDITOR = SimpleNamespace(connection=connection)  # what the migration uses of a schema editor


def rows(model) -> set[tuple]:
    return set(model.objects.values_list("tag__name", "content_type__model", "object_id"))


def test_every_tagging_moves_into_the_bigint_table_and_back(db) -> None:
    article, study = ArticleFactory(), CaseStudyFactory()
    profile = AdvocateProfileFactory()
    big_id = 2**31 + 5  # beyond taggit's integer column, within ours
    big = ArticleFactory(id=big_id)
    TaggedItem.objects.all().delete()
    for item, names in ((article, ["video", "linkedin"]), (study, ["video"]), (profile, ["hr"])):
        for name in names:
            TaggitTaggedItem.objects.create(
                tag=Tag.objects.get_or_create(name=name, slug=name)[0],
                content_type=ContentType.objects.get_for_model(item),
                object_id=item.pk,
            )
    before = rows(TaggitTaggedItem)
    migration.forwards(apps, EDITOR)
    assert rows(TaggedItem) == before and not TaggitTaggedItem.objects.exists()
    article.refresh_from_db()
    assert sorted(article.tags.names()) == ["linkedin", "video"]
    assert list(profile.expertise.names()) == ["hr"]
    assert type(article).objects.filter(tags__name="video").count() == 1
    big_item = type(big).all_objects.get(pk=big_id)
    big_item.tags.add("large")  # an id taggit's table could not hold
    assert list(type(big).objects.filter(tags__name="large")) == [big_item]
    big_item.tags.clear()
    migration.backwards(apps, EDITOR)
    assert rows(TaggitTaggedItem) == before and not TaggedItem.objects.exists()
