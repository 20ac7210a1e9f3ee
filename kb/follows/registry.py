"""What can be followed, declared once: a topic, a platform, a department, an advocate or a
collection, and which items of every kind of content come "from" it.

A ``Followable`` names a model, how people call it, who may follow which of its rows, and
``items(model, ids)``: the condition that picks, among one content model's items, those
that come from the followed rows (tagged with the topic, on the platform, by people of the
department, by the advocate, in the collection). The kinds of content come from
``kb.core.registry``, so a new kind is followed through every followable with no code
here, and a new followable thing is one more ``Followable`` in ``FOLLOWABLES``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kb.core.permissions import AnyUser

# Items, of one content model, that come from some rows of a followable model.
ItemsFrom = Callable[[type[models.Model], list[int]], Q | None]


@dataclass(frozen=True)
class Followable:
    """``key`` names it in URLs ("topic"); ``model`` is "app_label.ModelName"; ``label``
    is how a sentence names one ("topic"); ``find_url`` is where to find more of them to
    follow. ``followable(user)`` is the queryset of rows that user may follow (and sees
    on their Following page); ``items`` is described in the module docstring."""

    key: str
    model: str
    label: str
    label_plural: str
    find_url: str
    items: ItemsFrom
    followable: Callable[[AnyUser], models.QuerySet] | None = None
    url: Callable[[models.Model], str] = field(default=lambda obj: obj.get_absolute_url())

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def queryset(self, user: AnyUser) -> models.QuerySet:
        if self.followable is not None:
            return self.followable(user)
        return self.model_class._default_manager.all()

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class)


def _subquery(model: type[models.Model], **lookup) -> Q:
    """Items whose pk is among those matching ``lookup`` (a subquery: a many-to-many join
    in the outer query would repeat an item once per matching row)."""
    return Q(pk__in=model._base_manager.filter(**lookup).values("pk"))


def _tagged(model: type[models.Model], ids: list[int]) -> Q:
    return _subquery(model, tags__in=ids)


def _on_platform(model: type[models.Model], ids: list[int]) -> Q | None:
    from kb.platforms.models import names_platforms

    return _subquery(model, platforms__in=ids) if names_platforms(model) else None


def _in_department(model: type[models.Model], ids: list[int]) -> Q:
    from kb.departments.contributions import department_path

    return Q(**{f"{department_path(model)}__in": ids})


def _by_advocate(model: type[models.Model], ids: list[int]) -> Q:
    return Q(**{f"{model.OWNER_FIELD}__advocate_profile__in": ids})


def _in_collection(model: type[models.Model], ids: list[int]) -> Q:
    from kb.collections.models import Collection, CollectionItem

    rows = CollectionItem.objects.filter(
        collection__in=Collection.objects.published().filter(pk__in=ids),
        content_type=ContentType.objects.get_for_model(model),
    )
    return Q(pk__in=rows.values("object_id"))


def _listed_advocates(user: AnyUser) -> models.QuerySet:
    from kb.advocates.models import AdvocateProfile

    return AdvocateProfile.objects.listed().select_related("user")


def _published_collections(user: AnyUser) -> models.QuerySet:
    from kb.collections.models import Collection

    return Collection.objects.published()


FOLLOWABLES: tuple[Followable, ...] = (
    Followable(
        key="topic",
        model="taggit.Tag",
        label="topic",
        label_plural="Topics",
        find_url="tag_list",
        items=_tagged,
        url=lambda tag: reverse("tag_detail", args=[tag.slug]),
    ),
    Followable(
        key="platform",
        model="platforms.Platform",
        label="platform",
        label_plural="Platforms",
        find_url="platforms:list",
        items=_on_platform,
        url=lambda platform: reverse("platforms:detail", args=[platform.slug]),
    ),
    Followable(
        key="department",
        model="advocates.Department",
        label="department",
        label_plural="Departments",
        find_url="departments:list",
        items=_in_department,
        url=lambda department: reverse("departments:detail", args=[department.slug]),
    ),
    Followable(
        key="advocate",
        model="advocates.AdvocateProfile",
        label="advocate",
        label_plural="Advocates",
        find_url="advocates:list",
        items=_by_advocate,
        followable=_listed_advocates,
    ),
    Followable(
        key="collection",
        model="collections.Collection",
        label="brief or learning path",
        label_plural="Briefs and learning paths",
        find_url="collections:list",
        items=_in_collection,
        followable=_published_collections,
    ),
)


def followable_by_key(key: str) -> Followable | None:
    return next((followable for followable in FOLLOWABLES if followable.key == key), None)


def followable_for(model: type[models.Model] | models.Model) -> Followable | None:
    """The declaration of a model (or of a row's model), if it can be followed."""
    label = model._meta.label
    return next((followable for followable in FOLLOWABLES if followable.model == label), None)


def followable_by_content_type(content_type_id: int) -> Followable | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return followable_for(model) if model is not None else None
