"""The usual review interval of each kind of content, and the Editor role's permission to
change them (kb.accounts.roles covers content only). Editors change the intervals in the
admin; these are the defaults of the day: what evidence says ages in a year, experiments
and collections (which point at changing evidence) in six months.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULT_MONTHS = {
    ("articles", "article"): 12,
    ("casestudies", "casestudy"): 12,
    ("research", "researchlink"): 12,
    ("experiments", "experiment"): 6,
    ("collections", "collection"): 6,
}
ROLE_PERMS = {
    "Editor": ["view_reviewpolicy", "change_reviewpolicy", "view_verification"],
}


def seed(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReviewPolicy = apps.get_model("freshness", "ReviewPolicy")
    for (app_label, model), months in DEFAULT_MONTHS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        ReviewPolicy.objects.get_or_create(
            content_type=content_type, defaults={"interval_months": months}
        )
    app_config = apps.get_app_config("freshness")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="freshness", codename__in=codenames)
        )


def unseed(apps, schema_editor):
    apps.get_model("freshness", "ReviewPolicy").objects.all().delete()
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="freshness"))


class Migration(migrations.Migration):
    dependencies = [
        ("freshness", "0001_initial"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
