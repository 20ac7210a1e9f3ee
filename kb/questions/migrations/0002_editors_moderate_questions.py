"""Editors moderate questions and answers (hide them, restore them from the trash).

The table is this migration's own data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMS = [
    f"{action}_{model}"
    for model in ("question", "answer", "routing")
    for action in ("change", "delete", "view")
] + ["moderate_question"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("questions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="questions", codename__in=EDITOR_PERMS
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="questions"))


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_questions_and_answers"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
