"""
Backup and restore: everything the portal holds (every row of every model,
every uploaded file) comes back the same in an empty database and media folder.

The backup runs in-process on the test database; the restore runs as an
operator would run it, `manage.py restore` in its own process with
DATABASE_URL and MEDIA_ROOT pointing at a new database and an empty folder.
"""

import datetime
import errno
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone

from .admin_forms import admin_form_data
from .conftest import image_bytes, postgres_url

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def rows(dump_file: Path) -> list[dict]:
    return sorted(json.loads(dump_file.read_text()), key=lambda row: (row["model"], str(row["pk"])))


def files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"portal_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url(name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def portal_content(staff_client, make_item, category, stored_image):
    """Every kind of content: items in three languages, drafts, images, uploads, admin log."""
    add_url = reverse("admin:news_newsitem_add")
    response = staff_client.post(
        add_url,
        admin_form_data(
            staff_client,
            add_url,
            title="Резервная копия через админку",
            language="ru",
            category=category.pk,
            lead="Кратко.",
            body="<p>Текст <strong>с разметкой</strong>.</p>",
            cover_image=SimpleUploadedFile("photo.jpg", image_bytes("JPEG"), "image/jpeg"),
            cover_image_alt="Котельная на улице Ленина в Лепеле",
            published_at_0="2026-10-05",
            published_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302
    body_image = staff_client.post(
        "/ru/editor/images/", {"upload": SimpleUploadedFile("a.png", image_bytes(), "image/png")}
    ).json()["url"]
    make_item(body=f'<p>С картинкой</p><img src="{body_image}" alt="Картинка">')
    for language in ("ru", "be", "en"):
        make_item(language=language, cover_image=stored_image(f"news/covers/{language}.png"),
                  cover_image_alt="Picture", title=f"Item «{language}» ✓")  # fmt: skip
    make_item(is_published=False, title="Черновик")
    make_item(published_at=timezone.now() + datetime.timedelta(days=5), title="Запланировано")


def test_backup_and_restore_bring_back_every_row_and_file(
    portal_content, fresh_database, settings, tmp_path
):
    source_dump = tmp_path / "source.json"
    call_command("dumpdata", output=str(source_dump), verbosity=0)
    source_rows, source_files = rows(source_dump), files(settings.MEDIA_ROOT)
    models = {row["model"] for row in source_rows}
    assert {"news.newsitem", "news.category", "auth.user", "admin.logentry"} <= models
    assert len(source_files) >= 5  # covers, the editor's upload (and any renditions)

    call_command("backup", output_dir=tmp_path / "backups", verbosity=0)
    [archive] = (tmp_path / "backups").glob("portal-backup-*.tar.gz")
    # Password hashes and live sessions: readable by the backup's owner alone.
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(archive), database_url=fresh_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr
    assert f"{len(source_files)} media files" in result.stdout

    restored_dump = tmp_path / "restored.json"
    result = manage("dumpdata", "--output", str(restored_dump),
                    database_url=fresh_database, media_root=restored_media)  # fmt: skip
    assert result.returncode == 0, result.stderr
    restored_rows = rows(restored_dump)

    # Every model of every installed app, including those added after this test was written.
    for model in apps.get_models():
        label = model._meta.label_lower
        expected = [row for row in source_rows if row["model"] == label]
        assert [row for row in restored_rows if row["model"] == label] == expected, label
    assert restored_rows == source_rows
    assert files(restored_media) == source_files

    # A restore never mixes a backup with what is there.
    refused = manage("restore", str(archive), database_url=fresh_database,
                     media_root=tmp_path / "another-empty-folder")  # fmt: skip
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    refused = manage(
        "restore", str(archive), database_url=fresh_database, media_root=restored_media
    )
    assert refused.returncode != 0 and "media folder" in refused.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path, fresh_database):
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(b"not an archive")
    result = manage("restore", str(not_a_backup), database_url=fresh_database,
                    media_root=tmp_path / "media-empty")  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def manifest(**fields) -> bytes:
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    values = {"created": "2026-12-07T12:00:00+00:00", "engine": engine, "database": database,
              "media_files": 0, **fields}  # fmt: skip
    return json.dumps(values).encode()


def test_restore_refuses_a_damaged_or_foreign_archive_and_restores_nothing(
    portal_content, fresh_database, tmp_path
):
    """Each gave a traceback, or was restored: a flipped byte put back a damaged document."""
    call_command("backup", output_dir=tmp_path / "backups", verbosity=0)
    [archive] = (tmp_path / "backups").glob("portal-backup-*.tar.gz")
    data = archive.read_bytes()
    flipped = bytearray(data)
    flipped[-8] ^= 0xFF  # the CRC of what it unpacks: as if a byte of a file had changed
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    foreign = {
        "damaged": bytes(flipped),
        "cut short": data[: len(data) // 2],
        "a manifest of something else": tar_gz({"manifest.json": b'{"foo": 1}'}),
        "a manifest that is a list": tar_gz({"manifest.json": b"[1, 2]"}),
        "no database file": tar_gz({"manifest.json": manifest()}),
        "a database file named elsewhere": tar_gz(
            {"manifest.json": manifest(database="../../etc/passwd"), "../../etc/passwd": b"x"}
        ),
        "a database that is no database": tar_gz(
            {"manifest.json": manifest(), database: b"not a database " * 100}
        ),
    }
    for case, content in foreign.items():
        path = tmp_path / f"{case}.tar.gz"
        path.write_bytes(content)
        media = tmp_path / f"media of {case}"
        result = manage("restore", str(path), database_url=fresh_database, media_root=media)
        assert result.returncode != 0, case
        assert "Traceback" not in result.stderr and "CommandError" in result.stderr, case
        assert not media.exists() or not any(media.iterdir()), case
        tables = manage("inspectdb", database_url=fresh_database, media_root=media)
        assert "class NewsItem" not in tables.stdout and "class NewsNewsitem" not in tables.stdout


@pytest.mark.django_db
def test_backup_and_restore_say_what_is_wrong_with_a_path(tmp_path):
    """A file where the folder should be, a folder where the file should be: no traceback."""
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0")
    with pytest.raises(CommandError, match=r"Cannot use .* as the backup folder"):
        call_command("backup", output_dir=a_file / "inside")
    with pytest.raises(CommandError, match=r"Cannot use .* as the backup folder"):
        call_command("backup", output_dir=a_file)
    with pytest.raises(CommandError, match="is a folder: give the archive file in it"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db
def test_a_database_without_the_sites_tables_is_not_backed_up(tmp_path, monkeypatch):
    """DATABASE_URL misspelt: the backup archived an empty SQLite file and said it was done."""
    monkeypatch.setattr(MigrationRecorder, "has_table", lambda recorder: False)
    with pytest.raises(CommandError, match=r"has none of the site's tables .* is DATABASE_URL set"):
        call_command("backup", output_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_database_tool_is_named_not_a_traceback():
    """Without PostgreSQL's client tools, `backup` ended in FileNotFoundError."""
    from portal.backups import BackupError, run

    with pytest.raises(BackupError, match="pg_dump is not installed here"):
        run(["pg_dump", "--version"], {"PATH": "/nonexistent"})


def archive_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {
            member.name: tar.extractfile(member).read()
            for member in tar.getmembers()
            if member.isfile()
        }


def media_file(settings, name: str, content: bytes) -> None:
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.fixture
def while_reading_media(monkeypatch):
    """Run `action` once, when the backup has read its first media file: the site goes on."""

    def install(action):
        done = []
        add_file = tarfile.TarFile.addfile

        def addfile(tar, tarinfo, fileobj=None, **kwargs):
            result = add_file(tar, tarinfo, fileobj, **kwargs)
            if tarinfo.name.startswith("media/") and not done:
                done.append(tarinfo.name)
                action(tarinfo.name)
            return result

        monkeypatch.setattr(tarfile.TarFile, "addfile", addfile)
        return done

    return install


def test_a_file_moved_or_deleted_during_the_backup_is_skipped_and_named(
    settings, tmp_path, fresh_database, while_reading_media
):
    """
    Withdrawing an item as published in error moves its images into withheld/
    while the backup runs; that, or a deletion, ended the backup in a traceback.
    """
    media_file(settings, "a/first.png", b"first")
    media_file(settings, "news/covers/lake.png", b"lake")
    media_file(settings, "news/body/plan.png", b"plan")

    def the_site_goes_on(_first):
        withheld = settings.MEDIA_ROOT / "withheld/news/covers/lake.png"
        withheld.parent.mkdir(parents=True)
        os.replace(settings.MEDIA_ROOT / "news/covers/lake.png", withheld)
        (settings.MEDIA_ROOT / "news/body/plan.png").unlink()

    done = while_reading_media(the_site_goes_on)
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", output_dir=tmp_path / "backups", stdout=out, stderr=err)

    assert done == ["media/a/first.png"]
    [archive] = (tmp_path / "backups").glob("portal-backup-*")
    assert out.getvalue() == f"{archive}\n"  # the path alone, for scripts
    assert "news/covers/lake.png → withheld/news/covers/lake.png" in err.getvalue()
    assert "not in the backup: news/body/plan.png" in err.getvalue()
    members = archive_members(archive)
    assert {name for name in members if name.startswith("media/")} == {
        "media/a/first.png",
        "media/withheld/news/covers/lake.png",
    }
    assert members["media/withheld/news/covers/lake.png"] == b"lake"
    manifest = json.loads(members["manifest.json"])
    assert manifest["media_files"] == 2
    assert manifest["media_vanished"] == ["news/body/plan.png"]

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(archive), database_url=fresh_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr
    assert "2 media files" in result.stdout
    assert (restored_media / "withheld/news/covers/lake.png").read_bytes() == b"lake"


def test_an_error_reading_a_media_file_stops_the_backup_without_leaving_a_file(
    settings, tmp_path, monkeypatch
):
    """A file that cannot be read is not a file moved meanwhile: no archive that lacks it."""
    media_file(settings, "news/covers/lake.png", b"lake")
    add_file = tarfile.TarFile.addfile

    def addfile(tar, tarinfo, fileobj=None, **kwargs):
        if tarinfo.name.startswith("media/"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return add_file(tar, tarinfo, fileobj, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "addfile", addfile)
    with pytest.raises(
        CommandError,
        match=re.escape("Cannot back up the media file news/covers/lake.png: Input/output error."),
    ):
        call_command("backup", output_dir=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_two_backups_in_the_same_second_get_two_names(settings, tmp_path):
    media_file(settings, "news/covers/lake.png", b"lake")
    folder = tmp_path / "backups"
    with time_machine.travel(
        datetime.datetime(2026, 11, 27, 3, 0, tzinfo=datetime.UTC), tick=False
    ):
        call_command("backup", output_dir=folder, stdout=io.StringIO())
        media_file(settings, "news/covers/field.png", b"field")
        call_command("backup", output_dir=folder, stdout=io.StringIO())

    first, second = (
        folder / "portal-backup-20261127-030000.tar.gz",
        folder / "portal-backup-20261127-030000-2.tar.gz",
    )
    assert sorted(folder.iterdir()) == sorted([first, second])  # no partial file left either
    assert json.loads(archive_members(first)["manifest.json"])["media_files"] == 1
    assert json.loads(archive_members(second)["manifest.json"])["media_files"] == 2
    assert second.stat().st_mode & 0o777 == 0o600
