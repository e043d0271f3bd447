"""
Edit conflicts: when two people edit the same item, the second save is refused,
shows the saved version beside the typed one and keeps what was typed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from news.models import NewsItem

from ..conftest import image_bytes
from ..test_attachments import attach
from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_two_forms_loaded_both_submitted_the_second_refused_the_first_kept(
    editor_client, make_user, draft_by, admin_form
):
    draft = draft_by(editor_client.user, title="График приёма граждан")
    colleague = client_for(make_user("petr.editor", "Editor"))
    first = admin_form(editor_client, draft)
    second = admin_form(colleague, draft)

    assert first.submit(lead="Приём ведётся по вторникам.").status_code == 302
    response = second.submit(lead="Приём ведётся по четвергам.")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone else saved this item while you were editing it" in str(form.non_field_errors())
    draft.refresh_from_db()
    assert draft.lead == "Приём ведётся по вторникам."  # the first is kept

    conflict = form.edit_conflict
    assert conflict["user"] == editor_client.user
    assert conflict["differences"] == [
        {
            "label": "Lead",
            "saved": "Приём ведётся по вторникам.",
            "typed": "Приём ведётся по четвергам.",
        }
    ]
    page = response.content.decode()
    assert "Saved by olga.editor at" in page
    assert page.index("по вторникам") < page.index("по четвергам")  # saved, then typed
    # The form keeps what the second person typed ...
    assert form["lead"].value() == "Приём ведётся по четвергам."

    # ... and, now that they have seen the saved version, saving again keeps theirs.
    again = second.__class__(colleague, second.url, response)
    assert again.data["lead"] == "Приём ведётся по четвергам."
    assert again.submit().status_code == 302
    draft.refresh_from_db()
    assert draft.lead == "Приём ведётся по четвергам."
    assert draft.history.count() == 3


def test_a_cover_chosen_in_the_refused_save_is_said_to_need_choosing_again(
    editor_client, make_user, draft_by, admin_form
):
    """The form cannot keep a chosen file: saved again as it is, the item had no cover."""
    draft = draft_by(editor_client.user)
    colleague = client_for(make_user("petr.editor", "Editor"))
    first = admin_form(editor_client, draft)
    second = admin_form(colleague, draft)
    assert first.submit(lead="Приём ведётся по вторникам.").status_code == 302

    cover = SimpleUploadedFile("most-na-lepelke.png", image_bytes(), "image/png")
    response = second.submit(cover_image=cover, cover_image_alt="Мост через Лепельку")

    differences = response.context["adminform"].form.edit_conflict["differences"]
    assert {
        "label": "Cover image",
        "saved": "—",
        "typed": ("most-na-lepelke.png (not kept: choose the file again)"),
    } in differences
    assert {"label": "Cover image description", "saved": "—", "typed": "Мост через Лепельку"} in (
        differences
    )


def test_a_save_without_the_forms_version_is_refused(editor_client, draft_by, admin_form):
    draft = draft_by(editor_client.user, title="Без версии")
    response = admin_form(editor_client, draft).submit(title="Изменено", lock_version=None)
    assert response.status_code == 200
    assert NewsItem.objects.get(pk=draft.pk).title == "Без версии"


def test_a_publisher_publishing_a_draft_changed_meanwhile_is_refused(
    editor_client, publisher_client, draft_by, admin_form
):
    draft = draft_by(editor_client.user, lead="Первый вариант.")
    publishers_form = admin_form(publisher_client, draft)
    admin_form(editor_client, draft).submit(lead="Второй вариант, не проверенный.")

    response = publishers_form.submit(is_published="on")

    assert response.status_code == 200
    draft.refresh_from_db()
    assert not draft.is_published  # nobody publishes text they have not seen


def test_a_draft_published_meanwhile_keeps_the_editors_text_on_screen(
    editor_client, publisher_client, draft_by, admin_form
):
    draft = draft_by(editor_client.user, title="Отключение воды")
    editing = admin_form(editor_client, draft)
    assert admin_form(publisher_client, draft).submit(is_published="on").status_code == 302

    response = editing.submit(body="<p>Воды не будет с 9:00 до 13:00.</p><script>x()</script>")

    assert response.status_code == 409
    page = response.content.decode()
    assert "published while you were editing it" in page
    assert "<p>Воды не будет с 9:00 до 13:00.</p>" in page and "<script>" not in page
    assert ">Отключение воды<" in page
    draft.refresh_from_db()
    assert "9:00" not in draft.body


def test_an_item_deleted_meanwhile_keeps_the_editors_text_on_screen(
    editor_client, publisher_client, draft_by, admin_form
):
    draft = draft_by(editor_client.user, title="Отключение воды")
    editing = admin_form(editor_client, draft)
    draft.delete()

    response = editing.submit(lead="Воды не будет с 9:00 до 13:00.")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone has deleted this item while you were editing." in page
    assert ">Воды не будет с 9:00 до 13:00.<" in page


def test_a_visitor_who_may_not_see_the_item_still_gets_403(client, django_user_model, draft_by):
    someone = django_user_model.objects.create_user(
        "guest", password="a-long-test-password", is_staff=True
    )
    draft = draft_by(someone)
    client.force_login(someone)
    response = client.post(f"/en/admin/news/newsitem/{draft.pk}/change/", {"title": "x"})
    assert response.status_code == 403


def test_a_document_removed_meanwhile_leaves_the_conflict_saveable(
    editor_client, make_user, draft_by, admin_form
):
    """Django took the removed document's row for a new one, and asked for its file on every try."""
    draft = draft_by(editor_client.user)
    first, second = attach(draft, "Док A", "PDF"), attach(draft, "Док B", "PDF", position=1)
    colleague = client_for(make_user("petr.editor", "Editor"))
    mine = admin_form(colleague, draft)
    theirs = admin_form(editor_client, draft)
    assert theirs.data["attachments-0-id"] == str(first.pk)
    assert theirs.submit(**{"attachments-0-DELETE": "on"}).status_code == 302
    assert list(draft.attachments.all()) == [second]

    response = mine.submit(lead="Приём ведётся по четвергам.")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this item while you were editing it" in page
    assert "documents changed while you were editing" in page
    again = mine.__class__(colleague, mine.url, response)
    assert again.data["attachments-INITIAL_FORMS"] == "1"
    assert again.data["lead"] == "Приём ведётся по четвергам."
    assert again.submit().status_code == 302
    draft.refresh_from_db()
    assert draft.lead == "Приём ведётся по четвергам."
    assert list(draft.attachments.all()) == [second]


def test_what_only_the_other_person_changed_is_kept_on_saving_again(
    editor_client, make_user, draft_by, admin_form
):
    """«Save again to keep yours» put back the old title the second person had never touched."""
    draft = draft_by(editor_client.user, title="График приёма", lead="Приём по вторникам.")
    colleague = client_for(make_user("petr.editor", "Editor"))
    first, second = admin_form(editor_client, draft), admin_form(colleague, draft)
    moved = "2026-11-20"
    assert first.submit(title="График приёма граждан", published_at_0=moved).status_code == 302

    response = second.submit(lead="Приём по четвергам.")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.edit_conflict["taken"] == ["Title"]
    assert [row["label"] for row in form.edit_conflict["differences"]] == ["Lead"]
    assert "The form now shows the saved version of what only they changed: Title." in (
        response.content.decode()
    )
    assert form["title"].value() == "График приёма граждан"

    again = second.__class__(colleague, second.url, response)
    assert again.submit().status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.lead) == ("График приёма граждан", "Приём по четвергам.")
    assert timezone.localtime(draft.published_at).date().isoformat() == moved


def test_the_second_persons_own_new_time_is_kept_on_saving_again(
    editor_client, make_user, draft_by, admin_form
):
    """Listed as theirs to keep, the time was dropped: shown again, the form lost its loaded one."""
    draft = draft_by(editor_client.user, title="График приёма")
    colleague = client_for(make_user("petr.editor", "Editor"))
    first, second = admin_form(editor_client, draft), admin_form(colleague, draft)
    assert first.submit(title="График приёма граждан").status_code == 302

    response = second.submit(lead="Приём по четвергам.", published_at_0="2026-11-20")
    assert response.status_code == 200
    again = second.__class__(colleague, second.url, response)
    assert again.submit().status_code == 302
    draft.refresh_from_db()
    assert draft.title == "График приёма граждан" and draft.lead == "Приём по четвергам."
    assert timezone.localtime(draft.published_at).date().isoformat() == "2026-11-20"
