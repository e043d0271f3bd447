"""
Public pages are cached for every visitor with the same URL, language and
display settings, so an anonymous visitor's page holds nothing of their own:
no CSRF token in it (the display panel posts without one) and no `csrftoken`
cookie set by reading it, since Django's CSRF middleware sets the cookie
exactly when something asked for the token.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accessibility.preferences import COOKIE_NAME, Preferences, new_token

from .urlwalk import all_routes, object_values

pytestmark = pytest.mark.django_db

ACCESSIBLE = Preferences(active=True, scheme="white-on-black", size="200")


def assert_nothing_per_visitor(response, url: str):
    assert "csrftoken" not in response.cookies, url
    assert "sessionid" not in response.cookies, url
    assert b"csrfmiddlewaretoken" not in response.content, url
    assert not response.context or not response.context.get("messages"), url


@pytest.fixture
def public_pages(make_item, category):
    """Every kind of public page, by name, in Russian."""
    item = make_item(published_at=timezone.now() - datetime.timedelta(days=1))
    local = timezone.localtime(item.published_at)
    with translation.override("ru"):
        return {
            "home": reverse("home"),
            "news-list": reverse("news:list"),
            "detail": item.get_absolute_url(),
            "category": reverse("news:category", kwargs={"slug": category.slug}),
            "archive-year": reverse("news:archive_year", kwargs={"year": local.year}),
            "archive-month": reverse(
                "news:archive_month", kwargs={"year": local.year, "month": local.month}
            ),
            "search": reverse("news:search") + "?q=новость",
            "search-empty": reverse("news:search"),
            "not-found": "/ru/no-such-page/",
        }


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_no_public_page_asks_for_a_csrf_token(client, public_pages, mode):
    if mode == "accessible":
        client.cookies[COOKIE_NAME] = ACCESSIBLE.to_cookie(new_token())
    for name, url in public_pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        assert b"data-display-form" in response.content, url  # the panel is there
        assert_nothing_per_visitor(response, url)


def test_no_public_answer_in_any_language_sets_a_csrf_cookie(client, make_item):
    """Every public URL (found by walking the URLs, so new pages are covered too)."""
    for language in ("ru", "be", "en"):
        make_item(language=language)
    pages = object_values()
    checked = set()
    for route in all_routes():
        if route.is_admin or not route.renderable:
            continue
        for values in pages.get(route.route) or [route.plain_values()]:
            for language in ("ru", "be", "en"):
                url = route.url(values, language)
                assert_nothing_per_visitor(client.get(url), url)
                checked.add(route.name)
    assert {"home", "news:list", "news:detail", "news:search", "news:feed_rss"} <= checked


def test_the_admin_still_gets_its_token(client):
    """The check above would pass with CSRF switched off; the admin's login form still has it."""
    response = client.get(reverse("admin:login"))
    assert "csrftoken" in response.cookies
    assert b'name="csrfmiddlewaretoken"' in response.content
