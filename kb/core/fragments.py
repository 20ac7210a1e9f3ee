"""Rendered parts of pages that are the same for everyone, kept until anything they may
show changes.

A topic page's sections of cards and most of the home page show only what is published,
the same to every reader, yet they read and render dozens of items: most of what those
pages cost. So the part every reader shares is rendered once and kept in Django's cache
(Redis when REDIS_URL is set, else each process's memory) under the *content versions*
of the scopes it shows: numbers in the database (``ContentVersion``), each moved on after
every committed change within its scope. A page reads its scopes' numbers (one small
query) and serves the part kept under them, or renders it afresh; a part kept under older
numbers is never read again. The numbers move on after the commit, so a part rendered
from data read before a change is never kept under the numbers after it.

The scopes: a change to an item of a content kind, to its tags or to its comments moves
on its own scope (``item:<model>:<pk>``: its card, ``cards``), its kind's
(``kind:<model>``) and the scope of each tag it carries or lost (``tag:<pk>``: those
topics' pages). A change to what is published or how it is counted moves
``published`` too (kb.core.published_signals). Any other change a part may show (a
person's name, a tag renamed, an advocate's profile, a bulk update in the admin) moves
on ``all``, in every part's key. Changes to what no part shows (sessions, sign-in
attempts, notifications, the search index, reading records, …) move nothing. So a
comment or an edit re-renders its item's topics and its own card, and the home page
only if it shows that item (``shared_showing``), not every topic or card.

A shared part is rendered without the request, so it cannot show who is looking: no
user, no CSRF token, no permissions. What differs by person (follow buttons, private
feed links, "for you") is rendered around it on every request, or put in its place
through a marker (``fill``). Today's date is in the key (review-by dates fall due), and
nothing is kept past the next scheduled publication or ``HOME_CACHE_SECONDS``, as the
published KB's counts (kb.core.published_cache).
"""

import secrets
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.utils import timezone
from django.utils.safestring import mark_safe
from taggit.models import Tag

from kb.core import published_cache
from kb.core.models import ContentVersion, TaggedItem
from kb.core.registry import kind_for

# What no shared part shows: a change to these leaves the version as it is.
UNSHOWN_APPS = {"admin", "axes", "search", "sessions"}
UNSHOWN_MODELS = {
    "core.contentversion",
    "collections.pathprogress",
    "collections.stepdone",
    "follows.digest",
    "follows.digestpreference",
    "follows.follow",
    "follows.itemread",
    "home.feedkey",
    "notifications.notification",
    "revisions.revision",
    "workflow.transition",
}
# Rows on one item through a generic key: a change to them is a change to that item.
ON_AN_ITEM = {"core.taggeditem", "comments.comment"}


ALL = "all"
# What is published and how it is counted: moved on with each new generation of
# kb.core.published_cache (an item published, unpublished, trashed, restored, featured,
# re-graded or re-tagged; a tag renamed; any change to a ranked headline).
PUBLISHED = "published"


def kind_scope(model: type[Model]) -> str:
    return f"kind:{model._meta.label_lower}"


def tag_scope(pk: int) -> str:
    return f"tag:{pk}"


def item_scope(model: type[Model], pk) -> str:
    return f"item:{model._meta.label_lower}:{pk}"


def versions(scopes: Iterable[str]) -> list[int]:
    """The numbers of ``scopes``, in their order (0 for a scope never changed)."""
    scopes = list(scopes)
    found = dict(ContentVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
    return [found.get(scope, 0) for scope in scopes]


def current(scope: str = ALL) -> int:
    return versions([scope])[0]


def _key(name: str, scopes: list[str]) -> str:
    """Where a part is kept: under its scopes' numbers now, and today's date."""
    numbers = ".".join(map(str, versions(scopes)))
    return f"fragment:{numbers}:{timezone.localdate().isoformat()}:{name}"


def shared(name: str, render: Callable[[], str], scopes: Iterable[str] = ()) -> str:
    """The part ``name`` as ``render()`` makes it, from the cache while nothing it may
    show has changed: nothing in ``scopes`` (the kinds and tags whose items it shows) nor
    anything else (``all``). ``render`` must not read the request or the user."""
    if settings.HOME_CACHE_SECONDS <= 0:
        return render()
    key = _key(name, [ALL, *scopes])
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, published_cache.timeout())
    return html


def shared_showing(
    name: str,
    choose: Callable[[], tuple[object, list[str]]],
    render: Callable[[object], str],
) -> str:
    """A part like ``shared``'s that shows a few chosen items out of many (the home page:
    the newest and featured items, the strongest results), kept while nothing it shows
    has changed: ``all``, what is published (``published``), and the chosen items' own
    scopes. An edit or a comment elsewhere in the KB leaves it as it is.

    ``choose()`` says which items, before anything is rendered: (what ``render`` needs,
    the items' scopes). The items' numbers are read before ``render`` reads the items, so
    a change committing meanwhile leaves the part kept under numbers it has since moved
    past, and the next request renders it afresh."""
    if settings.HOME_CACHE_SECONDS <= 0:
        return render(choose()[0])
    key = _key(name, [ALL, PUBLISHED])
    kept = cache.get(key)
    if kept is not None:
        html, shown, shown_numbers = kept
        if versions(shown) == shown_numbers:
            return html
    chosen, shown = choose()
    shown_numbers = versions(shown)
    html = render(chosen)
    cache.set(key, (html, shown, shown_numbers), published_cache.timeout())
    return html


def cards(
    model: type[Model],
    pks: list,
    load: Callable[[list], Iterable[Model]],
    render: Callable[[Model], str],
) -> list[str]:
    """The cards of the items of ``model`` with these pks, in their order: each as
    ``render(item)`` makes it, from the cache while nothing it shows has changed (its
    item's scope, or ``all``). Only the items whose cards are not kept are read, through
    ``load(pks)``, which may leave out what is no longer shown; their cards are left out
    too. Cards are the same for every reader (no request, no user) and most of what a
    topic page or a list costs, and each item's card is on many of them."""
    if settings.HOME_CACHE_SECONDS <= 0:
        return [render(item) for item in load(pks)]
    numbers = versions([ALL, *(item_scope(model, pk) for pk in pks)])
    prefix = f"card:{numbers[0]}:{timezone.localdate().isoformat()}:{model._meta.label_lower}"
    keys = {pk: f"{prefix}:{pk}:{number}" for pk, number in zip(pks, numbers[1:], strict=True)}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in pks if keys[pk] not in found]
    if missing:
        made = {keys[item.pk]: render(item) for item in load(missing)}
        cache.set_many(made, published_cache.timeout())
        found.update(made)
    return [mark_safe(found[keys[pk]]) for pk in pks if keys[pk] in found]  # noqa: S308 - templates' output


def fill(html: str, **parts: str) -> str:
    """``html`` with each ``<!-- kb:name -->`` marker replaced by ``parts[name]``: what
    differs by person, in its place in a shared part. (Markers cannot come from what
    people write: it reaches a page escaped or sanitised, comments stripped.)"""
    for name, part in parts.items():
        html = html.replace(f"<!-- kb:{name} -->", part)
    return html


def _bump(using: str, scopes: set[str]) -> None:
    connection = connections[using]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    ordered = sorted(scopes)  # one order for every writer: two bumps never deadlock
    # A scope's first number is random (as migration core 0003's): two databases sharing
    # one cache (a restore, a test run) never reach the same numbers.
    values = [value for scope in ordered for value in (scope, secrets.randbits(48))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, version) VALUES "
            + ", ".join(["(%s, %s)"] * len(ordered))
            + f" ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
            values,
        )


# One bump per transaction, of every scope it changed: each thread's pending callback
# per database, found again in its transaction's on-commit list (gone if rolled back).
_pending = threading.local()
# While migrating, data migrations save rows before the versions' table may exist; no
# page has been served from what they change.
_migrating = False


def _item_scopes(model: type[Model], pk, using: str) -> set[str]:
    """What an item's cards show moves on: its own scope, its kind's, and each tag's it
    carries."""
    tags = TaggedItem.objects.using(using).filter(
        content_type=ContentType.objects.db_manager(using).get_for_model(model), object_id=pk
    )
    return {
        kind_scope(model),
        item_scope(model, pk),
        *map(tag_scope, tags.values_list("tag_id", flat=True)),
    }


def scopes_of(sender: type[Model], instance: Model, using: str, **kwargs) -> set[str]:
    """The scopes a saved, deleted or re-linked row belongs to."""
    if "action" in kwargs:  # m2m_changed: ``instance``'s links to ``model`` changed
        model = type(instance)
        if kwargs.get("reverse") or kind_for(model) is None:
            return {ALL}
        scopes = _item_scopes(model, instance.pk, using)
        if kwargs.get("model") is Tag:
            scopes |= set(map(tag_scope, kwargs.get("pk_set") or ()))
        return scopes
    if kind_for(sender) is not None:
        return _item_scopes(sender, instance.pk, using)
    if sender._meta.label_lower in ON_AN_ITEM:
        target = ContentType.objects.db_manager(using).get_for_id(instance.content_type_id)
        model = target.model_class()
        if model is not None and kind_for(model) is not None:
            scopes = _item_scopes(model, instance.object_id, using)
            if tag_id := getattr(instance, "tag_id", None):
                scopes.add(tag_scope(tag_id))  # the tag it had, though the row is gone
            return scopes
    return {ALL}


def _changed(sender, using: str = DEFAULT_DB_ALIAS, raw: bool = False, **kwargs) -> None:
    if raw or _migrating:
        return  # fixtures and migrations: not a change anyone has seen
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return  # m2m_changed: only once the rows changed
    meta = sender._meta
    if meta.app_label in UNSHOWN_APPS or meta.label_lower in UNSHOWN_MODELS:
        return
    changed(using, scopes_of(sender, using=using, **kwargs))


def changed(using: str = DEFAULT_DB_ALIAS, scopes: Iterable[str] = (ALL,)) -> None:
    """Move ``scopes`` on once the current transaction commits (at once outside one).
    Saves and deletes call it through their signals; code changing shown rows without
    them (``QuerySet.update()``, raw SQL) calls it itself, with ``all`` by default."""
    connection = connections[using]
    pending = getattr(_pending, using, None)
    if pending is not None and connection.in_atomic_block:
        callback, found = pending
        if any(entry[1] is callback for entry in connection.run_on_commit):
            found.update(scopes)
            return
    found = set(scopes)

    def callback() -> None:
        _bump(using, found)

    setattr(_pending, using, (callback, found))
    # Robust: a failed bump is logged and the transaction's other on-commit work (the
    # search index, e-mails) still runs.
    transaction.on_commit(callback, using=using, robust=True)


def _migration_started(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migration_ended(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    global _migrating
    if _migrating:
        _migrating = False
        # What the migrations changed may be shown: everything moves on once.
        transaction.on_commit(lambda: _bump(using, {ALL}), using=using, robust=True)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="kb-fragments-save")
    post_delete.connect(_changed, dispatch_uid="kb-fragments-delete")
    m2m_changed.connect(_changed, dispatch_uid="kb-fragments-m2m")
    pre_migrate.connect(_migration_started, dispatch_uid="kb-fragments-pre-migrate")
    post_migrate.connect(_migration_ended, dispatch_uid="kb-fragments-post-migrate")
