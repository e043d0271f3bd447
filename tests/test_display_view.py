"""Changing display settings: the panel's form, with and without JavaScript."""

import pytest
from django.core.cache import caches
from django.test import Client

from accessibility.models import DisplayPreferences
from accessibility.preferences import COOKIE_NAME, SETTINGS, Preferences, new_token

pytestmark = pytest.mark.django_db

URL = "/ru/display/"
JSON = {"HTTP_ACCEPT": "application/json"}
EVERY_CHOICE = [(setting.name, value) for setting in SETTINGS for value in setting.values]


def cookie_preferences(response) -> tuple[str | None, Preferences]:
    return Preferences.from_cookie(response.cookies[COOKIE_NAME].value)


def visit_with(client, preferences: Preferences, token: str | None = None) -> str:
    """Give the client a display cookie, as if it had chosen `preferences` before."""
    token = token or new_token()
    client.cookies[COOKIE_NAME] = preferences.to_cookie(token)
    return token


class TestPlainForm:
    def test_switching_on_redirects_back_with_the_mode_in_a_cookie(self, client):
        response = client.post(URL, {"active": "on", "next": "/ru/news/?page=2"})
        assert response.status_code == 303
        assert response["Location"] == "/ru/news/?page=2"
        token, preferences = cookie_preferences(response)
        assert preferences == Preferences(active=True)
        assert DisplayPreferences.objects.get().token == token

    def test_back_in_the_panel_the_page_goes_to_the_changed_settings_group(self, client):
        """Without JavaScript each change reloaded the page at the panel's top, screens above."""
        client.post(URL, {"active": "on"})
        response = client.post(URL, {"size": "200", "next": "/ru/news/#display-settings"})
        assert response["Location"] == "/ru/news/#display-size"
        page = client.get("/ru/news/").content.decode()
        assert 'id="display-size"' in page
        # Reset, the switch and other pages' fragments stay as they were.
        for data in ({"reset": "defaults"}, {"active": "off"}):
            response = client.post(URL, {**data, "next": "/ru/#display-settings"})
            assert response["Location"] == "/ru/#display-settings"
        response = client.post(URL, {"size": "125", "next": "/ru/#content"})
        assert response["Location"] == "/ru/#content"

    @pytest.mark.parametrize(("name", "value"), EVERY_CHOICE)
    def test_each_setting_is_stored_in_the_cookie_and_the_visitors_row(self, client, name, value):
        client.post(URL, {"active": "on"})
        response = client.post(URL, {name: value, "next": "/ru/"})
        assert response.status_code == 303 and response["Location"] == "/ru/"
        _token, preferences = cookie_preferences(response)
        assert getattr(preferences, name) == value
        row = DisplayPreferences.objects.get()
        assert getattr(row, name) == value and row.active

    def test_the_page_then_renders_in_the_chosen_mode(self, client):
        client.post(URL, {"active": "on", "next": "/ru/"})
        client.post(URL, {"scheme": "white-on-black", "next": "/ru/"})
        page = client.get("/ru/").content.decode()
        assert 'data-display="accessible"' in page and 'data-scheme="white-on-black"' in page

    def test_the_cookie_is_first_party_long_lived_and_hidden_from_scripts(self, client):
        cookie = client.post(URL, {"active": "on"}).cookies[COOKIE_NAME]
        assert cookie["max-age"] >= 365 * 24 * 60 * 60
        assert cookie["samesite"] == "Lax"
        assert cookie["httponly"] is True
        assert cookie["domain"] == ""
        assert cookie["path"] == "/"
        assert not cookie["secure"]

    def test_the_cookie_is_secure_over_https(self, client):
        cookie = client.post(URL, {"active": "on"}, secure=True).cookies[COOKIE_NAME]
        assert cookie["secure"] is True

    def test_one_row_per_visitor_written_on_each_change(self, client):
        client.post(URL, {"active": "on"})
        row = DisplayPreferences.objects.get()
        first_change = row.updated_at

        client.post(URL, {"size": "200"})
        client.post(URL, {"scheme": "green-on-brown"})
        row.refresh_from_db()
        assert DisplayPreferences.objects.count() == 1
        assert (row.size, row.scheme, row.active) == ("200", "green-on-brown", True)
        assert row.updated_at > first_change

        client.post(URL, {"active": "off"})
        row.refresh_from_db()
        assert row.active is False and row.size == "200"

    def test_two_visitors_get_two_rows(self, client):
        client.post(URL, {"active": "on"})
        Client().post(URL, {"scheme": "white-on-black"})
        assert DisplayPreferences.objects.count() == 2

    def test_browsers_without_the_cookie_make_a_bounded_number_of_rows(self, monkeypatch):
        """A script sending the form without the cookie adds rows only so fast."""
        monkeypatch.setattr("accessibility.views.NEW_VISITORS_PER_HOUR", 3)
        responses = [Client().post(URL, {"active": "on"}) for _ in range(5)]
        assert DisplayPreferences.objects.count() == 3
        # Past the limit the settings still work, from the cookie alone...
        fifth = Client()
        fifth.cookies[COOKIE_NAME] = responses[-1].cookies[COOKIE_NAME].value
        assert cookie_preferences(responses[-1])[1].active
        # ...and that browser's next change makes its row.
        fifth.post(URL, {"size": "200"})
        assert DisplayPreferences.objects.count() == 4
        # Another address is counted on its own.
        Client(REMOTE_ADDR="192.0.2.7").post(URL, {"active": "on"})
        assert DisplayPreferences.objects.count() == 5

    def test_every_worker_counts_the_same_new_visitors(self, monkeypatch):
        """Each gunicorn worker has a memory of its own: counted there, each allowed the limit."""
        monkeypatch.setattr("accessibility.views.NEW_VISITORS_PER_HOUR", 3)
        for _ in range(5):
            Client().post(URL, {"active": "on"})
            caches["default"].clear()  # the next request goes to another worker
        assert DisplayPreferences.objects.count() == 3

    def test_pressing_the_current_choice_writes_nothing(self, client, django_assert_num_queries):
        visit_with(client, Preferences(active=True, size="200"))
        client.post(URL, {"size": "125"})
        with django_assert_num_queries(0):
            response = client.post(URL, {"size": "125"})
        assert response.status_code == 303

    def test_the_row_is_linked_to_a_logged_in_user(self, client, django_user_model):
        user = django_user_model.objects.create_user("reader", password="a-long-test-password")
        client.force_login(user)
        client.post(URL, {"active": "on"})
        assert DisplayPreferences.objects.get().user == user

    def test_an_anonymous_visitors_row_has_no_user(self, client):
        client.post(URL, {"active": "on"})
        assert DisplayPreferences.objects.get().user is None

    def test_a_tampered_cookie_starts_a_new_visitor(self, client):
        client.cookies[COOKIE_NAME] = "forged-value:signature"
        response = client.post(URL, {"active": "on"})
        token, preferences = cookie_preferences(response)
        assert token and preferences == Preferences(active=True)
        assert DisplayPreferences.objects.get().token == token


class TestWithJavaScript:
    def test_answers_json_for_the_page_to_switch_in_place(self, client):
        visit_with(client, Preferences(active=True))
        response = client.post(URL, {"scheme": "blue-on-light-blue"}, **JSON)
        assert response.status_code == 200
        state = response.json()
        assert state["attributes"]["data-scheme"] == "blue-on-light-blue"
        assert state["settings"]["scheme"] == "blue-on-light-blue"
        assert "data-images" in state["attribute_names"]
        assert state["message"] == "Цветовая схема: тёмно-синий на голубом."
        assert state["switch"] == {"label": "Обычная версия", "value": "off"}
        assert cookie_preferences(response)[1].scheme == "blue-on-light-blue"

    def test_switching_off_returns_to_the_normal_attributes(self, client):
        visit_with(client, Preferences(active=True, size="200"))
        state = client.post(URL, {"active": "off"}, **JSON).json()
        assert state["attributes"] == {"data-display": "normal"}
        assert state["switch"] == {"label": "Версия для слабовидящих", "value": "on"}
        assert state["message"] == "Включена обычная версия."

    def test_the_announcement_is_in_the_pages_language(self, client, monkeypatch):
        from django.utils import translation

        import accessibility.preferences

        def gettext_marking_the_language(message):
            return f"[{translation.get_language()}] {message}"

        monkeypatch.setattr(accessibility.preferences, "gettext", gettext_marking_the_language)
        for language in ("ru", "be", "en"):
            state = client.post(f"/{language}/display/", {"active": "on"}, **JSON).json()
            assert state["message"] == f"[{language}] The version for the visually impaired is on."
            assert state["switch"]["label"] == f"[{language}] Normal version"


BAD_INPUT = [
    pytest.param({}, id="nothing"),
    pytest.param({"next": "/ru/"}, id="only-next"),
    pytest.param({"colour": "red"}, id="unknown-name"),
    pytest.param({"scheme": "pink-on-purple"}, id="unknown-scheme"),
    pytest.param({"size": "1000"}, id="unknown-size"),
    pytest.param({"size": ""}, id="empty-value"),
    pytest.param({"font": "Comic Sans"}, id="unknown-font"),
    pytest.param({"active": "1"}, id="unknown-switch-value"),
    pytest.param({"reset": "all"}, id="unknown-reset"),
    pytest.param({"size": ["125", "200"]}, id="two-values"),
    pytest.param({"font": "serif", "evil": "<script>"}, id="good-and-bad"),
]


class TestBadInput:
    @pytest.fixture
    def chosen(self, client):
        client.post(URL, {"active": "on"})
        client.post(URL, {"size": "175"})
        return DisplayPreferences.objects.get()

    @pytest.mark.parametrize("data", BAD_INPUT)
    def test_json_gets_a_400_and_nothing_changes(self, client, chosen, data):
        before = list(DisplayPreferences.objects.values())
        response = client.post(URL, data, **JSON)
        assert response.status_code == 400
        assert response.json()["error"]
        assert COOKIE_NAME not in response.cookies
        assert list(DisplayPreferences.objects.values()) == before

    @pytest.mark.parametrize("data", BAD_INPUT)
    def test_the_form_goes_back_and_nothing_changes(self, client, chosen, data):
        before = list(DisplayPreferences.objects.values())
        response = client.post(URL, {**data, "next": "/ru/news/"})
        assert response.status_code == 303
        assert response["Location"] == "/ru/news/"
        assert COOKIE_NAME not in response.cookies
        assert list(DisplayPreferences.objects.values()) == before

    @pytest.mark.parametrize("method", ["put", "delete", "patch"])
    def test_other_methods_are_refused(self, client, method):
        response = getattr(client, method)(URL)
        assert response.status_code == 405
        assert not DisplayPreferences.objects.exists()

    def test_the_address_opened_in_a_browser_leads_home(self, client):
        """It was a blank page (405): the settings are on every page."""
        response = client.get(URL)
        assert (response.status_code, response["Location"]) == (302, "/ru/")
        assert not DisplayPreferences.objects.exists()


# What browsers send with the panel's form from one of the site's own pages
# (the test client's host is "testserver"), and with a form on another site.
FROM_THIS_SITE = [
    pytest.param({"HTTP_SEC_FETCH_SITE": "same-origin"}, id="fetch-site-same-origin"),
    pytest.param({"HTTP_SEC_FETCH_SITE": "none"}, id="fetch-site-none"),
    pytest.param(
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        id="fetch-site-and-origin",
    ),
    pytest.param({"HTTP_ORIGIN": "http://testserver"}, id="origin"),
    pytest.param({"HTTP_REFERER": "http://testserver/ru/news/?page=2"}, id="referer"),
    pytest.param({}, id="no-header-at-all"),
]
FROM_ANOTHER_SITE = [
    pytest.param({"HTTP_SEC_FETCH_SITE": "cross-site"}, id="fetch-site-cross-site"),
    pytest.param({"HTTP_SEC_FETCH_SITE": "same-site"}, id="fetch-site-same-site"),
    pytest.param({"HTTP_SEC_FETCH_SITE": "made-up"}, id="fetch-site-unknown"),
    pytest.param(
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        id="fetch-site-decides-over-origin",
    ),
    pytest.param({"HTTP_ORIGIN": "https://evil.example"}, id="foreign-origin"),
    pytest.param({"HTTP_ORIGIN": "null"}, id="null-origin"),
    pytest.param({"HTTP_ORIGIN": "https://testserver"}, id="origin-other-scheme"),
    pytest.param({"HTTP_ORIGIN": "http://testserver:8080"}, id="origin-other-port"),
    pytest.param({"HTTP_ORIGIN": "http://sub.testserver"}, id="origin-subdomain"),
    pytest.param(
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "http://testserver/ru/"},
        id="origin-decides-over-referer",
    ),
    pytest.param({"HTTP_REFERER": "https://evil.example/ru/"}, id="foreign-referer"),
    pytest.param({"HTTP_REFERER": "http://testserver.evil.example/"}, id="lookalike-referer"),
    pytest.param({"HTTP_REFERER": "/ru/news/"}, id="referer-without-host"),
    # Python's urlsplit() refuses it (an IPv6 host left open): it was a 500.
    pytest.param({"HTTP_REFERER": "http://[testserver/ru/"}, id="referer-with-broken-host"),
]


class TestOtherSites:
    """
    The panel's forms carry no CSRF token (pages are cached for everyone): the
    browser's Sec-Fetch-Site, Origin or Referer tells a form on this site from
    one on another, with Django's CSRF check enforced as in production.
    """

    @pytest.fixture
    def client(self, db):
        return Client(enforce_csrf_checks=True)

    @pytest.fixture
    def chosen(self, client):
        """A visitor in the accessible mode at 175%, its cookie and row."""
        visit_with(client, Preferences(active=True))
        client.post(URL, {"size": "175"})
        return DisplayPreferences.objects.get()

    @pytest.mark.parametrize("headers", FROM_THIS_SITE)
    def test_a_form_on_this_site_changes_settings_without_a_token(self, client, headers):
        response = client.post(URL, {"active": "on", "next": "/ru/news/"}, **headers)
        assert response.status_code == 303 and response["Location"] == "/ru/news/"
        assert cookie_preferences(response)[1] == Preferences(active=True)
        assert DisplayPreferences.objects.get().active

    @pytest.mark.parametrize("headers", FROM_THIS_SITE)
    def test_fetch_from_this_site_changes_settings_without_a_token(self, client, headers):
        response = client.post(URL, {"active": "on"}, **JSON, **headers)
        assert response.status_code == 200
        assert response.json()["settings"]["active"] is True

    @pytest.mark.parametrize("headers", FROM_ANOTHER_SITE)
    def test_a_form_on_another_site_is_refused_with_a_page(self, client, chosen, headers):
        before = list(DisplayPreferences.objects.values())
        response = client.post(URL, {"size": "100", "next": "/ru/"}, **headers)
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert '<html lang="ru" data-display="accessible"' in page
        assert "Настройки отображения можно изменить только на страницах этого сайта." in page
        assert COOKIE_NAME not in response.cookies
        assert list(DisplayPreferences.objects.values()) == before

    @pytest.mark.parametrize("headers", FROM_ANOTHER_SITE)
    def test_fetch_from_another_site_is_refused_with_json(self, client, chosen, headers):
        before = list(DisplayPreferences.objects.values())
        response = client.post(URL, {"size": "100"}, **JSON, **headers)
        assert response.status_code == 403
        assert response.json()["error"] == (
            "Настройки отображения можно изменить только на страницах этого сайта. "
            "Ничего не изменено."
        )
        assert COOKIE_NAME not in response.cookies
        assert list(DisplayPreferences.objects.values()) == before

    def test_the_refusal_is_in_the_forms_language(self, client):
        response = client.post("/en/display/", {"active": "on"}, HTTP_ORIGIN="https://evil.example")
        page = response.content.decode()
        assert '<html lang="en"' in page
        assert "Display settings can only be changed from the pages of this site." in page
        assert not DisplayPreferences.objects.exists()

    def test_a_trusted_origin_is_this_site(self, client, settings):
        """Behind a proxy that rewrites Host, as Django's own check allows."""
        settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example.by"]
        response = client.post(URL, {"active": "on"}, HTTP_ORIGIN="https://portal.example.by")
        assert response.status_code == 303
        response = client.post(URL, {"active": "on"}, HTTP_REFERER="https://portal.example.by/ru/")
        assert response.status_code == 303

    def test_https_behind_a_proxy_is_this_site(self, client, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        https = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}
        response = client.post(URL, {"active": "on"}, HTTP_ORIGIN="https://testserver", **https)
        assert response.status_code == 303
        response = client.post(URL, {"active": "on"}, HTTP_ORIGIN="http://testserver", **https)
        assert response.status_code == 403

    def test_a_token_left_in_an_old_page_is_ignored(self, client):
        """A tab opened before the panel lost its token still works."""
        data = {"active": "on", "csrfmiddlewaretoken": "x" * 64}
        response = client.post(URL, data, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 303
        assert cookie_preferences(response)[1] == Preferences(active=True)

    def test_no_csrf_cookie_is_set(self, client):
        response = client.post(URL, {"active": "on"}, HTTP_SEC_FETCH_SITE="same-origin")
        assert "csrftoken" not in response.cookies


OPEN_REDIRECTS = [
    "//evil.example",
    "//evil.example/ru/",
    "https://evil.example",
    "http://evil.example/ru/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/ru/\nLocation: https://evil.example",
    "ru/news/",
    "evil.example",
    "https://testserver/ru/",
    "///evil.example",
    "",
]


class TestRedirects:
    @pytest.mark.parametrize("target", OPEN_REDIRECTS)
    def test_anything_but_a_local_path_goes_to_the_home_page(self, client, target):
        response = client.post(URL, {"active": "on", "next": target})
        assert response.status_code == 303
        assert response["Location"] == "/ru/"

    @pytest.mark.parametrize("target", OPEN_REDIRECTS)
    def test_bad_input_with_a_bad_target_goes_home_too(self, client, target):
        response = client.post(URL, {"colour": "red", "next": target})
        assert response["Location"] == "/ru/"

    def test_the_home_page_is_in_the_forms_language(self, client):
        response = client.post("/be/display/", {"active": "on", "next": "//evil.example"})
        assert response["Location"] == "/be/"

    @pytest.mark.parametrize(
        "target",
        ["/ru/", "/en/news/", "/ru/news/?page=2", "/ru/search/?q=%D0%B2%D0%BE%D0%B4%D0%B0"],
    )
    def test_a_local_path_is_kept(self, client, target):
        response = client.post(URL, {"active": "on", "next": target})
        assert response["Location"] == target
