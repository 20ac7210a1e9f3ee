"""Factories of briefs and learning paths: a published brief for the board unless told
otherwise; ``items=[(item, note), …]`` puts items in it in that order."""

import factory
from django.contrib.contenttypes.models import ContentType

from kb.collections.models import Audience, Collection, CollectionItem, Kind
from tests.factories import ContentFactory, UserFactory


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = "Board and executives"
    slug = "board-and-executives"


class CollectionFactory(ContentFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Brief {n}")
    kind = Kind.BRIEF
    audience = factory.SubFactory(AudienceFactory)
    purpose = "Show the board that employee advocacy pays for itself."
    introduction = "Three results, **strongest first**."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            for position, (item, note) in enumerate(extracted, start=1):
                CollectionItemFactory(collection=self, item=item, note=note, position=position)


class CollectionItemFactory(factory.django.DjangoModelFactory):
    """A row pointing at ``item`` (any content)."""

    class Meta:
        model = CollectionItem
        exclude = ["item"]

    collection = factory.SubFactory(CollectionFactory)
    item = None
    content_type = factory.LazyAttribute(lambda row: ContentType.objects.get_for_model(row.item))
    object_id = factory.LazyAttribute(lambda row: row.item.pk)
    position = factory.Sequence(lambda n: n + 1)
    note = "Why it matters, in one line."
