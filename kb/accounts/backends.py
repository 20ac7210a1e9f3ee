"""Who is signed in, read in one query per page: the user with their advocate profile,
their unread notifications, and their permissions kept between requests.

Every page's header shows what the person may do (write, review, curate), how many
notifications they have not read and a link to their own profile, and most views check a
permission: with Django's ModelBackend that was five queries on every page before the
view read anything of its own (the user, the profile, the unread count, the user's and
the groups' permissions). Here the user's row comes with the profile joined and the
unread count and the content version ``all`` (kb.core.fragments) as subqueries; the
permissions are kept in Django's cache under that version, which moves on after every
committed change to users, groups, permissions and their links. A change of someone's
rights therefore holds from the next request on, on every worker, as with ModelBackend.

The unread count is the one at the start of the request: a view that marks notifications
read redirects before any page shows it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from kb.core import fragments
from kb.core.models import ContentVersion
from kb.notifications.models import Notification


class KeptPermissions:
    """ModelBackend's permissions, kept in the cache until ``all`` moves on."""

    def get_user(self, user_id):
        user_model = get_user_model()
        version = ContentVersion.objects.filter(scope=fragments.ALL).values("version")[:1]
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"))
            .unread()
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        try:
            user = (
                user_model._default_manager.select_related("advocate_profile")
                .annotate(
                    kb_version=Coalesce(Subquery(version), Value(0)),
                    unread_notification_count=Coalesce(Subquery(unread), Value(0)),
                )
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if hasattr(user_obj, "_perm_cache") or settings.HOME_CACHE_SECONDS <= 0:
            return super().get_all_permissions(user_obj)
        # ModelBackend (and the SSO backend built on it) read this attribute first, so no
        # other backend asks the database again in this request.
        version = getattr(user_obj, "kb_version", None)
        if version is None:  # a user not read by get_user (signing in, tests, scripts)
            version = fragments.current()
        key = f"permissions:{version}:{user_obj.pk}"
        permissions = cache.get(key)
        if permissions is None:
            permissions = super().get_all_permissions(user_obj)
            cache.set(key, permissions, settings.HOME_CACHE_SECONDS)
        user_obj._perm_cache = permissions
        return permissions


class PermissionsBackend(KeptPermissions, ModelBackend):
    """Django's ModelBackend (username and password), reading as above."""
