"""Experiments get an evidence level on the scale case studies use.

They are our own figures, measured but not published, so every existing experiment is
self-reported (2), the column's default; an editor raises one whose figures were audited or
verified. The case study an experiment was promoted to keeps whatever level it has now.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="experiment",
            name="evidence_level",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Anecdote"),
                    (2, "Self-reported figures"),
                    (3, "Measured with published data"),
                    (4, "Peer-reviewed or audited"),
                    (5, "Independently verified"),
                ],
                db_index=True,
                default=2,
                help_text="Self-reported unless the figures were audited or verified independently.",
            ),
        ),
        migrations.AddConstraint(
            model_name="experiment",
            constraint=models.CheckConstraint(
                condition=models.Q(("evidence_level__gte", 1), ("evidence_level__lte", 5)),
                name="experiments_experiment_evidence_range",
            ),
        ),
    ]
