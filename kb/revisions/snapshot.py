"""What a revision stores, and how it is put back.

A model lists its editable content in ``REVISION_FIELDS``: plain fields, many-to-many
fields, its tags, and reverse foreign keys whose rows belong to it (a case study's
metrics). Values are stored readably (tags as names, related items as [id, label], child
rows as dicts) so a diff reads well even after the related items are gone.
"""

from typing import Any

from django.db import models
from django.utils.text import capfirst
from taggit.managers import TaggableManager

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


def capture(obj: models.Model) -> Data:
    data: Data = {}
    for name in obj.REVISION_FIELDS:
        field = _field(type(obj), name)
        if isinstance(field, TaggableManager):
            data[name] = sorted((tag.name for tag in obj.tags.all()), key=str.lower)
        elif field.many_to_many:
            data[name] = [[o.pk, str(o)] for o in getattr(obj, name).all().order_by("pk")]
        elif field.one_to_many:
            children = getattr(obj, field.get_accessor_name()).all()
            data[name] = [
                {f.name: f.value_from_object(child) for f in child_fields(field)}
                for child in children
            ]
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
            setattr(obj, field.attname, field.to_python(data[name]))


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
