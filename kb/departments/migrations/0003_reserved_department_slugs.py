"""Rename departments whose slug is the address of another page under /departments/.

A department with the slug "dashboard" was shadowed by the adoption dashboard
(/departments/dashboard/) and could never be reached. Its slug becomes "dashboard-2" (or
the next free number), as kb.core.models.unique_slug names a new one; Department.clean
refuses such a slug from now on. The reserved words are this migration's own data: the
URLconf of its day.

The search index shows a department's slug as a facet value: after a rename here, run
`manage.py rebuild_search_index` (the migration says so when it renamed anything).
"""

from django.db import migrations

RESERVED = ("dashboard",)


def forwards(apps, schema_editor):
    Department = apps.get_model("advocates", "Department")
    for department in Department.objects.filter(slug__in=RESERVED).order_by("pk"):
        old, n = department.slug, 2
        while Department.objects.filter(slug=f"{old}-{n}").exists():
            n += 1
        department.slug = f"{old}-{n}"
        department.save(update_fields=["slug"])
        print(  # noqa: T201 — an operator running migrate must know to reindex
            f"\n  Department {department.name!r}: slug {old!r} is reserved, now"
            f" {department.slug!r}. Run manage.py rebuild_search_index.",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0002_stages_and_roles"),
        ("advocates", "0002_metric_direction_and_url_labels"),
    ]

    # Backwards does nothing: the old slug was unreachable, so there is nothing to restore.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
