"""Who follows what, how often they want a digest of it, which digests went out, and how
often each item is read.

A ``Follow`` points at any followable row (``kb.follows.registry``) through a content type
and an id, as collections point at their items: a new followable thing needs no migration
here. The database cannot cascade such a link, so deleting a followed row deletes its
follows (``forget_deleted_target``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Its index also serves "what does this user follow" (the user comes first).
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follows_follow_once"
            )
        ]
        indexes = [
            # Follower counts, and deleting a target's follows.
            models.Index(fields=["content_type", "object_id"], name="follows_follow_target")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.content_type_id}/{self.object_id}"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    OFF = "off", "Off: no digest e-mails"


class DigestPreference(models.Model):
    """How often a user wants the digest; a user without a row gets the weekly one."""

    DEFAULT = Frequency.WEEKLY

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=DEFAULT)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class Digest(models.Model):
    """One user's digest of one period, recorded in the transaction that sends it: its row
    is the claim that stops a second run sending it again (see ``kb.follows.digests``).
    ``item_count`` 0 records a period with nothing to say, for which no e-mail went out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(max_length=10, choices=Frequency)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-pk"]
        get_latest_by = "period_end"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_start"], name="follows_digest_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="follows_digest_period_forward",
            ),
        ]
        indexes = [models.Index(fields=["user", "-period_end"], name="follows_digest_latest")]

    def __str__(self) -> str:
        start = f"{self.period_start:%Y-%m-%d}"
        return f"{self.get_frequency_display()} digest for {self.user} from {start}"


class ItemRead(models.Model):
    """How many times signed-in readers opened one item's page on one day."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "day"], name="follows_read_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="follows_read_day")]

    def __str__(self) -> str:
        return f"{self.content_type_id}/{self.object_id} on {self.day}: {self.reads}"

    @classmethod
    def record(cls, item: models.Model) -> None:
        """Count one read of ``item`` today: one statement, safe under concurrent readers
        (an upsert on the unique row, which both SQLite and PostgreSQL speak)."""
        quote = connection.ops.quote_name
        table, reads = quote(cls._meta.db_table), quote("reads")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, day, {reads}) "  # noqa: S608
                "VALUES (%s, %s, %s, 1) "
                "ON CONFLICT (content_type_id, object_id, day) "
                f"DO UPDATE SET {reads} = {table}.{reads} + 1",
                [
                    ContentType.objects.get_for_model(item).pk,
                    item.pk,
                    timezone.localdate(),
                ],
            )


def forget_deleted_target(sender, instance: models.Model, **kwargs) -> None:
    """A deleted row leaves no follows or read counts behind (a generic link has no foreign
    key to cascade)."""
    from kb.core.models import Content
    from kb.follows.registry import followable_for

    followed, read = followable_for(instance) is not None, isinstance(instance, Content)
    if instance.pk is None or not (followed or read):
        return
    content_type = ContentType.objects.get_for_model(instance)
    if followed:
        Follow.objects.filter(content_type=content_type, object_id=instance.pk).delete()
    if read:
        ItemRead.objects.filter(content_type=content_type, object_id=instance.pk).delete()
