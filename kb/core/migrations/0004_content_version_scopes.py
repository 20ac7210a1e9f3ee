from django.db import migrations, models


class Migration(migrations.Migration):
    """The one content version becomes the ``all`` scope; topics and kinds get their own."""

    dependencies = [
        ("core", "0003_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentversion",
            name="scope",
            field=models.CharField(default="all", max_length=120),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contentversion",
            name="scope",
            field=models.CharField(max_length=120, unique=True),
        ),
    ]
