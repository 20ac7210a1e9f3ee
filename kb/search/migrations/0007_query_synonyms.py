"""Synonyms editors keep in the admin, applied to queries (kb.search.forgiving), and the
Editor role's permissions on them.

The permissions are this migration's own data (kb.accounts.roles covers content only).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLE_PERMS = {"Editor": [f"search.{action}_synonym" for action in ("add", "change", "delete", "view")]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [perm.partition(".")[2] for perm in perms]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="search", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="search", codename__endswith="_synonym")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_index_queue"),
        ("accounts", "0001_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(help_text="A word or phrase, e.g. B2B.", max_length=60),
                ),
                (
                    "synonym",
                    models.CharField(
                        help_text="What it also means, e.g. business-to-business.", max_length=60
                    ),
                ),
            ],
            options={
                "ordering": ["term", "synonym"],
                "indexes": [models.Index(fields=["synonym"], name="search_synonym_other_side")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("term", "synonym"),
                        name="search_synonym_unique_pair",
                        violation_error_message="These two are already synonyms.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("term__lt", models.F("synonym")))
                        & ~models.Q(("term", "")),
                        name="search_synonym_ordered_pair",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
