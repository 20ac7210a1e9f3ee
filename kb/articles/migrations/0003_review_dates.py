"""Periodic review (kb.freshness): when the item is next reviewed, its own interval, and
the date its owner was reminded of."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_versions_trash"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="review_by",
            field=models.DateField(
                blank=True,
                help_text="When its owner should next confirm it is still accurate. "
                "Set on publishing, verifying and editing.",
                null=True,
                verbose_name="review by",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_interval_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Leave empty for the usual interval of its kind.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="review every (months)",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_notified_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["review_by"],
                name="articles_article_review",
            ),
        ),
    ]
