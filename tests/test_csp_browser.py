"""
The Content-Security-Policy in a real browser: public pages and the admin's
editor (typing, uploading an image) run without a single CSP violation, and
the editor really needs what the admin's policy relaxes.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import image_bytes

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def page(monkeypatch):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop; the ORM calls here are not async.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        yield page
        browser.close()


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_public_pages_run_under_the_strict_policy(page, live_server, make_item):
    item = make_item(language="en", title="Harvest festival in Lepel")
    for url in ("/ru/", "/en/news/", item.get_absolute_url(), "/be/news/?page=1"):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert violations(page) == [], url
    # Our own stylesheet loaded and applies.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10


def log_in_and_open_the_editor(page, live_server, admin_user, tmp_path) -> None:
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:news_newsitem_add"))
    editor = page.locator(".ck-editor__editable").first
    editor.wait_for()
    editor.click()
    page.keyboard.type("Отопительный сезон начался.")
    picture = tmp_path / "boiler.png"
    picture.write_bytes(image_bytes(size=(60, 40)))
    page.locator(
        ".ck-file-dialog-button input[type=file], .ck-editor input[type=file]"
    ).first.set_input_files(str(picture))


def test_the_admin_editor_works_under_the_admin_policy(page, live_server, admin_user, tmp_path):
    log_in_and_open_the_editor(page, live_server, admin_user, tmp_path)
    page.locator('.ck-editor__editable img[src^="/media/news/body/"]').wait_for(timeout=15_000)
    assert "Отопительный сезон начался." in page.locator(".ck-editor__editable").inner_text()
    assert violations(page) == []


def test_the_editor_needs_what_the_admin_policy_relaxes(
    page, live_server, admin_user, tmp_path, settings
):
    settings.PORTAL_ADMIN_CSP_REPLACE = {}  # the public pages' strict policy
    log_in_and_open_the_editor(page, live_server, admin_user, tmp_path)
    page.wait_for_timeout(1500)
    directives = {violation.split(" ")[0] for violation in violations(page)}
    assert {"style-src-attr", "img-src"} <= directives
