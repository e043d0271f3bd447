"""
Both roles work on an item's documents: the groups of 0003 were made before
documents existed (0005), so neither could see, attach or remove one.
"""

from django.db import migrations

ATTACHMENT_PERMISSIONS = [
    "add_attachment",
    "change_attachment",
    "delete_attachment",
    "view_attachment",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # As in 0003: the permissions are made after all migrations, unless made now.
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="news", codename__in=ATTACHMENT_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editor", "Publisher"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="news", codename__in=ATTACHMENT_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editor", "Publisher"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("news", "0008_attachment_history")]

    operations = [migrations.RunPython(grant, revoke)]
