"""Sections, the archive by year and month, breadcrumbs and links to the neighbouring items."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Category, NewsItem

pytestmark = pytest.mark.django_db


def at(year, month, day=15, hour=12):
    """A moment in Minsk time (UTC+3)."""
    minsk = datetime.timezone(datetime.timedelta(hours=3))
    return datetime.datetime(year, month, day, hour, tzinfo=minsk)


def titles(response) -> list[str]:
    return [item.title for item in response.context["news_items"]]


@pytest.fixture
def culture(db):
    return Category.objects.create(
        name="Культура", name_be="Культура", name_en="Culture", slug="culture", position=2
    )


class TestSectionPage:
    def test_lists_the_published_items_of_the_section_in_the_pages_language(
        self, client, make_item, culture
    ):
        make_item(title="Фестиваль", category=culture)
        make_item(title="Урожай")
        make_item(title="Festival", category=culture, language="en")
        make_item(title="Черновик", category=culture, is_published=False)
        make_item(
            title="Завтра",
            category=culture,
            published_at=timezone.now() + datetime.timedelta(days=1),
        )

        response = client.get("/ru/news/category/culture/")
        assert response.status_code == 200
        assert titles(response) == ["Фестиваль"]
        page = response.content.decode()
        assert "<h1>Культура</h1>" in page
        assert "<title>Культура — " in page

        response = client.get("/en/news/category/culture/")
        assert titles(response) == ["Festival"]
        assert "<h1>Culture</h1>" in response.content.decode()

    def test_is_paginated_like_the_list(self, client, make_item, culture):
        for day in range(12):
            make_item(category=culture, published_at=at(2024, 5, day + 1))
        first = client.get("/ru/news/category/culture/")
        assert len(first.context["news_items"]) == 10
        assert 'href="?page=2"' in first.content.decode()
        assert len(client.get("/ru/news/category/culture/?page=2").context["news_items"]) == 2
        assert client.get("/ru/news/category/culture/?page=3").status_code == 404

    def test_an_empty_section_is_a_normal_page_kept_out_of_search_engines(
        self, client, make_item, culture
    ):
        response = client.get("/be/news/category/culture/")
        assert response.status_code == 200
        assert response.context["news_items"].count() == 0
        assert '<meta name="robots" content="noindex">' in response.content.decode()
        make_item(category=culture, language="be")
        page = client.get("/be/news/category/culture/").content.decode()
        assert 'name="robots"' not in page

    @pytest.mark.parametrize("slug", ["no-such-section", "Культура", "culture%00", "..", "a" * 300])
    def test_an_unknown_section_is_404(self, client, culture, slug):
        assert client.get(f"/ru/news/category/{slug}/").status_code == 404

    def test_sections_are_listed_beside_the_news_with_the_current_one_marked(
        self, client, make_item, category, culture
    ):
        make_item(category=category, language="en")
        page = client.get("/en/news/category/culture/").content.decode()
        sections = page.split('aria-labelledby="sections-heading"')[1].split("</nav>")[0]
        assert re.findall(r'<a href="([^"]+)"', sections) == [
            "/en/news/category/economy/",
            "/en/news/category/culture/",
        ]
        assert '<a href="/en/news/category/culture/" aria-current="page">Culture</a>' in sections
        assert ">Economy</a>" in sections

        assert 'href="/en/news/category/economy/"' in client.get("/en/news/").content.decode()

    def test_sections_without_news_in_the_pages_language_are_not_offered(
        self, client, make_item, category, culture
    ):
        """An English reader was led to «Культура», in Russian, and an empty page."""
        make_item(category=category, language="en")
        make_item(category=culture, language="ru")
        make_item(category=culture, language="en", is_published=False)

        def sections_on(path: str) -> list[str]:
            page = client.get(path).content.decode()
            if 'aria-labelledby="sections-heading"' not in page:
                return []
            sections = page.split('aria-labelledby="sections-heading"')[1].split("</nav>")[0]
            return re.findall(r'<a href="([^"]+)"', sections)

        assert sections_on("/en/news/") == ["/en/news/category/economy/"]
        assert sections_on("/ru/news/") == ["/ru/news/category/culture/"]
        assert sections_on("/be/news/") == []  # and no heading without a list

    def test_a_section_named_only_in_russian_is_marked_as_russian(self, client, make_item):
        """A screen reader reads it as Russian wherever the page names it, not as English."""
        sport = Category.objects.create(name="Спорт и туризм", slug="sport", position=3)
        item = make_item(title="Marathon", language="en", category=sport)
        in_russian = ' lang="ru">Спорт и туризм<'
        section_page = client.get("/en/news/category/sport/").content.decode()
        assert '<h1 lang="ru">Спорт и туризм</h1>' in section_page
        assert f'aria-current="page"{in_russian}' in section_page  # the sections beside
        assert '<li lang="ru"><span aria-current="page">Спорт и туризм</span>' in section_page
        assert f'class="news-card__category"{in_russian}' in section_page
        assert '“<span lang="ru">Спорт и туризм</span>”' in section_page  # the feed's link
        article = client.get(item.get_absolute_url()).content.decode()
        assert f'href="/en/news/category/sport/"{in_russian}' in article
        assert '<li lang="ru"><a href="/en/news/category/sport/">' in article
        results = client.get("/en/news/search/", {"q": "Marathon"}).content.decode()
        assert f"<span{in_russian}" in results
        # Its Russian pages, and sections named in English, need no mark.
        assert 'lang="ru">Спорт' not in client.get("/ru/news/category/sport/").content.decode()
        assert 'lang="ru">Economy' not in section_page


class TestArchive:
    @pytest.fixture
    def items(self, make_item):
        return {
            "2023-12": make_item(title="Декабрь 2023", published_at=at(2023, 12, 31, 23)),
            "2024-01": make_item(title="Январь 2024", published_at=at(2024, 1, 1, 1)),
            "2024-03a": make_item(title="Март 2024", published_at=at(2024, 3, 5)),
            "2024-03b": make_item(title="Ещё март 2024", published_at=at(2024, 3, 20)),
            "2024-03en": make_item(title="March 2024", published_at=at(2024, 3, 7), language="en"),
            "draft": make_item(title="Черновик", published_at=at(2024, 3, 6), is_published=False),
        }

    def test_year_page_lists_its_months_with_counts_and_its_items(self, client, items):
        response = client.get("/ru/news/archive/2024/")
        assert response.status_code == 200
        # Minsk time decides the day: 1 January 01:00 in Minsk is still 2023 in UTC.
        assert titles(response) == ["Ещё март 2024", "Март 2024", "Январь 2024"]
        page = response.content.decode()
        assert (
            "<h1>News archive: 2024</h1>" in client.get("/en/news/archive/2024/").content.decode()
        )
        months = page.split('class="archive-months"')[1].split("</nav>")[0]
        assert re.findall(r'<a href="([^"]+)">(\w+)</a> <span class="count">\((\d+)\)', months) == [
            ("/ru/news/archive/2024/03/", "Март", "2"),
            ("/ru/news/archive/2024/01/", "Январь", "1"),
        ]
        assert 'href="/ru/news/archive/2023/"><span aria-hidden="true">← </span>2023' in page
        # `rel` belongs to the pagination's pages (older ones are "next"), not to years.
        assert not re.search(r'href="/ru/news/archive/\d{4}/" rel=', page)

    def test_month_page_lists_the_months_items_with_its_name_in_the_pages_language(
        self, client, items
    ):
        response = client.get("/ru/news/archive/2024/03/")
        assert titles(response) == ["Ещё март 2024", "Март 2024"]
        page = response.content.decode()
        assert '<span aria-current="page">Март 2024</span>' in page
        assert 'href="/ru/news/archive/2024/01/"><span aria-hidden="true">← </span>' in page
        assert not re.search(r'href="/ru/news/archive/\d{4}/\d\d/" rel=', page)

        page = client.get("/en/news/archive/2024/03/").content.decode()
        assert "<h1>News archive: March 2024</h1>" in page
        assert "<title>News archive: March 2024 — " in page

    def test_the_month_page_reads_no_list_of_its_days(self, client, items, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/ru/news/archive/2024/03/").status_code == 200
        assert queries
        assert not [query for query in queries if "'day'" in query["sql"]]  # truncated to days
        assert client.get("/ru/news/archive/2024/02/").status_code == 404

    @pytest.mark.parametrize("path", ["2024/3/", "02024/003/", "2024/3/?page=1"])
    def test_another_spelling_of_the_month_leads_to_its_address(self, client, items, path):
        """Each page has one address: numbers spelled otherwise are not more copies of it."""
        response = client.get(f"/ru/news/archive/{path}")
        assert response.status_code == 301
        assert response["Location"] == "/ru/news/archive/2024/03/" + (
            "?page=1" if "?" in path else ""
        )
        assert titles(client.get(response["Location"])) == ["Ещё март 2024", "Март 2024"]
        assert client.get("/ru/news/archive/002024/").status_code == 301

    def test_other_spellings_store_nothing_of_their_own(self, client, items, settings):
        """The items of a period are counted once per change, whatever address asked."""
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        client.get("/ru/news/archive/2024/03/")
        for spelling in ("2024/3/", "02024/0003/"):
            with CaptureQueriesContext(connection) as queries:
                client.get(f"/ru/news/archive/{spelling}")
            assert not [query for query in queries if "COUNT(" in query["sql"].upper()]

    def test_list_page_links_to_the_years_with_their_counts(self, client, items):
        page = client.get("/ru/news/").content.decode()
        archive = page.split('aria-labelledby="archive-heading"')[1].split("</nav>")[0]
        assert re.findall(r'href="([^"]+)"', archive) == [
            "/ru/news/archive/2024/",
            "/ru/news/archive/2023/",
        ]
        assert re.findall(r'<span class="count">\((\d+) ', archive) == ["3", "1"]

    def test_years_without_news_are_left_out(self, make_item):
        make_item(published_at=at(2012, 11, 9))
        make_item(published_at=at(2024, 6, 1))
        make_item(published_at=at(2024, 7, 1))
        make_item(published_at=at(2019, 7, 1), language="en")
        assert NewsItem.objects.published().in_language("ru").count_by_year() == [
            {"year": 2024, "count": 2},
            {"year": 2012, "count": 1},
        ]
        assert NewsItem.objects.in_language("be").count_by_year() == []

    @pytest.mark.parametrize(
        "path",
        [
            "2022/",  # no news that year
            "2024/02/",  # no news that month
            "2024/13/",
            "2024/00/",
            "99999/",
            "99999/01/",
            "9999/",
            "9999/12/",
            "0/",
            "0000/01/",
            "99999999999999999999999999/",
            "2024/99999999999999999999999999/",
            "abc/",
            "2024/abc/",
            "-2024/",
            "2024/03/15/",
        ],
    )
    def test_empty_invalid_and_huge_dates_are_404(self, client, items, path):
        assert client.get(f"/ru/news/archive/{path}").status_code == 404

    def test_items_of_other_languages_and_unpublished_ones_do_not_count(self, client, items):
        assert client.get("/be/news/archive/2024/").status_code == 404
        assert titles(client.get("/en/news/archive/2024/")) == ["March 2024"]
        items["2023-12"].is_published = False
        items["2023-12"].save()
        assert client.get("/ru/news/archive/2023/").status_code == 404


class TestEachListCountsItsOwn:
    """A list's length and the archive's years are counted once per change, for each list."""

    @pytest.fixture
    def lists(self, make_item, culture, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # pages rendered each time; counts kept
        for day in range(12):
            make_item(category=culture, published_at=at(2024, 5, day + 1))
        make_item(title="Урожай", published_at=at(2023, 9, 1))  # in the section Economy
        make_item(title="Harvest", language="en", published_at=at(2019, 7, 1))

    @pytest.mark.parametrize("first", ["/ru/news/category/culture/", "/ru/news/"])
    def test_each_section_and_language_has_its_own_length(self, client, lists, first):
        client.get(first)  # counted first, kept for the rest
        for url, count in [
            ("/ru/news/category/culture/", 12),
            ("/ru/news/category/economy/", 1),
            ("/ru/news/", 13),
            ("/en/news/", 1),
            ("/en/news/category/culture/", 0),
        ]:
            response = client.get(url)
            assert response.context["paginator"].count == count, url
            assert ('href="?page=2"' in response.content.decode()) == (count > 10), url

    def test_each_language_has_its_own_archive_years(self, client, lists):
        for language, years in [("ru", ["2024", "2023"]), ("en", ["2019"]), ("be", [])]:
            page = client.get(f"/{language}/news/").content.decode()
            assert re.findall(rf'href="/{language}/news/archive/(\d+)/"', page) == years, language


class TestBreadcrumbs:
    def test_lead_from_home_through_news_and_the_section_to_the_item(self, client, make_item):
        item = make_item(title="Уборка урожая", language="en")
        page = client.get(item.get_absolute_url()).content.decode()
        trail = page.split('<nav class="breadcrumbs" aria-label="Breadcrumbs">')[1].split("</nav>")[
            0
        ]
        assert re.findall(r"<li>(.*?)</li>", trail) == [
            '<a href="/en/">Home</a>',
            '<a href="/en/news/">News</a>',
            '<a href="/en/news/category/economy/">Economy</a>',
            '<span aria-current="page">Уборка урожая</span>',
        ]
        assert "<ol>" in trail

    def test_on_section_and_archive_pages(self, client, make_item):
        make_item(published_at=at(2024, 3, 5))
        trail = client.get("/ru/news/category/economy/").content.decode().split("<ol>")[1]
        assert '<span aria-current="page">Экономика</span>' in trail
        trail = client.get("/ru/news/archive/2024/03/").content.decode().split("<ol>")[1]
        assert '<a href="/ru/news/archive/2024/">2024</a>' in trail
        assert '<span aria-current="page">Март 2024</span>' in trail


class TestPreviousAndNext:
    def test_link_the_neighbouring_published_items_of_the_same_language(self, client, make_item):
        older = make_item(title="Раньше", published_at=at(2024, 3, 1))
        make_item(title="Черновик", published_at=at(2024, 3, 2), is_published=False)
        make_item(title="Отозвана", published_at=at(2024, 3, 2), withdrawn_at=at(2024, 3, 5))
        make_item(title="English", published_at=at(2024, 3, 3), language="en")
        item = make_item(title="Сейчас", published_at=at(2024, 3, 4))
        make_item(title="Будущее", published_at=timezone.now() + datetime.timedelta(days=1))
        newer = make_item(title="Позже", published_at=at(2024, 3, 6))

        page = client.get(item.get_absolute_url()).content.decode()
        assert f'<a href="{older.get_absolute_url()}" rel="prev">' in page
        assert f'<a href="{newer.get_absolute_url()}" rel="next">' in page
        for hidden in ("Черновик", "Отозвана", "English", "Будущее"):
            assert hidden not in page.split('class="item-pager"')[1]

    @pytest.mark.parametrize(
        ("language", "labels"),
        [
            ("ru", ("Предыдущая новость", "Следующая новость")),
            ("en", ("Previous item", "Next item")),  # not "Previous news"
        ],
    )
    def test_are_labelled_in_the_pages_language(self, client, make_item, language, labels):
        make_item(published_at=at(2024, 3, 1), language=language)
        item = make_item(published_at=at(2024, 3, 4), language=language)
        make_item(published_at=at(2024, 3, 6), language=language)
        pager = client.get(item.get_absolute_url()).content.decode().split('class="item-pager"')[1]
        found = tuple(re.findall(r'<span class="item-pager__label">([^<]+)</span>', pager))
        assert found == labels

    def test_items_published_at_the_same_moment_still_have_an_order(self, make_item):
        moment = at(2024, 3, 4)
        first, second, third = (make_item(published_at=moment) for _ in range(3))
        assert second.related_items()[:2] == (first, third)
        assert first.related_items().previous is None
        assert third.related_items().next is None

    def test_the_first_and_the_last_item_have_one_neighbour(self, client, make_item):
        first = make_item(published_at=at(2024, 3, 1))
        last = make_item(published_at=at(2024, 3, 2))
        page = client.get(first.get_absolute_url()).content.decode()
        assert 'rel="next"' in page and 'rel="prev"' not in page
        page = client.get(last.get_absolute_url()).content.decode()
        assert 'rel="prev"' in page and 'rel="next"' not in page

    def test_a_lone_item_has_no_pager(self, client, make_item):
        item = make_item()
        assert 'class="item-pager"' not in client.get(item.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("page", "most"),
    [
        # A running site's steady state: the lengths of lists and the
        # archive's years are counted once per change (portal/page_cache.py).
        ("list", 2),  # sections, the page
        ("category", 2),  # sections (this one among them), the page
        ("year", 5),
        ("month", 5),
        ("detail", 2),  # the item, its neighbours and translations
        ("feed", 1),
        ("category_feed", 2),
    ],
)
def test_query_count_is_small_and_does_not_grow_with_the_number_of_items(
    client, make_item, culture, page, most, settings
):
    """The detail page with its translations, neighbours and breadcrumbs included."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured

    def queries_for(count: int) -> int:
        items = [
            make_item(
                category=culture,
                published_at=at(2024, 3, 1 + number % 28),
                translation_group=f"story-{number}",
            )
            for number in range(count)
        ]
        for item in items:
            make_item(
                language="en", translation_group=item.translation_group, published_at=at(2024, 3, 1)
            )
        url = {
            "list": "/ru/news/",
            "category": "/ru/news/category/culture/",
            "year": "/ru/news/archive/2024/",
            "month": "/ru/news/archive/2024/03/",
            "detail": items[len(items) // 2].get_absolute_url(),
            "feed": "/ru/news/feed/rss/",
            "category_feed": "/ru/news/category/culture/feed/atom/",
        }[page]
        client.get(url)  # warms the cache (urgent notices), as on a running site
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with_three = queries_for(3)
    with_thirty = queries_for(27)
    assert with_three == with_thirty > 0
    assert with_thirty <= most
