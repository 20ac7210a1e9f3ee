"""Keep the index in step with the content: saves, deletes, tag and other m2m changes.

Changes are collected and indexed once, on commit, so a form that saves an article, its
tags and its related items reindexes the article once, and a rolled-back write is never
indexed. A failing index write is logged, never raised into the request that saved.
"""

import threading
from collections import defaultdict

from django.apps import apps
from django.db import transaction
from django.db.models import Model, signals
from taggit.models import TaggedItem

from kb.core.search import Searchable
from kb.search import index

_state = threading.local()


def _pending() -> dict[type[Searchable], set]:
    if not hasattr(_state, "pending"):
        _state.pending = defaultdict(set)
    return _state.pending


def schedule(model: type[Searchable], pk) -> None:
    """Reindex this object when the current transaction commits (at once outside one).

    Every call registers a flush; the first to run indexes everything pending and the rest
    find nothing to do. Keys left by a rolled-back transaction are indexed by the next
    flush, which reads the database as it is, so nothing goes stale.
    """
    _pending()[model._meta.concrete_model].add(pk)
    # robust: a failing index write is logged and never turns a saved edit into an error.
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    pending = _pending()
    batches = list(pending.items())
    pending.clear()
    for model, pks in batches:
        try:
            index.reindex(model, pks)
        except Exception:
            pending[model] |= pks  # the next flush tries them again
            raise


def _on_save_or_delete(sender, instance: Model, raw: bool = False, **kwargs) -> None:
    if not raw and isinstance(instance, Searchable):
        schedule(type(instance), instance.pk)


def _on_m2m_changed(sender, instance: Model, action: str, reverse: bool, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Searchable):
        schedule(type(instance), instance.pk)
    elif reverse and issubclass(model, Searchable):
        # e.g. platform.case_studies.add(...): the other side changed.
        for pk in pk_set or ():
            schedule(model, pk)


def _dependency_handler(path: str, target: type[Searchable], fields: set[str]):
    def handler(sender, instance: Model, raw: bool = False, update_fields=None, **kwargs) -> None:
        # A save naming only other fields (a login sets last_login) changes no document.
        if raw or (update_fields is not None and not fields & set(update_fields)):
            return
        related = getattr(instance, path, None)
        if related is None:
            return
        if isinstance(related, Searchable):
            schedule(target, related.pk)
        else:
            for pk in related.values_list("pk", flat=True):
                schedule(target, pk)

    return handler


_handlers = []  # strong references: signals hold receivers weakly


def connect() -> None:
    signals.post_save.connect(_on_save_or_delete, dispatch_uid="search_save")
    signals.post_delete.connect(_on_save_or_delete, dispatch_uid="search_delete")
    signals.m2m_changed.connect(_on_m2m_changed, sender=TaggedItem, dispatch_uid="search_tags")
    for model in index.searchable_models():
        for field in model._meta.many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None and through is not TaggedItem:
                signals.m2m_changed.connect(
                    _on_m2m_changed,
                    sender=through,
                    dispatch_uid=f"search_m2m_{through._meta.label}",
                )
        for dependency, path, fields in model.search_dependencies():
            sender = apps.get_model(dependency) if isinstance(dependency, str) else dependency
            handler = _dependency_handler(path, model, fields)
            _handlers.append(handler)
            signals.post_save.connect(
                handler,
                sender=sender,
                dispatch_uid=f"search_dep_{sender._meta.label}_{model._meta.label}",
            )
