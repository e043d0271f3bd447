import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import NewsItem

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_russian_site(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_home_lists_the_latest_news_of_the_pages_language(client, make_item):
    russian = make_item(title="Уборка урожая")
    english = make_item(title="Harvest in full swing", language="en")

    page = client.get("/ru/").content.decode()
    assert russian.title in page and english.title not in page

    page = client.get("/en/").content.decode()
    assert english.title in page and russian.title not in page


def test_base_layout_has_landmarks_skip_link_and_language(client):
    page = client.get("/en/news/").content.decode()
    assert '<html lang="en"' in page
    assert 'class="skip-link" href="#content"' in page
    for landmark in ("<header", "<nav", '<main id="content"', "<footer"):
        assert landmark in page


class LoadedResources(HTMLParser):
    """The addresses a browser fetches by itself: sources, stylesheets, icons, preloads."""

    LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "poster", "data") if attrs.get(name)]
        if attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",")]
        if tag == "link" and self.LOADED_LINKS & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs["href"])


def test_nothing_is_loaded_from_another_host(client, make_item, stored_image):
    item = make_item(cover_image=stored_image(), cover_image_alt="Поле")
    for url in ("/ru/", "/ru/news/", item.get_absolute_url()):
        parser = LoadedResources()
        parser.feed(client.get(url).content.decode())
        assert parser.urls
        # Canonical and alternate links name this site's own pages; they load nothing.
        assert not [loaded for loaded in parser.urls if urlsplit(loaded).netloc]


def test_site_and_committee_names_are_configurable(client, settings):
    settings.PORTAL_COMMITTEE_NAME = "Полоцкий районный исполнительный комитет"
    settings.PORTAL_SITE_NAME = "Официальный сайт"
    page = client.get("/ru/").content.decode()
    assert "Полоцкий районный исполнительный комитет" in page
    assert "Официальный сайт" in page


def test_the_committees_name_is_configurable_in_each_language(client, settings):
    """Any committee but Lepel's had one name, the Russian one, on every language's pages."""
    settings.PORTAL_COMMITTEE_NAME = "Полоцкий районный исполнительный комитет"
    settings.PORTAL_COMMITTEE_NAME_BE = "Полацкі раённы выканаўчы камітэт"
    settings.PORTAL_SITE_NAME_EN = "Official portal"
    russian, belarusian, english = (
        client.get(f"/{code}/").content.decode() for code in ["ru", "be", "en"]
    )
    assert "Полоцкий районный исполнительный комитет" in russian
    assert "Полацкі раённы выканаўчы камітэт" in belarusian
    assert "Полоцкий районный" not in belarusian
    assert "Полоцкий районный исполнительный комитет" in english  # no English name: the Russian
    assert "Official portal" in english and "Official portal" not in russian


def test_language_switch_links_to_the_same_page_in_other_languages(client):
    page = client.get("/ru/news/").content.decode()
    assert 'href="/en/news/"' in page and 'href="/be/news/"' in page


class TestNewsList:
    def test_newest_first_with_page_links(self, client, make_item):
        now = timezone.now()
        items = [make_item(published_at=now - datetime.timedelta(days=day)) for day in range(12)]

        first = client.get("/ru/news/")
        assert [i.pk for i in first.context["news_items"]] == [i.pk for i in items[:10]]
        assert 'href="?page=2"' in first.content.decode()

        second = client.get("/ru/news/?page=2")
        assert [i.pk for i in second.context["news_items"]] == [i.pk for i in items[10:]]

    def test_every_page_holds_what_slicing_the_list_would_in_its_order(self, client, make_item):
        now = timezone.now()
        for minute in range(35):
            # Two items to a minute: ties in time go by id, as in the index.
            make_item(published_at=now - datetime.timedelta(minutes=minute // 2))
        newest_first = list(NewsItem.objects.published().order_by("-published_at", "-pk"))
        for number in range(1, 5):
            page = client.get(f"/ru/news/?page={number}").context["news_items"]
            expected = newest_first[(number - 1) * 10 : number * 10]
            assert [item.pk for item in page] == [item.pk for item in expected]

    @pytest.mark.parametrize(("number", "skipped"), [(1, None), (2, "10"), (3, "5"), (4, None)])
    def test_a_page_skips_the_fewest_index_entries_from_either_end(
        self, client, make_item, number, skipped
    ):
        """Of 35 items, page 3 is read oldest first past 5 (not newest first past 20)."""
        for _ in range(35):
            make_item()
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/ru/news/?page={number}")
        [page_query] = [query["sql"] for query in queries if "IN (SELECT" in query["sql"]]
        offset = re.search(r"OFFSET (\d+)", page_query)
        assert (offset and offset[1]) == skipped

    @pytest.mark.parametrize("page", ["abc", "3", "0", "-1", "99999999999999999999", "1.5"])
    def test_bad_or_past_the_end_pages_are_404(self, client, make_item, page):
        for _ in range(12):
            make_item()
        assert client.get(f"/ru/news/?page={page}").status_code == 404

    def test_hides_unpublished_and_future_items(self, client, make_item):
        make_item(title="Черновик", is_published=False)
        make_item(title="Будущее", published_at=timezone.now() + datetime.timedelta(days=1))
        page = client.get("/ru/news/").content.decode()
        assert "Черновик" not in page and "Будущее" not in page

    def test_empty_list_is_a_normal_page(self, client, db):
        response = client.get("/be/news/")
        assert response.status_code == 200


class TestNewsDetail:
    def test_shows_date_title_lead_image_body_source_and_back_link(
        self, client, make_item, stored_image
    ):
        item = make_item(
            title="Belarus, Leningrad Oblast to cooperate",
            lead="MINSK, 9 November (BelTA) - Belarus and Leningrad Oblast intend to step up.",
            body="<p>These and other promising areas of cooperation were discussed.</p>",
            source="BelTA",
            language="en",
            published_at=datetime.datetime(2012, 11, 9, 12, 0, tzinfo=datetime.UTC),
            cover_image=stored_image("news/covers/map.png"),
            cover_image_alt="Map of Belarus and Leningrad Oblast",
        )
        response = client.get("/en/news/2012/11/09/belarus-leningrad-oblast-to-cooperate/")
        page = response.content.decode()

        assert response.status_code == 200
        assert "9 November 2012" in page
        assert '<h1 class="article__title">Belarus, Leningrad Oblast to cooperate</h1>' in page
        assert item.lead in page
        assert 'alt="Map of Belarus and Leningrad Oblast" width="40" height="30"' in page
        assert item.body in page
        assert "BelTA" in page
        assert 'href="/en/news/">To the list of news</a>' in page

    @pytest.mark.parametrize(
        ("language", "written_date"),
        [("ru", "9 ноября 2012"), ("be", "9 лістапада 2012"), ("en", "9 November 2012")],
    )
    def test_date_is_written_in_the_pages_language(self, client, make_item, language, written_date):
        item = make_item(
            language=language,
            published_at=datetime.datetime(2012, 11, 9, 12, 0, tzinfo=datetime.UTC),
        )
        assert written_date in client.get(item.get_absolute_url()).content.decode()

    def test_unpublished_future_unknown_and_wrong_date_urls_are_404(self, client, make_item):
        draft = make_item(is_published=False)
        future = make_item(published_at=timezone.now() + datetime.timedelta(days=2))
        item = make_item(published_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC))

        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(future.get_absolute_url()).status_code == 404
        assert client.get("/ru/news/2024/03/05/no-such-item/").status_code == 404
        assert client.get(f"/ru/news/2024/02/31/{item.slug}/").status_code == 404
        assert client.get(f"/ru/news/2024/13/05/{item.slug}/").status_code == 404
        assert client.get(f"/ru/news/99999/03/05/{item.slug}/").status_code == 404
        # The right address in another language's site is not the item's page.
        assert client.get(f"/en/news/2024/03/05/{item.slug}/").status_code == 404
        assert client.get(f"/ru/news/2024/03/05/{item.slug}/").status_code == 200

    def test_an_address_with_an_earlier_date_leads_to_the_item(self, client, make_item):
        """A publisher moved the item's date: the links given out before keep working."""
        item = make_item(published_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC))
        old_address = item.get_absolute_url()
        item.published_at = datetime.datetime(2024, 3, 4, 12, tzinfo=datetime.UTC)
        item.save()

        response = client.get(old_address)
        assert response.status_code == 301
        assert (
            response["Location"] == item.get_absolute_url() == f"/ru/news/2024/03/04/{item.slug}/"
        )
        assert client.get(response["Location"]).status_code == 200
        assert client.get(f"/ru/news/2024/03/06/{item.slug}/").status_code == 301

    def test_staff_preview_unpublished_and_scheduled_items_with_a_banner(
        self, staff_client, make_item
    ):
        draft = make_item(is_published=False, language="en")
        scheduled = make_item(published_at=timezone.now() + datetime.timedelta(days=2))
        live = make_item()

        page = staff_client.get(draft.get_absolute_url()).content.decode()
        assert 'class="preview-banner"' in page and "this item is a draft" in page
        assert '<meta name="robots" content="noindex, nofollow">' in page

        page = staff_client.get(scheduled.get_absolute_url()).content.decode()
        assert 'class="preview-banner"' in page

        page = staff_client.get(live.get_absolute_url()).content.decode()
        assert 'class="preview-banner"' not in page

    def test_language_switch_on_a_detail_page_leads_to_the_other_news_lists(
        self, client, make_item
    ):
        item = make_item()
        page = client.get(item.get_absolute_url()).content.decode()
        assert 'href="/en/news/"' in page and 'href="/be/news/"' in page


@pytest.mark.parametrize("url_name", ["list", "detail", "home"])
def test_query_count_does_not_grow_with_the_number_of_items(client, make_item, url_name, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured

    def queries_for(count: int) -> int:
        items = [make_item() for _ in range(count)]
        url = {"home": "/ru/", "list": "/ru/news/", "detail": items[-1].get_absolute_url()}
        client.get(url[url_name])  # warms the cache (urgent notices), as on a running site
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url[url_name]).status_code == 200
        return len(queries)

    with_one = queries_for(1)
    with_thirty = queries_for(29)
    assert with_one == with_thirty > 0
    # The list adds its sections and archive years; the detail page its
    # neighbours and translations (corrections and documents only when it has some).
    assert with_thirty <= {"home": 1, "list": 5, "detail": 2}[url_name]


class TestColumnsRead:
    """Pages read from the items' rows only what they show: a body is most of a row."""

    def columns_read(self, client, url: str) -> set[str]:
        """The columns of news items the page's queries read (not those only computed on)."""
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        selects = [query["sql"].split(" FROM ")[0] for query in queries]
        return {
            column
            for select in selects
            for column in re.findall(r'(?:SELECT|,) "news_newsitem"\."(\w+)"(?=,|$)', select)
        }

    def test_lists_feeds_and_results_read_neither_bodies_nor_search_data(
        self, client, make_item, settings
    ):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        item = make_item(title="Ярмарка мёда", body="<p>Мёд и сыр.</p>")
        year = timezone.localtime(item.published_at).year
        urls = ["/ru/", "/ru/news/", f"/ru/news/category/{item.category.slug}/"]
        urls += [f"/ru/news/archive/{year}/", "/ru/news/feed/rss/"]
        if connection.vendor == "postgresql":  # SQLite's snippets are made from the body
            urls.append("/ru/news/search/?q=ярмарка")
        for url in urls:
            columns = self.columns_read(client, url)
            assert "lead" in columns, url
            assert not columns & {"body", "search_text", "search_vector"}, url

    def test_the_article_reads_its_body_but_not_its_search_data(self, client, make_item):
        columns = self.columns_read(client, make_item().get_absolute_url())
        assert "body" in columns
        assert not columns & {"search_text", "search_vector"}
