"""A new verb: an item fell due for review (kb.freshness's notify_reviews)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_verbs_asked_and_answered"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="verb",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted for review"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("changes_requested", "Changes requested"),
                    ("unpublished", "Unpublished"),
                    ("restored", "Restored"),
                    ("commented", "Commented"),
                    ("replied", "Replied"),
                    ("link_broken", "Source link broken"),
                    ("asked", "Asked a question"),
                    ("answered", "Answered a question"),
                    ("review_due", "Due for review"),
                ],
                max_length=20,
            ),
        ),
    ]
