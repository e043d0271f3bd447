"""
Browser tests: Playwright drives Debian's Chromium against pytest-django's
live server. Playwright's sync API runs an event loop in the test's thread, so
Django's guard against database calls from async code is lifted here.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import missing

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run. Missing, it skips these tests; under CI=true it fails."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = (
            f"No Chromium at {CHROMIUM}: the browser tests need Debian's chromium "
            "(`make test` installs it where it can; PORTAL_CHROMIUM names another path)."
        )
        missing(reason)
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits as long as an action may (30 s), not Playwright's 5 s:
    # on a loaded machine the admin took 8 s to answer.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server, settings):
    """Make a browser context on the live server; uploads are served from MEDIA_ROOT."""
    contexts = []

    def serve_media(route):
        name = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
        path = Path(settings.MEDIA_ROOT) / name
        if ".." not in Path(name).parts and path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404)

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", serve_media)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
