"""How often each kind of content is reviewed, and who confirmed an item still accurate.

A ``ReviewPolicy`` row per kind of content holds its usual interval, which editors change
in the admin; a kind without one is reviewed every ``KB_REVIEW_DEFAULT_MONTHS``. An item
may ask for its own interval (``Content.review_interval_months``). Every "still accurate"
is kept as a ``Verification``, so the item's page can say who verified it last and the
admin keeps the history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from kb.core.models import REVIEW_INTERVAL_MAX_MONTHS, AboutItemQuerySet


class ReviewPolicy(models.Model):
    content_type = models.OneToOneField(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="kind of content",
    )
    interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        validators=[MinValueValidator(1), MaxValueValidator(REVIEW_INTERVAL_MAX_MONTHS)],
        help_text="How long a published item stays fresh before its owner is asked to "
        "confirm it is still accurate. Applies from its next publication, verification or edit.",
    )

    class Meta:
        verbose_name = "review interval"
        ordering = ["content_type__model"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_months__gte=1)
                & models.Q(interval_months__lte=REVIEW_INTERVAL_MAX_MONTHS),
                name="review_policy_interval_range",
            )
        ]

    def __str__(self) -> str:
        model = self.content_type.model_class()
        label = model._meta.verbose_name_plural if model else self.content_type.model
        return str(label).capitalize()


class Verification(models.Model):
    """Someone who may edit the item confirmed it is still accurate."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(default=timezone.now)
    # The review-by date the verification gave the item.
    review_by = models.DateField()

    objects = AboutItemQuerySet.as_manager()

    class Meta:
        ordering = ["-verified_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-verified_at"], name="verification_item_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Verified on {self.verified_at:%Y-%m-%d}"
