"""What a document shows of other models, derived from its SEARCH_DEPENDENCIES.

A searchable model declares, beside search_document(), the lookups to the related objects
its documents show and the fields of each (kb.core.search). From each lookup this module
derives every model along the way that can change a document — for
``author__advocate_profile__department``: the department's name and slug, which
department the profile points to, and which user the profile belongs to — as Watches,
which kb.search.signals connects. The system check (``check_declarations``) fails when
search_queryset() fetches a relation, or the model has tags, that nothing declares.
"""

import functools
from dataclasses import dataclass

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from taggit.managers import TaggableManager

from kb.core.search import Searchable


@dataclass(frozen=True)
class Watch:
    """A change to ``model``'s ``fields`` alters the documents of ``document`` whose
    lookup ``via`` reaches it. ``on_create``: a new row can be reached at once (the link
    is on it, as a profile's user or a metric's case study)."""

    model: type[models.Model]
    document: type[Searchable]
    via: str
    fields: frozenset[str]
    on_create: bool


class DeclarationError(ValueError):
    pass


def _steps(document: type[Searchable], lookup: str) -> list[tuple[str, type, set[str], bool]]:
    """(via, model, link fields, on_create) for each model the lookup passes, in order.

    Link fields are the attnames whose change moves the path: a forward foreign key on the
    model before the step, or the reverse one's foreign key on the model after it.
    """
    steps: list[tuple[str, type, set[str], bool]] = []
    model: type[models.Model] = document
    parts = lookup.split("__")
    for position, name in enumerate(parts):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise DeclarationError(f"{model.__name__} has no relation {name!r}") from error
        if not field.is_relation or field.related_model is None:
            raise DeclarationError(f"{model.__name__}.{name} is not a relation")
        via = "__".join(parts[: position + 1])
        first = position == 0
        reverse = field.auto_created and not field.concrete
        if field.many_to_many:
            # Membership changes arrive as m2m_changed, connected for the document's own
            # relations only (kb.search.signals).
            if not first or reverse:
                raise DeclarationError(
                    f"{via}: only the document's own many-to-many relations can be followed"
                )
            steps.append((via, field.related_model, set(), False))
        elif not reverse:  # a forward foreign key or one-to-one
            if not first:
                steps[-1][2].add(field.attname)
            steps.append((via, field.related_model, set(), False))
        elif field.one_to_many or field.one_to_one:  # the other side of a foreign key
            steps.append((via, field.related_model, {field.field.attname}, True))
        else:
            raise DeclarationError(f"{via}: a relation kb.search cannot follow")
        model = field.related_model
    return steps


def watches_of(document: type[Searchable]) -> list[Watch]:
    """Every Watch that keeps ``document``'s entries in step with what they show."""
    found: dict[str, tuple[type, set[str], bool]] = {}
    for lookup, shown in document.SEARCH_DEPENDENCIES.items():
        steps = _steps(document, lookup)
        for index, (via, model, links, on_create) in enumerate(steps):
            fields = set(links)
            if index == len(steps) - 1:
                for name in shown:
                    try:
                        field = model._meta.get_field(name)
                    except FieldDoesNotExist as error:
                        raise DeclarationError(
                            f"{lookup}: {model.__name__} has no field {name!r}"
                        ) from error
                    if not field.concrete:
                        raise DeclarationError(f"{lookup}: {model.__name__}.{name} is no column")
                    fields.add(field.attname)
            _, known, created = found.get(via, (model, set(), False))
            found[via] = (model, known | fields, created or on_create)
    return [
        Watch(model, document, via, frozenset(fields), on_create)
        for via, (model, fields, on_create) in found.items()
        if fields or on_create
    ]


@functools.cache
def all_watches() -> tuple[Watch, ...]:
    from kb.search.index import searchable_models

    return tuple(watch for model in searchable_models() for watch in watches_of(model))


def _select_related_paths(tree: dict, prefix: str = "") -> set[str]:
    paths = set()
    for name, below in tree.items():
        path = f"{prefix}{name}"
        paths.add(path)
        paths |= _select_related_paths(below, f"{path}__")
    return paths


def fetched_relations(document: type[Searchable]) -> set[str]:
    """The relations search_queryset() fetches for search_document(), and the tags."""
    queryset = document.search_queryset()
    paths = set()
    if isinstance(queryset.query.select_related, dict):
        paths |= _select_related_paths(queryset.query.select_related)
    for lookup in queryset._prefetch_related_lookups:
        paths.add(getattr(lookup, "prefetch_through", lookup))
    paths |= {
        field.name for field in document._meta.get_fields() if isinstance(field, TaggableManager)
    }
    return paths


def check_declaration(document: type[Searchable]) -> list[checks.CheckMessage]:
    """Errors for a document that reads a related model nothing re-indexes."""
    label = document._meta.label
    try:
        watches_of(document)
    except DeclarationError as error:
        return [
            checks.Error(
                f"{label}.SEARCH_DEPENDENCIES: {error}.",
                obj=document,
                id="search.E002",
            )
        ]
    if document.search_queryset().query.select_related is True:
        return [
            checks.Error(
                f"{label}.search_queryset() uses select_related() without fields, so what "
                "its documents show cannot be checked.",
                hint="Name the relations search_document() reads.",
                obj=document,
                id="search.E003",
            )
        ]
    declared = set(document.SEARCH_DEPENDENCIES)
    errors = []
    for path in sorted(fetched_relations(document)):
        if not any(lookup == path or lookup.startswith(f"{path}__") for lookup in declared):
            errors.append(
                checks.Error(
                    f"{label}'s documents read {path!r}, which nothing re-indexes: "
                    "a change to it would leave them stale.",
                    hint=f"Declare {path!r} and the fields shown in "
                    f"{document.__name__}.SEARCH_DEPENDENCIES.",
                    obj=document,
                    id="search.E001",
                )
            )
    return errors


def check_declarations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from kb.search.index import searchable_models

    return [error for model in searchable_models() for error in check_declaration(model)]
