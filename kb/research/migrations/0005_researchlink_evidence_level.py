"""Research links get an evidence level on the scale case studies use.

Existing links are graded by what their kind of publication shows by itself, never more:
a peer-reviewed study is peer-reviewed (4), an industry report or a survey publishes its
data (3, measured), and everything else (news, books, talks, other) is an anecdote (1)
until someone who read it raises it. Carries its own table of the day: the live default
may change. The trash counts too (the base manager sees every row).
"""

from django.db import migrations, models

LEVEL_OF_KIND = {"peer_reviewed": 4, "industry_report": 3, "survey": 3}


def grade_by_kind(apps, schema_editor):
    ResearchLink = apps.get_model("research", "ResearchLink")
    for kind, level in LEVEL_OF_KIND.items():
        ResearchLink._base_manager.filter(kind=kind).update(evidence_level=level)


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0004_researchlink_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="researchlink",
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
                default=1,
            ),
        ),
        migrations.AddConstraint(
            model_name="researchlink",
            constraint=models.CheckConstraint(
                condition=models.Q(("evidence_level__gte", 1), ("evidence_level__lte", 5)),
                name="research_researchlink_evidence_range",
            ),
        ),
        # Reversing drops the column, so there is nothing to undo.
        migrations.RunPython(grade_by_kind, migrations.RunPython.noop),
    ]
