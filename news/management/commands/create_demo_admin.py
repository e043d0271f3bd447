"""
Make the local demo's administrator, with a freshly generated password.

For the local demo only: the password is printed so that the person who just
started the portal can log in. Production accounts are made with
`createsuperuser`; `make run` with a production environment must not reset an
account called "admin". So the command changes nothing on a database that has
other superusers, which the demo does not, nor an account of that name it did
not make itself: it marks its own with DEMO_EMAIL.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# The demo administrator's address: no mail is ever sent there (`.invalid`, RFC 2606).
DEMO_EMAIL = "demo-admin@example.invalid"


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
        user, created = users.get_or_create(username=username, defaults={"email": DEMO_EMAIL})
        if not created and user.email != DEMO_EMAIL:
            self.stdout.write(
                f"{username!r} is an account this command did not make, so it is left as "
                f"it is. Log in with its own password (`manage.py changepassword {username}` "
                "sets a new one)."
            )
            return
        password = secrets.token_urlsafe(12)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Demo admin: username {username!r}, password {password!r}")
        )
