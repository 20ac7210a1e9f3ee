"""Who else may find an entry that is not public (the advocates asked a private question):
IndexAudience rows, read per search with the searcher's own entries.

Existing private questions get their rows when next indexed; `manage.py
rebuild_search_index` writes them all at once.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_query_synonyms"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexAudience",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user_id", models.BigIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="audience",
                        to="search.indexentry",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["user_id", "entry"], name="search_audience_user")],
                "constraints": [
                    models.UniqueConstraint(fields=("entry", "user_id"), name="search_audience_once")
                ],
            },
        ),
    ]
