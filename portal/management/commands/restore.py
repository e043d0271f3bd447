from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database (DATABASE_URL) "
        "and an empty media folder (MEDIA_ROOT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, archive, database, **options):
        if archive.is_dir():
            raise CommandError(f"{archive} is a folder: give the archive file in it.")
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            result = restore_backup(archive, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {result['engine']} database of {result['created']} "
                f"and {result['media_restored']} media files."
            )
        )
