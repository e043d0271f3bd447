"""
Delete the display-settings rows of visitors who have changed nothing for a
long time (a year by default).

The rows only count how the settings are used (the admin's figures cover the
last 30 days): a visitor's settings live in their cookie, so they keep them,
and their next change makes their row again. Without this the table grows by
every browser that ever pressed a button, scripts included.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accessibility.models import DisplayPreferences

# A hundred years: further back, a date overflowed.
MAX_DAYS = 36_500


class Command(BaseCommand):
    help = "Delete display-settings rows unchanged for --days days (365 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, days, **options):
        if days < 30:
            raise CommandError("--days must be 30 or more: the admin's figures cover 30 days.")
        if days > MAX_DAYS:
            raise CommandError(f"--days must be {MAX_DAYS} or less: no row is older.")
        since = timezone.now() - datetime.timedelta(days=days)
        deleted, _by_model = DisplayPreferences.objects.unchanged_since(since).delete()
        self.stdout.write(f"Deleted {deleted} display-settings rows unchanged for {days} days.")
