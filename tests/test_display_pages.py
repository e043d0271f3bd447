"""Pages in the visitor's display mode: rendered by the server, read without the database."""

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accessibility.context_processors import display_preferences
from accessibility.middleware import DisplayPreferencesMiddleware
from accessibility.preferences import COOKIE_NAME, Preferences, new_token

pytestmark = pytest.mark.django_db

CHOSEN = Preferences(
    active=True,
    font="serif",
    size="200",
    letter_spacing="wider",
    line_spacing="2",
    scheme="green-on-brown",
    images="hidden",
)


@pytest.fixture
def accessible_client(client):
    client.cookies[COOKIE_NAME] = CHOSEN.to_cookie(new_token())
    return client


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


class TestFirstPaint:
    def test_the_normal_version_renders_no_panel_settings(self, client):
        page = client.get("/ru/").content.decode()
        assert html_tag(page) == '<html lang="ru" data-display="normal">'
        assert re.search(r'<div class="display-panel"[^>]* hidden>', page)
        assert "Версия для слабовидящих</span>" in page

    def test_the_chosen_mode_is_on_html_before_any_script_runs(self, accessible_client):
        page = accessible_client.get("/ru/news/").content.decode()
        assert html_tag(page) == (
            '<html lang="ru" data-display="accessible" data-font="serif" data-size="200" '
            'data-letter-spacing="wider" data-line-spacing="2" data-scheme="green-on-brown" '
            'data-images="hidden">'
        )
        assert re.search(r'<div class="display-panel"[^>]*data-display-panel>', page)
        assert "Обычная версия</span>" in page

    def test_the_panel_shows_the_current_choices_as_pressed(self, accessible_client):
        page = accessible_client.get("/ru/").content.decode()
        pressed = re.findall(r'name="(\w+)" value="([\w.-]+)" aria-pressed="true"', page)
        assert dict(pressed) == {
            "font": "serif",
            "size": "200",
            "letter_spacing": "wider",
            "line_spacing": "2",
            "scheme": "green-on-brown",
            "images": "hidden",
        }

    def test_the_panels_forms_post_back_to_this_page(self, client):
        page = client.get("/en/news/?page=1").content.decode()
        forms = re.findall(r'<form[^>]*method="post" action="/en/display/"', page)
        assert len(forms) == 2
        # …at the settings, which the address opens (see panel.html)
        assert page.count('name="next" value="/en/news/?page=1#display-settings"') == 2
        assert "csrfmiddlewaretoken" not in page  # pages are cached for everyone

    def test_a_tampered_cookie_renders_the_normal_version(self, client):
        client.cookies[COOKIE_NAME] = CHOSEN.to_cookie(new_token())[:-3] + "abc"
        page = client.get("/ru/").content.decode()
        assert 'data-display="normal"' in page

    def test_pages_vary_by_cookie(self, client):
        assert "Cookie" in client.get("/ru/")["Vary"]


class TestKeyboardOrder:
    def test_the_switch_comes_right_after_the_skip_link(self, client):
        page = client.get("/ru/").content.decode()
        focusable = re.findall(
            r'<(?:a|button|select|textarea|input(?![^>]*type="hidden"))\b[^>]*>', page
        )
        assert 'class="skip-link"' in focusable[0]
        assert 'name="active" value="on"' in focusable[1]

    def test_the_panel_comes_before_the_site_header(self, accessible_client):
        page = accessible_client.get("/ru/").content.decode()
        assert page.index('name="active"') < page.index('name="font"') < page.index("site-brand")


class TestNoDatabaseOnTheReadPath:
    def test_reading_the_preferences_makes_no_query(self, django_assert_num_queries):
        request = RequestFactory().get("/ru/")
        request.COOKIES[COOKIE_NAME] = CHOSEN.to_cookie(new_token())
        context = {}

        def view(request):
            context.update(display_preferences(request))
            return HttpResponse()

        with django_assert_num_queries(0):
            DisplayPreferencesMiddleware(view)(request)
        assert context["display_preferences"] == CHOSEN
        assert 'data-scheme="green-on-brown"' in context["display_attributes"]

    @pytest.mark.parametrize("url", ["/ru/", "/ru/news/"])
    def test_a_page_makes_the_same_queries_in_any_mode(self, client, make_item, url, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured
        make_item()
        client.get(url)  # whatever a first request caches
        with CaptureQueriesContext(connection) as normal:
            client.get(url)
        client.cookies[COOKIE_NAME] = CHOSEN.to_cookie(new_token())
        with CaptureQueriesContext(connection) as accessible:
            page = client.get(url).content.decode()
        assert 'data-display="accessible"' in page
        assert len(accessible) == len(normal)


class TestReadyForAStrictContentSecurityPolicy:
    def test_no_inline_script_style_or_event_handler(self, accessible_client, make_item):
        item = make_item(body='<p>Текст.</p><figure><img src="/media/a.png" alt="Озеро"></figure>')
        for url in ("/ru/", "/ru/news/", item.get_absolute_url()):
            page = accessible_client.get(url).content.decode()
            # Data blocks (structured data for search engines) are not scripts.
            assert not re.search(r'<script(?![^>]*\b(src=|type="application/(ld\+)?json"))', page)
            assert not re.search(r"<style\b", page)
            assert not re.search(r"\sstyle=", page)
            assert not re.search(r"\son[a-z]+=", page)
        assert '<script src="/static/js/portal.js" defer></script>' in page


class TestImageDescriptions:
    def test_a_cover_image_is_followed_by_its_description(self, client, make_item, stored_image):
        item = make_item(cover_image=stored_image(), cover_image_alt="Котельная в Лепеле")
        page = client.get(item.get_absolute_url()).content.decode()
        assert re.search(
            r'<img [^>]*alt="Котельная в Лепеле"[^>]*>'
            r'<span class="image-description">'
            r'<span class="image-description__label">Изображение:</span>'
            r" Котельная в Лепеле</span>",
            page,
        )

    def test_body_images_get_descriptions_and_decorative_ones_none(self, client, make_item):
        item = make_item(
            body=(
                '<figure class="image"><img src="/media/lake.png" alt="Озеро &amp; берег">'
                "<figcaption>Подпись</figcaption></figure>"
                '<p><img src="/media/line.png" alt=""> <img src="/media/dot.png"></p>'
            )
        )
        page = client.get(item.get_absolute_url()).content.decode()
        assert page.count('class="image-description"') == 1
        assert "Озеро &amp; берег</span>" in page

    def render(self, html: str) -> str:
        template = Template(
            "{% load accessibility %}{% filter image_descriptions %}{{ html|safe }}{% endfilter %}"
        )
        return template.render(Context({"html": html}))

    def test_markup_without_images_is_untouched(self):
        html = "<p>Нет изображений</p>\n<p>Совсем</p>"
        assert self.render(html) == html

    def test_only_real_img_tags_count(self):
        html = (
            '<p title="<img src=x alt=trap>">Текст</p>\n'
            "<p>\n  <img\n   src='/a.png' alt='first \"one\"' /> and\n"
            '<img src="/b.png" alt="<b>second</b>"></p>'
            '<img title="a alt=trap" ALT=third data-alt="no">'
            "<!-- <img alt=commented> -->"
        )
        rendered = self.render(html)
        assert rendered.startswith('<p title="<img src=x alt=trap>">Текст</p>')
        assert 'alt=\'first "one"\' /><span class="image-description">' in rendered
        assert "first &quot;one&quot;</span> and" in rendered
        assert '<img src="/b.png" alt="<b>second</b>"><span' in rendered
        assert "&lt;b&gt;second&lt;/b&gt;</span></p>" in rendered
        assert '<img title="a alt=trap" ALT=third data-alt="no"><span' in rendered
        assert "</span> third</span>" in rendered and "trap</span>" not in rendered
        assert rendered.count('class="image-description"') == 3

    def test_the_header_emblem_is_decorative(self, client):
        page = client.get("/ru/").content.decode()
        assert 'class="site-brand__emblem"' in page and 'alt=""' in page
        assert "image-description" not in page
