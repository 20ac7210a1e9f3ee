"""What a revision stores, and how it is put back.

A model lists its editable content in ``REVISION_FIELDS``: plain fields, many-to-many
fields, its tags, and reverse foreign keys whose rows belong to it (a case study's
metrics, a collection's items). Values are stored readably (tags as names, related items
and foreign keys as [id, label], child rows as dicts, with the label of whatever a row's
generic key points at under the key's name) so a diff reads well even after the related
items are gone. Revisions stored before foreign keys and generic keys kept their labels
hold bare ids; ``stored_pk`` reads both, and the diff looks their labels up.
"""

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.text import capfirst
from taggit.managers import TaggableManager

from kb.core.registry import kind_for

Data = dict[str, Any]
CHILD_SKIP = {"id"}


def _field(model: type[models.Model], name: str):
    return model._meta.get_field(name)


def child_fields(relation) -> list[models.Field]:
    """The stored fields of a child row: everything but its key and its parent link."""
    return [
        f
        for f in relation.related_model._meta.concrete_fields
        if f.name not in CHILD_SKIP and f != relation.field
    ]


def generic_keys(model: type[models.Model]) -> list[GenericForeignKey]:
    """A child model's generic keys (a collection item's ``item``)."""
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def item_label(target: models.Model | None) -> str:
    """How a diff names what a generic key points at: "Case study: Title"."""
    if target is None:
        return "an item no longer in the KB"
    kind = kind_for(target)
    return f"{kind.label if kind else capfirst(target._meta.verbose_name)}: {target}"


def reference(related: models.Model | None) -> list | None:
    """A foreign key as stored: its id (to restore it) and its label (to read it)."""
    return None if related is None else [related.pk, str(related)]


def stored_pk(value: Any) -> Any:
    """The id in a stored foreign key: [id, label], or a bare id in older revisions."""
    return value[0] if isinstance(value, list) else value


def _child_rows(obj: models.Model, relation) -> list[Data]:
    keys = generic_keys(relation.related_model)
    children = getattr(obj, relation.get_accessor_name()).all()
    if keys:  # one query per kind of target, trashed items included (_base_manager)
        children = children.prefetch_related(*(key.name for key in keys))
    rows = []
    for child in children:
        row = {f.name: f.value_from_object(child) for f in child_fields(relation)}
        row.update({key.name: item_label(getattr(child, key.name)) for key in keys})
        rows.append(row)
    return rows


def capture(obj: models.Model) -> Data:
    data: Data = {}
    for name in obj.REVISION_FIELDS:
        field = _field(type(obj), name)
        if isinstance(field, TaggableManager):
            data[name] = sorted((tag.name for tag in obj.tags.all()), key=str.lower)
        elif field.many_to_many:
            data[name] = [[o.pk, str(o)] for o in getattr(obj, name).all().order_by("pk")]
        elif field.one_to_many:
            data[name] = _child_rows(obj, field)
        elif field.many_to_one:
            data[name] = reference(getattr(obj, name))
        else:
            data[name] = field.value_from_object(obj)
    return data


def apply(obj: models.Model, data: Data) -> None:
    """Put the stored content back on ``obj``: plain fields now, the rest after save().

    Returns nothing; call ``save_related(obj, data)`` after saving the object.
    """
    for name in obj.REVISION_FIELDS:
        field = _field(type(obj), name)
        if name in data and field.concrete and not field.many_to_many:
            setattr(obj, field.attname, field.to_python(stored_pk(data[name])))


def save_related(obj: models.Model, data: Data) -> None:
    for name in obj.REVISION_FIELDS:
        if name not in data:
            continue
        field = _field(type(obj), name)
        if isinstance(field, TaggableManager):
            obj.tags.set(data[name], clear=False)
        elif field.many_to_many:
            existing = field.related_model._default_manager.filter(
                pk__in=[pk for pk, _ in data[name]]
            )
            getattr(obj, name).set(existing)
        elif field.one_to_many:
            manager = getattr(obj, field.get_accessor_name())
            manager.all().delete()
            fields = {f.name: f for f in child_fields(field)}
            manager.model._default_manager.bulk_create(
                manager.model(
                    **{field.field.name: obj},
                    **{
                        fields[key].attname: fields[key].to_python(value)
                        for key, value in row.items()
                        if key in fields
                    },
                )
                for row in data[name]
            )


def label(model: type[models.Model], name: str) -> str:
    field = _field(model, name)
    if field.one_to_many:
        return capfirst(field.related_model._meta.verbose_name_plural)
    return capfirst(field.verbose_name)
