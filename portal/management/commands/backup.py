from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded media into one timestamped archive "
        "(portal-backup-YYYYMMDD-HHMMSS.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=settings.DATA_DIR / "backups",
            help="Folder for the archive (default: data/backups).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output_dir, database, **options):
        try:
            archive = create_backup(output_dir, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(archive))
