"""
Urgent notices: a publisher posts a short site-wide notice with an expiry; it
shows at the top of every public page, in the visitor's language, until then.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import UrgentNotice
from portal.page_cache import content_changed

from .conftest import admin_url, client_for

pytestmark = pytest.mark.django_db

ADD = admin_url("admin:notices_urgentnotice_add")


def at(name: str, moment) -> dict:
    """The date and time fields of `name` holding `moment`, in Minsk time."""
    moment = timezone.localtime(moment)
    return {f"{name}_0": moment.strftime("%Y-%m-%d"), f"{name}_1": moment.strftime("%H:%M:%S")}


def post_notice(client, **fields):
    expires = timezone.localtime() + datetime.timedelta(days=1)
    data = {
        "text": "Внимание: 12 октября закрыта дорога Лепель — Камень.",
        "text_be": "",
        "text_en": "Notice: the Lepel–Kamen road is closed on 12 October.",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"),
        **fields,
    }
    return client.post(ADD, data)


def notices_on(page: str) -> str:
    if 'class="urgent-notices"' not in page:
        return ""
    return page.split('class="urgent-notices"')[1].split("</div>")[0]


@pytest.fixture
def shared_notice(publisher_client, make_user):
    """A notice posted by the publisher, another publisher's client, and its change form's URL."""
    post_notice(publisher_client)
    notice = UrgentNotice.objects.get()
    colleague = client_for(make_user("petr", "Publisher"))
    return notice, colleague, admin_url("admin:notices_urgentnotice_change", args=[notice.pk])


def test_a_publisher_posts_a_notice_shown_on_every_public_page(
    publisher_client, publisher, make_item
):
    item = make_item()
    form = publisher_client.get(ADD)
    assert "Europe/Minsk" in str(form.context["adminform"].form.fields["expires_at"].help_text)

    assert post_notice(publisher_client).status_code == 302

    assert UrgentNotice.objects.get().created_by == publisher
    reader = Client()
    for url in ("/ru/", "/ru/news/", item.get_absolute_url()):
        page = reader.get(url).content.decode()
        assert "закрыта дорога Лепель — Камень" in notices_on(page)
        # At the top, under the version's switch and settings: at a large size a
        # long notice put them screens down.
        notice = page.index('class="urgent-notices"')
        assert page.index("data-display-panel") < notice < page.index('class="site-brand"')


def test_the_notice_is_in_the_visitors_language_or_else_in_russian(publisher_client):
    post_notice(publisher_client)
    reader = Client()

    english = notices_on(reader.get("/en/").content.decode())
    assert "the Lepel–Kamen road is closed" in english and 'lang="en"' in english

    belarusian = notices_on(reader.get("/be/").content.decode())
    assert "закрыта дорога" in belarusian and 'lang="ru"' in belarusian


def test_an_expiry_is_required_and_must_be_in_the_future(publisher_client):
    response = post_notice(publisher_client, expires_at_0="", expires_at_1="")
    assert "expires_at" in response.context["adminform"].form.errors

    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    response = post_notice(
        publisher_client,
        expires_at_0=yesterday.strftime("%Y-%m-%d"),
        expires_at_1=yesterday.strftime("%H:%M:%S"),
    )
    assert "expires_at" in response.context["adminform"].form.errors
    assert not UrgentNotice.objects.exists()

    # Nor can a notice's expiry be moved into the past: «End the selected notices now» ends it.
    post_notice(publisher_client)
    notice = UrgentNotice.objects.get()
    response = publisher_client.post(
        admin_url("admin:notices_urgentnotice_change", args=[notice.pk]),
        {
            "text": notice.text,
            "text_be": "",
            "text_en": "",
            "expires_at_0": yesterday.strftime("%Y-%m-%d"),
            "expires_at_1": yesterday.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200  # the form again, not saved
    assert "expires_at" in response.context["adminform"].form.errors
    notice.refresh_from_db()
    assert notice.is_current


def test_an_expiry_is_at_most_90_days_ahead(publisher_client):
    """An expiry in 9999 would make an urgent notice a permanent banner."""
    for days, accepted in [(89, True), (91, False), (365 * 7000, False)]:
        expires = timezone.localtime() + datetime.timedelta(days=days)
        response = post_notice(
            publisher_client,
            expires_at_0=expires.strftime("%Y-%m-%d"),
            expires_at_1=expires.strftime("%H:%M:%S"),
        )
        if accepted:
            assert response.status_code == 302
        else:
            assert "expires_at" in response.context["adminform"].form.errors
            assert (
                "An urgent notice stays 90 days at most: choose a nearer time."
                in response.content.decode()
            )
    assert UrgentNotice.objects.count() == 1


def test_the_notice_disappears_when_it_expires(publisher_client):
    post_notice(publisher_client)
    reader = Client()
    assert notices_on(reader.get("/ru/").content.decode())

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert not notices_on(reader.get("/ru/").content.decode())  # even from the cache


def test_a_changed_or_deleted_notice_shows_so_at_once(publisher_client):
    post_notice(publisher_client)
    reader = Client()
    assert notices_on(reader.get("/ru/").content.decode())
    notice = UrgentNotice.objects.get()

    notice.text = "Дорога Лепель — Камень открыта."
    notice.save()
    assert "открыта" in notices_on(reader.get("/ru/").content.decode())

    publisher_client.post(
        admin_url("admin:notices_urgentnotice_changelist"),
        {"action": "delete_selected", "_selected_action": [notice.pk], "post": "yes"},
    )

    assert not UrgentNotice.objects.exists()
    assert not notices_on(reader.get("/ru/").content.decode())


def test_notices_cost_public_pages_one_query_once_per_change(publisher_client, make_item, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the pages themselves are rendered each time
    item = make_item()
    reader = Client()

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            reader.get(url)
        return len(queries)

    for url in ("/ru/", "/ru/news/", item.get_absolute_url()):
        content_changed()
        first_after_a_change = count(url)  # the notices are read again, as after any change
        warm = count(url)
        post_notice(publisher_client)  # a change: a new content generation
        assert count(url) == first_after_a_change
        assert count(url) == warm  # and no query for them while the cache is warm
        UrgentNotice.objects.all().delete()


def test_editors_cannot_post_notices(editor_client):
    assert post_notice(editor_client).status_code == 403
    assert not UrgentNotice.objects.exists()


def test_the_admin_quotes_a_notice_short_and_without_its_full_stop(publisher_client):
    """It said «Добавлено: срочное объявление «…Камень.».», the whole notice and two stops."""
    response = post_notice(
        publisher_client,
        text="Внимание: 12 октября с 8:00 до 18:00 будет закрыта дорога Лепель — Камень "
        "из-за ремонта моста через реку Эссу; объезд через Стайск.",
    )
    notice = UrgentNotice.objects.get()
    assert str(notice) == (
        "Внимание: 12 октября с 8:00 до 18:00 будет закрыта дорога Лепель — Камень из-за…"
    )
    assert str(UrgentNotice(text="Дорога закрыта.")) == "Дорога закрыта"
    assert response.status_code == 302


def test_a_publisher_ends_a_notice_early(publisher_client):
    """Its only ways out were deleting it or an expiry a minute ahead."""
    post_notice(publisher_client)
    notice = UrgentNotice.objects.get()
    assert notices_on(Client().get("/ru/").content.decode())
    changelist = admin_url("admin:notices_urgentnotice_changelist")

    response = publisher_client.post(
        changelist, {"action": "end_now", "_selected_action": [notice.pk]}, follow=True
    )

    assert [m.message for m in response.context["messages"]][-1] == "Ended 1 notice."
    assert not notices_on(Client().get("/ru/").content.decode())
    notice.refresh_from_db()
    assert not notice.is_current  # kept, with its history
    # Its typo can still be corrected: it stays ended ("choose a time in the future" before).
    ended = timezone.localtime(notice.expires_at)
    response = publisher_client.post(
        admin_url("admin:notices_urgentnotice_change", args=[notice.pk]),
        {
            "text": "Внимание: 12 октября закрыта дорога Лепель — Камень.",
            "text_be": "",
            "text_en": "",
            "expires_at_0": ended.strftime("%Y-%m-%d"),
            "expires_at_1": ended.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.text_en == "" and not notice.is_current
    response = publisher_client.post(
        changelist, {"action": "end_now", "_selected_action": [notice.pk]}, follow=True
    )
    assert [m.message for m in response.context["messages"]][-1] == (
        "None of the selected notices was being shown: nothing changed."
    )


def test_a_form_loaded_before_a_change_keeps_what_it_did_not_change(
    publisher_client, shared_notice, admin_form
):
    """A notice ended from the list came back when a colleague saved a typo fix begun before."""
    notice, colleague, change = shared_notice
    typo_fix = admin_form(colleague, change)
    english = admin_form(colleague, change)

    changelist = admin_url("admin:notices_urgentnotice_changelist")
    publisher_client.post(changelist, {"action": "end_now", "_selected_action": [notice.pk]})
    assert (
        typo_fix.submit(text="Внимание: 12 октября закрыта дорога Лепель — Камень!").status_code
        == 302
    )
    notice.refresh_from_db()
    assert not notice.is_current and notice.text.endswith("Камень!")
    assert not notices_on(Client().get("/ru/").content.decode())

    # Each keeps the other's field: the English text from a third form loaded before both.
    assert english.submit(text_en="Notice: the road is closed.").status_code == 302
    notice.refresh_from_db()
    assert notice.text.endswith("Камень!") and notice.text_en == "Notice: the road is closed."
    assert not notice.is_current


def test_a_field_both_changed_is_refused_once_with_the_saved_value_shown(
    publisher_client, shared_notice, admin_form
):
    """Two people changing one field of a notice: the later save undid the other's, unseen."""
    notice, colleague, change = shared_notice
    first, second = admin_form(publisher_client, change), admin_form(colleague, change)
    assert (
        first.submit(text="Внимание: дорога Лепель — Камень закрыта до 14:00.").status_code == 302
    )

    refused = second.submit(text="Внимание: дорога Лепель — Камень закрыта весь день.")
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert list(errors) == ["text"]
    assert errors["text"][0] == (
        "Someone else changed this while you were editing. Save again to replace their value "
        "with yours. Saved now: Внимание: дорога Лепель — Камень закрыта до 14:00."
    )
    notice.refresh_from_db()
    assert notice.text.endswith("до 14:00.")

    # The form kept what this person typed; saving again replaces the other's text.
    again = second.__class__(colleague, change, refused)
    assert again.data["text"].endswith("весь день.")
    assert again.submit().status_code == 302
    notice.refresh_from_db()
    assert notice.text.endswith("весь день.")


def test_an_ended_notice_is_not_extended_unseen_by_a_form_loaded_before(
    publisher_client, shared_notice, admin_form
):
    notice, colleague, change = shared_notice
    form = admin_form(colleague, change)
    changelist = admin_url("admin:notices_urgentnotice_changelist")
    publisher_client.post(changelist, {"action": "end_now", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    ended_at = notice.expires_at

    refused = form.submit(**at("expires_at", ended_at + datetime.timedelta(days=2)))
    assert refused.status_code == 200
    (error,) = refused.context["adminform"].form.errors["expires_at"]
    assert error.endswith(f"Saved now: {timezone.localtime(ended_at):%Y-%m-%d %H:%M}")
    notice.refresh_from_db()
    assert notice.expires_at == ended_at and not notice.is_current


def test_the_same_change_made_twice_is_no_conflict(publisher_client, shared_notice, admin_form):
    notice, colleague, change = shared_notice
    first, second = admin_form(publisher_client, change), admin_form(colleague, change)
    english = "Notice: the Lepel–Kamen road is closed until 2 pm."
    assert first.submit(text_en=english).status_code == 302
    assert second.submit(text_en=english, text_be="Увага: дарога закрыта.").status_code == 302
    notice.refresh_from_db()
    assert notice.text_en == english and notice.text_be == "Увага: дарога закрыта."


def test_a_new_time_survives_a_refused_save(publisher_client, admin_form):
    """Shown again after an error, the form took its new time for the loaded one and lost it."""
    post_notice(publisher_client)
    notice = UrgentNotice.objects.get()
    change = admin_url("admin:notices_urgentnotice_change", args=[notice.pk])
    later = timezone.localtime(notice.expires_at) + datetime.timedelta(days=2)
    form = admin_form(publisher_client, change)
    refused = form.submit(expires_at_0=later.strftime("%Y-%m-%d"), text_en="\u200b")
    assert refused.status_code == 200

    again = form.__class__(publisher_client, change, refused)
    assert again.submit(text_en="Notice: the road is closed.").status_code == 302
    notice.refresh_from_db()
    assert timezone.localtime(notice.expires_at).date() == later.date()


def test_a_notice_set_to_appear_later_shows_from_then_cached_pages_and_all(
    publisher_client, make_item
):
    """«Road closed tomorrow 8:00–18:00» showed from the moment it was saved."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    start, end = (
        tomorrow.replace(hour=8, minute=0, second=0),
        tomorrow.replace(hour=18, minute=0, second=0),
    )
    response = post_notice(publisher_client, **at("starts_at", start), **at("expires_at", end))
    assert response.status_code == 302
    reader = Client()
    assert not notices_on(reader.get("/ru/").content.decode())
    reader.get("/ru/")  # kept by the page cache
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        assert "закрыта дорога" in notices_on(reader.get("/ru/").content.decode())
    with time_machine.travel(end + datetime.timedelta(minutes=1), tick=False):
        assert not notices_on(reader.get("/ru/").content.decode())


def test_a_notice_must_disappear_after_it_appears(publisher_client):
    later = timezone.localtime() + datetime.timedelta(days=2)
    start, end = (
        later.replace(hour=10, minute=0, second=0),
        later.replace(hour=9, minute=0, second=0),
    )
    response = post_notice(publisher_client, **at("starts_at", start), **at("expires_at", end))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expires_at"] == [
        "The notice must disappear after the time it appears."
    ]


def test_ending_a_notice_not_yet_shown_calls_it_off(publisher_client):
    later, end = (timezone.localtime() + datetime.timedelta(hours=hours) for hours in (24, 26))
    post_notice(publisher_client, **at("starts_at", later), **at("expires_at", end))
    notice = UrgentNotice.objects.get()
    changelist = admin_url("admin:notices_urgentnotice_changelist")
    response = publisher_client.post(
        changelist, {"action": "end_now", "_selected_action": [notice.pk]}, follow=True
    )
    assert [m.message for m in response.context["messages"]][-1] == "Ended 1 notice."
    with time_machine.travel(later + datetime.timedelta(hours=1), tick=False):
        assert not UrgentNotice.objects.current().exists()
