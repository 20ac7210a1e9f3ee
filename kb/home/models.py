"""The secret in each user's private feed address, so the address can be replaced."""

from django.conf import settings
from django.db import models


class FeedKey(models.Model):
    """Part of what the feed token signs; a new key retires every earlier address.

    A user without one still has the address signed from their id alone (as before keys
    existed), so addresses already in feed readers keep working until the first reset.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key"
    )
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True, help_text="When this key replaced the last.")

    def __str__(self) -> str:
        return f"Feed key of {self.user}"
