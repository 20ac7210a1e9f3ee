"""Every new account is staff of the organisation, so it starts as a Reader; every
registered kind of content gives the roles their permissions on it."""

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from kb.accounts.roles import kind_role_perms
from kb.core.permissions import READER
from kb.core.registry import kinds


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_join_readers")
def add_new_user_to_readers(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        group = Group.objects.filter(name=READER).first()
        if group is not None:
            instance.groups.add(group)


@receiver(post_migrate, dispatch_uid="accounts_grant_kind_permissions")
def grant_kind_permissions(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """Grant the roles their permissions on the kinds of content of an app just migrated.

    Runs after django.contrib.auth's own post_migrate receiver (its app comes first in
    INSTALLED_APPS), which has created the app's permissions by then. Only adds, so it may
    run any number of times, and never takes back what an administrator granted.
    """
    for model, kind in kinds():
        if model._meta.app_config is not sender:
            continue
        for role, perms in kind_role_perms(model, kind).items():
            group, _ = Group.objects.using(using).get_or_create(name=role)
            codenames = [perm.partition(".")[2] for perm in perms]
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=model._meta.app_label, codename__in=codenames
                )
            )
