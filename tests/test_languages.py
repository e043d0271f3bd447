"""An item's translations: the language switch and the hreflang alternates in <head>."""

import datetime
import re

import pytest
from django.utils import timezone

from news.models import ShareLink

pytestmark = pytest.mark.django_db


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))


def switch_links(page: str) -> dict[str, str]:
    switch = page.split('class="language-switch"')[1].split("</nav>")[0]
    return {code: url for url, code in re.findall(r'<a href="([^"]+)" lang="(\w+)"', switch)}


@pytest.fixture
def heating(make_item):
    """One story in Russian and Belarusian; the English version is still a draft."""
    return {
        "ru": make_item(title="Начинается отопительный сезон", translation_group="heating"),
        "be": make_item(
            title="Пачынаецца ацяпляльны сезон", language="be", translation_group="heating"
        ),
        "en": make_item(
            title="Heating season begins",
            language="en",
            translation_group="heating",
            is_published=False,
        ),
    }


class TestTranslations:
    def test_are_the_published_items_of_the_group_in_other_languages(self, heating, make_item):
        make_item(title="Другая история", translation_group="another-story")
        make_item(
            title="Scheduled",
            language="en",
            translation_group="heating",
            published_at=timezone.now() + datetime.timedelta(days=1),
        )
        make_item(
            title="Withdrawn",
            language="en",
            translation_group="heating",
            withdrawn_at=timezone.now(),
        )
        assert heating["ru"].related_items().translations == [heating["be"]]
        assert heating["be"].related_items().translations == [heating["ru"]]
        assert heating["en"].related_items().translations == [heating["ru"], heating["be"]]

    def test_do_not_change_the_items_neighbours(self, heating, make_item):
        """Read in the same query: the item and its own language's versions are no translations."""
        older = make_item(
            title="Раньше",
            translation_group="heating",
            published_at=heating["ru"].published_at - datetime.timedelta(days=1),
        )
        related = heating["ru"].related_items()
        assert (related.previous, related.next) == (older, None)
        assert related.translations == [heating["be"]]
        related = older.related_items()
        assert (related.previous, related.next) == (None, heating["ru"])

    def test_an_item_without_a_group_has_none(self, make_item):
        lonely, _other = make_item(), make_item(language="en")
        assert lonely.related_items().translations == []


class TestLanguageSwitchOnAnItem:
    def test_leads_to_the_translation_or_else_to_that_languages_news_list(self, client, heating):
        page = client.get(heating["ru"].get_absolute_url()).content.decode()
        assert switch_links(page) == {
            "be": heating["be"].get_absolute_url(),
            "en": "/en/news/",
        }

    def test_without_translations_leads_to_the_other_news_lists(self, client, make_item):
        item = make_item(language="be")
        page = client.get(item.get_absolute_url()).content.decode()
        assert switch_links(page) == {"ru": "/ru/news/", "en": "/en/news/"}

    def test_a_scheduled_translation_counts_once_its_time_has_come(self, client, make_item):
        russian = make_item(translation_group="fair")
        english = make_item(
            language="en",
            translation_group="fair",
            published_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        page = client.get(russian.get_absolute_url()).content.decode()
        assert switch_links(page)["en"] == "/en/news/"

        english.published_at = timezone.now() - datetime.timedelta(minutes=1)
        english.save()
        page = client.get(russian.get_absolute_url()).content.decode()
        assert switch_links(page)["en"] == english.get_absolute_url()


class TestHreflang:
    def test_an_item_names_only_the_languages_it_exists_in_with_russian_as_default(
        self, client, heating
    ):
        page = client.get(heating["be"].get_absolute_url()).content.decode()
        russian = f"http://testserver{heating['ru'].get_absolute_url()}"
        assert alternates(page) == {
            "ru": russian,
            "be": f"http://testserver{heating['be'].get_absolute_url()}",
            "x-default": russian,
        }

    def test_an_item_without_a_russian_version_has_no_default(self, client, make_item):
        item = make_item(language="en")
        page = client.get(item.get_absolute_url()).content.decode()
        assert alternates(page) == {"en": f"http://testserver{item.get_absolute_url()}"}

    @pytest.mark.parametrize("path", ["/", "/news/", "/news/category/economy/"])
    def test_other_pages_name_every_language(self, client, make_item, path):
        make_item()
        page = client.get(f"/en{path}").content.decode()
        assert alternates(page) == {
            "ru": f"http://testserver/ru{path}",
            "be": f"http://testserver/be{path}",
            "en": f"http://testserver/en{path}",
            "x-default": f"http://testserver/ru{path}",
        }

    @pytest.mark.parametrize("path", ["/news/", "/news/category/economy/"])
    def test_a_lists_later_pages_name_no_other_language(self, client, make_item, path):
        """Page 2 of the Belarusian list holds other news than page 2 of the Russian one."""
        for _number in range(11):  # ten a page
            make_item()
        page = client.get(f"/ru{path}", {"page": 2}).content.decode()
        assert alternates(page) == {}
        assert "og:locale:alternate" not in page
        assert f'<link rel="canonical" href="http://testserver/ru{path}?page=2">' in page

    def test_a_page_gone_for_good_and_a_shared_draft_name_no_other_language(
        self, client, make_item
    ):
        gone = make_item(withdrawn_at=timezone.now(), withdrawn_in_error=True)
        assert alternates(client.get(gone.get_absolute_url()).content.decode()) == {}
        draft = make_item(is_published=False)
        link = ShareLink.objects.create(
            item=draft, expires_at=timezone.now() + datetime.timedelta(days=1)
        )
        assert alternates(client.get(link.get_absolute_url()).content.decode()) == {}


def test_archive_switch_leads_to_the_same_period_where_that_language_has_news(client, make_item):
    march = datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)
    make_item(published_at=march)
    make_item(language="en", published_at=march)
    make_item(language="be", published_at=march.replace(month=7))

    page = client.get("/ru/news/archive/2024/03/").content.decode()
    assert switch_links(page) == {"be": "/be/news/", "en": "/en/news/archive/2024/03/"}
    assert set(alternates(page)) == {"ru", "en", "x-default"}

    page = client.get("/ru/news/archive/2024/").content.decode()
    assert switch_links(page) == {"be": "/be/news/archive/2024/", "en": "/en/news/archive/2024/"}


def test_switch_on_a_page_that_does_not_exist_leads_to_the_home_pages(client, db):
    page = client.get("/be/no-such-page/").content.decode()
    assert switch_links(page) == {"ru": "/ru/", "en": "/en/"}


def test_switch_on_a_path_naming_another_site_stays_on_this_one(client, db):
    """
    `//evil.example/ru/news/` is a 404 here, whose switch led to evil.example:
    a link to this site's 404 page was enough to send readers to another.
    """
    # As a server passes it on; the test client would take evil.example for the host.
    response = client.get("/", PATH_INFO="//evil.example/ru/news/")
    assert response.status_code == 404
    assert switch_links(response.content.decode()) == {"be": "/be/", "en": "/en/"}


@pytest.mark.parametrize("path", ["//[/ru/news/", "//[::1/ru/news/", "//a]/ru/news/"])
def test_a_path_that_reads_as_a_broken_host_is_a_404_not_a_500(client, db, path):
    """Django's translate_url() took `//[` for the start of an IPv6 host, and failed."""
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    assert switch_links(response.content.decode()) == {"be": "/be/", "en": "/en/"}


def test_the_switch_on_a_page_gone_for_good_leads_to_each_languages_news(client, make_item):
    """It led to the item's address in the other language, unpadded, which is 404."""
    item = make_item(
        published_at=datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC),
        withdrawn_at=timezone.now(),
        withdrawn_in_error=True,
    )
    response = client.get(item.get_absolute_url())
    assert response.status_code == 410
    links = switch_links(response.content.decode())
    assert links == {"be": "/be/news/", "en": "/en/news/"}
    for url in links.values():
        assert client.get(url).status_code == 200


def test_the_switch_on_the_search_page_keeps_the_query(client, make_item):
    page = client.get("/ru/news/search/", {"q": "ремонт дорог"}).content.decode()
    query = "q=%D1%80%D0%B5%D0%BC%D0%BE%D0%BD%D1%82+%D0%B4%D0%BE%D1%80%D0%BE%D0%B3"
    assert switch_links(page) == {
        "be": f"/be/news/search/?{query}",
        "en": f"/en/news/search/?{query}",
    }
    assert switch_links(client.get("/ru/news/search/").content.decode())["en"] == (
        "/en/news/search/"
    )
