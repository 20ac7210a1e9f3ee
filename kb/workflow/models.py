"""The record of every state change of a content item: who moved it, when, and why."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kb.core.models import AboutItemQuerySet, Status


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    WITHDRAW = "withdraw", "Withdraw from review"
    PUBLISH = "publish", "Publish"
    REQUEST_CHANGES = "request_changes", "Request changes"
    UNPUBLISH = "unpublish", "Unpublish"
    TRASH = "trash", "Move to trash"
    RESTORE = "restore", "Restore from trash"


class Transition(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=20, choices=Action)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(max_length=2_000, blank=True)
    # For a publish: when it goes (or went) live; later than created_at means scheduled.
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AboutItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="workflow_item_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.from_status} → {self.to_status})"

    @property
    def is_scheduled(self) -> bool:
        return (
            self.action == Action.PUBLISH
            and self.published_at is not None
            and self.published_at > self.created_at
        )
