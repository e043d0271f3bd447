"""
Admin comfort: cover thumbnails, bulk publishing for publishers, "View on
site", and the admin in Russian and English.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from .conftest import admin_url

pytestmark = pytest.mark.django_db

CHANGELIST = admin_url("admin:news_newsitem_changelist")


def test_the_list_shows_a_thumbnail_of_the_cover(editor_client, make_item, stored_image):
    with_cover = make_item(cover_image=stored_image(size=(400, 300)), cover_image_alt="Мост")
    make_item()

    page = editor_client.get(CHANGELIST).content.decode()

    assert (
        f'<img src="{with_cover.cover_image.url}" alt="" width="80" height="60" '
        'class="news-thumbnail" loading="lazy">'
    ) in page


def test_a_publisher_publishes_and_unpublishes_from_the_list(
    publisher_client, editor, draft_by, make_item
):
    drafts = [draft_by(editor), draft_by(editor)]
    live = make_item()

    publisher_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [d.pk for d in drafts]},
    )
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.is_live
        assert draft.history.latest().history_user == publisher_client.user
        assert Client().get(draft.get_absolute_url()).status_code == 200

    publisher_client.post(
        CHANGELIST, {"action": "unpublish_selected", "_selected_action": [live.pk]}
    )
    live.refresh_from_db()
    assert not live.is_published
    assert Client().get(live.get_absolute_url()).status_code == 404


def test_the_form_says_an_item_is_scheduled(publisher_client, make_item):
    """«Published» ticked was all it showed of an item readers do not see yet."""
    later = timezone.now() + datetime.timedelta(days=2)
    item = make_item(published_at=later)
    page = publisher_client.get(admin_url("admin:news_newsitem_change", args=[item.pk]))
    local = timezone.localtime(later)
    assert f"Scheduled for {local.day} {local:%B %Y, %H:%M}" in page.content.decode()
    page = publisher_client.get(admin_url("admin:news_newsitem_change", args=[make_item().pk]))
    assert '<div class="readonly">Published</div>' in page.content.decode()


def test_the_form_shows_the_versions_in_other_languages(editor_client, make_item):
    """The key was all there was: which items it linked, nothing said."""
    russian = make_item(title="Ремонт моста", translation_group="remont-mosta")
    belarusian = make_item(title="Рамонт маста", language="be", translation_group="remont-mosta")
    alone = make_item(title="Без перевода", translation_group="bez-perevoda")
    without_key = make_item(title="Без ключа")

    page = editor_client.get(admin_url("admin:news_newsitem_change", args=[russian.pk]))

    link = admin_url("admin:news_newsitem_change", args=[belarusian.pk])
    # Marked as Belarusian: a screen reader reads it so, not with an English voice.
    assert (
        f'Belarusian: <a href="{link}" lang="be">Рамонт маста</a> (Published)'
        in page.content.decode()
    )
    page = editor_client.get(admin_url("admin:news_newsitem_change", args=[alone.pk]))
    assert "None yet: give the version in another language the same key." in page.content.decode()
    page = editor_client.get(admin_url("admin:news_newsitem_change", args=[without_key.pk]))
    assert "None yet: write a key in “translation group”" in page.content.decode()


def test_bulk_publishing_keeps_a_future_time(publisher_client, editor, draft_by):
    later = timezone.now() + datetime.timedelta(days=2)
    draft = draft_by(editor, published_at=later)
    publisher_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_scheduled and draft.published_at == later


def action_messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def test_publish_now_publishes_a_scheduled_item_now_and_says_what_it_left(
    publisher_client, editor, draft_by, make_item
):
    """It did nothing to a scheduled item, and said nothing."""
    later = timezone.now() + datetime.timedelta(days=2)
    scheduled = make_item(published_at=later)
    live = make_item()
    draft_for_later = draft_by(editor, published_at=later)

    response = publisher_client.post(
        CHANGELIST,
        {
            "action": "publish_selected",
            "_selected_action": [scheduled.pk, live.pk, draft_for_later.pk],
        },
        follow=True,
    )

    scheduled.refresh_from_db()
    assert scheduled.is_live
    assert Client().get(scheduled.get_absolute_url()).status_code == 200
    assert action_messages(response) == [
        ("success", "Published 1 news item."),
        ("success", "Scheduled 1 news item: it goes out at its publication time."),
        (
            "warning",
            "1 selected news item was left as it was: it is already published or withdrawn.",
        ),
    ]


def test_unpublishing_leaves_drafts_and_withdrawn_items_as_they_are(
    publisher_client, editor, draft_by, make_item
):
    """It said «0 news items» in green for drafts, and made a withdrawn item a draft."""
    draft = draft_by(editor)
    withdrawn = make_item(withdrawn_at=timezone.now(), withdrawal_reason="Устарело.")
    live = make_item()
    response = publisher_client.post(
        CHANGELIST,
        {"action": "unpublish_selected", "_selected_action": [draft.pk, withdrawn.pk, live.pk]},
        follow=True,
    )
    assert action_messages(response) == [
        ("success", "Unpublished 1 news item."),
        ("warning", "2 selected news items were left as they were: they are drafts or withdrawn."),
    ]
    withdrawn.refresh_from_db()
    assert withdrawn.is_withdrawn and withdrawn.is_published


def test_view_on_site_leads_to_the_public_page(publisher_client, make_item):
    item = make_item()
    page = publisher_client.get(admin_url("admin:news_newsitem_change", args=[item.pk]))
    view_on_site = page.context["absolute_url"]
    assert publisher_client.get(view_on_site)["Location"].endswith(item.get_absolute_url())


@pytest.mark.parametrize(
    ("prefix", "language", "django_string"),
    [("/ru", "ru", "Последние действия"), ("/en", "en", "Recent actions")],
)
def test_the_admin_speaks_russian_and_english(editor_client, prefix, language, django_string):
    page = editor_client.get(f"{prefix}/admin/").content.decode()
    assert f'<html lang="{language}"' in page and django_string in page
    changelist = editor_client.get(f"{prefix}/admin/news/newsitem/")
    assert changelist.status_code == 200
    assert f'<html lang="{language}"' in changelist.content.decode()


class TestTheAuthorField:
    """It offered every account by its username: readers', and people who have left."""

    @pytest.fixture
    def people(self, make_user):
        return {
            "olga": make_user("olga", "Editor", first_name="Ольга", last_name="Петрова"),
            "anna": make_user("anna", "Publisher", first_name="Анна", last_name="Зуева"),
            "gone": make_user("gone", "Editor", first_name="Ушедший", is_active=False),
            "reader": make_user("reader", first_name="Читатель", is_staff=False),
        }

    def test_it_offers_active_staff_by_name(self, publisher_client, people, admin_form):
        form = admin_form(publisher_client, admin_url("admin:news_newsitem_add"))
        field = form.response.context["adminform"].form.fields["author"]
        labels = [label for _value, label in field.choices]
        assert labels[0] == "---------"
        assert sorted(labels[1:]) == ["ivan.publisher", "Анна Зуева", "Ольга Петрова"]
        # By name as shown (the order of Latin and Cyrillic is the database's).
        assert labels.index("Анна Зуева") < labels.index("Ольга Петрова")

    @pytest.mark.parametrize("left", ["inactive", "no longer staff"])
    def test_an_author_who_has_left_stays_on_their_item(
        self, publisher_client, people, make_item, admin_form, left
    ):
        olga = people["olga"]
        if left == "inactive":
            olga.is_active = False
        else:
            olga.is_staff = False
        olga.save()
        item = make_item(author=olga)

        form = admin_form(publisher_client, item)
        assert form.data["author"] == str(olga.pk)
        assert f'<option value="{olga.pk}" selected>Ольга Петрова</option>' in (
            form.response.content.decode()
        )
        response = form.submit(lead="Новое краткое содержание.")

        assert response.status_code == 302, response.context["adminform"].form.errors
        item.refresh_from_db()
        assert item.author == olga and item.lead == "Новое краткое содержание."
        # Nobody else can be given an account that has left.
        other = make_item(author=people["anna"])
        response = admin_form(publisher_client, other).submit(author=str(olga.pk))
        assert "author" in response.context["adminform"].form.errors
