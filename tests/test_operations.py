"""The health check for load balancers and monitoring, and the JSON logs on stdout."""

import datetime
import io
import json
import logging
import logging.config
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from news.models import ShareLink
from portal.health import latest_migrations
from portal.logging import JSONFormatter, TextFormatter

pytestmark = pytest.mark.django_db


class TestHealthCheck:
    def test_healthy_site_answers_ok_and_is_never_cached(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-store" in response["Cache-Control"]

    def test_it_lives_outside_the_language_prefixes(self, client):
        assert client.get("/ru/healthz").status_code == 404

    def test_a_database_failure_is_503_naming_the_check_and_nothing_else(
        self, client, monkeypatch, caplog
    ):
        def broken_cursor(*args, **kwargs):
            raise OperationalError('could not connect to server at "db.internal" (10.0.0.5)')

        monkeypatch.setattr("portal.health.connection.cursor", broken_cursor)
        response = client.get("/healthz")

        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failed": ["database"]}
        assert b"db.internal" not in response.content and b"10.0.0" not in response.content
        assert "db.internal" in caplog.text  # the reason is in the server's log

    def test_an_unreachable_cache_is_503(self, client, settings):
        # A Redis nobody listens on (port 1 of this machine refuses at once).
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            }
        }
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failed": ["cache"]}
        assert b"127.0.0.1" not in response.content

    def test_a_database_without_the_codes_migrations_is_503(self, client, monkeypatch):
        """A release whose `migrate` was not run failed every page while SELECT 1 answered."""
        monkeypatch.setattr(
            "portal.health.latest_migrations",
            lambda: frozenset({("news", "0016_share_copies_of_covers"), ("news", "9999_next")}),
        )
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failed": ["migrations"]}

    def test_an_empty_database_is_503(self, client, monkeypatch):
        """DATABASE_URL misspelt: the site ran on an empty SQLite file, and said it was healthy."""
        monkeypatch.setattr(MigrationRecorder, "has_table", lambda recorder: False)
        response = client.get("/healthz")
        assert response.json() == {"status": "unavailable", "failed": ["migrations"]}

    def test_the_migrations_it_expects_are_the_codes_latest(self, settings):
        expected = latest_migrations()
        news_migrations = sorted((settings.BASE_DIR / "news" / "migrations").glob("0*.py"))
        assert ("news", news_migrations[-1].stem) in expected
        assert {app for app, _name in expected} >= {"news", "notices", "accessibility", "auth"}

    def test_static_files_not_collected_are_503(self, client, settings, tmp_path):
        """Without `collectstatic` every page failed with a bare 500, and the check said ok."""
        settings.STATIC_ROOT = tmp_path
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failed": ["static files"]}

    def test_only_get_and_head(self, client):
        assert client.head("/healthz").status_code == 200
        assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/ru/"])
def test_an_answer_to_head_has_no_body_but_the_pages_length(path):
    """
    gunicorn logged «WSGI app sent body bytes on a no-body response» for every
    HEAD (the test client drops the body itself, so this calls the WSGI app).
    """

    def call(method: str) -> tuple[dict, bytes]:
        started = {}
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        }  # fmt: skip
        body = b"".join(WSGIHandler()(environ, lambda status, headers: started.update(headers)))
        return started, body

    _headers, page = call("GET")
    headers, body = call("HEAD")  # the page cache's copy, for /ru/
    assert page and body == b""
    assert headers["Content-Length"] == str(len(page))


def json_lines(caplog) -> list[dict]:
    """The log lines as the console handler writes them."""
    formatter = JSONFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def console_handler() -> logging.Handler:
    """The handler settings.LOGGING gives the root logger: JSON lines on stdout."""
    (console,) = [
        handler
        for handler in logging.getLogger().handlers
        if getattr(handler, "stream", None) is sys.stdout
    ]
    return console


class TestJsonLogs:
    def test_the_console_log_is_json_on_stdout(self, settings):
        handler = settings.LOGGING["handlers"]["console"]
        assert handler["stream"] == "ext://sys.stdout"
        assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == (
            "portal.logging.JSONFormatter"
        )

    def test_each_request_is_one_json_line_with_method_path_status_and_duration(
        self, client, caplog
    ):
        caplog.set_level(logging.INFO)
        client.get("/ru/news/?page=1")
        lines = json_lines(caplog)
        request = next(line for line in lines if line["logger"] == "portal.request")
        assert request["method"] == "GET"
        assert request["path"] == "/ru/news/"  # no query string: it may carry tokens
        assert request["status"] == 200
        assert isinstance(request["duration_ms"], float)
        assert request["level"] == "INFO" and request["time"].endswith("+00:00")

    def test_share_links_are_logged_without_their_token(
        self, client, caplog, make_item, admin_user
    ):
        """Whoever reads the logs must not be able to open the drafts shared with others."""
        link = ShareLink.objects.create(
            item=make_item(title="Черновик", is_published=False),
            created_by=admin_user,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
        caplog.set_level(logging.INFO)
        assert client.get(link.get_absolute_url()).status_code == 200
        link.revoked_at = timezone.now()
        link.save()
        assert client.get(link.get_absolute_url()).status_code == 410  # logged as a warning
        assert client.get(link.get_absolute_url() + "documents/1/").status_code == 404

        assert caplog.records and link.token in caplog.text  # what the formatters get
        for formatter in (JSONFormatter(), TextFormatter("%(message)s")):
            lines = [formatter.format(record) for record in caplog.records]
            assert not [line for line in lines if link.token in line]
            hidden = [line for line in lines if "/ru/news/shared/…/" in line]
            assert len(hidden) >= 4  # three requests, and Django's warnings of 410 and 404
        request_lines = [line for line in json_lines(caplog) if line["logger"] == "portal.request"]
        assert [line["path"] for line in request_lines] == [
            "/ru/news/shared/…/",
            "/ru/news/shared/…/",
            "/ru/news/shared/…/documents/1/",
        ]

    def test_the_text_log_format_leaves_share_tokens_out_too(self, settings):
        configurator = logging.config.DictConfigurator(settings.LOGGING)
        formatter = configurator.configure_formatter(settings.LOGGING["formatters"]["text"])
        path = "/be/news/shared/a:b:c/"
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", (path,), None)
        assert formatter.format(record).endswith(" INFO x GET /be/news/shared/…/")

    def test_errors_carry_their_traceback(self, client, caplog, monkeypatch):
        def failing_view(*args, **kwargs):
            raise RuntimeError("the printer is on fire")

        monkeypatch.setattr("news.views.HomeView.get", failing_view)
        client.raise_request_exception = False
        caplog.set_level(logging.INFO)
        assert client.get("/ru/").status_code == 500

        lines = json_lines(caplog)
        error = next(line for line in lines if line["logger"] == "django.request")
        assert error["level"] == "ERROR"
        assert "RuntimeError: the printer is on fire" in error["traceback"]
        assert "Traceback (most recent call last)" in error["traceback"]
        assert any(line.get("status") == 500 for line in lines)

    @pytest.mark.parametrize(
        "request_kwargs, logger",
        [
            ({"HTTP_HOST": "portal.example.com"}, "django.security.DisallowedHost"),
            ({"data": {f"f{n}": "1" for n in range(1_100)}}, "django.security.TooManyFieldsSent"),
        ],
    )
    def test_a_visitors_refused_request_is_a_warning_not_a_server_error(
        self, client, caplog, request_kwargs, logger
    ):
        """Django logs these as ERROR with a traceback: any bot could fill the errors."""
        caplog.set_level(logging.INFO)
        method = client.post if "data" in request_kwargs else client.get
        assert method("/ru/display/", **request_kwargs).status_code == 400
        record = next(record for record in caplog.records if record.name == logger)
        console = console_handler()
        assert console.filter(record)
        line = json.loads(console.format(record))
        assert line["level"] == "WARNING" and "traceback" not in line
        assert line["logger"] == logger

    def test_the_servers_own_errors_stay_errors(self):
        console = console_handler()
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
        assert console.filter(record) and record.levelname == "ERROR"

    def test_djangos_request_lines_carry_no_query_string(self, client, caplog):
        """What a visitor searched for, or sent by GET, is not the log's to keep."""
        caplog.set_level(logging.INFO)
        client.get("/ru/no-such-page/", {"q": "Иванов", "phone": "+375291234567"})
        line = next(line for line in json_lines(caplog) if line["logger"] == "django.request")
        assert line["request"] == "GET /ru/no-such-page/"
        assert not [line for line in json_lines(caplog) if "375291234567" in json.dumps(line)]

    def test_formatter_writes_one_line_of_json_even_for_odd_values(self):
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "multi\nline «%s»", ("ы",),
                                   None)  # fmt: skip
        record.obj = object()
        line = JSONFormatter().format(record)
        assert "\n" not in line
        entry = json.loads(line)
        assert entry["message"] == "multi\nline «ы»" and entry["obj"].startswith("<object")
