"""RSS 2.0 and Atom feeds of all news and of each section, per language."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image

from news.feeds import ENCLOSURE_WIDTH, FEED_ITEM_COUNT, LatestNewsFeed
from news.models import Category
from news.renditions import rendition_names
from portal.context_processors import committee_name

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(client, url: str, content_type: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)


# The harvest's lead as the HTML feed readers take a description or summary for.
LEAD_AS_HTML = "Хозяйства района убрали &lt;больше&gt; половины площадей."


def guid(item, host: str = "testserver") -> str:
    made_on = item.created_at.astimezone(datetime.UTC).date().isoformat()
    return f"tag:{host},{made_on}:news/{item.pk}"


@pytest.fixture
def culture(db):
    return Category.objects.create(name="Культура", name_en="Culture", slug="culture")


@pytest.fixture
def news(make_item, culture):
    published = datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC)
    return {
        "harvest": make_item(
            title="Уборка урожая",
            lead="Хозяйства района убрали <больше> половины площадей.",
            published_at=published,
        ),
        "festival": make_item(
            title="Фестиваль", category=culture, published_at=published.replace(day=6)
        ),
        "english": make_item(title="Harvest", language="en", published_at=published),
        "draft": make_item(title="Черновик", is_published=False),
        "scheduled": make_item(
            title="Завтра", published_at=timezone.now() + datetime.timedelta(days=1)
        ),
    }


class TestRss:
    def test_has_the_languages_published_items_newest_first_with_their_details(
        self, client, news, settings
    ):
        settings.PORTAL_COMMITTEE_NAME = "Лепельский районный исполнительный комитет"
        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        assert channel.findtext("link") == "http://testserver/ru/news/"
        assert channel.findtext("language") == "ru"
        assert "Лепельский районный исполнительный комитет" in channel.findtext("title")
        assert channel.findtext("description")

        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == ["Фестиваль", "Уборка урожая"]
        harvest = items[1]
        url = f"http://testserver{news['harvest'].get_absolute_url()}"
        assert harvest.findtext("link") == url
        assert harvest.findtext("guid") == guid(news["harvest"])
        assert harvest.find("guid").get("isPermaLink") == "false"
        # HTML for feed readers, which show the lead's «<больше>» as it is written.
        assert harvest.findtext("description") == LEAD_AS_HTML
        assert parsedate_to_datetime(harvest.findtext("pubDate")) == news["harvest"].published_at
        # In Minsk time, as the pages give it, and so the feed's own date.
        assert harvest.findtext("pubDate").endswith(" +0300")
        assert channel.findtext("lastBuildDate").endswith(" +0300")
        assert [category.text for category in harvest.findall("category")] == ["Экономика"]

    def test_english_feed_has_english_items_and_section_names(self, client, news):
        channel = fetch(client, "/en/news/feed/rss/", "application/rss+xml").find("channel")
        assert channel.findtext("language") == "en"
        assert [item.findtext("title") for item in channel.findall("item")] == ["Harvest"]
        assert channel.find("item").findtext("category") == "Economy"

    def test_a_scheduled_item_appears_when_its_time_comes(self, client, news):
        news["scheduled"].published_at = timezone.now() - datetime.timedelta(seconds=1)
        news["scheduled"].save()
        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        assert channel.find("item").findtext("title") == "Завтра"

    def test_holds_the_latest_items_only(self, client, make_item):
        for _ in range(FEED_ITEM_COUNT + 3):
            make_item()
        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        assert len(channel.findall("item")) == FEED_ITEM_COUNT

    def test_section_feed_has_the_sections_items_only(self, client, news):
        url = "/ru/news/category/culture/feed/rss/"
        channel = fetch(client, url, "application/rss+xml").find("channel")
        assert channel.findtext("link") == "http://testserver/ru/news/category/culture/"
        assert "Культура" in channel.findtext("title")
        assert [item.findtext("title") for item in channel.findall("item")] == ["Фестиваль"]


class TestAtom:
    def test_has_entries_with_links_summaries_dates_and_categories(self, client, news):
        feed = fetch(client, "/ru/news/feed/atom/", "application/atom+xml")
        assert feed.tag == f"{ATOM}feed"
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
        assert feed.find(f"{ATOM}subtitle").text
        # Atom requires an author of the feed or of every entry (RFC 4287, 4.1.1).
        with translation.override("ru"):
            assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == committee_name()

        entries = feed.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
            "Фестиваль",
            "Уборка урожая",
        ]
        harvest = entries[1]
        url = f"http://testserver{news['harvest'].get_absolute_url()}"
        assert harvest.find(f"{ATOM}link").get("href") == url
        assert harvest.findtext(f"{ATOM}id") == guid(news["harvest"])
        assert harvest.find(f"{ATOM}summary").get("type") == "html"
        assert harvest.findtext(f"{ATOM}summary") == LEAD_AS_HTML
        published = datetime.datetime.fromisoformat(harvest.findtext(f"{ATOM}published"))
        assert published == news["harvest"].published_at
        assert published.utcoffset() == datetime.timedelta(hours=3)
        updated = datetime.datetime.fromisoformat(harvest.findtext(f"{ATOM}updated"))
        assert updated.utcoffset() == datetime.timedelta(hours=3)
        assert feed.findtext(f"{ATOM}updated").endswith("+03:00")
        assert harvest.find(f"{ATOM}category").get("term") == "Экономика"

    def test_section_feed_in_belarusian(self, client, make_item, culture):
        make_item(title="Фестываль", category=culture, language="be")
        make_item(title="Ураджай", language="be")
        feed = fetch(client, "/be/news/category/culture/feed/atom/", "application/atom+xml")
        assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == [
            "Фестываль"
        ]
        with translation.override("be"):
            assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == committee_name()


@pytest.mark.parametrize(
    "url", ["/ru/news/category/no-such-section/feed/rss/", "/en/news/category/x/feed/atom/"]
)
def test_feed_of_an_unknown_section_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_pages_announce_their_feeds_in_head(client, news, culture):
    head = client.get("/en/news/").content.decode().split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/en/news/feed/rss/"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/en/news/feed/atom/"' in head
    assert "/feed/" not in head.replace("/en/news/feed/", "")

    head = client.get("/ru/news/category/culture/").content.decode().split("</head>")[0]
    assert 'title="Культура (RSS)" href="/ru/news/category/culture/feed/rss/"' in head
    assert 'title="Культура (Atom)" href="/ru/news/category/culture/feed/atom/"' in head

    head = client.get(news["festival"].get_absolute_url()).content.decode().split("</head>")[0]
    assert 'href="/ru/news/category/culture/feed/rss/"' in head


def test_texts_pasted_with_control_characters_are_saved_without_them(client, make_item, culture):
    """A Word line break (a vertical tab) inside a title made every feed listing the item a 500."""
    culture.name_en = "Culture\x1f"
    culture.save()
    item = make_item(
        title="Ремонт дороги\x0bул. Ленина",
        lead="Первая строка.\x0cВторая\x00 строка.",
        category=culture,
    )
    item.refresh_from_db()
    culture.refresh_from_db()
    assert item.title == "Ремонт дороги ул. Ленина"
    assert item.lead == "Первая строка.\nВторая строка."
    assert culture.name_en == "Culture"
    for url in ("/ru/news/feed/rss/", "/ru/news/feed/atom/", "/ru/news/category/culture/feed/rss/"):
        assert client.get(url).status_code == 200, url


class TestGuids:
    """An item keeps its guid when its address changes: a reader does not show it twice."""

    def test_moving_an_items_date_changes_its_link_but_not_its_guid(self, client, make_item):
        item = make_item(published_at=datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC))
        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        before = channel.find("item")
        # A publisher corrects the date of the published item (its slug cannot change).
        item.published_at = datetime.datetime(2024, 3, 4, 9, 30, tzinfo=datetime.UTC)
        item.save()
        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        after = channel.find("item")
        assert "/2024/03/05/" in before.findtext("link")
        assert "/2024/03/04/" in after.findtext("link")
        assert after.findtext("guid") == before.findtext("guid") == guid(item)

        entry = fetch(client, "/ru/news/feed/atom/", "application/atom+xml").find(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}id") == guid(item)

    def test_items_have_guids_of_their_own_and_the_host_without_its_port(self, client, make_item):
        first, second = make_item(), make_item()
        response = client.get("/ru/news/feed/rss/", HTTP_HOST="localhost:8000")
        items = ET.fromstring(response.content).find("channel").findall("item")
        assert [item.findtext("guid") for item in items] == [
            guid(second, "localhost"),
            guid(first, "localhost"),
        ]
        assert items[0].findtext("link").startswith("http://localhost:8000/ru/news/")

    def test_the_feed_view_shared_by_all_requests_keeps_none_of_them(self, make_item):
        make_item()
        view = LatestNewsFeed()
        with translation.override("ru"):
            assert view(RequestFactory().get("/ru/news/feed/rss/")).status_code == 200
        assert not hasattr(view, "request")


def add_cover(item, size=(1600, 900)):
    """Give `item` a cover, saved as the admin saves one: its renditions are made."""
    item.cover_image_alt = "Поле у озера"
    item.cover_image.save("field.jpg", ContentFile(image_bytes("JPEG", size=size)))
    return item


class TestEnclosures:
    """The cover goes with the item, as its rendition the width of the article."""

    def test_rss_and_atom_carry_the_covers_rendition_with_its_real_length_and_type(
        self, client, make_item, settings
    ):
        with_cover = add_cover(make_item())
        make_item(published_at=timezone.now() - datetime.timedelta(hours=2))  # no cover
        name = rendition_names(with_cover.cover_image.name)[ENCLOSURE_WIDTH]
        path = settings.MEDIA_ROOT / name
        with Image.open(path) as image:
            assert (image.format, image.size) == ("WEBP", (ENCLOSURE_WIDTH, 450))
        expected = {
            "url": f"http://testserver/media/{name}",
            "length": str(path.stat().st_size),
            "type": "image/webp",
        }

        channel = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find("channel")
        first, second = channel.findall("item")
        assert [enclosure.attrib for enclosure in first.findall("enclosure")] == [expected]
        assert second.find("enclosure") is None

        feed = fetch(client, "/ru/news/feed/atom/", "application/atom+xml")
        first, second = feed.findall(f"{ATOM}entry")
        enclosures = [
            link.attrib for link in first.findall(f"{ATOM}link") if link.get("rel") == "enclosure"
        ]
        assert enclosures == [
            {
                "rel": "enclosure",
                "href": expected["url"],
                "length": expected["length"],
                "type": "image/webp",
            }
        ]
        assert not [
            link for link in second.findall(f"{ATOM}link") if link.get("rel") == "enclosure"
        ]

    def test_a_small_cover_goes_as_its_only_rendition(self, client, make_item, settings):
        item = add_cover(make_item(), size=(300, 200))
        enclosure = fetch(client, "/ru/news/feed/rss/", "application/rss+xml").find(
            "channel/item/enclosure"
        )
        name = enclosure.get("url").removeprefix("http://testserver/media/")
        with Image.open(settings.MEDIA_ROOT / name) as image:
            assert image.size == (300, 200)
        assert name == rendition_names(item.cover_image.name)[ENCLOSURE_WIDTH]

    def test_a_cover_missing_on_disk_is_left_out_not_a_500(self, client, make_item, settings):
        gone = add_cover(make_item(published_at=timezone.now() - datetime.timedelta(hours=2)))
        kept = add_cover(make_item())
        (settings.MEDIA_ROOT / rendition_names(gone.cover_image.name)[ENCLOSURE_WIDTH]).unlink()
        for url, content_type in (
            ("/ru/news/feed/rss/", "application/rss+xml"),
            ("/ru/news/feed/atom/", "application/atom+xml"),
        ):
            xml = ET.tostring(fetch(client, url, content_type)).decode()
            assert xml.count(rendition_names(kept.cover_image.name)[ENCLOSURE_WIDTH]) == 1
            assert rendition_names(gone.cover_image.name)[ENCLOSURE_WIDTH] not in xml

    def test_covers_cost_no_query(self, client, make_item, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured

        def queries(url: str) -> int:
            client.get(url)  # warms the cache (urgent notices), as on a running site
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        for _ in range(3):
            make_item()
        without_covers = queries("/ru/news/feed/rss/")
        for _ in range(6):
            add_cover(make_item(), size=(60, 40))
        assert queries("/ru/news/feed/rss/") == without_covers
        assert queries("/ru/news/feed/atom/") == without_covers
        feed = client.get("/ru/news/feed/atom/").content.decode()
        assert feed.count('rel="enclosure"') == 6


@pytest.mark.parametrize(
    ("url", "element"),
    [
        ("/ru/news/feed/rss/", "channel/item/description"),
        ("/ru/news/feed/atom/", f"{ATOM}entry/{ATOM}summary"),
    ],
)
def test_markup_typed_into_a_lead_is_text_for_feed_readers(client, make_item, url, element):
    """A reader that shows a summary as HTML ran tags an editor typed into a lead (`onerror`)."""
    make_item(
        lead='Смотрите <img src="x" onerror="alert(1)"> & <a href="https://evil.example">тут</a>'
    )
    response = client.get(url)
    summary = ET.fromstring(response.content).find(element).text
    assert summary == (
        "Смотрите &lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt; &amp; "
        "&lt;a href=&quot;https://evil.example&quot;&gt;тут&lt;/a&gt;"
    )
