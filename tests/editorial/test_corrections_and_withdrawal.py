"""
Corrections and withdrawal: honest public notes on published items.
"""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from news.models import NewsItem
from news.workflow import describe_change_reason

from .conftest import admin_url, client_for

pytestmark = pytest.mark.django_db


def shown_date(moment) -> str:
    """The day of `moment` as a notice gives it: the one it had in Minsk, not today's."""
    return date_format(timezone.localtime(moment), "j E Y")


class TestCorrections:
    def test_a_publisher_marks_a_change_as_a_correction_shown_under_the_date(
        self, publisher_client, publisher, make_item, admin_form
    ):
        item = make_item(language="en", body="<p>Citizens are received on Friday.</p>")

        response = admin_form(publisher_client, item).submit(
            body="<p>Citizens are received on Thursday.</p>",
            correction_note="The reception day was corrected: Thursday, not Friday.",
        )

        assert response.status_code == 302
        correction = item.corrections.get()
        assert correction.created_by == publisher
        page = Client().get(item.get_absolute_url()).content.decode()
        day = shown_date(correction.created_at)
        notice = f"Updated on {day}: The reception day was corrected: Thursday, not Friday."
        assert f'<p class="article__corrections">{notice}</p>' in page
        # After the title and lead, where one who goes to the heading reads on.
        assert page.index("<h1") < page.index(notice) < page.index('class="article__body"')
        assert describe_change_reason(item.history.latest().history_change_reason).startswith(
            "Correction: The reception day was corrected"
        )

    def test_several_corrections_are_listed(self, publisher_client, make_item, admin_form):
        item = make_item()
        for note in ("Уточнён адрес.", "Исправлена фамилия."):
            admin_form(publisher_client, item).submit(correction_note=note)

        page = Client().get(item.get_absolute_url()).content.decode()
        corrections = page.split('<ul class="article__corrections"')[1].split("</ul>")[0]
        assert corrections.count("<li>") == 2
        assert corrections.index("Уточнён адрес.") < corrections.index("Исправлена фамилия.")

        change_page = publisher_client.get(admin_url("admin:news_newsitem_change", args=[item.pk]))
        assert "Исправлена фамилия." in change_page.content.decode()  # listed in the admin

    def test_an_ordinary_change_is_not_a_correction(self, publisher_client, make_item, admin_form):
        item = make_item()
        admin_form(publisher_client, item).submit(lead="Другое краткое содержание.")
        assert not item.corrections.exists()
        assert "article__corrections" not in Client().get(item.get_absolute_url()).content.decode()

    def test_only_published_items_take_corrections(
        self, publisher_client, editor, draft_by, admin_form
    ):
        draft = draft_by(editor)
        form = admin_form(publisher_client, draft)
        assert "correction_note" not in form.data
        form.submit(correction_note="Попытка.")
        assert not draft.corrections.exists()


class TestWithdrawal:
    def withdraw(self, client, item, **data):
        return client.post(admin_url("admin:news_newsitem_withdraw", args=[item.pk]), data)

    def test_a_withdrawn_item_leaves_the_lists_and_its_page_shows_a_notice(
        self, publisher_client, make_item
    ):
        item = make_item(title="Competition for a vacant post", language="en")
        reason = "The competition was cancelled by the district executive committee."

        response = self.withdraw(publisher_client, item, reason=reason)

        assert response.status_code == 302
        item.refresh_from_db()
        assert item.state == NewsItem.State.WITHDRAWN
        assert item not in NewsItem.objects.published()
        reader = Client()
        published = timezone.localtime(item.published_at)
        for url in (
            "/en/",
            "/en/news/",
            f"/en/news/category/{item.category.slug}/",
            f"/en/news/archive/{published:%Y}/",
            f"/en/news/archive/{published:%Y/%m}/",
            "/en/news/feed/rss/",
            "/en/news/feed/atom/",
            "/en/news/search/?q=competition",
        ):
            assert item.title not in reader.get(url).content.decode(), url
        # The sitemap names pages by their address alone.
        assert item.get_absolute_url() not in reader.get("/sitemap-news.xml").content.decode()
        response = reader.get(item.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        notice = f"Withdrawn on {shown_date(item.withdrawn_at)}:</strong>"
        assert notice in page and reason in page
        assert page.index(notice) < page.index('<article class="article"')
        assert item.title in page  # the original text stays

    def test_a_reason_is_required(self, publisher_client, make_item):
        item = make_item()
        response = self.withdraw(publisher_client, item, reason="  ")
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        assert "Please correct the error below." in response.content.decode()  # one error
        item.refresh_from_db()
        assert item.is_live

    def test_an_item_published_in_error_answers_410_gone(self, publisher_client, make_item):
        item = make_item()

        withdrawn = self.withdraw(
            publisher_client, item, reason="Опубликовано по ошибке.", in_error="on"
        )
        message = publisher_client.get(withdrawn["Location"]).content.decode()
        assert "withdrawn as published in error" in message
        assert "its page only says it was removed" in message

        response = Client().get(item.get_absolute_url())
        assert response.status_code == 410
        assert "Опубликовано по ошибке." in response.content.decode()
        assert item.title not in response.content.decode()

    def test_a_withdrawal_can_be_cancelled(self, publisher_client, make_item):
        item = make_item()
        self.withdraw(publisher_client, item, reason="Ошибочно отозвано.")

        self.withdraw(publisher_client, item, cancel_withdrawal="1")

        item.refresh_from_db()
        assert item.is_live
        assert item.title in Client().get("/ru/news/").content.decode()

    def test_the_change_form_does_not_end_a_withdrawal(
        self, publisher_client, make_item, admin_form
    ):
        """Unticking "Published" cleared the notice and its reason without a word."""
        item = make_item()
        self.withdraw(publisher_client, item, reason="Сведения устарели.")
        item.refresh_from_db()
        form = admin_form(publisher_client, item)
        assert "is_published" not in form.data

        # A forged form unticks it all the same.
        response = form.submit(is_published=None, lead="Уточнённая аннотация.")

        assert response.status_code == 302
        item.refresh_from_db()
        assert item.lead == "Уточнённая аннотация."
        assert item.is_withdrawn and item.withdrawal_reason == "Сведения устарели."

    def test_drafts_are_unpublished_not_withdrawn(self, publisher_client, editor, draft_by):
        draft = draft_by(editor)
        self.withdraw(publisher_client, draft, reason="Причина.")
        draft.refresh_from_db()
        assert draft.withdrawn_at is None

    def test_the_history_records_who_withdrew_and_why(self, make_user, make_item):
        publisher = make_user("anna.publisher", "Publisher")
        item = make_item()
        self.withdraw(client_for(publisher), item, reason="Устаревшие сведения.")
        latest = item.history.latest()
        assert latest.history_user == publisher
        assert describe_change_reason(latest.history_change_reason) == (
            "Withdrawn: Устаревшие сведения."
        )
