"""
Give a staff member an editorial role: `manage.py set_role USERNAME publisher`.

The roles are the groups "Editor" and "Publisher"; a person has one of them
or none. Giving a role also lets the person into the admin (staff status);
taking it away takes that too, unless they have other rights there.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = {"editor": "Editor", "publisher": "Publisher"}


class Command(BaseCommand):
    help = "Make a user an editor or a publisher of news, or take their role away (none)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*ROLES, "none"])

    def handle(self, *args, username, role, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        groups = Group.objects.filter(name__in=ROLES.values())
        if len(groups) != len(ROLES):
            raise CommandError("The Editor and Publisher groups are missing: run migrate first.")
        user.groups.remove(*groups)
        if role == "none":
            others = user.groups.exists() or user.user_permissions.exists()
            if user.is_staff and not (user.is_superuser or others):
                user.is_staff = False
                user.save(update_fields=["is_staff"])
                self.stdout.write(f"{username} no longer has an editorial role nor the admin.")
            else:
                self.stdout.write(f"{username} no longer has an editorial role.")
            return
        user.groups.add(groups.get(name=ROLES[role]))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} now has the role {ROLES[role]}."))
