"""Our own through model for tags, keyed by bigint like every item (see core.TaggedItem).

Every existing tagging moves from taggit's table into it in one INSERT … SELECT (no rows
through Python, so it stays quick at millions of taggings), and taggit's table is left
empty. Editors, who could manage taggit's tagged items, may manage these. The
apps owning a TaggableManager switch it to this model in their own migrations, which only
change Django's state: a TaggableManager has no column.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# What editors could do with taggit's tagged items (kb.accounts.roles), on these.
ROLE_PERMS = {"Editor": [f"{action}_taggeditem" for action in ("add", "change", "delete", "view")]}


def _move(connection, source, target) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("tag_id", "content_type_id", "object_id"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(target._meta.db_table)} ({columns})"
            f" SELECT {columns} FROM {quote(source._meta.db_table)}"
        )
        cursor.execute(f"DELETE FROM {quote(source._meta.db_table)}")


def forwards(apps, schema_editor):
    taggit, ours = apps.get_model("taggit", "TaggedItem"), apps.get_model("core", "TaggedItem")
    _move(schema_editor.connection, taggit, ours)
    _grant(apps)


def backwards(apps, schema_editor):
    taggit, ours = apps.get_model("taggit", "TaggedItem"), apps.get_model("core", "TaggedItem")
    _move(schema_editor.connection, ours, taggit)


def _grant(apps) -> None:
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="core", codename__in=codenames)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_roles'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_repair_tag_slugs'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaggedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.BigIntegerField(verbose_name='object ID')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_tagged_items', to='contenttypes.contenttype', verbose_name='content type')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'tagged item',
                'verbose_name_plural': 'tagged items',
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='core_taggeditem_item')],
                'constraints': [models.UniqueConstraint(fields=('tag', 'content_type', 'object_id'), name='core_taggeditem_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
