"""In-site notifications: what happened to someone's work, by whom, and whether they saw it.

A notification keeps a snapshot of its target's title and link, so it still reads well
after the item is renamed or deleted. Other apps create them only through
``kb.notifications.services``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme


class Verb(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published", "Published"
    SCHEDULED = "scheduled", "Scheduled"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    UNPUBLISHED = "unpublished", "Unpublished"
    RESTORED = "restored", "Restored"
    COMMENTED = "commented", "Commented"
    REPLIED = "replied", "Replied"
    LINK_BROKEN = "link_broken", "Source link broken"
    ASKED = "asked", "Asked a question"
    ANSWERED = "answered", "Answered a question"
    REVIEW_DUE = "review_due", "Due for review"


# The one place each verb is worded: the list, the header of every e-mail, the admin.
SENTENCES: dict[str, str] = {
    Verb.SUBMITTED: "{actor} submitted “{title}” for review",
    Verb.PUBLISHED: "{actor} published “{title}”",
    Verb.SCHEDULED: "{actor} scheduled “{title}” for publication",
    Verb.CHANGES_REQUESTED: "{actor} requested changes to “{title}”",
    Verb.UNPUBLISHED: "{actor} unpublished “{title}”",
    Verb.RESTORED: "{actor} restored “{title}”",
    Verb.COMMENTED: "{actor} commented on “{title}”",
    Verb.REPLIED: "{actor} replied to your comment on “{title}”",
    # Found by the nightly link check, so nobody to name.
    Verb.LINK_BROKEN: "The source link of “{title}” is broken",
    Verb.ASKED: "{actor} asked you “{title}”",
    Verb.ANSWERED: "{actor} answered “{title}”",
    # Found by notify_reviews, so nobody to name.
    Verb.REVIEW_DUE: "“{title}” is due for review",
}

# Who did it, when the actor was a scheduled job or has since been deleted.
UNKNOWN_ACTOR = "Someone"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark the unread ones read now; how many that was."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # both indexes below start with the recipient
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=20, choices=Verb)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_title = models.CharField(max_length=200)
    url = models.CharField(max_length=500)
    message = models.TextField(
        blank=True, help_text="An editor's comment or a comment excerpt; plain text."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The unread count in the header of every page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The notification list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return self.sentence

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return UNKNOWN_ACTOR
        return self.actor.get_full_name() or self.actor.get_username()

    @property
    def sentence(self) -> str:
        """What happened, e.g. ‘Eddie Editor requested changes to “Title”’."""
        return SENTENCES[self.verb].format(actor=self.actor_name, title=self.target_title)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def safe_url(self) -> str:
        """The stored link if it is a path on this site; otherwise the notification list.

        Stored links come from other apps; this keeps a bad one from ever sending a
        reader to another site.
        """
        is_local_path = self.url.startswith("/") and url_has_allowed_host_and_scheme(
            self.url, allowed_hosts=None
        )
        return self.url if is_local_path else reverse("notifications:list")

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])
