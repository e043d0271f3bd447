"""The error pages (400, 403, 404, 500): in the site's design and the visitor's language."""

import re

import pytest
from django.contrib.auth.models import Group
from django.template import loader
from django.test import Client
from django.utils import translation

from news.views import NewsListView

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def heading(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page)[1]


class TestNotFound:
    @pytest.mark.parametrize(
        ("url", "language"),
        [
            ("/be/no-such-page/", "be"),
            ("/en/news/category/no-such-section/", "en"),
            ("/ru/news/archive/99999/", "ru"),
            ("/en/news/2024/02/31/some-item/", "en"),
        ],
    )
    def test_is_in_the_sites_design_and_the_pages_language(
        self, client, production, settings, url, language
    ):
        settings.PORTAL_COMMITTEE_NAME = "Лепельский районный исполнительный комитет"
        with translation.override(language):
            translated = translation.gettext("Page not found")
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert f'<html lang="{language}"' in page
        assert heading(page) == translated
        assert 'class="site-header"' in page and 'class="site-footer"' in page
        assert "Лепельский районный исполнительный комитет" in page
        assert f'href="/{language}/">' in page and f'href="/{language}/news/">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert 'rel="canonical"' not in page and "hreflang=" not in page.split("<body")[0]

    def test_without_a_language_in_the_address_follows_the_browsers(self, client, production):
        response = client.get("/no-such-page/", headers={"accept-language": "be"})
        assert response.status_code == 404
        assert '<html lang="be"' in response.content.decode()


class TestServerError:
    @pytest.fixture
    def broken_list(self, monkeypatch):
        def fail(self):
            raise RuntimeError("the database is on fire")

        monkeypatch.setattr(NewsListView, "get_queryset", fail)

    @pytest.mark.parametrize("language", ["ru", "be", "en"])
    def test_is_in_the_sites_design_and_the_visitors_language(
        self, client, production, broken_list, language, settings
    ):
        settings.PORTAL_COMMITTEE_NAME = "Полоцкий районный исполнительный комитет"
        client.raise_request_exception = False
        response = client.get(f"/{language}/news/")
        assert response.status_code == 500
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        with translation.override(language):
            assert heading(page) == translation.gettext("Server error")
            home_link = translation.gettext("Go to the home page")
        assert 'class="site-header"' in page and 'class="site-footer"' in page
        assert 'href="/static/css/portal.css"' in page
        assert "Полоцкий районный исполнительный комитет" in page
        assert f'href="/{language}/">{home_link}</a>' in page
        assert "the database is on fire" not in page

    def test_is_plain_when_its_own_page_cannot_be_made(
        self, client, production, broken_list, settings, tmp_path, caplog
    ):
        """Static files not collected: the 500 page failed too, and gunicorn's bare one went out."""
        settings.STATIC_ROOT = tmp_path
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        client.raise_request_exception = False
        response = client.get("/ru/news/")
        assert response.status_code == 500
        page = response.content.decode()
        assert "<h1>Ошибка сервера</h1>" in page and 'lang="be"' in page
        assert "the database is on fire" in caplog.text  # the error itself is logged
        assert "Missing staticfiles manifest entry" in caplog.text  # and why the page is plain

    def test_template_renders_without_any_context(self):
        with translation.override("en"):
            page = loader.get_template("500.html").render()
        assert '<html lang="en">' in page
        assert "Lepel District Executive Committee" in page
        assert "Official website" in page
        assert heading(page) == "Server error"


class TestBadRequest:
    """Django answered these with a bare English «Bad Request (400)»."""

    def test_a_form_too_large_is_answered_in_the_sites_design_and_language(
        self, production, settings, admin_client
    ):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = admin_client.post(
            "/be/admin/news/newsitem/add/", {"title": "Загаловак", "body": "<p>тэкст</p>" * 200}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert '<html lang="be">' in page and 'class="site-footer"' in page
        assert heading(page) == "Няправільны запыт"
        assert "вярніцеся ў браўзеры назад" in page

    def test_too_many_fields_on_a_public_form(self, client, production):
        data = {f"field{number}": "1" for number in range(1200)}
        response = client.post("/ru/display/", data)
        assert response.status_code == 400
        assert heading(response.content.decode()) == "Неверный запрос"

    def test_a_foreign_host_is_answered_without_reading_the_address_again(self, production):
        """Anything that reads the request's address fails again for a foreign Host."""
        response = Client(headers={"host": "evil.example"}).get("/ru/")
        assert response.status_code == 400
        assert heading(response.content.decode()) == "Неверный запрос"

    def test_template_renders_without_any_context(self):
        with translation.override("en"):
            page = loader.get_template("400.html").render()
        assert heading(page) == "Bad request"
        assert "Lepel District Executive Committee" in page


class TestForbidden:
    def test_is_in_the_sites_design_and_the_staffs_language(
        self, client, production, django_user_model, make_item
    ):
        """An editor opening a publisher's page gets the site's 403, not a bare "403 Forbidden"."""
        editor = django_user_model.objects.create_user("olga", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        client.force_login(editor)
        item = make_item(is_published=False)
        response = client.get(f"/be/admin/news/newsitem/{item.pk}/share/")
        assert response.status_code == 403
        page = response.content.decode()
        assert heading(page) == "Доступ забаронены"
        assert '<html lang="be"' in page and 'class="site-footer"' in page


@pytest.mark.parametrize(
    ("language", "title"),
    [("ru", "Форма не отправлена"), ("be", "Форма не адпраўлена"), ("en", "The form was not sent")],
)
def test_a_form_without_its_csrf_token_is_answered_in_the_sites_design_and_language(
    production, language, title, make_item
):
    """Django's own page was English, with styles the site's CSP blocks."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{language}/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert heading(page) == title
    assert f'<html lang="{language}"' in page and 'class="site-footer"' in page
    assert "<style" not in page and "DEBUG" not in page
