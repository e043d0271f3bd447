import datetime
import io
import itertools
import os
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from news.models import Category, NewsItem

_counter = itertools.count(1)


def missing(reason: str) -> None:
    """What the tests need is not on this machine: skip them, or under CI=true fail the run."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _caches_of_the_run(tmp_path_factory):
    """
    The run's caches are its own: local memory, and a folder of its own for the
    cache every worker shares (data/cache otherwise), so that two runs at once
    do not clear each other's. With REDIS_URL set, tests would otherwise clear
    that whole Redis database, other applications' keys included; the page
    cache on Redis has tests of its own (test_redis_cache.py).
    """
    folder = tmp_path_factory.mktemp("shared-cache")
    caches_of_the_run = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": folder,
        },
    }
    with override_settings(CACHES=caches_of_the_run):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """
    Each test starts with an empty cache: nothing cached by another (urgent notices,
    which image renditions exist) leaks into it.
    """
    for alias in ("default", "shared"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _site_language():
    """
    Each test starts in the site's language: a request leaves its own active
    (LocaleMiddleware), and the next test's `reverse()` made /be/ addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates resolve static URLs without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A test's users are made and log in in microseconds, not a quarter second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def category(db):
    return Category.objects.create(
        name="Экономика", name_be="Эканоміка", name_en="Economy", slug="economy"
    )


@pytest.fixture
def make_item(db, category):
    """Make a news item; published an hour ago in Russian unless told otherwise."""

    def make(**fields) -> NewsItem:
        number = next(_counter)
        fields.setdefault("title", f"Новость номер {number}")
        fields.setdefault("lead", f"Краткое содержание новости {number}.")
        fields.setdefault("body", f"<p>Текст новости {number}.</p>")
        fields.setdefault("category", category)
        fields.setdefault("language", "ru")
        fields.setdefault("is_published", True)
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
        return NewsItem.objects.create(**fields)

    return make


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def stored_image(settings):
    """Put an image file in the test's MEDIA_ROOT and return its storage name."""

    def store(name: str = "news/covers/picture.png", size=(40, 30)) -> str:
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image_bytes(size=size))
        return name

    return store


def image_bytes(format: str = "PNG", size=(40, 30), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3366aa").save(buffer, format=format, **save_options)
    return buffer.getvalue()


def postgres_url(name: str) -> str:
    """The URL, for another process, of the database `name` on the test database's PostgreSQL."""
    config = connection.settings_dict
    credentials = quote(config["USER"] or "") + (
        f":{quote(config['PASSWORD'])}" if config["PASSWORD"] else ""
    )
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"
