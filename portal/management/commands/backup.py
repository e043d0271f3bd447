from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded media into one timestamped archive "
        "(portal-backup-YYYYMMDD-HHMMSS.tar.gz, UTC; -2, -3… after it for another backup "
        "started in the same second)."
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
            backup = create_backup(output_dir, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        # On stderr: stdout is the archive's path alone, for scripts.
        for listed, archived in backup.moved.items():
            self.stderr.write(
                f"Moved while the backup ran, backed up at its new place: {listed} → {archived}",
                self.style.NOTICE,
            )
        for name in backup.vanished:
            self.stderr.write(
                f"Moved or deleted while the backup ran, not in the backup: {name}",
                self.style.WARNING,
            )
        self.stdout.write(str(backup.path))
