# The form's promise changes with search: a private question is found by its audience.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('questions', '0002_editors_moderate_questions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='question',
            name='private',
            field=models.BooleanField(default=False, help_text='Only you and the advocates you ask will see it, and find it in search.', verbose_name='keep it private'),
        ),
    ]
