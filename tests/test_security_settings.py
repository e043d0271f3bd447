"""
Production settings and the headers every answer carries.

`manage.py check --deploy` runs in a subprocess with the README's production
variables and must print no warning; without them it must warn (so the check
is real). The local demo's defaults keep plain HTTP working.
"""

import logging
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from portal import login_protection
from portal.login_protection import client_ip

from .urlwalk import all_routes, object_values

BASE_DIR = Path(__file__).resolve().parent.parent


ENV_EXAMPLE = BASE_DIR / "deploy" / "portal.env.example"


def env_example_lines() -> list[str]:
    return [line for line in ENV_EXAMPLE.read_text().splitlines() if not line.startswith("#")]


def production_env() -> dict[str, str]:
    """
    The production environment of deploy/portal.env.example as systemd's
    `EnvironmentFile` reads it (quotes around a value removed), without the
    (empty) secret key.
    """
    env = {}
    for line in env_example_lines():
        name, value = line.split("=", 1)
        env[name] = value[1:-1] if value[:1] == value[-1:] == "'" and len(value) > 1 else value
    assert env.pop("DJANGO_SECRET_KEY") == "", "the example must not ship a secret key"
    return env


STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict([*directive.strip().split(" ", 1), ""][:2] for directive in header.split(";"))


class TestDeployCheck:
    def test_production_settings_pass_with_no_warning(self):
        result = run_django("manage.py", "check", "--deploy", "--fail-level", "WARNING",
                            **production_env())  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_the_readme_shows_the_same_production_environment(self):
        readme = (BASE_DIR / "README.md").read_text()
        for line in env_example_lines():
            assert f"\n{line}\n" in readme

    def test_the_shell_reads_the_environment_file_as_systemd_does(self, tmp_path):
        """An unquoted «&» in a password: sh dropped DATABASE_URL, and the backup saved SQLite."""
        shown = subprocess.run(
            ["sh", "-c", f"set -a && . {ENV_EXAMPLE} && env -0"],
            env={},
            capture_output=True,
            text=True,
            check=True,
        )
        assert shown.stderr == ""
        read = dict(entry.split("=", 1) for entry in shown.stdout.split("\0") if "=" in entry)
        for name, value in production_env().items():
            assert read[name] == value, name

    def test_the_login_lockout_counts_the_address_nginx_saw(self, settings, rf):
        """
        nginx appends the visitor's address to X-Forwarded-For. Counted as no
        proxy, every visitor would be nginx's 127.0.0.1, and anyone could lock
        a staff member out by sending five wrong passwords for their username.
        """
        nginx = (BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
        locations = re.findall(r"location [^{]*\{[^}]*\}", nginx)
        proxied = [part for part in locations if "proxy_pass" in part and "/healthz" not in part]
        assert proxied
        for location in proxied:
            assert location.count("$proxy_add_x_forwarded_for") == 1, location
        proxies = production_env()["PORTAL_TRUSTED_PROXY_COUNT"]
        settings.PORTAL_TRUSTED_PROXY_COUNT = int(proxies)
        request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5")
        assert client_ip(request) == "203.0.113.5"

    def test_nginx_passes_the_host_to_every_proxied_location(self):
        """Django answers 400 to the Host nginx uses by default (127.0.0.1:8000)."""
        nginx = (BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
        locations = re.findall(r"location [^{]*\{[^}]*\}", nginx)
        proxied = [location for location in locations if "proxy_pass" in location]
        # The health check on port 80, the site, its admin (larger uploads), and
        # uploads not found (withheld images)
        assert len(proxied) == 4
        for location in proxied:
            assert "proxy_set_header Host $host;" in location, location

    def test_the_first_certificate_comes_from_where_nginx_answers_lets_encrypt(self):
        """
        The site needs its certificate to start, so the first one is fetched
        through Debian's default site, from /var/www/html: the site's own
        /var/www/letsencrypt was served by nothing then, and renewals, which
        reuse the first folder, failed after this site replaced the default.
        """
        nginx = (BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
        webroot = re.search(r"location /\.well-known/acme-challenge/ \{ root (\S+); \}", nginx)[1]
        readme = (BASE_DIR / "README.md").read_text()
        certbot = re.search(r"^certbot certonly --webroot -w (\S+) .*", readme, re.M)
        assert certbot[1] == webroot == "/var/www/html"
        # A renewed certificate is used only once nginx reloads.
        assert "--deploy-hook 'systemctl reload nginx'" in certbot[0]

    def test_nginx_takes_every_upload_the_portal_takes(self, settings):
        """At 12m, nginx answered a 15 MB document with its own English 413 page."""
        nginx = (BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
        megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx)[1])
        largest = max(settings.PORTAL_MAX_ATTACHMENT_BYTES, settings.PORTAL_MAX_IMAGE_UPLOAD_BYTES)
        assert megabytes * 1024 * 1024 > largest
        # The admin's item form sends all its new documents in one request: two of
        # 12 MB were more than nginx took.
        admin = re.search(r"location ~ \^/\(ru\|be\|en\)/admin/ \{(.*?)\}", nginx, re.S)[1]
        admin_megabytes = int(re.search(r"client_max_body_size (\d+)m;", admin)[1])
        ten_documents_and_a_cover = (
            10 * settings.PORTAL_MAX_ATTACHMENT_BYTES + settings.PORTAL_MAX_IMAGE_UPLOAD_BYTES
        )
        assert admin_megabytes * 1024 * 1024 > ten_documents_and_a_cover
        assert "proxy_pass http://127.0.0.1:8000;" in admin
        assert not re.search(r"^\s*http2 on;", nginx, re.M)  # nginx 1.25.1+; Debian 12 has 1.22

    def test_nginx_compresses_pages_and_says_so_to_shared_caches(self):
        """Debian's nginx.conf gzips pages but leaves `gzip_vary` off."""
        nginx = (BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
        for directive in (
            "gzip on;",
            "gzip_vary on;",
            "application/rss+xml",
            "application/atom+xml",
        ):
            assert directive in nginx

    def test_the_gunicorn_config_is_valid(self):
        result = run_django("-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py",
                            "portal.wsgi", **production_env())  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL must begin with redis://"),
            ("PORTAL_TRUSTED_PROXY_COUNT", "1  # nginx", "PORTAL_TRUSTED_PROXY_COUNT must be a"),
            # Both stopped the start with "Unable to configure handler 'console'".
            ("DJANGO_LOG_FORMAT", "plain", "DJANGO_LOG_FORMAT must be one of json, text, not"),
            ("DJANGO_LOG_LEVEL", "verbose", "DJANGO_LOG_LEVEL must be one of debug, info,"),
        ],
    )
    def test_a_mistaken_setting_is_named_at_start(self, name, value, message):
        """A REDIS_URL without its scheme passed the checks and then failed every page."""
        result = run_django("manage.py", "check", **{name: value})
        assert result.returncode != 0
        assert message in result.stderr.splitlines()[-1]

    @pytest.mark.parametrize(("query", "timeout"), [("", "5"), ("?connect_timeout=3", "3")])
    def test_a_database_that_never_answers_fails_in_seconds(self, query, timeout):
        """A server that took the connection and said nothing held each worker 30 s, then died."""
        show = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
            "django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['OPTIONS']['connect_timeout'])"
        )
        url = f"postgres://portal@127.0.0.1:5432/portal{query}"
        assert run_django("-c", show, DATABASE_URL=url).stdout.strip() == timeout

    def test_log_settings_are_taken_in_any_case(self):
        result = run_django(
            "manage.py", "check", DJANGO_LOG_LEVEL="debug", DJANGO_LOG_FORMAT="JSON"
        )
        assert result.returncode == 0, result.stderr

    def test_without_the_https_variables_the_check_warns(self):
        result = run_django("manage.py", "check", "--deploy", "--fail-level", "WARNING",
                            DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example.by")  # fmt: skip
        assert result.returncode != 0
        for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
            assert warning in result.stdout + result.stderr

    def test_defaults_keep_the_plain_http_demo_working_and_production_turns_https_on(self):
        show = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
            "django.setup(); from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY)"
        )
        local = run_django("-c", show, DJANGO_ALLOWED_HOSTS="127.0.0.1")
        assert local.stdout.split() == ["False", "False", "False", "0", "None", "True", "True"]
        production = run_django("-c", show, **production_env())
        assert production.stdout.strip() == (
            "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True True"
        )

    @pytest.mark.parametrize("header", ["X-Forwarded-Proto", "x_forwarded_proto"])
    def test_the_proxys_header_may_be_written_as_nginx_sends_it(self, header):
        """Django never found `X-Forwarded-Proto`: every page redirected to itself, forever."""
        show = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.SECURE_PROXY_SSL_HEADER)"
        )
        env = {**production_env(), "DJANGO_SECURE_PROXY_SSL_HEADER": header}
        result = run_django("-c", show, **env)
        assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


class TestTrustedProxyWarning:
    """
    Behind nginx with PORTAL_TRUSTED_PROXY_COUNT left at 0, every visitor is
    127.0.0.1: one search allowance for the whole town, and anyone can lock
    staff out. The log says so, once per worker.
    """

    @pytest.fixture(autouse=True)
    def fresh_worker(self, monkeypatch, caplog):
        monkeypatch.setattr(login_protection, "_warned", set())
        caplog.set_level(logging.WARNING, logger="portal.login_protection")

    @staticmethod
    def warnings(caplog) -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "portal.login_protection"]

    @pytest.mark.parametrize("nginx", ["127.0.0.1", "::1", "10.0.0.2", ""])  # "": a Unix socket
    def test_a_proxy_not_counted_is_logged_once(self, rf, caplog, nginx):
        request = rf.get("/", REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert client_ip(request) == nginx
        assert client_ip(request) == nginx  # the same address, warning or not
        [warning] = self.warnings(caplog)
        assert "PORTAL_TRUSTED_PROXY_COUNT is 0" in warning
        assert "Set PORTAL_TRUSTED_PROXY_COUNT to the number of proxies" in warning

    def test_a_search_through_nginx_logs_it(self, db, client, caplog):
        client.get("/ru/news/search/", {"q": "ярмарка"}, HTTP_X_FORWARDED_FOR="203.0.113.5")
        client.get("/ru/news/search/", {"q": "ярмарка"}, HTTP_X_FORWARDED_FOR="203.0.113.6")
        assert len(self.warnings(caplog)) == 1

    def test_no_warning_without_the_header_or_from_afar(self, rf, caplog):
        assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
        # A visitor's own X-Forwarded-For, straight to the site, is no sign of a proxy.
        request = rf.get("/", REMOTE_ADDR="1.2.3.4", HTTP_X_FORWARDED_FOR="10.0.0.1")
        assert client_ip(request) == "1.2.3.4"
        assert self.warnings(caplog) == []

    def test_no_warning_with_the_right_count(self, rf, caplog, settings):
        settings.PORTAL_TRUSTED_PROXY_COUNT = 1
        request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
        assert client_ip(request) == "203.0.113.5"
        assert self.warnings(caplog) == []

    @pytest.mark.parametrize("forwarded", [{}, {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}])
    def test_more_proxies_than_entries_is_logged_once(self, rf, caplog, settings, forwarded):
        """Nobody can be spoofing then; the connection's address is counted, as before."""
        settings.PORTAL_TRUSTED_PROXY_COUNT = 2
        request = rf.get("/", REMOTE_ADDR="127.0.0.1", **forwarded)
        assert client_ip(request) == "127.0.0.1"
        assert client_ip(request) == "127.0.0.1"
        [warning] = self.warnings(caplog)
        assert warning.startswith("PORTAL_TRUSTED_PROXY_COUNT is 2, but a request came with")


@pytest.mark.django_db
class TestHeaders:
    def test_public_pages_get_the_strict_policy_and_browser_protections(self, client, make_item):
        item = make_item()
        for url in ("/ru/", "/en/news/", item.get_absolute_url(), "/ru/no-such-page/"):
            response = client.get(url)
            assert policy(response) == STRICT_POLICY, url
            assert response["X-Frame-Options"] == "DENY"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert "geolocation=()" in response["Permissions-Policy"]
            assert "camera=()" in response["Permissions-Policy"]

    def test_the_admin_relaxes_only_what_its_editor_needs(self, staff_client, make_item):
        admin_policy = {
            **STRICT_POLICY,
            "style-src-attr": "'unsafe-inline'",
            "img-src": "'self' data:",
        }
        # Pages with the editor also take Word's <style> block, which tells its
        # bulleted lists from its numbered ones.
        editor_policy = {**admin_policy, "style-src-elem": "'self' 'unsafe-inline'"}
        item = make_item()
        version = item.history.latest()
        for language in ("ru", "en"):
            response = staff_client.get(f"/{language}/admin/news/newsitem/add/")
            assert policy(response) == editor_policy
        with translation.override("ru"):
            change = reverse("admin:news_newsitem_change", args=[item.pk])
            restore = reverse(
                "admin:news_newsitem_simple_history", args=[item.pk, version.history_id]
            )
            elsewhere = [reverse("admin:index"), reverse("admin:news_newsitem_changelist")]
        for url in (change, restore):
            response = staff_client.get(url)
            assert response.status_code == 200 and 'id="id_body"' in response.text, url
            assert policy(response) == editor_policy, url
        for url in elsewhere:
            assert policy(staff_client.get(url)) == admin_policy, url
        # The public site keeps its strict policy, for staff too.
        assert policy(staff_client.get("/ru/")) == STRICT_POLICY
        assert policy(staff_client.get(item.get_absolute_url())) == STRICT_POLICY

    def test_https_behind_a_proxy(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.SECURE_HSTS_SECONDS = 31536000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

        plain = client.get("/ru/news/?page=1")
        assert plain.status_code == 301
        assert plain["Location"] == "https://testserver/ru/news/?page=1"

        secure = client.get("/ru/news/", HTTP_X_FORWARDED_PROTO="https")
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

        # The load balancer's probe may ask over plain HTTP.
        assert client.get("/healthz").status_code == 200

    def test_session_and_csrf_cookies_are_http_only_and_secure_when_configured(
        self, client, settings, admin_user
    ):
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
        login_url = reverse("admin:login")
        csrf = client.get(login_url).cookies["csrftoken"]
        assert csrf["httponly"] and csrf["secure"]

        response = client.post(login_url, {"username": "admin", "password": "password"})
        session = response.cookies["sessionid"]
        assert response.status_code == 302
        assert session["httponly"] and session["secure"]
        assert session["samesite"] == "Lax"


class InlineCodeFinder(HTMLParser):
    """What a strict policy would block: inline script, style and event handlers."""

    DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        executable = attributes.get("type") not in self.DATA_SCRIPT_TYPES
        if tag == "script" and "src" not in attributes and executable:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            if value and value.strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{name}={value[:30]} on <{tag}>")


@pytest.mark.django_db
def test_no_public_page_needs_what_the_policy_forbids(client, make_item, stored_image):
    """Every public page (found by walking the URLs) works under the strict policy."""
    for language in ("ru", "be", "en"):
        make_item(language=language, cover_image=stored_image(), cover_image_alt="Picture")
    routes = [route for route in all_routes() if not route.is_admin and route.renderable]
    pages = object_values()
    checked = []
    for route in routes:
        for values in pages.get(route.route) or ([{}] if not route.parameters else []):
            for language in ("ru", "be", "en"):
                response = client.get(route.url(values, language))
                content_type = response.get("Content-Type", "")
                if response.status_code != 200 or not content_type.startswith("text/html"):
                    continue
                finder = InlineCodeFinder()
                finder.feed(response.content.decode())
                assert not finder.found, (route.route, finder.found)
                checked.append(route.name)
    assert {"home", "news:list", "news:detail"} <= set(checked)


@pytest.mark.parametrize(
    "template",
    sorted((BASE_DIR / "templates" / "admin").rglob("*.html")),
    ids=lambda path: str(path.relative_to(BASE_DIR / "templates")),
)
def test_our_admin_templates_need_nothing_the_admin_policy_forbids(template):
    """The admin's policy allows styles and scripts from files only (portal/settings.py)."""
    finder = InlineCodeFinder()
    finder.feed(template.read_text())
    assert [found for found in finder.found if "<style>" in found or "<script>" in found] == []
