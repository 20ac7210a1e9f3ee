"""Every new account is staff of the organisation, so it starts as a Reader."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from kb.core.permissions import READER


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_join_readers")
def add_new_user_to_readers(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        group = Group.objects.filter(name=READER).first()
        if group is not None:
            instance.groups.add(group)
