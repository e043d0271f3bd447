from django.apps import AppConfig
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext


def boolean_icon(value: bool | None) -> str:
    """
    The admin's yes, no and unknown icon, its text alternative in the admin's
    language: Django's says "True", "False" or "None" in every language, and
    a screen reader in the Russian admin read a list of staff as «True».
    """
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.contrib.admin.templatetags import admin_list
        from django.db.backends.signals import connection_created

        from .sqlite_like import register

        connection_created.connect(register, dispatch_uid="portal-sqlite-like")
        # Django's list columns, read-only fields and values all draw the icon
        # with this function, importing it when they do.
        admin_list._boolean_icon = boolean_icon
