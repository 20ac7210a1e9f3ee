"""Keep the index in step with the content: saves, deletes, tag and other m2m changes, and
changes to what documents show of other models (kb.search.dependencies).

Every change queues its documents in IndexQueue inside the transaction that made it, so
the work commits with the change and survives a failing index write or a crashed
process; a rolled-back change queues nothing. After the commit one callback works the
queue (kb.search.index.process_queue): a form that saves an article, its tags and its
related items reindexes the article once. Indexing never fails the request that saved:
what fails is logged and stays queued for the next index write or `manage.py
process_search_queue`, and the other on-commit work (e-mails) still runs.
"""

import logging

from django.db import transaction
from django.db.models import Model, signals

from kb.core.models import TaggedItem
from kb.core.search import Searchable
from kb.search import index
from kb.search.dependencies import Watch, all_watches

log = logging.getLogger(__name__)


def schedule(model: type[Searchable], pk, via: str = "") -> None:
    """Reindex this object (or with ``via``, the documents reaching this related object)
    once the current transaction commits (at once outside one)."""
    index.enqueue(model, [pk], via)
    _flush_on_commit()


def schedule_many(model: type[Searchable], pks: list) -> None:
    if pks:
        index.enqueue(model, pks)
        _flush_on_commit()


def _flush_on_commit() -> None:
    # Every change registers a flush; the first works the queue, the others find it empty
    # (one cheap query each). robust: whatever happens, the callbacks after it still run.
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Work the queue: this transaction's rows, and any others that are due."""
    try:
        if index.queue_is_due():
            index.process_queue(documents=index.REQUEST_DOCUMENTS)
    except Exception:
        # The rows stay queued (their transaction rolled back); a later write retries.
        log.exception("Search index: could not work the queue")


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
        schedule_many(model, sorted(pk_set or ()))


# --- what documents show of other models ----------------------------------------------

_CHANGED = "_search_changed_fields"
_REACHED = "_search_reached_documents"


def _watches(sender: type[Model]) -> list[Watch]:
    return [watch for watch in all_watches() if watch.model is sender]


def _before_save(sender, instance: Model, raw: bool = False, update_fields=None, **kwargs):
    """Note which watched fields this save changes (one query, and none when the save
    names its fields), and queue the documents a moved link leaves."""
    watches = _watches(sender)
    if raw or instance._state.adding or instance.pk is None:
        return
    watched = set().union(*(watch.fields for watch in watches))
    if update_fields is not None:
        named = {sender._meta.get_field(name).attname for name in update_fields}
        changed = watched & named
    else:
        stored = sender._base_manager.filter(pk=instance.pk).values(*watched).first() or {}
        changed = {name for name in watched if stored.get(name) != getattr(instance, name)}
    setattr(instance, _CHANGED, changed)
    for watch in watches:
        if watch.on_create and changed & watch.fields:
            # A link on this row moves (a metric to another case study): the documents
            # it reached until now must drop what it showed them.
            _schedule_reaching(watch, instance.pk)


def _after_save(sender, instance: Model, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    changed = instance.__dict__.pop(_CHANGED, set())
    for watch in _watches(sender):
        if (created and watch.on_create) or changed & watch.fields:
            # One queue row, however many documents show it: worked after the commit.
            schedule(watch.document, instance.pk, watch.via)


def _before_delete(sender, instance: Model, **kwargs):
    """After the delete nothing reaches the row any more (links are nulled or gone), so
    the documents that show it are found now, and queued once it is gone."""
    instance.__dict__[_REACHED] = [
        (watch.document, index.documents_reaching(watch.document, watch.via, instance.pk))
        for watch in _watches(sender)
    ]


def _after_delete(sender, instance: Model, **kwargs):
    for document, pks in instance.__dict__.pop(_REACHED, []):
        schedule_many(document, pks)


def _schedule_reaching(watch: Watch, pk) -> None:
    schedule_many(watch.document, index.documents_reaching(watch.document, watch.via, pk))


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
    for sender in {watch.model for watch in all_watches()}:
        label = sender._meta.label
        signals.pre_save.connect(_before_save, sender=sender, dispatch_uid=f"search_pre_{label}")
        signals.post_save.connect(_after_save, sender=sender, dispatch_uid=f"search_dep_{label}")
        signals.pre_delete.connect(
            _before_delete, sender=sender, dispatch_uid=f"search_predel_{label}"
        )
        signals.post_delete.connect(
            _after_delete, sender=sender, dispatch_uid=f"search_del_{label}"
        )
