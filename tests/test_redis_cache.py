"""
The page cache on a real Redis, as production runs it (REDIS_URL): pages are
kept in Redis, and the content generation kept there tells every worker
process at once that they are out of date. tests/test_page_cache.py proves the
rest without Redis, and that readers get pages when Redis is out of reach.

The Redis is PORTAL_TEST_REDIS_URL (redis://127.0.0.1:6379/15 unless set).
Each test keeps its keys under a prefix of its own and deletes them afterwards;
nothing else there is touched. Without a reachable Redis these tests skip,
and under CI=true they fail.
"""

import contextlib
import json
import os
import pickle
import secrets
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.test import Client

from accessibility.preferences import COOKIE_NAME, new_token
from portal.redis_cache import RETRY_AFTER_SECONDS

from .conftest import missing, postgres_url
from .test_page_cache import LARGE_PRINT, queries_for

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER = Path(__file__).with_name("page_cache_worker.py")


@pytest.fixture(scope="session")
def redis_server():
    """The tests' Redis. Out of reach, these tests skip; under CI=true they fail."""
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        server.ping()
    except redis.RedisError as error:
        reason = (
            f"No Redis at {REDIS_URL} ({error}): the tests of the page cache on Redis "
            "need one (PORTAL_TEST_REDIS_URL names another)."
        )
        missing(reason)
    yield server
    server.close()


class Keys:
    """A test's own keys in Redis: under a prefix nobody else uses, deleted afterwards."""

    def __init__(self, server: redis.Redis):
        self.server = server
        self.prefix = f"portal-test-{secrets.token_hex(8)}"

    def pages(self) -> set[bytes]:
        """The page cache's entries, one per page and display mode."""
        return set(self.server.scan_iter(f"{self.prefix}:*:page-cache:page:*"))

    def value(self, key: bytes):
        return pickle.loads(self.server.get(key))

    def delete_all(self) -> None:
        for key in self.server.scan_iter(f"{self.prefix}:*", count=1000):
            self.server.delete(key)


@pytest.fixture
def keys(redis_server):
    own = Keys(redis_server)
    yield own
    own.delete_all()


@pytest.fixture
def redis_cache(keys, settings):
    """This process's caches on Redis, as portal/settings.py makes them from REDIS_URL."""
    cache = {
        "BACKEND": "portal.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": keys.prefix,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "default": cache, "shared": cache}
    return keys


@pytest.fixture
def item(make_item):
    return make_item(title="Ремонт моста через Улу")


@pytest.mark.django_db
class TestPagesInRedis:
    def test_an_anonymous_readers_page_is_kept_in_redis_and_served_from_it(
        self, client, item, redis_cache
    ):
        url = item.get_absolute_url()
        count, page = queries_for(client, url)
        [key] = redis_cache.pages()
        assert count > 0
        assert redis_cache.value(key)["content"].decode() == page
        assert redis_cache.server.exists(f"{redis_cache.prefix}:1:page-cache:generation")
        assert queries_for(Client(), url) == (0, page)

        # Without the entry in Redis the page is rendered again: nothing else kept it.
        redis_cache.server.delete(key)
        assert queries_for(Client(), url)[0] > 0
        assert redis_cache.pages() == {key}

    def test_each_language_and_display_mode_has_its_own_entry(self, item, redis_cache):
        def large_print() -> Client:
            reader = Client()
            reader.cookies[COOKIE_NAME] = LARGE_PRINT.to_cookie(new_token())
            return reader

        article = item.get_absolute_url()
        variants = [
            ("/ru/", Client),
            ("/be/", Client),
            ("/en/", Client),
            ("/ru/", large_print),
            (article, Client),
            (article, large_print),
        ]
        pages = []
        for url, reader in variants:
            count, page = queries_for(reader(), url)
            assert count > 0, f"{url} was served another language's or display mode's entry"
            pages.append(page)
        assert len(redis_cache.pages()) == len(variants)
        assert '<html lang="be"' in pages[1] and '<html lang="en"' in pages[2]
        assert 'data-size="200"' in pages[3] and 'data-size="200"' not in pages[0]

        for (url, reader), page in zip(variants, pages, strict=True):
            assert queries_for(reader(), url) == (0, page), url

    def test_staff_are_never_served_a_cached_page_and_leave_none(
        self, staff_client, item, make_item, redis_cache
    ):
        url = item.get_absolute_url()
        draft = make_item(
            title="Черновик для своих", is_published=False, published_at=item.published_at
        )
        page = Client().get(url).content.decode()
        kept = redis_cache.pages()
        assert queries_for(Client(), url) == (0, page)

        for staff_url in [url, "/ru/", draft.get_absolute_url()]:
            count, _page = queries_for(staff_client, staff_url)
            assert count > 0, f"staff were served {staff_url} from the cache"
        assert redis_cache.pages() == kept
        assert queries_for(Client(), url) == (0, page)
        assert Client().get(draft.get_absolute_url()).status_code == 404


class Worker:
    """A worker process of the portal (tests/page_cache_worker.py): its log shows on failure."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"The worker ended with status {self.process.wait()}.")
        return json.loads(line)

    def get(self, url: str) -> dict:
        return self.ask(get=url)

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """
    The test database, for other processes. On PostgreSQL they share it with
    this one (the tests commit: `transaction=True`). SQLite's lives in this
    process's memory: they share a copy of it in a file.
    """
    if connection.vendor != "sqlite":
        return postgres_url(connection.settings_dict["NAME"])
    copy = tmp_path / "workers.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(copy)) as target:
        connection.connection.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture
def workers(shared_database, keys, tmp_path):
    """Two worker processes that share nothing but the database and Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": shared_database,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": keys.prefix,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_PLAIN_STATIC": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    started = []
    try:
        started.extend(Worker(env) for _ in range(2))
        yield started
    finally:
        for worker in started:
            worker.stop()


@pytest.mark.django_db(transaction=True)
class TestChangesShowInEveryProcess:
    """
    A change saved in one worker process shows at once in another, which had
    the page in Redis: the only thing they share, with the database.
    """

    @pytest.fixture
    def published(self, workers):
        editor, _reader = workers
        return editor.ask(create={"title": "Ремонт моста через Улу", "is_published": True})

    def warm(self, workers, urls: list[str]) -> None:
        """The reader's process renders and keeps each page; the editor's is served it."""
        editor, reader = workers
        for url in urls:
            first = reader.get(url)
            assert first["status"] == 200 and first["queries"] > 0, url
            assert reader.get(url)["queries"] == 0, f"{url} was not kept"
            assert editor.get(url) == {**first, "queries": 0}, f"{url} was not shared"

    def test_publishing(self, workers, published):
        editor, reader = workers
        draft = editor.ask(create={"title": "Открыт новый мост", "is_published": False})
        pages = ["/ru/", "/ru/news/", published["url"]]
        self.warm(workers, pages)

        editor.ask(save=draft["pk"], fields={"is_published": True})
        for url in pages[:2]:
            answer = reader.get(url)
            assert answer["queries"] > 0, url
            assert "Открыт новый мост" in answer["text"], url
        assert reader.get(draft["url"])["status"] == 200

    def test_editing(self, workers, published):
        editor, reader = workers
        pages = ["/ru/", "/ru/news/", published["url"]]
        self.warm(workers, pages)

        editor.ask(save=published["pk"], fields={"title": "Мост через Улу отремонтирован"})
        for url in pages:
            text = reader.get(url)["text"]
            assert "Мост через Улу отремонтирован" in text, url
            assert "Ремонт моста через Улу" not in text, url

    def test_unpublishing(self, workers, published):
        editor, reader = workers
        pages = ["/ru/", "/ru/news/", published["url"]]
        self.warm(workers, pages)

        editor.ask(save=published["pk"], fields={"is_published": False})
        for url in pages[:2]:
            assert "Ремонт моста через Улу" not in reader.get(url)["text"], url
        assert reader.get(published["url"])["status"] == 404


@pytest.mark.django_db
def test_a_redis_that_never_answers_is_not_asked_again_for_a_while(settings, client):
    """A hung Redis made every cache operation wait its timeout, several on every page."""
    from django.core.cache import cache

    from portal.redis_cache import FailFastRedis, RedisDown

    with socket.socket() as hung:  # takes connections (the kernel does), never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        port = hung.getsockname()[1]
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "portal.redis_cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 0.2},
            },
        }
        try:
            with pytest.raises(redis.TimeoutError):
                cache.get("anything")
            with pytest.raises(RedisDown):  # at once, without asking
                cache.get("anything")
            assert client.get("/ru/").status_code == 200  # rendered without the cache

            server = ("127.0.0.1", port, None)
            FailFastRedis._failed_at[server] -= RETRY_AFTER_SECONDS  # the time has passed
            with pytest.raises(redis.TimeoutError):  # asked again
                cache.get("anything")
        finally:
            FailFastRedis._failed_at.clear()
