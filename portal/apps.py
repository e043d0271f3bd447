from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .sqlite_like import register

        connection_created.connect(register, dispatch_uid="portal-sqlite-like")
