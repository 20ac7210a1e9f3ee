"""The entries keep their item's review-by date, so a search ranks an item due for review
a little lower from that day on without re-indexing it (see docs/search.md, Ranking).
Existing entries get theirs at their next index write or rebuild_search_index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_index_audience"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexentry",
            name="review_by",
            field=models.DateField(null=True),
        ),
    ]
