"""The first audiences, and the roles' permissions on what is not itself a kind of content.

The rows are this migration's own data: editors change the list in the admin afterwards,
and reversing removes only the rows that no collection uses. The collection model's own
permissions reach the roles after every migrate (kb.accounts.signals), like every kind's.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUDIENCES = [
    ("board-and-executives", "Board and executives", "Decide and fund: the strongest evidence, briefly.", 1),
    ("managers", "Managers", "Lead teams: what works, and what it takes.", 2),
    ("staff", "Staff", "Everyone: how to take part, step by step.", 3),
]

ROLE_PERMS = {
    "Reader": ["view_audience", "view_collectionitem"],
    "Advocate": ["view_audience", "view_collectionitem", "add_collectionitem"],
    "Editor": [
        f"{action}_{model}"
        for model in ("audience", "collectionitem")
        for action in ("add", "change", "delete", "view")
    ],
}


def seed(apps, schema_editor):
    Audience = apps.get_model("collections", "Audience")
    for slug, name, description, position in AUDIENCES:
        Audience.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    app_config = apps.get_app_config("collections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="collections", codename__in=codenames)
        )


def unseed(apps, schema_editor):
    Audience = apps.get_model("collections", "Audience")
    Audience.objects.filter(
        slug__in=[slug for slug, *_ in AUDIENCES], collections__isnull=True
    ).delete()
    Permission = apps.get_model("auth", "Permission")
    codenames = {codename for codenames in ROLE_PERMS.values() for codename in codenames}
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="collections", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0001_collections"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
