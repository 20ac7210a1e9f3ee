"""Review intervals per kind of content, and the record of verifications."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "interval_months",
                    models.PositiveSmallIntegerField(
                        help_text="How long a published item stays fresh before its owner is "
                        "asked to confirm it is still accurate. Applies from its next "
                        "publication, verification or edit.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="review every (months)",
                    ),
                ),
                (
                    "content_type",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="kind of content",
                    ),
                ),
            ],
            options={
                "verbose_name": "review interval",
                "ordering": ["content_type__model"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("interval_months__gte", 1), ("interval_months__lte", 60)),
                        name="review_policy_interval_range",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Verification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("verified_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("review_by", models.DateField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-verified_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id", "-verified_at"],
                        name="verification_item_idx",
                    )
                ],
            },
        ),
    ]
