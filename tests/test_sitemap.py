"""sitemap.xml for every published item and the lists; robots.txt that points to it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from news.models import Category, NewsItem
from news.sitemaps import NewsItemSitemap

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def fetch(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def entries(client, url: str) -> dict[str, ET.Element]:
    return {url.findtext(f"{SITEMAP}loc"): url for url in fetch(client, url).iter(f"{SITEMAP}url")}


def test_index_lists_the_sections_of_the_sitemap_with_the_latest_change(client, make_item):
    item = make_item()
    index = fetch(client, "/sitemap.xml")
    sitemaps = {
        sitemap.findtext(f"{SITEMAP}loc"): sitemap.findtext(f"{SITEMAP}lastmod")
        for sitemap in index.iter(f"{SITEMAP}sitemap")
    }
    assert set(sitemaps) == {
        "http://testserver/sitemap-news.xml",
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-sections.xml",
    }
    latest = datetime.datetime.fromisoformat(sitemaps["http://testserver/sitemap-news.xml"])
    assert latest == item.updated_at


def test_news_sitemap_has_every_published_item_of_every_language_with_lastmod(client, make_item):
    russian = make_item()
    belarusian = make_item(language="be")
    english = make_item(language="en")
    make_item(title="Draft", is_published=False)
    make_item(title="Scheduled", published_at=timezone.now() + datetime.timedelta(days=1))
    make_item(title="Withdrawn", withdrawn_at=timezone.now(), withdrawal_reason="Cancelled.")
    NewsItem.objects.filter(pk=russian.pk).update(
        updated_at=datetime.datetime(2025, 2, 3, 12, tzinfo=datetime.UTC),
        published_at=datetime.datetime(2025, 1, 2, 12, tzinfo=datetime.UTC),
    )
    russian.refresh_from_db()

    urls = entries(client, "/sitemap-news.xml")
    assert set(urls) == {
        f"http://testserver{item.get_absolute_url()}" for item in (russian, belarusian, english)
    }
    assert (
        urls[f"http://testserver{russian.get_absolute_url()}"].findtext(f"{SITEMAP}lastmod")
        == "2025-02-03"
    )
    assert (
        urls[f"http://testserver{english.get_absolute_url()}"].findtext(f"{SITEMAP}lastmod")
        == timezone.localdate(english.updated_at).isoformat()
    )


def test_many_items_are_split_into_pages_that_the_index_lists(client, make_item, monkeypatch):
    monkeypatch.setattr(NewsItemSitemap, "limit", 2)
    items = [make_item() for _ in range(5)]
    index = fetch(client, "/sitemap.xml")
    locations = [sitemap.findtext(f"{SITEMAP}loc") for sitemap in index.iter(f"{SITEMAP}sitemap")]
    assert [url for url in locations if "news" in url] == [
        "http://testserver/sitemap-news.xml",
        "http://testserver/sitemap-news.xml?p=2",
        "http://testserver/sitemap-news.xml?p=3",
    ]
    pages = [entries(client, f"/sitemap-news.xml?p={page}") for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert {url for page in pages for url in page} == {
        f"http://testserver{item.get_absolute_url()}" for item in items
    }
    assert client.get("/sitemap-news.xml?p=4").status_code == 404
    assert client.get("/sitemap-news.xml?p=abc").status_code == 404


def test_an_item_scheduled_ahead_was_last_modified_when_it_went_live(client, make_item):
    item = make_item()
    NewsItem.objects.filter(pk=item.pk).update(
        updated_at=datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC),
        published_at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC),
    )
    item.refresh_from_db()
    (entry,) = entries(client, "/sitemap-news.xml").values()
    assert entry.findtext(f"{SITEMAP}lastmod") == "2025-03-01"


def test_pages_sitemap_has_the_home_and_news_list_of_each_language_with_alternates(client, db):
    urls = entries(client, "/sitemap-pages.xml")
    assert set(urls) == {
        f"http://testserver/{language}{path}"
        for language in ("ru", "be", "en")
        for path in ("/", "/news/")
    }
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in urls["http://testserver/be/news/"].iter(f"{XHTML}link")
    }
    assert alternates == {
        "ru": "http://testserver/ru/news/",
        "be": "http://testserver/be/news/",
        "en": "http://testserver/en/news/",
    }


def test_sections_sitemap_has_each_section_in_the_languages_it_has_news_in(
    client, category, make_item
):
    culture = Category.objects.create(name="Культура", slug="culture")
    Category.objects.create(name="Туризм", slug="tourism")  # no news yet
    for language in ("ru", "be", "en"):
        make_item(category=category, language=language)
    make_item(category=culture, language="be")
    make_item(category=culture, language="en", is_published=False)
    urls = entries(client, "/sitemap-sections.xml")
    assert set(urls) == {
        *(
            f"http://testserver/{language}/news/category/economy/"
            for language in ("ru", "be", "en")
        ),
        "http://testserver/be/news/category/culture/",
    }
    alternates = urls["http://testserver/be/news/category/culture/"].findall(f"{XHTML}link")
    assert [link.get("hreflang") for link in alternates] == ["be"]


def test_unknown_sitemap_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_lives_outside_the_language_prefixes(client, db):
    assert client.get("/ru/sitemap.xml").status_code == 404


class TestRobots:
    def test_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin_and_uploads(
        self, client, db
    ):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = [line for line in response.content.decode().splitlines() if line]
        assert lines == [
            "User-agent: *",
            "Disallow: /ru/admin/",
            "Disallow: /ru/editor/images/",
            "Disallow: /be/admin/",
            "Disallow: /be/editor/images/",
            "Disallow: /en/admin/",
            "Disallow: /en/editor/images/",
            "Sitemap: http://testserver/sitemap.xml",
        ]

    def test_names_the_sitemap_on_the_host_and_scheme_it_was_asked_on(self, client, settings):
        settings.ALLOWED_HOSTS = ["portal.lepel.example"]
        response = client.get("/robots.txt", headers={"host": "portal.lepel.example"}, secure=True)
        assert "Sitemap: https://portal.lepel.example/sitemap.xml" in response.content.decode()
