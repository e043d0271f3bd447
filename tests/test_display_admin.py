"""Staff see the stored display preferences, read-only, and how each setting is used."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from accessibility.models import DisplayPreferences
from accessibility.preferences import COOKIE_NAME, Preferences, new_token

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accessibility_displaypreferences_changelist"


def store(preferences: Preferences, days_ago: int = 0) -> DisplayPreferences:
    row = DisplayPreferences.objects.record(new_token(), preferences)
    changed = timezone.now() - datetime.timedelta(days=days_ago)
    DisplayPreferences.objects.filter(pk=row.pk).update(updated_at=changed)
    return row


def test_staff_see_the_stored_preferences(staff_client):
    row = store(Preferences(active=True, scheme="white-on-black"))
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert str(row) in page
    assert "Белый на чёрном" in page


def test_the_usage_of_each_setting_over_the_last_30_days(staff_client):
    store(Preferences(active=True, scheme="white-on-black", size="200"))
    store(Preferences(active=True, scheme="white-on-black", font="serif"), days_ago=29)
    store(Preferences(active=True, scheme="green-on-brown"), days_ago=31)  # too long ago
    store(Preferences(active=False, scheme="brown-on-beige"), days_ago=1)  # normal version

    usage = staff_client.get(reverse(CHANGELIST)).context["usage"]
    assert (usage["days"], usage["visitors"], usage["active"]) == (30, 3, 2)
    with translation.override("en"):
        counts = {
            (str(setting["label"]), str(choice["label"])): choice["count"]
            for setting in usage["settings"]
            for choice in setting["choices"]
        }
    assert counts[("Colour scheme", "White on black")] == 2
    assert counts[("Colour scheme", "Green on dark brown")] == 0
    assert counts[("Colour scheme", "Brown on beige")] == 0
    assert counts[("Font size", "200%")] == 1
    assert counts[("Font size", "150%")] == 1
    assert counts[("Font", "Serif")] == 1


def test_the_summary_is_on_the_page(staff_client):
    store(Preferences(active=True))
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert "Использование за последние 30 дней" in page
    assert "1 посетитель изменил настройки отображения" in page


def test_the_usage_is_counted_in_one_query(django_assert_num_queries):
    for _ in range(3):
        store(Preferences(active=True))
    with django_assert_num_queries(1):
        DisplayPreferences.objects.usage()


def test_staff_cannot_add_change_or_delete(staff_client):
    row = store(Preferences(active=True))
    assert (
        staff_client.get(reverse("admin:accessibility_displaypreferences_add")).status_code == 403
    )
    change_url = reverse("admin:accessibility_displaypreferences_change", args=[row.pk])
    view = staff_client.get(change_url)
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert staff_client.post(change_url, {"scheme": "green-on-brown"}).status_code == 403
    delete_url = reverse("admin:accessibility_displaypreferences_delete", args=[row.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.scheme == "black-on-white"


def test_readers_cannot_see_the_list(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_rows_unchanged_for_a_year_are_purged_and_their_visitors_keep_their_settings(
    client, capsys
):
    forgotten = store(Preferences(active=True, size="200"), days_ago=366)
    kept = store(Preferences(active=True, scheme="white-on-black"), days_ago=364)
    call_command("purge_display_preferences")
    assert "Deleted 1 display-settings rows unchanged for 365 days." in capsys.readouterr().out
    assert list(DisplayPreferences.objects.all()) == [kept]

    # The settings live in the visitor's cookie; their next change makes the row again.
    client.cookies[COOKIE_NAME] = Preferences(active=True, size="200").to_cookie(forgotten.token)
    page = client.get("/ru/").content.decode()
    assert 'data-size="200"' in page
    client.post("/ru/display/", {"scheme": "white-on-black", "next": "/ru/"})
    assert DisplayPreferences.objects.get(token=forgotten.token).size == "200"


def test_the_purge_keeps_the_admins_30_days(capsys):
    store(Preferences(active=True), days_ago=20)
    with pytest.raises(CommandError, match="30 or more"):
        call_command("purge_display_preferences", days=29)
    call_command("purge_display_preferences", days=30)
    assert DisplayPreferences.objects.count() == 1
    with pytest.raises(CommandError, match="36500 or less"):  # was an OverflowError
        call_command("purge_display_preferences", days=100_000_000)
