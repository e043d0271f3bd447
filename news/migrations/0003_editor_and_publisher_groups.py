"""
The editorial roles as groups: "Editor" writes and changes drafts; "Publisher"
may also publish, schedule, unpublish, withdraw and delete news items, and
post urgent notices. Give a person a role by adding them to a group.
"""

from django.db import migrations

EDITOR_PERMISSIONS = [
    ("news", "add_newsitem"),
    ("news", "change_newsitem"),
    ("news", "view_newsitem"),
    ("news", "view_category"),
    ("news", "view_correction"),
]
PUBLISHER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("news", "delete_newsitem"),
    ("news", "publish_newsitem"),
    ("notices", "add_urgentnotice"),
    ("notices", "change_urgentnotice"),
    ("notices", "delete_urgentnotice"),
    ("notices", "view_urgentnotice"),
]
GROUPS = {"Editor": EDITOR_PERMISSIONS, "Publisher": PUBLISHER_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make them
    # now so that the groups can be given them on a fresh database.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_editorial_workflow"),
        ("notices", "0001_urgent_notices"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
