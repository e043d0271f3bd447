"""
The admin's search finds words whatever the case of their letters, Cyrillic
too, on SQLite (portal/sqlite_like.py) as on PostgreSQL (ILIKE), and reads ё
as е and ў as у (FoldedSearchMixin).
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import NewsItem
from notices.models import UrgentNotice
from portal.sqlite_like import like

pytestmark = pytest.mark.django_db


def found(client, query, changelist="admin:news_newsitem_changelist") -> list[str]:
    page = client.get(reverse(changelist), {"q": query})
    assert page.status_code == 200
    return sorted(str(item) for item in page.context["cl"].result_list)


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Москва и Лепель", "москва"),
        ("ремонт дорог в Лепеле", "ЛЕПЕЛЕ"),
        ("Ёлка на площади", "ёлка"),
        ("ЎЗДЗЕЯННЕ НА ПРЫРОДУ", "ўздзеянне"),
        ("Іспыты ў школах", "іСПЫТЫ Ў"),
        ("Спартыўнае свята", "СПАРТЫЎНАЕ"),
        # As the public search does, it reads ё as е and ў as у: staff type «прошел».
        ("Сезон прошёл спокойно", "прошел"),
        ("Ёлка на площади", "елка"),
        ("Падрыхтоўка да зімы", "падрыхтоука"),
        ("Пасяджэнне ЎРАДА", "урада"),
    ],
)
def test_the_admins_search_finds_words_in_any_case(staff_client, make_item, title, query):
    make_item(title=title)
    make_item(title="Другая новость")
    assert found(staff_client, query) == [title]


def test_the_search_looks_in_the_lead_and_body_and_in_other_lists(staff_client, make_item):
    make_item(title="Первая", lead="Дорога на МОСКВУ закрыта.")
    make_item(title="Вторая", body="<p>ПРАЦЯГ у Менску</p>")
    assert found(staff_client, "москву") == ["Первая"]
    assert found(staff_client, "працяг") == ["Вторая"]

    UrgentNotice.objects.create(
        text="Перекрыта улица ЛЕНИНА", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    UrgentNotice.objects.create(
        text="Гололёд", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    notices = found(staff_client, "ленина", "admin:notices_urgentnotice_changelist")
    assert len(notices) == 1 and "ЛЕНИНА" in notices[0]


def test_wildcards_in_the_admins_search_are_plain_characters(staff_client, make_item):
    titles = ["Скидка 50% на проезд", "Скидка 50 рублей", "имя_файла", "имя файла"]
    titles += ["C:\\Отчёт", "C:Отчёт", "100%_Ў"]
    for title in titles:
        make_item(title=title)
    assert found(staff_client, "50%") == ["Скидка 50% на проезд"]
    assert found(staff_client, "%") == ["100%_Ў", "Скидка 50% на проезд"]
    assert found(staff_client, "я_ф") == ["имя_файла"]
    assert found(staff_client, "_") == ["100%_Ў", "имя_файла"]
    assert found(staff_client, "c:\\отчёт") == ["C:\\Отчёт"]
    assert found(staff_client, "\\") == ["C:\\Отчёт"]
    assert found(staff_client, "%_ў") == ["100%_Ў"]


def test_case_insensitive_lookups_fold_every_letter(make_item):
    item = make_item(title="Ўрад і ЛЕПЕЛЬ")
    titles = NewsItem.objects.values_list("title", flat=True)
    assert list(titles.filter(title__iexact="ўрад і лепель")) == [item.title]
    assert list(titles.filter(title__istartswith="ЎРАД")) == [item.title]
    assert list(titles.filter(title__iendswith="лепель")) == [item.title]
    assert list(titles.filter(title__icontains="Д І л")) == [item.title]
    assert not titles.filter(title__iexact="ўрад і лепел")
    # `exact` is `=` on both databases: it stays exact.
    assert not titles.filter(title__exact="ўрад і лепель")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's LIKE")
def test_on_sqlite_lookups_without_an_i_ignore_case_for_every_letter_as_for_ascii(make_item):
    """Django documents that SQLite's `contains` ignores the case of ASCII; now of all letters."""
    item = make_item(title="Minsk — Мінск")
    titles = NewsItem.objects.values_list("title", flat=True)
    assert list(titles.filter(title__contains="MINSK")) == [item.title]
    assert list(titles.filter(title__contains="МІНСК")) == [item.title]
    assert list(titles.filter(title__startswith="minsk")) == [item.title]
    assert list(titles.filter(title__endswith="мінск")) == [item.title]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'Ў' LIKE 'ў', 'Ў' LIKE NULL, NULL LIKE 'ў', 'ў' LIKE 'Ў' ESCAPE NULL"
        )
        assert cursor.fetchone() == (1, None, None, None)


class TestLike:
    """The function SQLite calls for LIKE, by itself."""

    @pytest.mark.parametrize(
        ("value", "pattern", "matches"),
        [
            ("Москва", "москва", True),
            ("Москва", "москв", False),
            ("Москва", "%СКВ%", True),
            ("Москва", "м_сква", True),
            ("Москва", "м_ква", False),
            ("Москва", "%", True),
            ("", "%", True),
            ("", "_", False),
            ("abcabc", "%b_a%c", True),
            ("abcab", "a%b%c%a%c", False),
            ("a", "a%a", False),
            ("строка\nвторая", "%А\nВ%", True),
            ("ΣΊΣΥΦΟΣ", "σίσυφος", True),
            # One character is one character: «ß» is not «ss».
            ("Straße", "STRA_E", True),
            ("Straße", "STRASSE", False),
        ],
    )
    def test_wildcards_and_case(self, value, pattern, matches):
        assert like(pattern, value) == int(matches)

    @pytest.mark.parametrize(
        ("value", "pattern", "matches"),
        [
            ("50%", "50\\%", True),
            ("50x", "50\\%", False),
            ("a_b", "a\\_b", True),
            ("axb", "a\\_b", False),
            ("a\\b", "a\\\\b", True),
            ("a\\b", "a\\b", False),  # "\b" is a literal "b"
            ("ab", "a\\b", True),
            ("a\\", "a\\", False),  # a lone escape at the end matches nothing, as in SQLite
        ],
    )
    def test_the_escape_character_makes_the_next_one_literal(self, value, pattern, matches):
        assert like(pattern, value, "\\") == int(matches)

    def test_without_escape_a_backslash_is_a_character(self):
        assert like("a\\%", "a\\bc") == 1

    def test_null_gives_null(self):
        assert like(None, "a") is None
        assert like("a", None) is None
        assert like("a", "a", None) is None

    def test_other_values_are_read_as_text(self):
        assert like("%2%", 123) == 1
        assert like("ў%", "Ўрад".encode()) == 1

    def test_an_escape_of_more_than_one_character_is_an_error(self):
        with pytest.raises(ValueError, match="single character"):
            like("a", "a", "ab")


def test_sections_and_notices_are_searched_reading_yo_as_ye_too(staff_client, category):
    UrgentNotice.objects.create(
        text="Гололёд на дорогах", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    notices = found(staff_client, "гололед", "admin:notices_urgentnotice_changelist")
    assert notices and "Гололёд" in notices[0]
    category.name = "Учёба"
    category.save()
    assert found(staff_client, "учеба", "admin:news_category_changelist") == ["Учёба"]
