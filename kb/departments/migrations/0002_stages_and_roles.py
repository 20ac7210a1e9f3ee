"""The adoption stages of day one (editors reword and reorder them in the admin), and the
roles' permissions: everyone sees stages, editors record them and see the dashboard.

The stages and the table are this migration's own data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAGES = [
    (10, "Not started", "No one in the department uses social media for work yet."),
    (20, "Curious", "People ask questions and look at what others do."),
    (30, "Experimenting", "The department runs its first measured experiments."),
    (40, "Adopting", "Several teams post regularly and share what works."),
    (50, "Embedded", "Social media is part of how the department works."),
]

ROLE_PERMS = {
    "Reader": ["view_adoptionstage", "view_stagechange"],
    "Advocate": ["view_adoptionstage", "view_stagechange"],
    "Editor": [
        f"{action}_{model}"
        for model in ("adoptionstage", "stagechange")
        for action in ("add", "change", "delete", "view")
    ]
    + ["view_adoption_dashboard"],
}


def forwards(apps, schema_editor):
    AdoptionStage = apps.get_model("departments", "AdoptionStage")
    for position, name, description in STAGES:
        AdoptionStage.objects.get_or_create(
            name=name, defaults={"position": position, "description": description}
        )
    app_config = apps.get_app_config("departments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="departments", codename__in=codenames)
        )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="departments"))


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_adoption_stages"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
