"""
Backing up and restoring the whole portal: the database and the uploaded media
in one archive. Used by the `backup` and `restore` management commands.

The archive is a .tar.gz holding `manifest.json`, the database (a pg_dump
custom-format dump on PostgreSQL, a copy made with SQLite's backup API on
SQLite) and `media/`, the uploads folder as it was.

The site runs while a backup is made: a media file moved or deleted between
being listed and being read is left out and named (an image the portal moves
into withheld/ or back is taken at its new place), and the manifest, written
last, counts what the archive holds. Two backups started in the same second get
two names.
"""

import datetime
import gzip
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from news.withheld_images import WITHHELD_FOLDER

from .page_cache import content_changed

MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


def engine_of(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def postgres_environment(alias: str) -> dict[str, str]:
    """libpq's environment variables for the database `alias`, for pg_dump and pg_restore."""
    config = connections[alias].settings_dict
    values = {
        "PGDATABASE": config["NAME"],
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGHOST": config.get("HOST"),
        "PGPORT": str(config.get("PORT") or ""),
        "PGSSLMODE": config.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed here (on Debian: the postgresql-client package)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# Passes over MEDIA_ROOT: the first archives what is there, each next one what
# appeared meanwhile, such as an image the portal moved into withheld/.
MEDIA_PASSES = 3


@dataclass(frozen=True)
class Backup:
    path: Path
    media_files: int
    # Files listed, then gone before they were read: moved by the portal into
    # withheld/ or back (a withdrawal, a cancelled one) and archived where they
    # went, or gone from the archive (deleted, or moved where no pass found them).
    moved: dict[str, str]  # name listed: name archived
    vanished: list[str]


def create_backup(output_dir: Path, alias: str = "default") -> Backup:
    """Write a timestamped archive of the database and media into `output_dir`."""
    engine = engine_of(alias)
    if not MigrationRecorder(connections[alias]).has_table():
        # DATABASE_URL unset or misspelt: Django made an empty SQLite file, and
        # a backup of it would have been written, and reported, as a good one.
        raise BackupError(
            f"The {engine} database {connections[alias].settings_dict['NAME']} has none of "
            "the site's tables (no migration was ever run on it): is DATABASE_URL set? "
            "Nothing was backed up."
        )
    # The archive holds password hashes and live sessions: for its owner alone.
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, no permission, a read-only disk
        raise BackupError(
            f"Cannot use {output_dir} as the backup folder: {error.strerror}."
        ) from None
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        database_file = Path(work) / DATABASE_FILES[engine]
        if engine == "postgresql":
            run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={database_file}"], postgres_environment(alias))  # fmt: skip
        else:
            connection = connections[alias]
            connection.ensure_connection()
            with sqlite3.connect(database_file) as copy:
                connection.connection.backup(copy)
            copy.close()
        # A name of its own (mode 600), so that two backups at once never write
        # one file; `portal-backup-` so that the cron job's cleaning finds it.
        descriptor, partial_name = tempfile.mkstemp(
            prefix=f"portal-backup-{stamp}-", suffix=".partial", dir=output_dir
        )
        os.close(descriptor)
        partial = Path(partial_name)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(database_file, arcname=database_file.name)
                archived, moved, vanished = _add_media(tar, media_root)
                # Written last, when what the archive holds is known.
                manifest = {
                    "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "engine": engine,
                    "database": database_file.name,
                    "media_files": archived,
                    "media_vanished": vanished,  # what is not in the archive
                }
                manifest_file = Path(work) / MANIFEST
                manifest_file.write_text(json.dumps(manifest, indent=2))
                tar.add(manifest_file, arcname=MANIFEST)
            archive = _name_archive(partial, output_dir, stamp)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Backup(archive, archived, moved, vanished)


def _add_media(tar: tarfile.TarFile, media_root: Path) -> tuple[int, dict[str, str], list[str]]:
    """
    Archive the files under `media_root` as `media/…`. The site runs meanwhile:
    a file gone between being listed and being read is skipped, and taken at its
    new place if a later pass finds it there; any other error reading a file
    stops the backup. Return how many files were archived, and the names of
    those gone that were archived in or out of withheld/ and of those not archived.
    """
    archived: set[str] = set()
    vanished: set[str] = set()
    for _pass in range(MEDIA_PASSES):
        new = [name for name in _media_names(media_root) if name not in archived]
        if not new:
            break
        for name in new:
            try:
                added = _add_file(tar, media_root / name, arcname=f"media/{name}")
            except OSError as error:
                raise BackupError(
                    f"Cannot back up the media file {name}: {error.strerror or error}."
                ) from None
            if added:
                archived.add(name)
                vanished.discard(name)
            else:
                vanished.add(name)
    moved = {
        name: _withheld_counterpart(name)
        for name in sorted(vanished)
        if _withheld_counterpart(name) in archived
    }
    return len(archived), moved, sorted(vanished - moved.keys())


def _withheld_counterpart(name: str) -> str:
    """Where the portal moves the image stored as `name` to withhold it, or to bring it back."""
    folder = f"{WITHHELD_FOLDER}/"
    return name.removeprefix(folder) if name.startswith(folder) else folder + name


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> bool:
    """Archive the file at `path` as `arcname`; False if it is no longer there."""
    try:
        with open(path, "rb") as file:  # read whole even if it is moved or deleted now
            tar.addfile(tar.gettarinfo(arcname=arcname, fileobj=file), file)
    except FileNotFoundError:
        return False
    return True


def _media_names(media_root: Path) -> list[str]:
    """The files under `media_root`, relative to it; a folder gone meanwhile is skipped."""

    def refuse(error: OSError) -> None:
        if not isinstance(error, FileNotFoundError):
            raise BackupError(f"Cannot read the media folder {error.filename}: {error.strerror}.")

    names = []
    for folder, subfolders, files in os.walk(media_root, onerror=refuse):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file():
                names.append(path.relative_to(media_root).as_posix())
    return names


def _name_archive(partial: Path, output_dir: Path, stamp: str) -> Path:
    """
    Give the finished archive its name, `portal-backup-<stamp>.tar.gz`, or with
    `-2`, `-3`… when a backup started in the same second has it: never overwrite one.
    """
    number = 1
    while True:
        archive = output_dir / f"portal-backup-{stamp}{f'-{number}' if number > 1 else ''}.tar.gz"
        try:  # the name is taken atomically, then the archive replaces the empty file
            os.close(os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            number += 1
            continue
        os.replace(partial, archive)
        return archive


def read_manifest(archive: Path) -> dict:
    """
    The manifest of `archive`, once all of the archive has read back intact
    (gzip checks what it unpacks); BackupError if it is damaged, cut short, or
    not a portal backup. tarfile alone stops at the end of the last file, and
    restored a damaged document without a word.
    """
    try:
        with gzip.open(archive) as stream:
            while stream.read(1024 * 1024):
                pass
    except (OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is damaged, or not a portal backup: {error}.") from None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
            engine = manifest["engine"]
            database = tar.getmember(manifest["database"])
    except (tarfile.TarError, OSError, KeyError, ValueError, TypeError, AttributeError):
        raise BackupError(f"{archive} is not a portal backup.") from None
    if (
        not isinstance(engine, str)
        or DATABASE_FILES.get(engine) != database.name
        or not database.isfile()
        or not isinstance(manifest.get("media_files"), int)
    ):
        raise BackupError(f"{archive} is not a portal backup.")
    return manifest


def restore_backup(archive: Path, alias: str = "default") -> dict:
    """
    Restore `archive` into the database `alias` and MEDIA_ROOT, both of which
    must be empty: a restore never mixes a backup with what is there.
    """
    engine = engine_of(alias)
    media_root = Path(settings.MEDIA_ROOT)
    connection = connections[alias]
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty. Restore into an empty one.")
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty. "
            "Restore into a new, empty database."
        )
    manifest = read_manifest(archive)
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as work:
        if manifest["engine"] != engine:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this one is {engine}."
            )
        tar.extract(manifest["database"], work, filter="data")
        database_file = Path(work) / manifest["database"]
        if engine == "postgresql":
            run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
                 str(database_file)], postgres_environment(alias))  # fmt: skip
        else:
            connection.close()
            try:
                with (
                    sqlite3.connect(database_file) as source,
                    sqlite3.connect(connection.settings_dict["NAME"]) as target,
                ):
                    source.execute("PRAGMA quick_check").fetchall()
                    source.backup(target)
            except sqlite3.DatabaseError as error:
                raise BackupError(f"The backup's database cannot be read: {error}.") from None
            source.close()
            target.close()
        media_root.mkdir(parents=True, exist_ok=True)
        restored = 0
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                member.name = member.name.removeprefix("media/")
                try:
                    tar.extract(member, media_root, filter="data")
                except tarfile.FilterError as error:  # e.g. a name leading out of the folder
                    raise BackupError(f"Refused to restore {member.name!r}: {error}") from None
                restored += 1
    connection.close()
    content_changed()  # pages cached from what was there before are out of date
    if restored != manifest["media_files"]:
        raise BackupError(f"{restored} media files restored, {manifest['media_files']} expected.")
    return {**manifest, "media_restored": restored}
