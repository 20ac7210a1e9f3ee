"""Whoever may add an illustrated kind of content may upload images, from its declaration."""

from django.contrib.auth.models import Permission

from kb.uploads.forms import can_upload_images
from tests.factories import UserFactory


def test_who_may_add_a_registered_illustrated_kind_may_upload_images(db) -> None:
    user = UserFactory()
    assert not can_upload_images(user)
    user.user_permissions.add(Permission.objects.get(codename="add_finding"))
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert can_upload_images(user)
