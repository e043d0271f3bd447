"""
Backing up and restoring the whole portal: the database and the uploaded media
in one archive. Used by the `backup` and `restore` management commands.

The archive is a .tar.gz holding `manifest.json`, the database (a pg_dump
custom-format dump on PostgreSQL, a copy made with SQLite's backup API on
SQLite) and `media/`, the uploads folder as it was.
"""

import datetime
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

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


def create_backup(output_dir: Path, alias: str = "default") -> Path:
    """Write a timestamped archive of the database and media into `output_dir`; return its path."""
    engine = engine_of(alias)
    # The archive holds password hashes and live sessions: for its owner alone.
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, no permission, a read-only disk
        raise BackupError(
            f"Cannot use {output_dir} as the backup folder: {error.strerror}."
        ) from None
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"portal-backup-{stamp}.tar.gz"
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
        media_files = [path for path in media_root.rglob("*") if path.is_file()]
        manifest = {
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "database": database_file.name,
            "media_files": len(media_files),
        }
        partial = archive.with_suffix(".partial")
        partial.touch(mode=0o600)
        with tarfile.open(partial, "w:gz") as tar:
            manifest_file = Path(work) / MANIFEST
            manifest_file.write_text(json.dumps(manifest, indent=2))
            tar.add(manifest_file, arcname=MANIFEST)
            tar.add(database_file, arcname=database_file.name)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.rename(archive)
    return archive


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, OSError, KeyError, ValueError, TypeError):
        raise BackupError(f"{archive} is not a portal backup.") from None


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
            with (
                sqlite3.connect(database_file) as source,
                sqlite3.connect(connection.settings_dict["NAME"]) as target,
            ):
                source.backup(target)
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
