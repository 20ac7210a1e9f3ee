"""Give the roles their permissions on the source register: everyone sees it, advocates may
propose a source (unrated), editors curate and rate.

The table is this migration's own data (kb.accounts.roles covers content, not reference data).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMS = {
    "Reader": ["sources.view_source", "sources.view_sourcedomain"],
    "Advocate": [
        "sources.view_source",
        "sources.view_sourcedomain",
        "sources.add_source",
        "sources.add_sourcedomain",
    ],
    "Editor": [
        f"sources.{action}_{model}"
        for model in ("source", "sourcedomain")
        for action in ("add", "change", "delete", "view")
    ]
    + ["sources.rate_source"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("sources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [perm.partition(".")[2] for perm in perms]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="sources", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="sources"))


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_sources_from_publishers"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
