"""Start a new generation of what is cached about the published KB (kb.core.published_cache)
on each change that can alter it, and on no other: an edit of a published item's text
keeps it.

- an item of a registered kind is created published, deleted, or saved with another
  status, publication time, trash state or evidence level;
- a published item's tags are added, removed or cleared;
- an item is featured or no longer featured (the home page shows the featured ones);
- a tag is renamed or deleted (a merge deletes the merged tags);
- any save of an item whose headline is a measured change (case studies, experiments),
  or of what such headlines read (a case study's metrics): the ranking of the strongest
  results may move.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, signals
from taggit.models import Tag

from kb.core import fragments
from kb.core import published_cache as cache
from kb.core.evidence import EVIDENCE_FIELD
from kb.core.models import Content, Status, TaggedItem
from kb.core.registry import kinds

_BEFORE = "_published_cache_counted"


def _invalidate(using: str | None) -> None:
    """A new generation of the counts, and the content scope ``published`` moved on after
    the commit (kb.core.fragments: the home page's part is kept under it)."""
    cache.invalidate()
    fragments.changed(using or DEFAULT_DB_ALIAS, (fragments.PUBLISHED,))


def _counted_fields(model: type[Model]) -> list[str]:
    fields = ["status", "published_at", "deleted_at", "featured"]
    if any(field.name == EVIDENCE_FIELD for field in model._meta.concrete_fields):
        fields.append(EVIDENCE_FIELD)
    return fields


def _counted(instance: Model, fields: list[str]) -> dict:
    return {name: getattr(instance, name) for name in fields}


def _public(instance: Model) -> bool:
    """Published (or scheduled) and not in the trash: what the counts may include."""
    return (
        isinstance(instance, Content)
        and instance.status == Status.PUBLISHED
        and instance.published_at is not None
        and instance.deleted_at is None
    )


def _before_save(sender, instance: Model, raw: bool = False, update_fields=None, **kwargs):
    """Note what the counts read of the stored row (one query; none for a new row, or a
    save that names only other fields)."""
    if raw or instance._state.adding or instance.pk is None or _ranked(sender):
        return  # nothing to compare: new, or any save of it counts (_after_save)
    fields = _counted_fields(sender)
    if update_fields is not None and not set(fields) & set(update_fields):
        return
    stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    setattr(instance, _BEFORE, stored)


def _ranked(model: type[Model]) -> bool:
    """Whether the home page ranks this kind's items by their headline's gain."""
    return model.headline_gain() is not None


def _after_save(sender, instance: Model, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    if _ranked(sender):
        _invalidate(kwargs.get("using"))
        return
    if created:
        if _public(instance):
            _invalidate(kwargs.get("using"))
        return
    if not hasattr(instance, _BEFORE):
        return
    stored = instance.__dict__.pop(_BEFORE)
    if stored != _counted(instance, _counted_fields(sender)):
        _invalidate(kwargs.get("using"))


def _after_delete(sender, instance: Model, **kwargs):
    _invalidate(kwargs.get("using"))


def _any_change(sender, instance: Model, raw: bool = False, **kwargs):
    if not raw:
        _invalidate(kwargs.get("using"))


def _tags_changed(sender, instance: Model, action: str, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return  # taggit announces an add of nothing when the tags are saved unchanged
    if _public(instance):
        _invalidate(kwargs.get("using"))


def _tag_saved(sender, instance: Tag, created: bool, raw: bool = False, **kwargs):
    if not created and not raw:  # a new tag is on nothing yet
        _invalidate(kwargs.get("using"))


def connect() -> None:
    for model, _ in kinds():
        label = model._meta.label
        signals.pre_save.connect(_before_save, sender=model, dispatch_uid=f"home_pre_{label}")
        signals.post_save.connect(_after_save, sender=model, dispatch_uid=f"home_post_{label}")
        signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=f"home_del_{label}")
        for name in model.HEADLINE_PREFETCH:
            read = model._meta.get_field(name).related_model
            uid = f"home_headline_{read._meta.label}"
            signals.post_save.connect(_any_change, sender=read, dispatch_uid=f"{uid}_saved")
            signals.post_delete.connect(_any_change, sender=read, dispatch_uid=f"{uid}_deleted")
    signals.m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="home_tags")
    signals.post_save.connect(_tag_saved, sender=Tag, dispatch_uid="home_tag_saved")
    signals.post_delete.connect(_after_delete, sender=Tag, dispatch_uid="home_tag_deleted")
