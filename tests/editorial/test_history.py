"""
History: every save is kept with who and when; the admin shows the versions,
what changed between two of them, restores one, and brings back deleted items.
"""

import datetime
import html
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from news.admin import _word_diff
from news.models import Correction, NewsItem

from ..test_attachments import DOCUMENTS, attach
from .conftest import admin_url
from .forms import AdminForm

pytestmark = pytest.mark.django_db


def history_url(item):
    return admin_url("admin:news_newsitem_history", args=[item.pk])


def test_every_save_is_recorded_with_who_and_when(
    editor_client, publisher_client, editor, publisher, category, admin_form
):
    admin_form(editor_client, admin_url("admin:news_newsitem_add")).submit(
        title="Субботник",
        category=str(category.pk),
        lead="Приглашаем на субботник.",
        body="<p>В субботу в 10:00.</p>",
    )
    item = NewsItem.objects.get()
    admin_form(publisher_client, item).submit(is_published="on")

    versions = list(item.history.order_by("history_date"))
    assert [v.history_user for v in versions] == [editor, publisher]
    assert [v.is_published for v in versions] == [False, True]
    assert versions[0].history_date <= versions[1].history_date

    page = editor_client.get(history_url(item)).content.decode()
    assert "olga.editor" in page and "ivan.publisher" in page


def test_the_admin_compares_two_versions(publisher_client, publisher, make_item, admin_form):
    item = make_item(
        lead="Мост откроют в мае.", body="<p>Работы идут по графику.</p>", author=publisher
    )
    admin_form(publisher_client, item).submit(
        lead="Мост откроют в июне.", body="<p>Работы идут с опозданием.</p>"
    )
    old, new = item.history.order_by("history_date")

    page = publisher_client.get(history_url(item)).content.decode()
    assert f'name="old" value="{old.history_id}"' in page
    response = publisher_client.get(
        admin_url("admin:news_newsitem_history_compare", args=[item.pk]),
        {"old": old.history_id, "new": new.history_id},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Мост откроют в <del>мае.</del><ins>июне.</ins>" in page
    assert "идут <del>по графику.</del><ins>с опозданием.</ins>" in page
    assert [row["label"] for row in response.context["rows"]] == ["lead", "text"]

    for bad in ({"old": old.history_id}, {"old": "x", "new": new.history_id}, {"old": 0, "new": 1}):
        assert (
            publisher_client.get(
                admin_url("admin:news_newsitem_history_compare", args=[item.pk]), bad
            ).status_code
            == 404
        )


def test_restoring_the_first_of_three_edits_puts_it_back_on_the_public_page(
    publisher_client, make_item, admin_form
):
    item = make_item(
        title="Первая редакция", body="<p>Текст первой редакции.</p>", slug="pervaia-redaktsiia"
    )
    first = item.history.get()
    # Its address and time since: restoring brings back the text, not those.
    item.slug = "most-cherez-ulu"
    item.published_at -= datetime.timedelta(days=3)
    item.save()
    for number in (2, 3, 4):
        response = admin_form(publisher_client, item).submit(
            title=f"Редакция {number}", body=f"<p>Текст редакции {number}.</p>"
        )
        assert response.status_code == 302
    item.refresh_from_db()
    slug, published_at = item.slug, item.published_at
    assert item.title == "Редакция 4" and item.history.count() == 5

    restore_url = admin_url("admin:news_newsitem_simple_history", args=[item.pk, first.history_id])
    form = AdminForm.load(publisher_client, restore_url)
    assert form.data["title"] == "Первая редакция"
    # The form offers the item's time as it is now, not the version's.
    assert form.data["published_at_0"] == f"{timezone.localtime(published_at):%Y-%m-%d}"
    response = form.submit()

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Первая редакция"
    assert item.is_live and item.slug == slug and item.published_at == published_at
    page = Client().get(item.get_absolute_url()).content.decode()
    assert "Первая редакция" in page and "Текст первой редакции." in page
    assert "Редакция 4" not in page


def test_restoring_a_version_from_before_a_withdrawal_keeps_the_item_withdrawn(
    publisher_client, make_item
):
    """The item withdrawn as published in error would otherwise be back before readers."""
    item = make_item(title="Ошибочная новость")
    before = item.history.get()
    response = publisher_client.post(
        admin_url("admin:news_newsitem_withdraw", args=[item.pk]),
        {"reason": "Опубликовано по ошибке.", "in_error": "on"},
    )
    assert response.status_code == 302

    url = admin_url("admin:news_newsitem_simple_history", args=[item.pk, before.history_id])
    assert AdminForm.load(publisher_client, url).submit().status_code == 302

    item.refresh_from_db()
    assert item.history.count() == 3  # restored
    assert item.is_withdrawn and item.withdrawn_in_error
    assert item.withdrawal_reason == "Опубликовано по ошибке."
    assert Client().get(item.get_absolute_url()).status_code == 410


def test_a_deleted_item_is_recovered_from_its_history(
    publisher_client, publisher, make_item, django_capture_on_commit_callbacks
):
    item = make_item(title="Случайно удалённая")
    made = timezone.now() - datetime.timedelta(days=40)
    NewsItem.objects.filter(pk=item.pk).update(created_at=made)
    item.refresh_from_db()
    Correction.objects.create(item=item, note="Уточнено время.")
    document = attach(item, "График приёма", "PDF")
    with django_capture_on_commit_callbacks(execute=True):
        attach(item, "Снятый документ", "TXT").delete()  # taken off before: it stays gone
    url, pk = item.get_absolute_url(), item.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = publisher_client.post(
            admin_url("admin:news_newsitem_delete", args=[pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not NewsItem.objects.filter(pk=pk).exists()
    assert Client().get(url).status_code == 404

    deleted_url = admin_url("admin:news_newsitem_deleted")
    changelist = publisher_client.get(admin_url("admin:news_newsitem_changelist"))
    assert deleted_url in changelist.content.decode()
    page = publisher_client.get(deleted_url).content.decode()
    assert "Случайно удалённая" in page
    record = NewsItem.history.get(id=pk, history_type="-")
    assert record.history_user == publisher

    response = publisher_client.post(deleted_url, {"recover": record.history_id})

    assert response.status_code == 302
    recovered = NewsItem.objects.get(pk=pk)
    assert recovered.title == "Случайно удалённая" and recovered.is_live
    assert recovered.created_at == made  # the feeds' guid and the admin go by it
    assert [c.note for c in recovered.corrections.all()] == ["Уточнено время."]
    assert list(recovered.attachments.all()) == [document]
    assert Client().get(url).status_code == 200
    download = Client().get(document.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == DOCUMENTS["PDF"]
    assert not publisher_client.get(deleted_url).context["records"]


def delete_and_recover(client, item, meanwhile):
    """Delete the item, run `meanwhile()`, recover the item; the page the admin goes to."""
    url = admin_url("admin:news_newsitem_delete", args=[item.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    meanwhile()
    record = NewsItem.history.get(id=item.pk, history_type="-")
    response = client.post(admin_url("admin:news_newsitem_deleted"), {"recover": record.history_id})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_a_recovered_item_takes_back_its_published_address_from_a_draft(
    publisher_client, make_item, editor, draft_by
):
    """Readers and search engines know the published address; nobody knows a draft's yet."""
    item = make_item(title="Опубликованный дубль")
    url = item.get_absolute_url()
    drafts = []

    page = delete_and_recover(
        publisher_client,
        item,
        meanwhile=lambda: drafts.append(draft_by(editor, title="Опубликованный дубль")),
    )

    recovered, [draft] = NewsItem.objects.get(pk=item.pk), drafts
    draft.refresh_from_db()
    assert recovered.get_absolute_url() == url and Client().get(url).status_code == 200
    assert draft.slug == "opublikovannyi-dubl-2"
    assert (
        "The draft “Опубликованный дубль” had taken its address meanwhile; the draft's "
        "address now ends in “opublikovannyi-dubl-2”."
    ) in [str(message) for message in page.context["messages"]]


def test_a_recovered_item_whose_address_was_published_meanwhile_gets_a_new_one(
    publisher_client, make_item
):
    item = make_item(title="Опубликованный дубль")
    others = []

    page = delete_and_recover(
        publisher_client,
        item,
        meanwhile=lambda: others.append(make_item(title="Опубликованный дубль")),
    )

    recovered, [other] = NewsItem.objects.get(pk=item.pk), others
    assert other.slug == "opublikovannyi-dubl"
    assert recovered.slug == "opublikovannyi-dubl-2"
    assert (
        "Its address was taken meanwhile by “Опубликованный дубль”, so it has a new one: "
        f"{recovered.get_absolute_url()}."
    ) in [str(message) for message in page.context["messages"]]


def test_editors_cannot_delete_or_recover(editor_client, make_item):
    item = make_item()
    assert (
        editor_client.post(
            admin_url("admin:news_newsitem_delete", args=[item.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert editor_client.get(admin_url("admin:news_newsitem_deleted")).status_code == 403


def test_history_adds_no_queries_to_public_pages(publisher_client, make_item, admin_form, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured
    plain, edited = make_item(), make_item()
    for number in range(5):
        admin_form(publisher_client, edited).submit(lead=f"Правка {number}.")
    reader = Client()

    def queries(url):
        reader.get(url)  # warm caches
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(url).status_code == 200
        return len(captured)

    assert queries(plain.get_absolute_url()) == queries(edited.get_absolute_url()) > 0


def test_a_change_reason_reads_in_the_language_of_whoever_reads_the_history(
    publisher_client, make_item, admin_form
):
    item = make_item()
    with translation.override("ru"):
        russian_form = reverse("admin:news_newsitem_change", args=[item.pk])
    admin_form(publisher_client, russian_form).submit(correction_note="Уточнено название.")

    for language, reason in [
        ("ru", "Исправление: Уточнено название."),
        ("be", "Выпраўленне: Уточнено название."),
        ("en", "Correction: Уточнено название."),
    ]:
        with translation.override(language):
            page = publisher_client.get(reverse("admin:news_newsitem_history", args=[item.pk]))
        assert f"<td>{reason}</td>" in page.content.decode(), language
    # A reason kept as plain text (before reasons were stored by kind) shows as it was.
    item.history.update(history_change_reason="Исправление: старая запись.")
    page = publisher_client.get(history_url(item)).content.decode()
    assert "<td>Исправление: старая запись.</td>" in page


def test_the_history_list_shows_changes_as_the_comparison_does(publisher_client, make_item):
    item = make_item(
        is_published=False,
        body="<p>Старый текст.</p>",
        published_at=datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC),
    )
    item.is_published = True
    item.body = "<p>Новый текст.</p>"
    item.published_at = datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC)
    item.save()

    page = publisher_client.get(history_url(item)).content.decode()
    changes = page.split('id="change-history"')[1]
    assert "5 March 2026, 12:00 &rarr; 4 March 2026, 12:00" in changes  # Minsk time
    assert "Published:</strong> no &rarr; yes" in changes
    assert "Старый текст. &rarr; Новый текст." in changes
    assert "&lt;p&gt;" not in changes and "False" not in changes and "+00:00" not in changes


def test_the_admin_log_reads_in_the_readers_language(publisher_client, editor, draft_by):
    """
    Django's admin log (`LogEntry`): what the list actions, withdrawal and
    share links did, put into words in the language of whoever reads it, with
    the fields' names.
    """
    draft = draft_by(editor, title="Субботник")
    changelist = admin_url("admin:news_newsitem_changelist")
    share = admin_url("admin:news_newsitem_share", args=[draft.pk])
    withdraw = admin_url("admin:news_newsitem_withdraw", args=[draft.pk])
    publisher_client.post(share, {"hours": 24})
    link = draft.share_links.get()
    publisher_client.post(share, {"revoke": link.pk})
    publisher_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    publisher_client.post(withdraw, {"reason": "Перенесено на весну."})
    publisher_client.post(withdraw, {"cancel_withdrawal": "1"})
    publisher_client.post(
        changelist, {"action": "unpublish_selected", "_selected_action": [draft.pk]}
    )

    entries = LogEntry.objects.filter(object_id=str(draft.pk)).order_by("action_time", "pk")
    withdrawal = "withdrawn, reason for withdrawal and published in error"
    expected = {
        "en": [
            "Added share link “Субботник”.",
            "Changed revoked for share link “Субботник”.",
            "Changed published.",
            f"Changed {withdrawal}.",
            f"Changed {withdrawal}.",
            "Changed published.",
        ],
        "ru": [
            "Добавлено: ссылка для просмотра «Субботник».",
            "Ссылка для просмотра «Субботник»: изменены поля аннулирована.",
            "Изменены поля: опубликовано.",
        ],
        "be": [
            "Дададзена: спасылка для прагляду «Субботник».",
            "Спасылка для прагляду «Субботник»: зменены палі анулявана.",
            "Зменены палі: апублікавана.",
        ],
    }
    for language, messages in expected.items():
        with translation.override(language):
            read = [entry.get_change_message() for entry in entries]
        assert read[: len(messages)] == messages, language


def test_a_save_that_leaves_the_time_alone_records_no_change_of_it(
    publisher_client, make_item, admin_form
):
    """The form shows whole seconds; the stored time has a fraction, which it keeps."""
    stored = datetime.datetime(2026, 3, 5, 9, 0, 0, 123456, tzinfo=datetime.UTC)
    item = make_item(published_at=stored)

    admin_form(publisher_client, item).submit(
        lead="Уточнено время.", correction_note="Уточнено время начала."
    )

    item.refresh_from_db()
    assert item.lead == "Уточнено время." and item.published_at == stored
    changes = publisher_client.get(history_url(item)).content.decode()
    assert "Publication time" not in changes.split('id="change-history"')[1]


def test_an_editor_views_an_earlier_version_of_a_published_item(editor_client, make_item):
    """They may only read it: the version is shown, read-only (it was a 500)."""
    item = make_item(title="Первая редакция", body="<p>Текст первой редакции.</p>")
    first = item.history.get()
    item.title, item.body = "Вторая редакция", "<p>Текст второй редакции.</p>"
    item.save()

    url = admin_url("admin:news_newsitem_simple_history", args=[item.pk, first.history_id])
    response = editor_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>Текст первой редакции.</p>" in page  # as it reads, not as HTML source
    assert "<h1>View Первая редакция</h1>" in page
    # simple-history's own said «News › Historical навіны» in the Belarusian admin.
    page = editor_client.get(url.replace("/en/", "/be/", 1)).content.decode()
    breadcrumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", breadcrumbs)).strip() == (
        "Галоўная &rsaquo; Навіны &rsaquo; Навіны &rsaquo; Первая редакция &rsaquo; Гісторыя"
        " &rsaquo; Прагляд запісу: Первая редакция"
    )
    assert 'name="title"' not in page and "<textarea" not in page and "Revert" not in page
    assert editor_client.post(url, {"title": "Чужая правка"}).status_code == 403


def test_restoring_an_earlier_version_keeps_the_item_linked_to_its_translations(
    publisher_client, make_item
):
    item = make_item(title="Ремонт моста")
    before_linking = item.history.get()
    item.translation_group = "remont-mosta"
    item.save()
    make_item(title="Рамонт моста", language="be", translation_group="remont-mosta")

    url = admin_url("admin:news_newsitem_simple_history", args=[item.pk, before_linking.history_id])
    form = AdminForm.load(publisher_client, url)
    assert form.data["translation_group"] == "remont-mosta"
    assert form.submit().status_code == 302

    item.refresh_from_db()
    assert item.translation_group == "remont-mosta"
    assert "/be/news/" in Client().get(item.get_absolute_url()).content.decode()


def test_the_history_list_shortens_texts_with_an_ellipsis_and_names_formatting_changes(
    publisher_client, make_item
):
    """It wrote «Уважа[90 chars]…», and a change of markup alone as the same text twice."""
    words = "Уважаемые жители района, в субботу пройдёт весенний субботник. " * 3
    item = make_item(body=f"<p>{words}Сбор у школы.</p>")
    item.body = f"<p>{words}Сбор у клуба.</p>"
    item.save()
    item.body = f"<p><strong>{words}Сбор у клуба.</strong></p>"
    item.save()

    with translation.override("ru"):
        page = publisher_client.get(
            reverse("admin:news_newsitem_history", args=[item.pk])
        ).content.decode()

    assert "chars]" not in page
    shortened = re.findall(r"(\S+) … (\S+)", page)
    assert shortened, "a long text is shortened"
    words = set(re.findall(r"\w+", f"{words}Сбор у школы. Сбор у клуба."))
    for before, after in shortened:
        for fragment in (before, after):
            assert set(re.findall(r"\w+", fragment)) <= words, fragment  # whole words only
    assert "(изменилось только оформление)" in page
    *_earlier, old, new = item.history.order_by("history_date")
    with translation.override("ru"):
        compare = publisher_client.get(
            reverse("admin:news_newsitem_history_compare", args=[item.pk]),
            {"old": old.history_id, "new": new.history_id},
        ).content.decode()
    assert "(изменилось только оформление)" in compare  # «The same content», it said
    assert f"{timezone.localtime(new.history_date):%H:%M:%S}" in compare


def without(tag: str, diff: str) -> str:
    """The text a comparison shows with `tag`'s words left out and the other tag's kept."""
    other = {"del": "ins", "ins": "del"}[tag]
    return html.unescape(re.sub(rf"<{tag}>.*?</{tag}>|</?{other}>", "", diff, flags=re.S))


def test_a_long_text_is_compared_paragraph_by_paragraph_and_sentence_by_sentence():
    """Word by word over the whole text, 3,000 words took longer than a worker may."""
    words = [f"слово{number % 97}" + ("." if number % 12 == 11 else "") for number in range(3000)]
    edited = ["ИЗМЕНЕНО" if number % 25 == 0 else word for number, word in enumerate(words)]
    old, new = ("\n".join(" ".join(text[at : at + 60]) for at in range(0, 3000, 60))
                for text in (words, edited))  # fmt: skip
    diff = _word_diff(old, new)
    assert diff.count("<ins>ИЗМЕНЕНО</ins>") == 120
    assert without("del", diff) == new and without("ins", diff) == old


def test_many_equal_lines_are_compared_correctly():
    """An 8,000-row table of «—» took 18 seconds; the comparison stays exact."""
    old = "—\n" * 8000 + "итог"
    new = "—\n" * 4000 + "+\n" + "—\n" * 4000 + "итог!"
    diff = _word_diff(old, new)
    assert without("del", diff) == new and without("ins", diff) == old


def test_no_empty_change_is_shown():
    assert _word_diff(" x", "foo x") == "<ins>foo</ins> x"


def test_a_sentence_of_over_a_thousand_words_is_shown_replaced_whole():
    old = " ".join(f"слово{number % 7}" for number in range(1200))
    new = old.replace("слово3", "ИЗМЕНЕНО", 1)
    assert _word_diff(old, new) == f"<del>{old}</del><ins>{new}</ins>"
