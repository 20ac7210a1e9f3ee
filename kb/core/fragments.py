"""Rendered parts of pages that are the same for everyone, kept until anything they may
show changes.

A topic page's sections of cards and most of the home page show only what is published,
the same to every reader, yet they read and render dozens of items: most of what those
pages cost. So the part every reader shares is rendered once and kept in Django's cache
(Redis when REDIS_URL is set, else each process's memory) under the *content version*:
one number in the database (``ContentVersion``) that moves on after every committed
change to any model, but those whose rows no shared part shows (sessions, sign-in
attempts, notifications, the search index, reading records, …). A page reads the number
(one small query) and serves the part kept under it, or renders it afresh; a part kept
under an older number is never read again. The number moves on after the commit, so a
part rendered from data read before a change is never kept under the number after it.

A shared part is rendered without the request, so it cannot show who is looking: no
user, no CSRF token, no permissions. What differs by person (follow buttons, private
feed links, "for you") is rendered around it on every request, or put in its place
through a marker (``fill``). Today's date is in the key (review-by dates fall due), and
nothing is kept past the next scheduled publication or ``HOME_CACHE_SECONDS``, as the
published KB's counts (kb.core.published_cache).
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.utils import timezone

from kb.core import published_cache
from kb.core.models import ContentVersion

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


def current() -> int:
    return ContentVersion.objects.values_list("version", flat=True).first() or 0


def shared(name: str, render: Callable[[], str]) -> str:
    """The part ``name`` as ``render()`` makes it, from the cache while nothing it may
    show has changed. ``render`` must not read the request or the user."""
    if settings.HOME_CACHE_SECONDS <= 0:
        return render()
    key = f"fragment:{current()}:{timezone.localdate().isoformat()}:{name}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, published_cache.timeout())
    return html


def fill(html: str, **parts: str) -> str:
    """``html`` with each ``<!-- kb:name -->`` marker replaced by ``parts[name]``: what
    differs by person, in its place in a shared part. (Markers cannot come from what
    people write: it reaches a page escaped or sanitised, comments stripped.)"""
    for name, part in parts.items():
        html = html.replace(f"<!-- kb:{name} -->", part)
    return html


def _bump(using: str) -> None:
    versions = ContentVersion.objects.using(using)
    if not versions.filter(pk=1).update(version=F("version") + 1):
        # A random start (as migration core 0003's): two databases sharing one cache (a
        # restore, a test run) never reach the same numbers.
        versions.get_or_create(pk=1, defaults={"version": secrets.randbits(48)})


# One bump per transaction, whatever it changed: the callback each database's
# transaction has registered, found again in its on-commit list (gone if rolled back).
_callbacks: dict[str, Callable[[], None]] = {}
# While migrating, data migrations save rows before the version's table may exist; no
# page has been served from what they change.
_migrating = False


def _changed(sender, using: str = DEFAULT_DB_ALIAS, raw: bool = False, **kwargs) -> None:
    if raw or _migrating:
        return  # fixtures and migrations: not a change anyone has seen
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return  # m2m_changed: only once the rows changed
    meta = sender._meta
    if meta.app_label in UNSHOWN_APPS or meta.label_lower in UNSHOWN_MODELS:
        return
    changed(using)


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Start a new version once the current transaction commits (at once outside one).
    Saves and deletes call it through their signals; code changing shown rows without
    them (``QuerySet.update()``, raw SQL) calls it itself."""
    connection = connections[using]
    callback = _callbacks.get(using)
    if callback is not None and connection.in_atomic_block:
        if any(entry[1] is callback for entry in connection.run_on_commit):
            return
    callback = _callbacks[using] = lambda: _bump(using)
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
        # What the migrations changed may be shown: start a new version once.
        transaction.on_commit(lambda: _bump(using), using=using, robust=True)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="kb-fragments-save")
    post_delete.connect(_changed, dispatch_uid="kb-fragments-delete")
    m2m_changed.connect(_changed, dispatch_uid="kb-fragments-m2m")
    pre_migrate.connect(_migration_started, dispatch_uid="kb-fragments-pre-migrate")
    post_migrate.connect(_migration_ended, dispatch_uid="kb-fragments-post-migrate")
