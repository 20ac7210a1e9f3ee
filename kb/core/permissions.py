"""Role names and the permission rules shared by every content type.

Roles are Django groups (created by a data migration in kb.accounts) carrying model
permissions, so the site and the admin agree on who may do what:

- Reader: views published content.
- Advocate: adds content and edits what they own (the object-level rule below).
- Editor: changes anything, and publishes/features (the custom ``publish_<model>`` permission).

Superusers are admins and pass every check.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

READER = "Reader"
ADVOCATE = "Advocate"
EDITOR = "Editor"

AnyUser = User | AnonymousUser


def perm_name(model: type[models.Model] | models.Model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def can_add(user: AnyUser, model: type[models.Model]) -> bool:
    return user.is_active and user.has_perm(perm_name(model, "add"))


def can_publish(user: AnyUser, model: type[models.Model] | models.Model) -> bool:
    return user.is_active and user.has_perm(perm_name(model, "publish"))


def has_role(user: AnyUser, role: str) -> bool:
    """Whether the user belongs to a role's group (superusers hold every role)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=role).exists()
