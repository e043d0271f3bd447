"""
The admin by keyboard and screen reader, in a real Chromium: what the
focus does and what Chromium tells a screen reader (its accessibility
tree, read through the DevTools protocol), where Django's admin left staff
without a word or without the focus (static/js/admin-keyboard.js).
"""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def admin_page(new_context, language: str, url_name: str, *args):
    """A page of the admin in `language`, logged in as pytest-django's `admin_user`."""
    with translation.override(language):
        login, url = reverse("admin:login"), reverse(url_name, args=args)
    page = new_context().new_page()
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def accessible(page, selector: str) -> dict:
    """What Chromium tells a screen reader of the element: its role, name, description, states."""
    session = page.context.new_cdp_session(page)
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector}"
    (found, *_) = session.send("Accessibility.getPartialAXTree", {"nodeId": node})["nodes"]
    session.detach()
    return {
        "role": found["role"]["value"],
        "name": found.get("name", {}).get("value", ""),
        "description": found.get("description", {}).get("value", ""),
        **{prop["name"]: prop["value"].get("value") for prop in found.get("properties", [])},
    }


# The login page.


def test_a_refused_login_says_why_in_the_field_that_has_the_focus(new_context, admin_user):
    """The message was tied to neither field: the focused name field said nothing of it."""
    with translation.override("ru"):
        login = reverse("admin:login")
    page = new_context().new_page()
    page.goto(login)
    username = accessible(page, "#id_username")
    password = accessible(page, "#id_password")
    assert (username["name"], password["name"]) == ("Имя пользователя:", "Пароль:")
    assert page.locator("#id_username").get_attribute("autocomplete") == "username"
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"

    page.fill("#id_username", "admin")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    expect(page.locator("#id_username")).to_be_focused()
    for field in ("#id_username", "#id_password"):
        said = accessible(page, field)
        assert said["invalid"] == "true"
        assert said["description"].startswith("Введите правильные имя пользователя и пароль")
