"""
Hostile input at every URL of the portal.

Each URL pattern is found by walking the URL resolver (tests/urlwalk.py), so
pages added later are covered without touching this file. Each gets hostile
values in its path parameters and query string, the wrong HTTP methods,
hostile uploads and a forged Host header. The answer must be a 4xx or a
normal page: never a server error, never a reflected `<script>`, never a
redirect to another site, and no dangerous file stored.
"""

import datetime
import re
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from portal.middleware import RejectNullBytesMiddleware

from .conftest import image_bytes
from .test_uploads import png_claiming_size
from .urlwalk import all_routes, object_values

XSS = "<script>alert(1)</script>"
LONG = "A" * 10_240

# Raw (already URL-encoded) path fragments put in place of each parameter.
HOSTILE_PATH_VALUES = [
    "0", "-1", "00", "1.5", "abc", "99999999999999999999", "2024-02-30", "9999", "0000",
    LONG, "%00", "a%00b", "%0d%0aSet-Cookie:%20x=1", "%01%02%1b%7f",
    "L%D0%B5pel-%D0%9B%D0%B5%D0%BF%D0%B5%D0%BB%D1%8C-%E2%80%AE",  # Latin + Cyrillic + RTL mark
    "%FF%FE%FD",  # not UTF-8
    "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "..", "%2e%2e",
    quote(XSS, safe=""), quote("'\" OR 1=1 --", safe=""),
    quote("1; DROP TABLE news_newsitem", safe=""),
]  # fmt: skip

# Query strings: pagination, search, redirects and other common parameter names.
HOSTILE_QUERIES = [
    *(f"page={value}" for value in ["0", "-1", "abc", "99999999999999999999", "1e9", "%00",
                                     LONG, "last", "1&page=2"]),
    *(f"q={quote(value, safe='')}" for value in [XSS, "' OR '1'='1", LONG, "\x01\x02\x1b",
                                                  "Лепель Lepel ლ 漢字", "%", "*", "\\", ""]),
    "q=%00", "q=%FF%FE",
    *(f"next={quote(value, safe='')}" for value in ["//evil.example/", "https://evil.example/",
                                                     "javascript:alert(1)", XSS, "/\\evil.example",
                                                     "/%0d%0aLocation: https://evil.example"]),
    "year=-1&month=13&day=32&date=2024-02-30&from=9999-99-99&to=0",
    f"category={quote(XSS)}&tag=..%2F..&lang=xx&mode=%00x&sort=-id;DROP",
    f"page=2&q={quote(XSS)}&next=//evil.example&format=json&callback=alert",
]  # fmt: skip

WRONG_METHODS = ["post", "put", "patch", "delete", "options", "head"]
HOSTILE_FORM = {
    "q": XSS, "next": "//evil.example/", "page": "-1", "title": LONG, "slug": "../x",
    "font": XSS, "size": "99999999999999999999", "colour": "%00", "language": "xx",
}  # fmt: skip

# Byte signatures of files that must never be stored (HTML, SVG, programs).
DANGEROUS_PREFIXES = (b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<?php", b"mz", b"\x7felf")


def hostile_files():
    return [
        SimpleUploadedFile("photo.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "image/jpeg"),
        SimpleUploadedFile("image.png", f'<svg xmlns="x">{XSS}</svg>'.encode(), "image/png"),
        SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf"),
        SimpleUploadedFile("avatar.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),
        SimpleUploadedFile("bomb.png", png_claiming_size(60_000, 60_000), "image/png"),
        SimpleUploadedFile("../../../../evil.png", image_bytes(), "image/png"),
        SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
    ]


FILE_FIELD_NAMES = ["upload", "file", "image", "attachment", "document", "cover_image"]

# Routes to walk: every page except the admin's (which has its own tests), but
# with the admin's login page, which anybody can reach.
ROUTES = [route for route in all_routes() if not route.is_admin or route.name == "admin:login"]


@pytest.fixture
def site_content(make_item, stored_image, category):
    """Pages with real objects behind them: published, scheduled and draft items."""
    now = timezone.now()
    for language in ("ru", "be", "en"):
        make_item(language=language, title=f"Item {language}", cover_image=stored_image(),
                  cover_image_alt="Picture")  # fmt: skip
        make_item(language=language, is_published=False, title=f"Draft {language}")
    make_item(published_at=now + datetime.timedelta(days=3), title="Scheduled")
    make_item(published_at=datetime.datetime(2012, 2, 29, 12, tzinfo=datetime.UTC), title="Leap")


def matching_value(converter, candidates=("1", "2024", "2024-01-01", "2024/01/01", "test", "a")):
    """A plain value a (possibly custom) converter accepts."""
    regex = getattr(converter, "regex", None)
    for candidate in candidates:
        if regex is None or re.fullmatch(regex, candidate):
            return candidate
    return "1"


def base_values(route) -> list[dict]:
    """
    Parameter values of real pages for this route; values borrowed from other
    real pages by parameter name (an archive's year from an article's address);
    then plain values the converters accept.
    """
    pages = object_values()
    pool = {}
    for found in pages.values():
        for values in found:
            for name, value in values.items():
                pool.setdefault(name, value)
    plain, borrowed = {"language": "ru"}, {"language": "ru"}
    for name, converter in route.parameters.items():
        plain[name] = route.plain_values()[name] if converter is None else matching_value(converter)
        regex = getattr(converter, "regex", None)
        value = pool.get(name)
        accepted = value is not None and (regex is None or re.fullmatch(regex, value))
        borrowed[name] = value if accepted else plain[name]
    return [*pages.get(route.route, [])[:3], *([borrowed] if borrowed != plain else []), plain]


def hostile_requests(route):
    """(method, url, request keyword arguments) for one route."""
    bases = base_values(route)
    first = bases[0]
    language = first.get("language", "ru")
    for values in bases:
        for code in ("ru", "be", "en"):
            yield "get", route.url(values, code), {}
    yield "get", route.url(first, "xx"), {}
    for name in route.parameters:
        for value in HOSTILE_PATH_VALUES:
            yield "get", route.url({**first, name: value}, language), {}
    url = route.url(first, language)
    for query in HOSTILE_QUERIES:
        yield "get", f"{url}?{query}", {}
    for method in WRONG_METHODS:
        data = {"data": HOSTILE_FORM} if method in {"post", "put", "patch", "delete"} else {}
        yield method, url + "?q=" + quote(XSS), data
    for upload in hostile_files():
        files = dict.fromkeys(FILE_FIELD_NAMES, upload)
        yield "post", url, {"data": {**HOSTILE_FORM, **files}}
    yield "get", url, {"HTTP_HOST": "evil.example"}
    yield "get", url, {"HTTP_HOST": "testserver:99999999"}
    yield "post", url, {"HTTP_HOST": "evil.example", "data": HOSTILE_FORM}


def problem_with(response) -> str | None:
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if 300 <= response.status_code < 400 and "Location" in response:
        host = urlsplit(response["Location"]).netloc
        if host not in ("", "testserver"):
            return f"redirects to another site: {response['Location'][:100]}"
    if not response.streaming and b"<script>alert" in response.content.lower():
        return "reflects <script>alert unescaped"
    return None


def dangerous_files(folder) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            start = path.read_bytes()[:64].lstrip().lower()
            if path.suffix.lower() == ".txt":
                continue  # served as text/plain: never runs, whatever it holds
            if start.startswith(DANGEROUS_PREFIXES) or path.suffix.lower() in {".svg", ".html"}:
                found.append(str(path))
    return found


def test_every_public_route_can_be_built():
    """A route the walker cannot build would silently escape the hostile-input test."""
    assert [route.route for route in ROUTES if not route.renderable] == []
    assert {"home", "news:list", "news:detail", "healthz", "admin:login"} <= {
        route.name for route in ROUTES
    }


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["anonymous", "staff"])
@pytest.mark.parametrize("route", ROUTES, ids=[route.route or "/" for route in ROUTES])
def test_hostile_input_gets_a_4xx_or_a_normal_page(
    route, user, client, django_user_model, site_content, settings, tmp_path
):
    client.raise_request_exception = False
    if user == "staff":
        client.force_login(
            django_user_model.objects.create_user(
                "staff", password="x" * 20, is_staff=True, is_superuser=True
            )
        )
    failures = []
    for method, url, extra in hostile_requests(route):
        response = getattr(client, method)(url, **extra)
        problem = problem_with(response)
        if problem:
            failures.append(f"{method.upper()} {url[:150]} -> {problem}")
    stored = dangerous_files(tmp_path)
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])
    assert not stored, f"dangerous files stored: {stored}"


@pytest.mark.django_db
def test_the_walk_sends_every_kind_of_hostile_request():
    """The request list itself: each route gets each kind of hostile input."""
    route = next(route for route in ROUTES if route.name == "news:detail")
    requests = list(hostile_requests(route))
    urls = [url for _method, url, _extra in requests]
    assert {method for method, _url, _extra in requests} >= {"get", *WRONG_METHODS}
    for fragment in ("%00", "../", LONG, quote(XSS, safe=""), "page=-1", "next=", "q="):
        assert any(fragment in url for url in urls), fragment
    assert any(extra.get("HTTP_HOST") == "evil.example" for _m, _u, extra in requests)
    for name in ("year", "month", "day", "slug"):
        assert any(f"/{LONG}/" in url for url in urls[: -len(HOSTILE_QUERIES)]), name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/ru/news/%00/", "/ru/news/2024/01/01/a%00b/", "/healthz%00", "/ru%00/"]
)
def test_a_nul_character_in_the_path_is_404(client, url):
    """PostgreSQL refuses NUL in text: no view gets the chance to look such an address up."""
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Security-Policy"]  # still with the site's headers


def test_no_view_is_given_a_path_with_a_nul_character(rf, settings):
    """No route takes a NUL today; the middleware keeps one added later from a 500."""
    assert "portal.middleware.RejectNullBytesMiddleware" in settings.MIDDLEWARE
    views_given = []
    middleware = RejectNullBytesMiddleware(lambda request: views_given.append(request.path))
    with pytest.raises(Http404):
        middleware(rf.get("/ru/news/shared/a%00b/"))
    middleware(rf.get("/ru/news/shared/ab/"))
    assert views_given == ["/ru/news/shared/ab/"]


# What the news admin's own views read from a form or an address.
HOSTILE_ADMIN_FORM = {
    **HOSTILE_FORM, "revoke": "abc", "recover": "1.5", "hours": "1e9", "reason": LONG,
    "in_error": XSS, "cancel_withdrawal": "abc", "action": "publish_selected",
    "_selected_action": ["abc", "99999999999999999999"], "index": "abc", "category": "abc",
}  # fmt: skip
# Ids that are numbers, too large for the database.
HUGE_IDS = {"_selected_action": "9" * 23, "category": "9" * 23}
HOSTILE_ADMIN_QUERIES = [
    "published_at__year=99999999999999999999", "published_at__month=99999999999999999999",
    "published_at__year=2024&published_at__month=99&published_at__day=-1",
    "old=abc&new=1", "old=99999999999999999999&new=", "state=xx", "o=abc", "p=-1", "e=1",
    f"q={quote(XSS)}", "language__exact=xx", "category__id__exact=abc", "_changelist_filters=%00",
]  # fmt: skip
# Every registered model's admin pages (ours, Django's users and groups, django-axes').
ADMIN_APPS = ("news", "notices", "accessibility", "auth", "axes")
ADMIN_ROUTES = [
    route
    for route in all_routes()
    if route.is_admin and route.name.split(":")[-1].split("_")[0] in ADMIN_APPS
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=[route.route for route in ADMIN_ROUTES])
def test_every_model_admin_answers_hostile_input_with_a_4xx_or_a_page(
    route, client, django_user_model, site_content
):
    """Staff can send anything by editing an address or a form: never a server error."""
    client.raise_request_exception = False
    client.force_login(
        django_user_model.objects.create_user(
            "staff", password="x" * 20, is_staff=True, is_superuser=True
        )
    )
    first = base_values(route)[0]
    urls = [route.url(first)]
    for name in route.parameters:
        urls += [route.url({**first, name: value}) for value in HOSTILE_PATH_VALUES]
    failures = []
    for url in urls:
        for method, data in (("get", None), ("post", HOSTILE_ADMIN_FORM)):
            response = getattr(client, method)(url, data)
            if problem := problem_with(response):
                failures.append(f"{method.upper()} {url[:150]} -> {problem}")
    for name, form in [
        ("delete_selected", {**HOSTILE_ADMIN_FORM, "action": "delete_selected"}),
        ("huge ids", {**HOSTILE_ADMIN_FORM, **HUGE_IDS}),
    ]:
        if problem := problem_with(client.post(urls[0], form)):
            failures.append(f"POST {urls[0]} ({name}) -> {problem}")
    for query in HOSTILE_ADMIN_QUERIES:
        if problem := problem_with(client.get(f"{urls[0]}?{query}")):
            failures.append(f"GET {urls[0]}?{query} -> {problem}")
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["abc", "9" * 23, "1.5"])
def test_restoring_a_version_that_is_no_id_is_404(admin_client, make_item, version):
    """simple-history's restore page, whose address Django's URL walk cannot fill in."""
    item = make_item()
    url = f"/ru/admin/news/newsitem/{item.pk}/history/{version}/"
    assert admin_client.get(url).status_code == 404
