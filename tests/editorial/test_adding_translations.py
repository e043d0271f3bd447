"""
Adding a translation from its original's form: the versions field links an
add form per missing language, which starts in that language with the
original's key and section; saving it gives an original without a key the
translation's, also when the person saving may not change the original.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from news.models import NewsItem
from news.workflow import describe_change_reason

from ..test_languages import switch_links
from ..test_page_cache import queries_for
from .conftest import admin_url, client_for

pytestmark = pytest.mark.django_db

ADD = admin_url("admin:news_newsitem_add")


def change_page(client, item) -> str:
    return client.get(admin_url("admin:news_newsitem_change", args=[item.pk])).content.decode()


def add_link(item, language: str, label: str) -> str:
    return f'<a href="{ADD}?translation_of={item.pk}&amp;language={language}">{label}</a>'


def translation_form(client, admin_form, original, language: str = "be"):
    return admin_form(client, f"{ADD}?translation_of={original.pk}&language={language}")


def stored(item) -> dict:
    """Everything the database holds of an item."""
    item = NewsItem.objects.get(pk=item.pk)
    return {field.attname: getattr(item, field.attname) for field in NewsItem._meta.concrete_fields}


@pytest.fixture
def original(make_item):
    """A published Russian item without a key, which editors may not change."""
    return make_item(title="Ремонт моста", body="<p>Мост закроют на неделю.</p>")


class TestTheVersionsField:
    def test_links_an_add_form_for_each_language_without_a_version(
        self, editor_client, original, make_item
    ):
        page = change_page(editor_client, original)
        assert add_link(original, "be", "Add the version in Belarusian") in page
        assert add_link(original, "en", "Add the version in English") in page
        assert "Add the version in Russian" not in page  # its own

        original.translation_group = "remont-mosta"
        original.save()
        make_item(title="Рамонт маста", language="be", translation_group="remont-mosta")
        make_item(
            title="Bridge repairs", language="en", translation_group="remont-mosta",
            is_published=False,
        )  # fmt: skip
        page = change_page(editor_client, original)
        assert "Add the version in" not in page  # a draft is a version too

    def test_only_for_missing_languages_from_any_version(self, editor_client, make_item):
        russian = make_item(translation_group="remont-mosta")
        belarusian = make_item(language="be", translation_group="remont-mosta")
        page = change_page(editor_client, belarusian)
        assert add_link(belarusian, "en", "Add the version in English") in page
        assert "Add the version in Russian" not in page
        assert "Add the version in Belarusian" not in page
        assert "Add the version in Russian" not in change_page(editor_client, russian)

    @pytest.mark.parametrize(
        ("language", "links"),
        [
            ("ru", ["Добавить версию на белорусском языке", "Добавить версию на английском языке"]),
            ("be", ["Дадаць версію на беларускай мове", "Дадаць версію на англійскай мове"]),
        ],
    )
    def test_speaks_the_admins_language(self, editor_client, original, language, links):
        url = admin_url("admin:news_newsitem_change", args=[original.pk]).replace(
            "/en/", f"/{language}/", 1
        )
        page = editor_client.get(url).content.decode()
        assert all(link in page for link in links)

    def test_not_for_those_who_may_not_add_news(self, make_user, original):
        reader = make_user("viewer")
        reader.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
        page = change_page(client_for(reader), original)
        assert "None yet: write a key in “translation group”" in page
        assert "Add the version in" not in page


class TestTheAddForm:
    def test_starts_in_the_language_with_the_originals_section_and_a_new_key(
        self, editor_client, original, admin_form, make_item
    ):
        make_item(title="Другой ремонт", translation_group="remont-mosta")  # the key is taken
        form = translation_form(editor_client, admin_form, original)

        assert form.data["language"] == "be"
        assert form.data["translation_group"] == "remont-mosta-2"
        assert form.data["category"] == str(original.category_id)
        assert form.data["title"] == form.data["lead"] == form.data["body"] == ""
        page = form.response.content.decode()
        change = admin_url("admin:news_newsitem_change", args=[original.pk])
        assert (
            f'Translation of the version in Russian: <a href="{change}" lang="ru">Ремонт моста</a> '
            "(Published)"
        ) in page
        # A browser sends the form to its own address, the link's query and all.
        assert "action=" not in re.search(r'<form [^>]*id="newsitem_form"[^>]*>', page).group()

    def test_takes_the_originals_key(self, editor_client, original, admin_form):
        original.translation_group = "most"
        original.save()
        form = translation_form(editor_client, admin_form, original, "en")
        assert form.data["language"] == "en"
        assert form.data["translation_group"] == "most"

    def test_says_what_it_translates_in_the_admins_language(
        self, editor_client, original, admin_form
    ):
        url = f"{ADD}?translation_of={original.pk}&language=be".replace("/en/", "/ru/", 1)
        page = admin_form(editor_client, url).response.content.decode()
        assert "Перевод версии на русском языке: <a href=" in page

    @pytest.mark.parametrize(
        "query",
        [
            "translation_of=abc&language=be",
            "translation_of=999999&language=be",
            "translation_of=99999999999999999999999&language=be",
            "translation_of=&language=be",
            "translation_of={pk}",
            "translation_of={pk}&language=xx",
            "translation_of={pk}&language=ru",  # its own
            "translation_of={pk}&language=be&language=",
        ],
    )
    def test_ignores_a_link_that_names_no_translation(
        self, editor_client, original, admin_form, query
    ):
        url = f"{ADD}?{query.format(pk=original.pk)}"
        form = admin_form(editor_client, url)

        assert form.data["language"] == "ru"  # the first choice: nothing pre-filled
        assert form.data["translation_group"] == form.data.get("category", "") == ""
        assert "Translation of the version" not in form.response.content.decode()
        response = form.submit(
            title="Рамонт маста",
            lead="Мост зачыняць на тыдзень.",
            category=str(original.category_id),
            language="be",
            translation_group="remont-mosta",
        )
        assert response.status_code == 302
        assert NewsItem.objects.get(language="be").translation_group == "remont-mosta"
        assert stored(original)["translation_group"] == ""  # not linked


def add_translation(client, admin_form, original, language="be", **values):
    form = translation_form(client, admin_form, original, language)
    response = form.submit(
        title="Рамонт маста", lead="Мост зачыняць на тыдзень.", body="<p>Тэкст.</p>", **values
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return NewsItem.objects.get(language=language)


class TestSavingTheTranslation:
    def test_an_editor_links_a_published_original_changing_nothing_else_of_it(
        self, editor_client, editor, original, admin_form
    ):
        before = stored(original)
        versions_before = original.history.count()

        translation = add_translation(editor_client, admin_form, original)

        assert translation.translation_group == "remont-mosta"
        assert not translation.is_published
        after = stored(original)
        assert after["translation_group"] == "remont-mosta"
        assert after["version"] == before["version"] + 1  # forms loaded before are out of date
        unchanged = {name for name in before if name not in ("translation_group", "version")}
        assert {name: after[name] for name in unchanged} == {
            name: before[name] for name in unchanged
        }
        assert original.history.count() == versions_before + 1
        record = original.history.latest()
        assert record.history_user == editor
        assert record.translation_group == "remont-mosta" and record.version == after["version"]
        assert describe_change_reason(record.history_change_reason) == (
            "Translation added: “Рамонт маста”"
        )
        # Both forms list the other.
        assert "Belarusian: <a href=" in change_page(editor_client, original)
        assert "Russian: <a href=" in change_page(editor_client, translation)

    def test_an_original_with_a_key_is_left_alone(self, editor_client, original, admin_form):
        original.translation_group = "most"
        original.save()
        before = stored(original)

        translation = add_translation(editor_client, admin_form, original, "en")

        assert translation.translation_group == "most"
        assert stored(original) == before

    def test_a_second_version_in_a_language_is_pointed_out(
        self, editor_client, original, admin_form, make_item
    ):
        """The original's page then leads to the newer one only: it did so without a word."""
        original.translation_group = "most"
        original.save()
        make_item(title="Рамонт маста", language="be", translation_group="most")

        form = translation_form(editor_client, admin_form, original)
        response = form.submit(title="Рамонт маста праз раку", lead="Мост зачыняць.")
        page = editor_client.get(response.url).content.decode()

        assert (
            "The translation group “most” has another version in this language: "
            "“Рамонт маста”. Readers are led to the newer published one"
        ) in page

    def test_a_key_cleared_in_the_form_links_nothing(self, editor_client, original, admin_form):
        before = stored(original)
        translation = add_translation(editor_client, admin_form, original, translation_group="")
        assert translation.translation_group == ""
        assert stored(original) == before

    def test_an_original_given_another_key_meanwhile_keeps_it_and_the_form_says_so(
        self, editor_client, original, admin_form
    ):
        form = translation_form(editor_client, admin_form, original)
        NewsItem.objects.filter(pk=original.pk).update(translation_group="most")

        response = form.submit(title="Рамонт маста", lead="Мост зачыняць на тыдзень.")
        response = editor_client.get(response.url)

        assert stored(original)["translation_group"] == "most"
        assert (
            "“Ремонт моста” was meanwhile given another translation group, “most”"
            in response.content.decode()
        )

    def test_an_original_does_not_join_a_group_of_other_items(
        self, editor_client, original, admin_form, make_item
    ):
        """
        A key other items have (typed, or sent by a hand-edited form) would put
        the published original in their group, which the editor may not do: its
        page would lead to their versions.
        """
        make_item(title="Ярмарка", translation_group="yarmarka")
        fair = make_item(title="Lepel fair", language="en", translation_group="yarmarka")
        before = stored(original)

        form = translation_form(editor_client, admin_form, original)
        response = form.submit(
            title="Рамонт маста", lead="Мост зачыняць на тыдзень.", translation_group="yarmarka"
        )

        assert response.status_code == 302
        assert NewsItem.objects.get(language="be").translation_group == "yarmarka"
        assert stored(original) == before
        page = Client().get(original.get_absolute_url()).content.decode()
        assert switch_links(page)["en"] != fair.get_absolute_url()
        assert (
            "“Ремонт моста” was not linked to this translation: other news items already "
            "have the translation group “yarmarka”."
        ) in editor_client.get(response.url).content.decode()

    def test_a_form_of_the_original_loaded_before_does_not_save_the_key_away(
        self, editor_client, publisher_client, original, admin_form
    ):
        publishers_form = admin_form(publisher_client, original)
        add_translation(editor_client, admin_form, original)

        response = publishers_form.submit(lead="Мост закроют на две недели.")

        assert response.status_code == 200
        form = response.context["adminform"].form
        # Only the translation changed the key: the form takes it, and saving again keeps it.
        assert form.edit_conflict["taken"] == ["Translation group"]
        assert form["translation_group"].value() == "remont-mosta"
        assert stored(original)["translation_group"] == "remont-mosta"


class TestReadersPages:
    def test_the_original_leads_to_its_translation_once_published_cache_and_all(
        self, editor_client, publisher_client, original, admin_form
    ):
        reader = Client()
        url = original.get_absolute_url()
        queries_for(reader, url)
        count, page = queries_for(reader, url)
        assert count == 0  # served from the page cache
        assert switch_links(page)["be"] == "/be/news/"

        translation = add_translation(editor_client, admin_form, original)
        _count, page = queries_for(reader, url)
        assert switch_links(page)["be"] == "/be/news/"  # a draft is not shown
        queries_for(reader, url)

        response = admin_form(publisher_client, translation).submit(is_published="on")
        assert response.status_code == 302
        translation.refresh_from_db()
        assert translation.is_live

        count, page = queries_for(reader, url)
        assert count > 0  # rendered anew
        assert switch_links(page)["be"] == translation.get_absolute_url()
        assert translation.get_absolute_url() in queries_for(reader, url)[1]
        _count, page = queries_for(reader, translation.get_absolute_url())
        assert switch_links(page)["ru"] == url

    def test_a_translation_published_as_it_is_added_shows_at_once(
        self, publisher_client, original, admin_form, settings
    ):
        settings.PORTAL_REQUIRE_SECOND_PERSON = False  # the publisher publishes their own text
        reader = Client()
        url = original.get_absolute_url()
        queries_for(reader, url)
        assert queries_for(reader, url)[0] == 0

        translation = add_translation(
            publisher_client, admin_form, original, "en", is_published="on"
        )

        assert translation.is_live
        assert switch_links(queries_for(reader, url)[1])["en"] == translation.get_absolute_url()
