"""Create the Reader, Advocate and Editor groups with the permissions in kb.accounts.roles.

Permissions are normally created after all migrations run; create them here first so a
fresh database has working roles straight after `migrate`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from kb.accounts.roles import ROLE_PERMS


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("platforms", "0001_initial"),
        ("advocates", "0001_initial"),
        ("casestudies", "0001_initial"),
        ("research", "0001_initial"),
        ("articles", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
