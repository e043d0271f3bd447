"""
Scheduling: a publisher sets a future time, in Minsk time; the item appears by
itself when the time comes, with no cron job.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import WARNING, get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from news.models import NewsItem

from .conftest import admin_url

pytestmark = pytest.mark.django_db

MINSK = zoneinfo.ZoneInfo("Europe/Minsk")
CHANGELIST = admin_url("admin:news_newsitem_changelist")


def test_a_publisher_schedules_an_item_that_appears_when_its_time_comes(
    publisher_client, publisher, editor, draft_by, admin_form
):
    draft = draft_by(editor, title="Ярмарка выходного дня")
    # An item can be scheduled a year ahead at most: this is December 2029.
    with time_machine.travel(datetime.datetime(2029, 12, 1, 12, 0, tzinfo=MINSK)):
        publisher_client.force_login(publisher)
        form = admin_form(publisher_client, draft)
        help_text = str(form.response.context["adminform"].form.fields["published_at"].help_text)
        assert "Europe/Minsk" in help_text
        response = form.submit(
            is_published="on", published_at_0="2030-03-01", published_at_1="09:00:00"
        )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at == datetime.datetime(2030, 3, 1, 6, 0, tzinfo=datetime.UTC)
    assert draft.state == NewsItem.State.SCHEDULED

    listing = publisher_client.get(CHANGELIST)
    assert "Scheduled for 1 March 2030, 09:00" in listing.content.decode()

    reader = Client()
    assert "Ярмарка выходного дня" not in reader.get("/ru/news/").content.decode()
    assert reader.get(draft.get_absolute_url()).status_code == 404

    with time_machine.travel(datetime.datetime(2030, 3, 1, 9, 1, tzinfo=MINSK), tick=False):
        assert NewsItem.objects.published().filter(pk=draft.pk).exists()
        assert "Ярмарка выходного дня" in reader.get("/ru/news/").content.decode()
        assert "Ярмарка выходного дня" in reader.get("/ru/").content.decode()
        assert reader.get(draft.get_absolute_url()).status_code == 200
        assert "Ярмарка выходного дня" in reader.get("/ru/news/feed/rss/").content.decode()
        sitemap = reader.get("/sitemap-news.xml").content.decode()
        assert draft.get_absolute_url() in sitemap

    assert "Ярмарка выходного дня" not in reader.get("/ru/news/feed/rss/").content.decode()
    assert draft.get_absolute_url() not in reader.get("/sitemap-news.xml").content.decode()


def test_a_draft_published_from_its_form_goes_out_dated_now(
    publisher_client, editor, draft_by, make_item, admin_form
):
    """Not at the time its writer began it, days ago, below the news published since."""
    days_ago = timezone.now() - datetime.timedelta(days=3)
    draft = draft_by(editor, title="Ярмарка выходного дня", published_at=days_ago)
    make_item(title="Вчерашняя новость", published_at=days_ago + datetime.timedelta(days=2))

    form = admin_form(publisher_client, draft)
    assert "A draft published now gets the current time" in form.response.text
    before = timezone.now()
    response = form.submit(is_published="on")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at >= before
    assert NewsItem.objects.published().first().title == "Ярмарка выходного дня"


def test_a_time_set_in_the_publishing_save_stands(publisher_client, editor, draft_by, admin_form):
    draft = draft_by(editor, published_at=timezone.now() - datetime.timedelta(days=3))
    chosen = timezone.localtime(timezone.now() - datetime.timedelta(days=10), MINSK).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    response = admin_form(publisher_client, draft).submit(
        is_published="on",
        published_at_0=chosen.date().isoformat(),
        published_at_1="09:30:00",
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at == chosen
    # In case the year or month was mistyped: the publisher is told where it went.
    [warning] = [m for m in get_messages(response.wsgi_request) if m.level == WARNING]
    assert f"is published with the date {chosen.day} {chosen:%B %Y}" in str(warning)
    assert "among that day's news, not at the top" in str(warning)


def test_only_a_past_date_given_in_the_save_is_pointed_out(
    publisher_client, publisher, editor, draft_by, make_item, admin_form
):
    an_hour_ago = timezone.localtime(timezone.now() - datetime.timedelta(hours=1), MINSK)
    backdated = make_item(published_at=timezone.now() - datetime.timedelta(days=400))
    saves = [
        # Published at the current time, as a draft's old time is replaced.
        (draft_by(editor, published_at=timezone.now() - datetime.timedelta(days=3)), {}),
        # Within the last day.
        (
            draft_by(editor),
            {
                "published_at_0": an_hour_ago.date().isoformat(),
                "published_at_1": an_hour_ago.strftime("%H:%M:%S"),
            },
        ),
        # An old item's title corrected: its date was not given in this save.
        (backdated, {"title": "Исправленный заголовок"}),
    ]
    for item, changes in saves:
        response = admin_form(publisher_client, item).submit(is_published="on", **changes)

        assert response.status_code == 302
        assert [m for m in get_messages(response.wsgi_request) if m.level == WARNING] == []


def test_the_backdating_warning_is_in_the_admins_language(
    publisher_client, editor, draft_by, admin_form
):
    draft = draft_by(editor, title="Ярмарка")
    with translation.override("ru"):
        russian_form = reverse("admin:news_newsitem_change", args=[draft.pk])
    response = admin_form(publisher_client, russian_form).submit(
        is_published="on", published_at_0="2025-03-03", published_at_1="10:00:00"
    )

    [warning] = [m for m in get_messages(response.wsgi_request) if m.level == WARNING]
    assert str(warning) == (
        "Новость «Ярмарка» опубликована с датой 3 марта 2025: в списке новостей она "
        "стоит среди новостей того дня, а не в начале. Если дата указана по ошибке, "
        "исправьте время публикации."
    )


def test_the_admin_list_shows_each_state_and_filters_by_it(publisher_client, make_item):
    make_item(title="Черновик", is_published=False)
    make_item(title="Запланированная", published_at=timezone.now() + datetime.timedelta(days=3))
    make_item(title="Опубликованная")
    make_item(title="Отозванная", withdrawn_at=timezone.now(), withdrawal_reason="Устарела.")

    page = publisher_client.get(CHANGELIST).content.decode()
    for state in ("Draft", "Scheduled for", "Published", "Withdrawn on"):
        assert state in page

    for state, title in [
        ("draft", "Черновик"),
        ("scheduled", "Запланированная"),
        ("published", "Опубликованная"),
        ("withdrawn", "Отозванная"),
    ]:
        response = publisher_client.get(CHANGELIST, {"state": state})
        assert [item.title for item in response.context["cl"].result_list] == [title]


def test_an_item_readers_have_seen_keeps_its_time_and_address_when_published_again(
    publisher_client, make_item, admin_form
):
    """Taken back to draft to be corrected, a May notice came back dated today, at the top."""
    may = timezone.now() - datetime.timedelta(days=200)
    item = make_item(title="Отключение воды", published_at=may)
    address = item.get_absolute_url()
    admin_form(publisher_client, item).submit(is_published="")
    item.refresh_from_db()
    assert not item.is_published

    response = admin_form(publisher_client, item).submit(is_published="on")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_live and item.published_at == may
    assert item.get_absolute_url() == address

    # The same from the list's action.
    admin_form(publisher_client, item).submit(is_published="")
    publisher_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.is_live and item.published_at == may


def test_an_item_scheduled_and_taken_back_before_its_time_goes_out_dated_now(
    publisher_client, editor, draft_by, admin_form
):
    """It was never seen: publishing it is its first time out."""
    item = draft_by(editor)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
        item.is_published, item.published_at = True, timezone.now() + datetime.timedelta(days=1)
        item.save()
        item.is_published = False
        item.save()
    assert not item.was_live()
    before = timezone.now()
    admin_form(publisher_client, item).submit(is_published="on")
    item.refresh_from_db()
    assert item.is_live and item.published_at >= before


def test_moving_a_live_items_time_ahead_says_it_leaves_the_site_until_then(
    publisher_client, make_item, admin_form
):
    item = make_item(title="Полночная новость")
    ahead = timezone.localtime(timezone.now() + datetime.timedelta(days=2), MINSK)
    response = admin_form(publisher_client, item).submit(
        published_at_0=ahead.date().isoformat(), published_at_1="10:00:00"
    )
    assert response.status_code == 302
    [warning] = [m for m in get_messages(response.wsgi_request) if m.level == WARNING]
    assert f"“Полночная новость” is scheduled for {ahead.day} {ahead:%B %Y}, 10:00" in str(warning)
    assert "readers do not see it" in str(warning)
