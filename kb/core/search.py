"""The contract between content models and the search index (implemented by kb.search).

A searchable model subclasses ``Searchable`` and says, in ``search_document()``, what goes
into each weighted slot of its index entry — title (A) outranks keywords such as tags (B),
which outrank the summary (C), which outranks the body (D). It declares the facets its
results can be filtered and counted by in ``SEARCH_FACETS`` (as Wagtail's FilterField):
the search form, page, index and service read the declarations, so kb.search names no
facet and no model. kb.search finds every Searchable model, keeps the index in sync
through signals and never needs the feature apps to import it. What a document shows of
other models is declared in SEARCH_DEPENDENCIES, so that changing it re-indexes the
documents that show it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from django.db import models


@dataclass(frozen=True)
class FacetField:
    """A dimension search results are filtered and counted by, e.g. tags or the year.

    A model lists the ones it has in ``SEARCH_FACETS``; models sharing a facet share its
    declaration (a system check keeps them alike). With ``field`` (a path such as
    ``"evidence_level"`` or ``"source__rating"``) the indexer reads the value from the
    object and labels it by the field's choices; without it, search_document() lists the
    values as ``Facet``s of this name.
    """

    name: str  # the URL parameter: ?tag=recruitment
    label: str  # the heading on the results page
    multiple: bool = False  # many values per object (tags), or at most one (year)
    numeric: bool = False  # whole numbers, validated as such and listed highest first
    field: str = ""
    position: int = 100  # place among the facets on the results page
    # The values it can take, with their labels, in the order the page lists them (a
    # source's rating, best first); a value outside them is refused. Empty: any value,
    # listed most common first (highest first if numeric).
    choices: tuple[tuple[str, str], ...] = ()

    def read(self, obj: models.Model) -> list["Facet"]:
        """The facet's value on ``obj``, read from ``field``."""
        value = obj
        for part in self.field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return []
        if isinstance(value, models.Model):
            return [Facet(self.name, str(getattr(value, "slug", value.pk)), str(value))]
        choices = dict(model_field(type(obj), self.field).flatchoices)
        return [Facet(self.name, str(value), str(choices.get(value, value)))]


def model_field(model: type[models.Model], path: str) -> models.Field:
    """The field at the end of ``path`` ("source__rating"), following relations."""
    *relations, last = path.split("__")
    for part in relations:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(last)


# Every searchable object has a type (its SEARCH_TYPE); kb.search fills it in.
TYPE = FacetField("type", "Type", position=0)
TAGS = FacetField("tag", "Topic", multiple=True, position=10)
YEAR = FacetField("year", "Year", numeric=True, position=50)


@dataclass(frozen=True)
class Facet:
    """One value of a filterable dimension, e.g. Facet("tag", "recruitment", "Recruitment")."""

    name: str
    value: str
    label: str


@dataclass
class SearchDocument:
    """What the index holds of one object. ``facets`` lists the values of the declared
    facets that have no ``field``; ``evidence_level`` orders results of equal relevance;
    ``audience`` names who else may find it while it is not published."""

    title: str
    url: str
    keywords: str = ""
    summary: str = ""
    body: str = ""
    subtitle: str = ""
    is_published: bool = True
    published_at: datetime | None = None
    owner_id: int | None = None
    evidence_level: int | None = None
    facets: list[Facet] = field(default_factory=list)
    # Users who may find it though it is not published (the owner always may): the
    # advocates asked a private question. Meant for a few documents and a few users each.
    audience: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class TagRef:
    name: str
    slug: str


class Searchable(models.Model):
    """Mixin for models that appear in search. Subclasses implement search_document()."""

    # Value and label of the type facet, e.g. ("casestudy", "Case study").
    SEARCH_TYPE: tuple[str, str]
    # The facets its results can be filtered by, beyond the type.
    SEARCH_FACETS: tuple[FacetField, ...] = ()

    # The related objects search_document() shows, declared beside it: a lookup from this
    # model to each (as in a queryset filter) and the fields of it that documents show,
    # e.g. {"author": {"first_name", "last_name", "username"},
    #       "author__advocate_profile__department": {"name", "slug"}, "tags": {"name"}}.
    # Changing one of those fields (or the links along the way: moving the author to
    # another department) re-indexes every document that shows it. kb.search's system
    # check fails when search_queryset() fetches, or the model's tags hold, a relation
    # that is not declared here.
    SEARCH_DEPENDENCIES: ClassVar[dict[str, set[str]]] = {}

    # Set by the indexer, which loads the tags of a whole batch in one query.
    _search_tags: list[TagRef] | None = None

    class Meta:
        abstract = True

    def search_document(self) -> SearchDocument:
        raise NotImplementedError

    def search_facets(self, doc: SearchDocument) -> list[Facet]:
        """Every value of the declared facets: read from their fields, or listed by the
        document (values of undeclared facets are not indexed)."""
        declared = {facet.name for facet in self.SEARCH_FACETS if not facet.field}
        facets = [facet for facet in doc.facets if facet.name in declared]
        for facet in self.SEARCH_FACETS:
            if facet.field:
                facets += facet.read(self)
        return facets

    def search_tags(self) -> list[TagRef]:
        """The object's tags (the one TaggableManager it has), as loaded by the indexer."""
        if self._search_tags is None:
            raise RuntimeError("Index through kb.search.index, which loads the tags.")
        return self._search_tags

    def search_related(self, name: str) -> list:
        """The objects of the many-valued relation ``name``, as search_queryset() fetched
        them with search_prefetch(name), else read now."""
        fetched = getattr(self, f"search_{name}", None)
        return fetched if fetched is not None else list(getattr(self, name).all())

    @classmethod
    def search_queryset(cls) -> models.QuerySet:
        """Everything to index, with what search_document() reads (tags aside) fetched."""
        return cls._default_manager.all()


def search_prefetch(name: str) -> models.Prefetch:
    """Prefetch a relation for search_related() into a plain list: the default prefetch
    builds a queryset for every object, which a rebuild of every object feels."""
    return models.Prefetch(name, to_attr=f"search_{name}")


def tag_facets(tags) -> list[Facet]:
    return [Facet("tag", tag.slug, tag.name) for tag in tags]
