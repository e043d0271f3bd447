"""
Roles: editors write drafts, publishers publish. An editor cannot publish by any
path, and nobody publishes what they edited last themselves (second pair of eyes).
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import WARNING, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from news.models import NewsItem
from news.workflow import describe_change_reason

from ..conftest import image_bytes
from ..test_attachments import PDF_BYTES, attach
from ..test_images import body_image
from .conftest import admin_url, client_for
from .forms import AdminForm

pytestmark = pytest.mark.django_db

CHANGELIST = admin_url("admin:news_newsitem_changelist")
ADD = admin_url("admin:news_newsitem_add")


def permissions_of(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migration_creates_the_editor_and_publisher_groups():
    editor = permissions_of("Editor")
    publisher = permissions_of("Publisher")
    assert {"news.add_newsitem", "news.change_newsitem", "news.view_newsitem"} <= editor
    assert "news.publish_newsitem" not in editor
    assert "notices.add_urgentnotice" not in editor
    assert editor < publisher
    assert {
        "news.publish_newsitem",
        "news.delete_newsitem",
        "notices.add_urgentnotice",
    } <= publisher
    documents = {f"news.{action}_attachment" for action in ("add", "change", "delete", "view")}
    assert documents <= editor and documents <= publisher


def test_both_roles_see_an_items_documents(editor_client, publisher_client):
    for client in (editor_client, publisher_client):
        page = client.get(ADD).content.decode()
        assert 'id="attachments-group"' in page


def test_set_role_command_gives_and_takes_away_a_role(django_user_model):
    user = django_user_model.objects.create_user("anna", password="a-long-test-password")
    call_command("set_role", "anna", "publisher")
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("news.publish_newsitem")

    call_command("set_role", "anna", "editor")
    user = django_user_model.objects.get(pk=user.pk)  # a fresh permission cache
    assert [g.name for g in user.groups.all()] == ["Editor"]
    assert not user.has_perm("news.publish_newsitem")

    call_command("set_role", "anna", "none")
    user.refresh_from_db()
    assert not user.groups.exists()
    assert not user.is_staff  # it could still log in to an admin with nothing in it


def test_editor_writes_a_draft_through_the_admin(editor_client, editor, category, admin_form):
    form = admin_form(editor_client, ADD)
    assert "is_published" not in form.data  # shown read-only, not as a checkbox

    response = form.submit(
        title="Ремонт дороги на улице Ленина",
        category=str(category.pk),
        lead="С понедельника начнётся ремонт.",
        body="<p>Работы продлятся две недели.</p>",
        is_published="on",  # a hand-made addition: ignored
    )

    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert not item.is_published
    assert item.last_edited_by == editor and item.author == editor
    assert item.history.get().history_user == editor


class TestAnEditorCannotPublish:
    def test_through_the_change_form(self, editor_client, editor, draft_by, admin_form):
        draft = draft_by(editor)
        form = admin_form(editor_client, draft)
        assert "is_published" not in form.data

        response = form.submit(is_published="on", title="Попытка публикации")

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.title == "Попытка публикации"
        assert not draft.is_published

    def test_with_the_bulk_action(self, editor_client, make_user, draft_by):
        draft = draft_by(make_user("colleague", "Editor"))
        page = editor_client.get(CHANGELIST).content.decode()
        assert "publish_selected" not in page

        editor_client.post(
            CHANGELIST,
            {"action": "publish_selected", "_selected_action": [draft.pk], "index": 0},
        )

        draft.refresh_from_db()
        assert not draft.is_published

    def test_reading_a_published_item_links_only_where_they_may_go(
        self, editor_client, publisher, make_item
    ):
        """The document linked its /media/ address (404), the names their accounts (403)."""
        from news.models import Correction

        from ..test_attachments import attach

        item = make_item(title="Опубликованная новость", author=publisher)
        document = attach(item, "График приёма", "PDF")
        Correction.objects.create(item=item, note="Уточнено время.", created_by=publisher)
        page = editor_client.get(admin_url("admin:news_newsitem_change", args=[item.pk]))

        html = page.content.decode()
        assert f'<a href="{document.get_absolute_url()}">{document.download_name}</a>' in html
        assert "/media/" not in html.split('id="attachments-group"')[1]
        assert "/admin/auth/user/" not in html
        assert html.count(publisher.get_username()) >= 2  # the author and the correction's
        assert editor_client.get(document.get_absolute_url()).status_code == 200

    def test_by_changing_a_published_item(self, editor_client, make_item, admin_form):
        item = make_item(title="Опубликованная новость")
        url = admin_url("admin:news_newsitem_change", args=[item.pk])
        page = editor_client.get(url)
        assert page.status_code == 200  # to read
        assert 'name="title"' not in page.content.decode()
        # The text reads as on the site, not as its HTML source.
        assert item.body.startswith("<p>") and item.body in page.content.decode()
        assert "&lt;p&gt;" not in page.content.decode()

        response = editor_client.post(
            url,
            {
                "title": "Подмена",
                "lead": item.lead,
                "body": "<p>Подменённый текст.</p>",
                "is_published": "on",
                "published_at_0": "2020-01-01",
                "published_at_1": "10:00",
                "lock_version": item.version,
            },
        )

        assert response.status_code == 403
        item.refresh_from_db()
        assert item.title == "Опубликованная новость"

    def test_by_restoring_a_published_version(self, editor_client, make_item, editor, draft_by):
        item = make_item(title="Была опубликована")
        published_version = item.history.latest()
        item.is_published = False
        item.save()  # unpublished: back to a draft an editor may change
        url = admin_url(
            "admin:news_newsitem_simple_history", args=[item.pk, published_version.history_id]
        )
        page = editor_client.get(url)
        assert page.status_code == 200

        from .forms import AdminForm

        response = AdminForm(editor_client, url, page).submit()

        assert response.status_code == 302  # the text is restored ...
        item.refresh_from_db()
        assert not item.is_published  # ... but not its publication

    def test_through_the_publishers_views(self, editor_client, make_item, editor, draft_by):
        live, draft = make_item(), draft_by(editor)
        for url in (
            admin_url("admin:news_newsitem_withdraw", args=[live.pk]),
            admin_url("admin:news_newsitem_share", args=[draft.pk]),
            admin_url("admin:notices_urgentnotice_add"),
        ):
            refused = editor_client.get(url)
            assert refused.status_code == 403
            # The way back is to the admin, not to the public site's home page alone.
            assert f'href="{admin_url("admin:index")}"' in refused.content.decode()
            assert editor_client.post(url, {"reason": "x", "hours": 24}).status_code == 403
        live.refresh_from_db()
        assert live.is_live and not draft.share_links.exists()


class TestSecondPairOfEyes:
    def test_a_publisher_publishes_an_editors_draft(
        self, publisher_client, publisher, editor, draft_by, admin_form
    ):
        draft = draft_by(editor)

        response = admin_form(publisher_client, draft).submit(is_published="on")

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.is_live
        assert draft.last_edited_by == editor  # publishing is not editing
        assert draft.history.latest().history_user == publisher

    def test_a_body_image_as_the_editor_sends_it_back_is_not_an_edit(
        self, publisher_client, editor, draft_by, admin_form, settings
    ):
        """
        Saving gives body images renditions (`srcset`, `sizes`, lazy loading); the
        editor loads them and sends back its own `sizes` and a `style`. That is
        the same image: the publisher who only publishes has edited nothing.
        """
        src = body_image(settings)
        draft = draft_by(
            editor, body=f'<figure class="image"><img src="{src}" alt="Озеро"></figure>'
        )
        assert 'loading="lazy"' in draft.body
        as_the_editor_sends_it = (
            f'<figure class="image"><img style="aspect-ratio:1000/500;" src="{src}" alt="Озеро" '
            'width="1000" height="500" sizes="100vw"></figure>'
        )

        response = admin_form(publisher_client, draft).submit(
            is_published="on", body=as_the_editor_sends_it
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        draft.refresh_from_db()
        assert draft.is_live and draft.last_edited_by == editor
        assert 'loading="lazy"' in draft.body and 'sizes="100vw"' not in draft.body

    def test_a_publisher_cannot_publish_their_own_draft(
        self, publisher_client, publisher, draft_by, admin_form
    ):
        draft = draft_by(publisher)

        response = admin_form(publisher_client, draft).submit(is_published="on")

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors["is_published"]
        assert "another publisher must publish it" in errors[0]
        draft.refresh_from_db()
        assert not draft.is_published

    def test_nor_edit_and_publish_in_one_save(self, publisher_client, editor, draft_by, admin_form):
        draft = draft_by(editor)

        response = admin_form(publisher_client, draft).submit(
            is_published="on", lead="Изменённое публикатором краткое содержание."
        )

        assert response.status_code == 200
        assert response.context["adminform"].form.errors["is_published"] == [
            "You are changing what readers will get in the save that publishes it, so "
            "another publisher must publish it (a second pair of eyes): save your changes "
            "without publishing it and ask a colleague to publish it."
        ]  # not "You edited this item last": the editor did
        draft.refresh_from_db()
        assert not draft.is_published

    def test_nor_add_a_document_and_publish_in_one_save(
        self, publisher_client, editor, draft_by, admin_form
    ):
        """A document is part of what readers get: adding one is editing."""
        draft = draft_by(editor)
        form = admin_form(publisher_client, draft)
        form.data.update(
            {
                "attachments-TOTAL_FORMS": "1",
                "attachments-0-title": "Решение исполкома",
                "attachments-0-position": "0",
                "attachments-0-file": SimpleUploadedFile("decision.pdf", PDF_BYTES),
            }
        )

        response = form.submit(is_published="on")

        assert response.status_code == 200
        assert "another publisher must publish it" in str(response.context["adminform"].form.errors)
        draft.refresh_from_db()
        assert not draft.is_published and not draft.attachments.exists()
        # Without publishing, the document is saved, and its publisher is now the last editor.
        form.data["attachments-0-file"] = SimpleUploadedFile("decision.pdf", PDF_BYTES)
        form.submit()
        draft.refresh_from_db()
        assert draft.attachments.count() == 1 and draft.last_edited_by == publisher_client.user

    def test_nor_rewrite_a_scheduled_item_that_readers_have_not_seen(
        self, publisher_client, editor, make_item, admin_form
    ):
        """Scheduling approved the writer's text; readers would see the publisher's own."""
        later = timezone.now() + datetime.timedelta(days=2)
        scheduled = make_item(published_at=later, last_edited_by=editor, author=editor)
        form = admin_form(publisher_client, scheduled)

        response = form.submit(lead="Переписано публикатором.")

        assert response.status_code == 200
        assert "another publisher must publish it" in str(response.context["adminform"].form.errors)
        scheduled.refresh_from_db()
        assert scheduled.lead != "Переписано публикатором."
        # Moving its time alone is the publisher's decision, as publishing is.
        now = timezone.localtime(timezone.now() + datetime.timedelta(hours=1))
        response = form.submit(
            published_at_0=now.date().isoformat(), published_at_1=now.strftime("%H:%M:%S")
        )
        assert response.status_code == 302

    def test_nor_with_the_bulk_action(self, publisher_client, publisher, editor, draft_by):
        own, colleagues = draft_by(publisher), draft_by(editor)

        response = publisher_client.post(
            CHANGELIST,
            {"action": "publish_selected", "_selected_action": [own.pk, colleagues.pk]},
            follow=True,
        )

        own.refresh_from_db()
        colleagues.refresh_from_db()
        assert not own.is_published and colleagues.is_live
        page = response.content.decode()
        assert f"“{own.title}” was not published" in page
        assert "Published 1 news item." in page

    def test_a_superuser_may_override_with_a_reason_that_is_recorded(
        self, superuser_client, draft_by, admin_form
    ):
        draft = draft_by(superuser_client.user)
        form = admin_form(superuser_client, draft)

        refused = form.submit(is_published="on")
        assert refused.status_code == 200
        assert "give a reason" in refused.context["adminform"].form.errors["is_published"][0]

        response = form.submit(
            is_published="on",
            publish_override_reason="Штормовое предупреждение, коллеги недоступны.",
        )

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.is_live
        assert describe_change_reason(draft.history.latest().history_change_reason) == (
            "Published without a second person: Штормовое предупреждение, коллеги недоступны."
        )

    def test_a_publisher_cannot_override(self, publisher_client, publisher, draft_by, admin_form):
        draft = draft_by(publisher)
        form = admin_form(publisher_client, draft)
        assert "publish_override_reason" not in form.data

        form.submit(is_published="on", publish_override_reason="Очень надо.")

        draft.refresh_from_db()
        assert not draft.is_published

    def test_the_rule_can_be_switched_off(
        self, settings, publisher_client, publisher, draft_by, admin_form
    ):
        settings.PORTAL_REQUIRE_SECOND_PERSON = False
        draft = draft_by(publisher)

        assert admin_form(publisher_client, draft).submit(is_published="on").status_code == 302
        draft.refresh_from_db()
        assert draft.is_live


def test_staff_without_a_role_see_the_site_as_readers_do(make_user, make_item):
    """
    Staff status alone (an account that only manages users) opened drafts, their
    documents and items withdrawn in error, and let its holder upload images.
    """
    it_admin = client_for(make_user("it.admin"))
    draft = make_item(is_published=False)
    document = attach(draft, "Проект решения", "PDF")
    in_error = make_item(withdrawn_at=timezone.now(), withdrawal_reason="Ошибка.")
    in_error.withdrawn_in_error = True
    in_error.save()

    assert it_admin.get(draft.get_absolute_url()).status_code == 404
    assert it_admin.get(document.get_absolute_url()).status_code == 404
    assert it_admin.get(in_error.get_absolute_url()).status_code == 410
    upload = SimpleUploadedFile("a.png", image_bytes(), "image/png")
    response = it_admin.post("/ru/editor/images/", {"upload": upload})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "Загружать изображения могут только редакторы и выпускающие редакторы."
    )

    editor = client_for(make_user("olga", "Editor"))
    assert editor.get(draft.get_absolute_url()).status_code == 200
    assert editor.get(document.get_absolute_url()).status_code == 200
    assert editor.get(in_error.get_absolute_url()).status_code == 200
    upload = SimpleUploadedFile("a.png", image_bytes(), "image/png")
    assert editor.post("/ru/editor/images/", {"upload": upload}).status_code == 200


def test_staff_who_may_only_read_news_cannot_upload_images(make_user, make_item):
    """Uploading is writing: reading the news in the admin is not enough for it."""
    reader = make_user("auditor")
    reader.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
    client = client_for(reader)
    draft = make_item(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 200  # sees what staff see

    upload = SimpleUploadedFile("a.png", image_bytes(), "image/png")
    response = client.post("/ru/editor/images/", {"upload": upload})
    assert response.status_code == 403


def test_a_role_given_without_staff_status_is_pointed_out(superuser_client, make_user):
    """The person could not log in, was told the password was wrong, and was locked out."""
    olga = make_user("olga", is_staff=False)
    editor_role = Group.objects.get(name="Editor")
    with translation.override("ru"):
        user_form = reverse("admin:auth_user_change", args=[olga.pk])

    response = AdminForm.load(superuser_client, user_form).submit(groups=str(editor_role.pk))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request) if m.level == WARNING] == [
        "У «olga» есть роль «Редактор», но нет статуса персонала, поэтому войти в "
        "административную часть сайта нельзя: отметьте «Статус персонала»."
    ]
    olga.refresh_from_db()
    assert list(olga.groups.all()) == [editor_role]

    # With staff status, or with no role, there is nothing to say.
    for changes in ({"groups": str(editor_role.pk), "is_staff": "on"}, {"groups": None}):
        response = AdminForm.load(superuser_client, user_form).submit(**changes)
        assert response.status_code == 302
        assert [m for m in get_messages(response.wsgi_request) if m.level == WARNING] == []


def test_a_person_is_given_one_role(superuser_client, make_user):
    olga = make_user("olga")
    roles = [str(Group.objects.get(name=name).pk) for name in ("Editor", "Publisher")]
    with translation.override("ru"):
        user_form = reverse("admin:auth_user_change", args=[olga.pk])

    response = AdminForm.load(superuser_client, user_form).submit(groups=roles)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"] == [
        "Выберите одну роль: «Редактор» или «Выпускающий редактор». Выпускающий редактор "
        "может всё, что может редактор."
    ]
    olga.refresh_from_db()
    assert not olga.groups.exists()
