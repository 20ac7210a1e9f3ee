"""Template context every page needs: the site name, the kinds of content, what the user
may create, and how many submissions wait for an editor."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kb.core import fragments
from kb.core.models import Status
from kb.core.permissions import perm_name
from kb.core.registry import ContentKind, kinds


@dataclass(frozen=True)
class NavKind:
    """One kind of content in the navigation: its declaration and what the user may do."""

    kind: ContentKind
    model_name: str
    namespace: str  # of its URLs, to mark the current section
    may_add: bool


def waiting_for_review(models: list[type]) -> int:
    """Submissions of ``models`` waiting for an editor: one count per kind, shared by
    every editor's header and counted again once any of those kinds changes (their
    content versions, and ``all`` for the admin's bulk actions: kb.core.fragments)."""

    def count() -> int:
        return sum(model.objects.filter(status=Status.IN_REVIEW).count() for model in models)

    if settings.HOME_CACHE_SECONDS <= 0:
        return count()
    scopes = [fragments.ALL, *map(fragments.kind_scope, models)]
    numbers = ".".join(map(str, fragments.versions(scopes)))
    # Hashed: six 48-bit numbers and the kinds' names pass memcached's 250 characters.
    key = "review-waiting:" + hashlib.blake2b(f"{numbers}:{scopes}".encode()).hexdigest()
    waiting = cache.get(key)
    if waiting is None:
        waiting = count()
        cache.set(key, waiting, settings.HOME_CACHE_SECONDS)
    return waiting


def site(request: HttpRequest) -> dict:
    # A request refused by a middleware before AuthenticationMiddleware (an unknown Host)
    # has no user, and its 400 page must still render.
    user = request.user if hasattr(request, "user") else AnonymousUser()

    def nav() -> dict:
        # Evaluated only when a template reads it; one cached permission lookup per request.
        perms = user.get_all_permissions() if user.is_active else set()
        content = [
            NavKind(
                kind=kind,
                model_name=model._meta.model_name,
                namespace=kind.list_url.partition(":")[0],
                may_add=user.is_superuser or perm_name(model, "add") in perms,
            )
            for model, kind in kinds()
        ]
        reviewable = [
            model
            for model, _ in kinds()
            if user.is_superuser or perm_name(model, "publish") in perms
        ]
        return {
            # Every signed-in user may read what is published, so every kind is listed.
            "kinds": content,
            "addable": [entry for entry in content if entry.may_add],
            "can_add": {entry.model_name: entry.may_add for entry in content},
            "can_review": bool(reviewable),
            # Only authors and editors have work of their own (and something in the trash).
            "has_work": bool(reviewable) or any(entry.may_add for entry in content),
            "is_staff": user.is_staff,
            # Read only by editors' headers: one count per kind they review.
            "review_waiting": SimpleLazyObject(lambda: waiting_for_review(reviewable)),
        }

    return {"SITE_NAME": settings.SITE_NAME, "nav": SimpleLazyObject(nav)}
