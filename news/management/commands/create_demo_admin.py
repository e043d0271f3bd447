"""
Make the local demo's administrator, with a freshly generated password.

For the local demo only: the password is printed so that the person who just
started the portal can log in. Production accounts are made with
`createsuperuser`; on a database that has other superusers, which the demo
does not, it changes nothing (`make run` with a production environment must
not reset an account called "admin").
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or reset the local demo administrator and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        users = get_user_model().objects
        if users.filter(is_superuser=True).exclude(username=username).exists():
            self.stdout.write(
                "This database has other administrators, so it is not the local demo: "
                f"{username!r} is left as it is. Log in with your own account."
            )
            return
        password = secrets.token_urlsafe(12)
        user, _created = users.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Demo admin: username {username!r}, password {password!r}")
        )
