"""Who is signed in, read once per page: the user with their advocate profile, and their
permissions kept between requests.

Every page's header shows what the person may do (write, review, curate) and links to
their own profile, and most views check a permission: with Django's ModelBackend that
was four queries on every page before the view read anything of its own (the user, the
profile, the user's and the groups' permissions). Here the profile comes joined to the
user, and the permissions are kept in Django's cache under the content version ``all``
(kb.core.fragments), which moves on after every committed change to users, groups,
permissions and their links. A change of someone's rights therefore holds from the next
request on, on every worker, as with ModelBackend; the cost is one small query for the
version instead of two joins over the permission tables.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from kb.core import fragments


class KeptPermissions:
    """ModelBackend's permissions, kept in the cache until ``all`` moves on."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("advocate_profile").get(pk=user_id)
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
        key = f"permissions:{fragments.current()}:{user_obj.pk}"
        permissions = cache.get(key)
        if permissions is None:
            permissions = super().get_all_permissions(user_obj)
            cache.set(key, permissions, settings.HOME_CACHE_SECONDS)
        user_obj._perm_cache = permissions
        return permissions


class PermissionsBackend(KeptPermissions, ModelBackend):
    """Django's ModelBackend (username and password), reading as above."""
