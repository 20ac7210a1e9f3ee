"""A case study's author may mark one result as its headline; with none marked (every
existing case study), cards and search show the first, as before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casestudies', '0004_casestudy_source'),
    ]

    operations = [
        migrations.AddField(
            model_name='metric',
            name='is_headline',
            field=models.BooleanField(default=False, help_text='The result cards and search show; without one, the first is shown.', verbose_name='headline'),
        ),
        migrations.AddConstraint(
            model_name='metric',
            constraint=models.UniqueConstraint(condition=models.Q(('is_headline', True)), fields=('case_study',), name='casestudies_metric_one_headline', violation_error_message='A case study has one headline result.'),
        ),
    ]
