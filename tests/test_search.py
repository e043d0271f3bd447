import datetime
import importlib
import logging
import re

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.postgres.search import SearchQuery
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import NewsItem, SearchWord
from news.search import SearchTookTooLong, document_text, fold, parse_query

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search (stemming, ranking, trigrams, headlines) exists only on PostgreSQL",
)

SEARCH_URL = "/ru/news/search/"


def search(client, query, language="ru", **params):
    response = client.get(f"/{language}/news/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def found_titles(response) -> list[str]:
    return [item.title for item in response.context["results"]]


def page_title(response) -> str:
    """What a screen reader says first of the page."""
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)[1]


# What PostgreSQL runs around a search to limit its time (`news.search.time_limit`).
TIME_LIMIT_SQL = re.compile(r"(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK|SELECT set_config)\b")


def searching(queries) -> list[dict]:
    """The captured queries that search, without those that limit their time."""
    return [query for query in queries if not TIME_LIMIT_SQL.match(query["sql"])]


class TestSearchText:
    def test_fold_lowercases_and_writes_yo_as_ye_keeping_positions(self):
        assert fold("Ёлка ЕЩЁ Stöße") == "елка еще stöße"
        assert fold("ва Ўстанове, ўзялі") == "ва установе, узялі"
        assert len(fold("İstanbul")) == len("İstanbul")

    def test_document_text_is_title_lead_and_body_text_one_per_line(self):
        text = document_text(
            "Уборка  льна", "Лён\nубран.", "<p>Первый</p><p>второй &amp; <b>третий</b></p>"
        )
        assert text == "уборка льна\nлен убран\nпервый второй третий"

    def test_saving_an_item_keeps_its_search_text_current(self, make_item):
        item = make_item(title="Уборка урожая", body="<p>Идёт <em>жатва</em></p>")
        assert item.search_text.splitlines() == [
            "уборка урожая",
            " ".join(fold(item.lead).rstrip(".").split()),
            "идет жатва",
        ]
        item.title = "Жатва завершена"
        item.save(update_fields=["title"])
        item.refresh_from_db()
        assert item.search_text.startswith("жатва завершена\n")

    def test_saving_an_item_adds_its_words_to_its_languages_vocabulary(self, make_item):
        item = make_item(title="Ёлка на площади", body="<p>В 2025 году ёлку поставят.</p>")
        words = set(SearchWord.objects.filter(language="ru").values_list("word", flat=True))
        assert {"елка", "площади", "году", "елку", "поставят"} <= words
        assert not {"на", "в", "2025"} & words
        assert not SearchWord.objects.exclude(language="ru").exists()
        item.title = "Новогодняя ель"
        item.save(update_fields=["title"])
        assert SearchWord.objects.filter(language="ru", word="новогодняя").exists()

    def test_query_syntax_phrases_exclusions_and_punctuation(self):
        terms = parse_query('"Лепельский  район", урожай -ЯРМАРКА or !!! -"старый парк"')
        assert terms.include == ["лепельский район", "урожай"]
        assert terms.exclude == ["ярмарка", "старый парк"]
        assert not parse_query("!!! ... «»")
        assert not parse_query("-урожай")


class TestSearchPage:
    def test_an_empty_query_shows_the_form_only(self, client, make_item):
        make_item(title="Уборка урожая")
        for response in (client.get(SEARCH_URL), search(client, ""), search(client, "   ")):
            page = response.content.decode()
            assert response.status_code == 200
            assert 'name="q"' in page and 'type="submit"' in page
            assert "search-results" not in page and "ничего не найдено" not in page

    def test_finds_words_in_title_lead_and_body_whatever_their_case(self, client, make_item):
        in_title = make_item(title="Сотрудничество с Витебском")
        in_lead = make_item(lead="Обсудили СОТРУДНИЧЕСТВО в строительстве.")
        in_body = make_item(body="<p>Новое <strong>сотрудничество</strong> начнётся весной.</p>")
        make_item(title="Уборка урожая")

        response = search(client, "Сотрудничество")
        assert sorted(found_titles(response)) == sorted(
            [in_title.title, in_lead.title, in_body.title]
        )
        page = response.content.decode()
        assert "3 результата по запросу «Сотрудничество»" in page
        assert f'href="{in_title.get_absolute_url()}"' in page

    def test_yo_and_ye_match_each_other(self, client, make_item):
        item = make_item(title="Лён убран", body="<p>Ещё одна новость.</p>")
        assert found_titles(search(client, "лен")) == [item.title]
        assert found_titles(search(client, "ЛЁН")) == [item.title]
        other = make_item(title="Елка на площади")
        assert found_titles(search(client, "ёлка")) == [other.title]

    def test_short_u_and_u_match_each_other_in_belarusian(self, client, make_item):
        """Belarusian writes «у» or «ў» by the word before: «у Лепелі», «ва ўстанове»."""
        took = make_item(title="Школьнікі ўзялі ўдзел у конкурсе", language="be")
        institution = make_item(title="Праверка ва ўстанове адукацыі", language="be")
        assert found_titles(search(client, "узялі удзел", language="be")) == [took.title]
        assert found_titles(search(client, "Ўстанове", language="be")) == [institution.title]
        assert found_titles(search(client, "установе", language="be")) == [institution.title]

    def test_search_text_saved_before_short_u_was_folded_is_folded_by_a_migration(self, make_item):
        migration = importlib.import_module("news.migrations.0010_search_text_folds_short_u")
        item = make_item(title="Школьнікі ўзялі ўдзел", language="be")
        NewsItem.objects.filter(pk=item.pk).update(search_text="школьнікі ўзялі ўдзел\n\n")
        SearchWord.objects.filter(word__in=["узялі", "удзел"]).delete()
        SearchWord.objects.bulk_create([SearchWord(language="be", word="ўзялі")])
        migration.fold_short_u(django_apps, None)
        item.refresh_from_db()
        assert item.search_text == "школьнікі узялі удзел\n\n"
        words = set(SearchWord.objects.filter(language="be").values_list("word", flat=True))
        assert "узялі" in words and not [word for word in words if "ў" in word]

    def test_words_are_found_by_their_beginning_not_inside_other_words(self, client, make_item):
        flax = make_item(title="Лён-долгунец убран", body="<p>Урожай льна.</p>")
        make_item(title="Водоснабжение", body="<p>После возобновления подачи воды.</p>")
        assert found_titles(search(client, "лен")) == [flax.title]
        assert found_titles(search(client, "долгунец")) == [flax.title]

    def test_only_published_items_in_the_pages_language(self, client, make_item):
        live = make_item(title="Ярмарка в Лепеле")
        make_item(title="Ярмарка: черновик", is_published=False)
        make_item(
            title="Ярмарка в будущем", published_at=timezone.now() + datetime.timedelta(days=1)
        )
        make_item(title="Ярмарка отменена", withdrawn_at=timezone.now(), withdrawal_reason="Нет.")
        english = make_item(title="Ярмарка fair in Lepel", language="en")

        assert found_titles(search(client, "ярмарка")) == [live.title]
        assert found_titles(search(client, "ярмарка", language="en")) == [english.title]

    def test_a_phrase_in_quotes_and_a_word_to_leave_out(self, client, make_item):
        phrase = make_item(title="Лепельский район готовится к зиме")
        make_item(title="Район Лепельский, но слова в другом порядке")
        with_fair = make_item(title="Лепельский район: ярмарка")

        assert set(found_titles(search(client, '"лепельский район"'))) == {
            phrase.title,
            with_fair.title,
        }
        assert found_titles(search(client, '"лепельский район" -ярмарка')) == [phrase.title]

    def test_nothing_found_is_said_plainly(self, client, make_item):
        make_item(title="Уборка урожая")
        page = search(client, "космодром").content.decode()
        assert "По запросу «космодром» ничего не найдено" in page

    def test_results_are_paginated_and_page_links_keep_the_query(self, client, make_item):
        now = timezone.now()
        for day in range(12):
            make_item(title=f"Ярмарка {day}", published_at=now - datetime.timedelta(days=day))
        make_item(title="Другое")

        first = search(client, "ярмарка")
        assert len(first.context["results"]) == 10
        page = first.content.decode()
        assert "12 результатов" in page
        assert 'href="?q=%D1%8F%D1%80%D0%BC%D0%B0%D1%80%D0%BA%D0%B0&amp;page=2"' in page

        second = search(client, "ярмарка", page=2)
        assert len(second.context["results"]) == 2
        assert 'start="11"' in second.content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            "!!!",
            "...,,,;;",
            '"',
            '""',
            '"незакрытая кавычка',
            "'",
            "%",
            "%%%_%",
            "_",
            "\\",
            "\\\\%\\_",
            "'; DROP TABLE news_newsitem; --",
            "' OR 1=1 --",
            "ярмарка) | (!урожай & <->",
            "-",
            "- - -ярмарка",
            "or",
            "OR OR",
            "&&& ||| !!!",
            "<script>alert(1)</script>",
            "ярмарка" * 28,
            "😀 ✓ 🇧🇾",
        ],
    )
    def test_odd_queries_give_a_normal_page(self, client, make_item, query):
        make_item(title="Ярмарка в Лепеле")
        page = search(client, query).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert NewsItem.objects.count() == 1

    def test_punctuation_only_asks_for_words(self, client, make_item):
        make_item(title="Ярмарка в Лепеле")
        page = search(client, "?!…").content.decode()
        assert "Введите одно или несколько слов для поиска." in page

    @pytest.mark.parametrize("query", ["-ярмарка", '-"ярмарка в лепеле" -лепель'])
    def test_only_words_with_a_minus_ask_for_a_word_to_find(self, client, make_item, query):
        """They were told to type a word, as if they had typed none."""
        make_item(title="Ярмарка в Лепеле")
        page = search(client, query).content.decode()
        assert (
            "Слова с минусом только исключают новости: добавьте и слово, которое нужно найти."
            in page
        )
        assert "Введите одно или несколько слов" not in page

    def test_the_title_says_what_the_search_came_to(self, client, make_item):
        """The live regions are there before the page loads: none is announced."""
        for _number in range(3):
            make_item(title="Ярмарка в Лепеле")
        pages = {
            "ярмарка": "Поиск: ярмарка — 3 результата — ",
            "вертолёт": "Поиск: вертолёт — ничего не найдено — ",
            "": "Поиск — ",
            "я" * 201: "Ошибка: Поиск — ",
        }
        for query, title in pages.items():
            assert page_title(search(client, query)).startswith(title), query
        response = search(client, "кірмаш", language="be")
        assert page_title(response).startswith("Пошук: кірмаш — нічога не знойдзена — ")

    @pytest.mark.parametrize("query", ["я" * 201, "ярмарка\x00", "\x00"])
    def test_too_long_queries_and_nul_characters_are_form_errors(self, client, make_item, query):
        make_item(title="Ярмарка в Лепеле")
        response = search(client, query)
        page = response.content.decode()
        assert response.context["form"].errors
        assert 'aria-invalid="true"' in page and 'class="form-errors"' in page
        # Screen readers read the error, then the help, which stays on the page.
        assert 'aria-describedby="search-errors search-help"' in page
        assert not response.context["results"]

    def test_a_query_of_200_characters_is_accepted(self, client, make_item):
        item = make_item(title="Ярмарка в Лепеле")
        query = ("ярмарка " * 25)[:200]
        assert len(query) == 200
        response = search(client, query)
        assert not response.context["form"].errors
        assert found_titles(response) == [item.title]

    def test_a_query_of_more_than_ten_different_words_is_a_form_error(self, client, make_item):
        """Forty common words, each searched in up to three passes, cost a second a query."""
        item = make_item(title="Ярмарка в Лепеле")
        ten = "ярмарка в лепеле пройдёт в субботу на площади дома культуры -концерт"
        assert not search(client, ten).context["form"].errors
        response = search(client, f"{ten} ремесленников")
        assert response.context["form"].errors["q"] == [
            "В запросе может быть не больше 10 разных слов."
        ]
        assert not response.context["results"]
        assert found_titles(search(client, "ярмарка лепеле")) == [item.title]

    def test_snippet_marks_the_words_and_cannot_inject_markup(self, client, make_item):
        make_item(
            title="Ярмарка",
            lead="Ярмарка <img src=x onerror=alert(1)> пройдёт в субботу.",
            body="<p>На ярмарке &lt;b&gt;не&lt;/b&gt; будет \ue000 меда.</p>",
        )
        page = search(client, "ярмарка").content.decode()
        snippet = page.split('class="search-result__snippet">')[1].split("</p>")[0]
        assert "<mark>" in snippet.lower()
        assert "<img" not in snippet and "&lt;img src=x onerror=alert(1)&gt;" in snippet
        assert "<b>" not in snippet
        assert snippet.count("<mark>") == snippet.count("</mark>")

    def test_the_query_is_escaped_in_the_page(self, client, make_item):
        page = search(client, '<b>"ярмарка"</b>').content.decode()
        assert "<b>" not in page.split("<main")[1]
        assert "&lt;b&gt;" in page

    def test_query_count_does_not_grow_with_the_number_of_results(self, client, make_item):
        def queries_for(count: int) -> int:
            for _ in range(count):
                make_item(title="Ярмарка мёда")
            with CaptureQueriesContext(connection) as queries:
                search(client, "ярмарка")
            return len(queries)

        search(client, "ярмарка")  # whatever the site caches on a first request
        assert queries_for(1) == queries_for(14)

    def test_a_page_of_results_takes_two_queries_and_no_count(self, client, make_item):
        for _ in range(14):
            make_item(title="Ярмарка мёда")
        search(client, "ярмарка")  # whatever the site caches on a first request
        with CaptureQueriesContext(connection) as queries:
            response = search(client, "ярмарка", page=2)
        assert len(found_titles(response)) == 4
        assert "14" in response.content.decode().split('class="search-summary"')[1][:80]
        assert len(searching(queries)) == 2  # the matches' ids, then the page's items
        assert not any("COUNT(" in query["sql"].upper() for query in queries)

    def test_query_count_is_the_same_when_falling_back_or_finding_nothing(self, client, make_item):
        make_item(title="Ярмарка мёда")
        search(client, "ярмарка")  # whatever the site caches on a first request
        counts = set()
        for query in ("ярмарка", "космодром"):
            with CaptureQueriesContext(connection) as queries:
                search(client, query)
            counts.add(len(searching(queries)))
        assert max(counts) <= 3


def test_every_page_has_a_search_form_in_the_header(client, make_item):
    item = make_item()
    for url in ("/ru/", "/en/news/", item.get_absolute_url(), SEARCH_URL):
        header = client.get(url).content.decode().split("</header>")[0]
        assert '<form class="site-search" role="search" action="/' in header
        assert '<label class="visually-hidden" for="site-search-query">' in header
        assert 'id="site-search-query" name="q"' in header
        assert '<button class="site-search__button" type="submit">' in header


@postgresql_only
class TestFullTextSearch:
    def test_finds_other_forms_of_a_word(self, client, make_item):
        item = make_item(
            title="Перспективы сотрудничества с предприятиями Витебской области",
            body="<p>Участники обсудили сотрудничества в переработке.</p>",
        )
        make_item(title="Уборка урожая")
        assert found_titles(search(client, "сотрудничество")) == [item.title]

        english = make_item(title="Belarus to cooperate in construction", language="en")
        assert found_titles(search(client, "cooperation", language="en")) == [english.title]

    def test_a_title_match_outranks_a_body_match(self, client, make_item):
        now = timezone.now()
        in_body = make_item(
            title="Новости района",
            body="<p>Ярмарка, ярмарка и ещё раз ярмарка.</p>",
            published_at=now,
        )
        in_title = make_item(
            title="Ярмарка в Лепеле",
            published_at=now - datetime.timedelta(days=30),
        )
        assert found_titles(search(client, "ярмарка")) == [in_title.title, in_body.title]

    def test_equal_ranks_are_newest_first(self, client, make_item):
        now = timezone.now()
        items = [
            make_item(title=f"Ярмарка № {day}", published_at=now - datetime.timedelta(days=day))
            for day in (3, 1, 2)
        ]
        newest_first = sorted(items, key=lambda item: item.published_at, reverse=True)
        assert found_titles(search(client, "ярмарка")) == [item.title for item in newest_first]

    def test_a_typo_in_a_title_word_is_forgiven_when_nothing_else_matches(self, client, make_item):
        item = make_item(title="Перспективы сотрудничества с предприятиями Витебской области")
        make_item(title="Уборка урожая")
        assert found_titles(search(client, "сотрудничиство")) == [item.title]
        assert found_titles(search(client, "сотрудничиство -витебской")) == []

    def test_a_typo_finds_the_word_it_misspells_wherever_it_is(self, client, make_item):
        item = make_item(title="Дороги района", body="<p>Начался ремонт моста.</p>")
        make_item(title="Уборка урожая")
        assert found_titles(search(client, "рмонт")) == [item.title]
        page = search(client, "рмонт").content.decode()
        assert "Начался <mark>ремонт</mark> моста" in page
        # Readers are told they see other words than theirs; which ones, only the snippets say.
        summary = page.split('class="search-summary">')[1].split("</p>")[0]
        assert summary == (
            "По запросу «рмонт» ничего не найдено. Показаны новости с похожими словами."
        )
        summary = search(client, "ремонт").content.decode().split('class="search-summary">')[1]
        assert summary.startswith("1 результат по запросу «ремонт».</p>")
        assert found_titles(search(client, "Ремнт моста")) == [item.title]
        assert found_titles(search(client, "рмонт -района")) == []

    def test_a_typo_never_leads_to_what_readers_may_not_see(self, client, make_item):
        draft = make_item(title="Реорганизация отдела", is_published=False)
        english = make_item(title="Road repairs", language="en")
        assert found_titles(search(client, "реорганизацыя")) == []
        assert draft.title not in search(client, "реорганизацыя").content.decode()
        assert found_titles(search(client, "repairz")) == []
        assert found_titles(search(client, "repairz", language="en")) == [english.title]

    def test_typos_are_looked_for_in_queries_of_three_words_at_most(self, client, make_item):
        item = make_item(title="Начался ремонт моста у дома культуры")
        assert found_titles(search(client, "рмонт моста дома")) == [item.title]
        with CaptureQueriesContext(connection) as queries:
            assert found_titles(search(client, "рмонт моста дома культуры")) == []
        assert not any("similarity" in query["sql"] for query in queries.captured_queries)

    def test_the_most_similar_words_come_first(self, make_item):
        make_item(title="Ремонт дорог", body="<p>Ремонта не было: ремонтные работы.</p>")
        assert SearchWord.objects.similar_to("ru", "рмонт")[0] == "ремонт"
        assert len(SearchWord.objects.similar_to("ru", "ремонт", count=2)) == 2
        assert SearchWord.objects.similar_to("en", "ремонт") == []

    def test_the_beginning_of_a_word_finds_longer_words_before_trigrams(self, client, make_item):
        sports = make_item(title="Районные игры", body="<p>Прошли спортивные соревнования.</p>")
        make_item(title="Спорт: итоги года", body="<p>Итоги.</p>", language="en")
        make_item(title="Уборка урожая")
        page = search(client, "спорт").content.decode()
        assert found_titles(search(client, "спорт")) == [sports.title]
        assert "Прошли <mark>спортивные</mark> соревнования" in page
        assert found_titles(search(client, "спорт -игры")) == []

    def test_web_search_syntax_keeps_phrases_together(self, client, make_item):
        phrase = make_item(title="Лепельский район готовится к зиме")
        apart = make_item(title="Район и Лепельский сельсовет")
        assert set(found_titles(search(client, "лепельский район"))) == {phrase.title, apart.title}
        assert found_titles(search(client, '"лепельский район"')) == [phrase.title]
        assert found_titles(search(client, "лепельский -сельсовет")) == [phrase.title]

    def test_belarusian_is_searched_without_a_stemmer_but_with_yo_folded(self, client, make_item):
        item = make_item(title="Лён у раёне", language="be")
        assert found_titles(search(client, "лен", language="be")) == [item.title]
        assert found_titles(search(client, "раене", language="be")) == [item.title]

    def test_the_snippet_highlights_the_matched_forms(self, client, make_item):
        make_item(
            title="Совещание",
            lead="Прошло совещание.",
            body="<p>Участники обсудили, как расширить сотрудничество &amp; торговлю.</p>",
        )
        page = search(client, "сотрудничества").content.decode()
        assert "расширить <mark>сотрудничество</mark> &amp; торговлю" in page

    def test_the_snippet_says_where_it_leaves_text_out(self, client, make_item):
        """ "…" where the passage begins or ends inside the text, as on SQLite; not otherwise."""
        words = " ".join(f"слово{n}" for n in range(60))
        make_item(title="Длинная", lead="Начало текста.", body=f"<p>{words} ремонт {words}</p>")
        make_item(title="Короткая", lead="Прошёл ремонт дороги.", body="<p>Движение открыто.</p>")
        snippets = [
            part.split("</p>")[0]
            for part in search(client, "ремонт")
            .content.decode()
            .split('class="search-result__snippet">')[1:]
        ]
        short, long = sorted(snippets)
        assert short == "Прошёл <mark>ремонт</mark> дороги. Движение открыто."
        assert re.fullmatch(r"… слово\d+ (слово\d+ )+<mark>ремонт</mark>( слово\d+)+ …", long), long

    def test_belarusian_snippets_mark_words_with_short_u_and_yo(self, client, make_item):
        """PostgreSQL's headline, without a stemmer, would mark only «аутобус», «лен»."""
        make_item(
            title="Расклад",
            language="be",
            lead="Змены ў раскладзе.",
            body="<p>Новы аўтобус на Лён-Завод ходзіць з панядзелка.</p>",
        )
        for query in ("аўтобус", "аутобус"):
            page = search(client, query, language="be").content.decode()
            assert "Новы <mark>аўтобус</mark> на" in page
        assert "Новы аўтобус на <mark>Лён</mark>-Завод" in (
            search(client, "лен", language="be").content.decode()
        )

    def test_the_vector_is_filled_for_bulk_created_and_updated_rows(self, category):
        def matching(word):
            query = SearchQuery(word, config="russian")
            return list(NewsItem.objects.filter(search_vector=query).values_list("pk", flat=True))

        NewsItem.objects.bulk_create(
            [
                NewsItem(
                    title="Новость",
                    slug="novost",
                    lead="",
                    category=category,
                    search_text=document_text("Новость", "", "<p>Тракторы вышли в поле.</p>"),
                )
            ]
        )
        assert len(matching("трактор")) == 1
        NewsItem.objects.update(search_text=document_text("Новость", "", "<p>Сеялки.</p>"))
        assert matching("трактор") == [] and len(matching("сеялка")) == 1


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=260))
def test_any_query_at_all_gives_a_normal_page(client, make_item, query):
    if not NewsItem.objects.exists():
        make_item(title="Ярмарка «Лепельская осень» — 2026", body="<p>Мёд &amp; сыр.</p>")
    with override_settings(PORTAL_SEARCH_RATE_LIMIT=0):  # sixty searches from one address
        response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200


def test_a_word_in_very_many_items_shows_the_newest_matches(client, make_item, monkeypatch):
    monkeypatch.setattr("news.search.SEARCH_CANDIDATES", 5)
    monkeypatch.setattr("news.views.SEARCH_CANDIDATES", 5)
    now = timezone.now()
    items = [
        make_item(title=f"Ярмарка {day}", published_at=now - datetime.timedelta(days=day))
        for day in range(8)
    ]
    response = search(client, "ярмарка")
    assert sorted(found_titles(response)) == sorted(item.title for item in items[:5])
    assert "Подходит много новостей: показаны 5 самых новых." in response.content.decode()


# 12:00:45 in Minsk: the minute's searches are counted until 12:01:00.
MID_MINUTE = datetime.datetime(2026, 5, 4, 9, 0, 45, tzinfo=datetime.UTC)
LIMITED = {
    "ru": "С вашего адреса за последнюю минуту пришло слишком много поисковых запросов. "
    "Пожалуйста, подождите минуту и повторите поиск.",
    "be": "З вашага адраса за апошнюю хвіліну прыйшло занадта шмат пошукавых запытаў. "
    "Калі ласка, пачакайце хвіліну і паўтарыце пошук.",
    "en": "Too many searches have come from your address in the last minute. "
    "Please wait a minute and search again.",
}
TOO_LONG = {
    "ru": "Поиск занял слишком много времени и был прерван. "
    "Попробуйте ввести меньше слов или более точные слова.",
    "be": "Пошук заняў занадта шмат часу і быў перапынены. "
    "Паспрабуйце ўвесці менш слоў або больш дакладныя словы.",
    "en": "The search took too long and was stopped. Try fewer words, or more specific ones.",
}


def refused(response) -> str:
    """The page's message saying why it did not search, or ''."""
    page = response.content.decode()
    found = re.search(r'<p role="status" class="search-refused">([^<]*)</p>', page)
    return found.group(1) if found else ""


def search_from(client, query, address="192.0.2.1", **headers):
    return client.get(SEARCH_URL, {"q": query}, REMOTE_ADDR=address, **headers)


class TestRateLimit:
    @pytest.fixture
    def clock(self):
        with time_machine.travel(MID_MINUTE, tick=False) as traveller:
            yield traveller

    @pytest.fixture
    def three_a_minute(self, settings, clock, make_item):
        settings.PORTAL_SEARCH_RATE_LIMIT = 3
        return make_item(title="Ярмарка в Лепеле")

    @pytest.mark.parametrize("language", ["ru", "be", "en"])
    def test_a_search_over_the_limit_is_429_saying_so_with_the_query_kept(
        self, client, make_item, three_a_minute, clock, language
    ):
        make_item(title="Кірмаш у Лепелі", language="be")
        make_item(title="Lepel fair", language="en")
        query = {"ru": "ярмарка", "be": "кірмаш", "en": "fair"}[language]
        url = f"/{language}/news/search/"
        for _ in range(3):
            response = client.get(url, {"q": query})
            assert response.status_code == 200 and len(response.context["results"]) == 1
            assert refused(response) == ""

        response = client.get(url, {"q": query})
        page = response.content.decode()
        assert response.status_code == 429
        assert response["Retry-After"] == "15"  # the seconds left of the minute
        assert refused(response) == LIMITED[language]
        outcome = {
            "ru": "слишком много поисков, подождите минуту",
            "be": "занадта шмат пошукаў, пачакайце хвіліну",
            "en": "too many searches, wait a minute",
        }[language]
        assert f"{query} — {outcome} — " in page_title(response)
        assert f'name="q" id="id_q" value="{query}"' in page
        assert not response.context["results"] and "search-results" not in page
        assert f'<html lang="{language}"' in page
        assert "no-store" in response["Cache-Control"]

        clock.shift(15)  # the next minute
        assert found_titles(search(client, query, language=language))

    def test_every_worker_counts_the_same_searches(self, client, three_a_minute):
        """Each gunicorn worker has a memory of its own: counted there, 2 workers allowed 6."""
        for _ in range(3):
            search(client, "ярмарка")
            caches["default"].clear()  # the next request goes to another worker
        assert client.get(SEARCH_URL, {"q": "ярмарка"}).status_code == 429

    def test_a_page_of_results_over_the_limit_is_429_too(self, client, three_a_minute):
        for _ in range(3):
            search(client, "ярмарка")
        response = client.get(SEARCH_URL, {"q": "ярмарка", "page": "3"})
        assert response.status_code == 429
        assert refused(response) == LIMITED["ru"]

    def test_the_limit_page_is_never_kept_by_the_page_cache(self, client, three_a_minute, clock):
        for _ in range(4):
            response = client.get(SEARCH_URL, {"q": "ярмарка"})
        assert response.status_code == 429
        clock.shift(15)
        response = client.get(SEARCH_URL, {"q": "ярмарка"})
        assert response.status_code == 200 and found_titles(response) == ["Ярмарка в Лепеле"]

    def test_only_searches_with_words_are_counted(self, client, three_a_minute):
        """The empty form, a query without words and a form error do not search."""
        for _ in range(10):
            for params in ({}, {"q": ""}, {"q": "   "}, {"q": "?!…"}, {"q": "я" * 201}):
                assert client.get(SEARCH_URL, params).status_code == 200
        for _ in range(3):
            assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]
        assert client.get(SEARCH_URL, {"q": "ярмарка"}).status_code == 429
        # The empty form still works: it costs nothing.
        response = client.get(SEARCH_URL)
        assert response.status_code == 200 and refused(response) == ""

    def test_each_address_has_its_own_count(self, client, three_a_minute):
        for _ in range(3):
            assert search_from(client, "ярмарка", "192.0.2.1").status_code == 200
        assert search_from(client, "ярмарка", "192.0.2.1").status_code == 429
        assert search_from(client, "ярмарка", "192.0.2.2").status_code == 200

    def test_an_ipv6_network_of_one_subscriber_has_one_count(self, client, three_a_minute):
        """A /64 is one household's or phone's: a new address each time is no way round."""
        for address in ("2001:db8:0:7::1", "2001:db8:0:7::2", "2001:db8:0:7:abcd:ef01:2345:6789"):
            assert search_from(client, "ярмарка", address).status_code == 200
        assert search_from(client, "ярмарка", "2001:db8:0:7::ffff").status_code == 429
        assert search_from(client, "ярмарка", "2001:db8:0:8::1").status_code == 200
        for _ in range(3):  # an IPv4 address written as IPv6 is that address
            assert search_from(client, "ярмарка", "192.0.2.9").status_code == 200
        assert search_from(client, "ярмарка", "::ffff:192.0.2.9").status_code == 429

    def test_behind_a_proxy_the_address_it_saw_is_counted(self, client, settings, three_a_minute):
        """nginx's own address is everyone's; entries left of its own are the client's claims."""
        settings.PORTAL_TRUSTED_PROXY_COUNT = 1
        for claim in ("198.51.100.1, ", "198.51.100.2, ", ""):
            response = search_from(
                client, "ярмарка", "127.0.0.1", HTTP_X_FORWARDED_FOR=f"{claim}203.0.113.7"
            )
            assert response.status_code == 200
        response = search_from(
            client, "ярмарка", "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3, 203.0.113.7"
        )
        assert response.status_code == 429
        response = search_from(client, "ярмарка", "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert response.status_code == 200

    def test_staff_are_not_limited(self, staff_client, three_a_minute):
        for _ in range(10):
            response = staff_client.get(SEARCH_URL, {"q": "ярмарка"})
            assert response.status_code == 200 and found_titles(response)

    def test_no_limit_when_it_is_zero(self, client, settings, three_a_minute):
        settings.PORTAL_SEARCH_RATE_LIMIT = 1
        search(client, "ярмарка")
        assert client.get(SEARCH_URL, {"q": "ярмарка"}).status_code == 429
        settings.PORTAL_SEARCH_RATE_LIMIT = 0
        for _ in range(10):
            assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]

    def test_without_a_reachable_cache_readers_still_search(
        self, client, settings, three_a_minute, caplog
    ):
        unreachable = {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        settings.CACHES = {**settings.CACHES, "default": unreachable, "shared": unreachable}
        for _ in range(5):
            assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]
        assert "searches are not counted" in caplog.text


class TestTimeLimit:
    @postgresql_only
    def test_postgresql_stops_a_search_that_takes_too_long(
        self, client, make_item, settings, caplog
    ):
        """
        Every query that reads the news first sleeps a second, under the search's
        limit of a millisecond: PostgreSQL cancels it, and the page says so.
        """
        make_item(title="Ярмарка в Лепеле")
        settings.PORTAL_SEARCH_TIMEOUT_MS = 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (usual,) = cursor.fetchone()

        def slow(execute, sql, params, many, context):
            if "news_newsitem" in sql:
                context["cursor"].execute("SELECT pg_sleep(1)")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(slow), caplog.at_level(logging.INFO):
            response = client.get(SEARCH_URL, {"q": "ярмарка"})
        page = response.content.decode()
        assert response.status_code == 200
        assert refused(response) == TOO_LONG["ru"]
        assert 'name="q" id="id_q" value="ярмарка"' in page
        assert not response.context["results"] and "search-results" not in page
        assert "no-store" in response["Cache-Control"]
        assert [record.levelname for record in caplog.records if record.name == "news.views"] == [
            "WARNING"
        ]
        assert not [record for record in caplog.records if record.levelno >= logging.ERROR]

        # The limit was the search's alone: it ended with it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.01), current_setting('statement_timeout')")
            assert cursor.fetchone()[1] == usual
        assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]

    @postgresql_only
    def test_the_limit_ends_with_the_search_inside_a_transaction_too(
        self, client, make_item, settings
    ):
        """
        The search's queries have the limit; the queries after it do not, though
        the test runs in a transaction (the search's is a savepoint then).
        """
        make_item(title="Ярмарка в Лепеле")
        settings.PORTAL_SEARCH_TIMEOUT_MS = 1234
        seen = []

        def note_the_limit(execute, sql, params, many, context):
            if "news_newsitem" in sql:
                context["cursor"].execute("SELECT current_setting('statement_timeout')")
                seen.append(context["cursor"].fetchone()[0])
            return execute(sql, params, many, context)

        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (usual,) = cursor.fetchone()
        with connection.execute_wrapper(note_the_limit):
            assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]
        assert seen and set(seen) == {"1234ms"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            assert cursor.fetchone() == (usual,)

    @pytest.mark.skipif(
        connection.vendor == "postgresql",
        reason="SQLite cannot stop a statement on time: the limit is PostgreSQL's alone",
    )
    def test_sqlite_searches_without_a_time_limit(self, client, make_item, settings):
        make_item(title="Ярмарка в Лепеле")
        settings.PORTAL_SEARCH_TIMEOUT_MS = 1
        with CaptureQueriesContext(connection) as queries:
            assert found_titles(search(client, "ярмарка")) == ["Ярмарка в Лепеле"]
        assert searching(queries) == queries.captured_queries

    @pytest.mark.parametrize("language", ["ru", "be", "en"])
    def test_the_page_says_the_search_took_too_long_in_its_language(
        self, client, make_item, monkeypatch, language
    ):
        """What the view gives when the database stops a search, on any database."""

        def stopped(using):
            raise SearchTookTooLong

        monkeypatch.setattr("news.views.time_limit", stopped)
        response = client.get(f"/{language}/news/search/", {"q": "ярмарка", "page": "2"})
        assert response.status_code == 200
        assert refused(response) == TOO_LONG[language]
        assert not response.context["results"]
