"""
The admin by keyboard and screen reader, in a real Chromium: what the
focus does and what Chromium tells a screen reader (its accessibility
tree, read through the DevTools protocol), where Django's admin left staff
without a word or without the focus (static/js/admin-keyboard.js).
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from news.admin import NewsItemAdmin
from news.attachments import PDF
from news.models import Attachment
from notices.models import UrgentNotice

from .test_admin_axe import violations
from .test_display_modes import describe

pytestmark = pytest.mark.django_db(transaction=True)


def admin_page(new_context, language: str, url_name: str, *args):
    """A page of the admin in `language`, logged in as pytest-django's `admin_user`."""
    with translation.override(language):
        login, url = reverse("admin:login"), reverse(url_name, args=args)
    page = new_context().new_page()
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def accessible(page, selector: str) -> dict:
    """What Chromium tells a screen reader of the element: its role, name, description, states."""
    session = page.context.new_cdp_session(page)
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector}"
    (found, *_) = session.send("Accessibility.getPartialAXTree", {"nodeId": node})["nodes"]
    session.detach()
    return {
        "role": found["role"]["value"],
        "name": found.get("name", {}).get("value", ""),
        "description": found.get("description", {}).get("value", ""),
        **{prop["name"]: prop["value"].get("value") for prop in found.get("properties", [])},
    }


# A refused save.


def test_a_refused_save_puts_the_focus_on_its_errors_each_linked_to_its_field(
    new_context, admin_user, category
):
    """The page came back with the focus at its top, or in the title whatever was wrong."""
    page = admin_page(new_context, "ru", "admin:news_newsitem_add")
    page.locator(".ck-editor__editable").first.wait_for()
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    note = page.locator(".errornote")
    expect(note).to_be_focused()
    assert "Пожалуйста, исправьте ошибки ниже." in note.inner_text()

    links = page.locator(".error-summary a")
    expect(links).to_have_text(
        [
            "Заголовок: Обязательное поле.",
            "Рубрика: Обязательное поле.",
            "Анонс: Обязательное поле.",
        ]
    )
    # The first field in error is one Tab away.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    # The section's hidden <select> is chosen in Select2's box, which the link leads to.
    links.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".field-category .select2-selection")).to_be_focused()
    links.nth(2).click()
    expect(page.locator("#id_lead")).to_be_focused()
    found = violations(page)
    assert found == [], describe(found)


def test_a_refused_save_lists_its_errors_without_javascript(new_context, admin_user, category):
    """Without JavaScript, the title's «Ошибка:» and the note above the form did not say where."""
    with translation.override("ru"):
        login = reverse("admin:login")
        urls = [reverse("admin:news_newsitem_add"), reverse("admin:notices_urgentnotice_add")]
    page = new_context(java_script_enabled=False).new_page()
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    expected = [
        [
            "Заголовок: Обязательное поле.",
            "Рубрика: Обязательное поле.",
            "Анонс: Обязательное поле.",
        ],
        ["Показывать до: Введите правильную дату."],
    ]
    for url, links in zip(urls, expected, strict=True):
        page.goto(url)
        if "urgentnotice" in url:
            page.fill("#id_text", "Внимание: 12 октября закрыта дорога Лепель — Камень.")
            page.fill("#id_expires_at_0", "31.02.2026")
            page.fill("#id_expires_at_1", "12:00")
        with page.expect_navigation():
            page.click("input[name=_save]")
        assert page.title().startswith("Ошибка:")
        summary = page.locator(".errornote + .error-summary a")
        expect(summary).to_have_text(links)
        # Each leads to its field (a date and time: to its date).
        for link in summary.all():
            target = link.get_attribute("href")
            assert page.locator(target).count() == 1, target
        summary.first.click()
        expect(page.locator(summary.first.get_attribute("href"))).to_be_focused()


def test_a_notices_date_and_time_are_a_named_group_its_error_and_help_linked(
    new_context, admin_user
):
    """As a news item's publication time: the label was neither field's, the error unlinked."""
    page = admin_page(new_context, "ru", "admin:notices_urgentnotice_add")
    page.fill("#id_text", "Внимание: 12 октября закрыта дорога Лепель — Камень.")
    page.fill("#id_expires_at_0", "31.02.2026")
    page.fill("#id_expires_at_1", "12:00")
    with page.expect_navigation():
        page.click("input[name=_save]")
    page.wait_for_load_state("load")
    group = page.locator(".field-expires_at p.datetime")
    expect(group).to_have_attribute("role", "group")
    label = page.locator(f"#{group.get_attribute('aria-labelledby')}")
    assert label.inner_text() == "Показывать до:"
    for field in ("#id_expires_at_0", "#id_expires_at_1"):
        notes = page.locator(field).get_attribute("aria-describedby").split()
        texts = [page.locator(f"#{note}").inner_text() for note in notes]
        assert "Введите правильную дату." in texts[0] and "Europe/Minsk" in texts[1], texts
    # The error's link in the summary leads to the date.
    page.locator(".error-summary a").first.click()
    expect(page.locator("#id_expires_at_0")).to_be_focused()


def test_an_error_in_a_documents_row_is_linked_by_the_row(new_context, admin_user, make_item):
    item = make_item()
    page = admin_page(new_context, "ru", "admin:news_newsitem_change", item.pk)
    page.click("#attachments-group .add-row a")
    page.fill("#id_attachments-0-title", "Схема участков")  # but no file
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    expect(page.locator(".errornote")).to_be_focused()
    link = page.locator(".error-summary a")
    expect(link).to_have_text("Прикреплённые документы 1, Файл: Обязательное поле.")
    link.click()
    expect(page.locator("#id_attachments-0-file")).to_be_focused()


# What a field's name and description point at.

# Every id an aria-describedby or aria-labelledby names, that no element has.
DANGLING = """() => Array.from(
  document.querySelectorAll("[aria-describedby], [aria-labelledby]"),
).flatMap((element) =>
  ["aria-describedby", "aria-labelledby"].flatMap((attribute) =>
    (element.getAttribute(attribute) || "").split(/\\s+/).filter(
      (id) => id && !document.getElementById(id),
    ).map((id) => `${element.localName}#${element.id} ${attribute}="${id}"`),
  ),
)"""


def test_every_description_and_label_a_form_names_is_in_the_page(
    new_context, admin_user, make_item, category
):
    """A documents row pointed at help («…_helptext») that its table has no element for."""
    item = make_item()
    attachment = Attachment(news_item=item, title="Схема участков", content_type=PDF.content_type)
    attachment.file.save("scheme.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    notice = UrgentNotice.objects.create(
        text="Плановое отключение воды 5 мая.",
        expires_at=item.published_at + datetime.timedelta(days=1),
        created_by=admin_user,
    )
    pages = [
        ("admin:news_newsitem_add",),
        ("admin:news_newsitem_change", item.pk),
        ("admin:notices_urgentnotice_add",),
        ("admin:notices_urgentnotice_change", notice.pk),
        ("admin:news_category_add",),
        ("admin:news_category_change", category.pk),
    ]
    found = {}
    for url_name, *args in pages:
        page = admin_page(new_context, "ru", url_name, *args)
        if url_name == "admin:news_newsitem_change":
            page.locator(".ck-editor__editable").first.wait_for()
            # A row added, and a refused save, which adds the errors' ids.
            page.click("#attachments-group .add-row a")
            page.fill("#id_attachments-1-title", "Схема участков")  # but no file
            found["a documents row added"] = page.evaluate(DANGLING)
            for row in (0, 1):
                title = accessible(page, f"#id_attachments-{row}-title")
                assert title["description"].startswith("(Текст ссылки, который видят читатели")
            with page.expect_navigation():
                page.click("input[name=_continue]")
            page.wait_for_load_state("load")
            expect(page.locator(".errornote")).to_be_focused()
            position = accessible(page, "#id_attachments-1-position")
            assert position["description"] == "(Документы выводятся по возрастанию этого числа.)"
            assert accessible(page, "#id_attachments-1-file")["description"] == "Обязательное поле."
        found[url_name] = page.evaluate(DANGLING)
        page.close()
    dangling = {name: ids for name, ids in found.items() if ids}
    assert dangling == {}, dangling


# The calendar and the clock.

DATE_AND_TIME_WORDS = {
    "ru": ["Выберите дату", "Выберите время", "Предыдущий месяц", "Следующий месяц"],
    "be": ["Абярыце дату", "Абярыце час", "Папярэдні месяц", "Наступны месяц"],
    "en": ["Choose a Date", "Choose a Time", "Previous month", "Next month"],
}


@pytest.mark.parametrize("language", DATE_AND_TIME_WORDS)
def test_the_calendar_and_clock_are_named_in_the_admins_language(new_context, admin_user, language):
    """Chromium gave the two icon links no name: a screen reader said «ссылка» alone."""
    page = admin_page(new_context, language, "admin:notices_urgentnotice_add")
    buttons = [accessible(page, button)["name"] for button in ("#calendarlink0", "#clocklink0")]
    assert buttons == DATE_AND_TIME_WORDS[language][:2]
    page.click("#calendarlink0")
    calendar = accessible(page, "#calendarbox0")
    arrows = [
        accessible(page, f"#calendarbox0 .calendarnav-{arrow}")["name"]
        for arrow in ("previous", "next")
    ]
    assert arrows == DATE_AND_TIME_WORDS[language][2:]
    page.click("#clocklink0")
    clock = accessible(page, "#clockbox0")
    assert (calendar["role"], calendar["name"]) == ("dialog", buttons[0])
    assert (clock["role"], clock["name"]) == ("dialog", buttons[1])


# A date typed in the field (in the language's first input format), the
# calendar's name for that day, chosen, and for the 1st and the 15th of the
# month after it.
CALENDAR_DAYS = {
    "ru": ("15.12.2026", "15 декабря 2026, выбрано", "1 января 2027", "15 января 2027"),
    "be": ("15.12.2026", "15 снежня 2026, выбрана", "1 студзеня 2027", "15 студзеня 2027"),
    "en": ("2026-12-15", "15 December 2026, selected", "1 January 2027", "15 January 2027"),
}


@pytest.mark.parametrize("language", CALENDAR_DAYS)
def test_each_day_of_the_calendar_is_named_by_its_whole_date(new_context, admin_user, language):
    """A day was its number alone: a screen reader said «15», of no month or year."""
    typed, chosen, *next_month = CALENDAR_DAYS[language]
    page = admin_page(new_context, language, "admin:notices_urgentnotice_add")
    calendar = page.locator("#calendarbox0")
    # Today is the current date (the field, empty, chooses no day).
    page.fill("#id_starts_at_0", "")
    page.click("#calendarlink0")
    today = calendar.locator("td.today a")
    expect(today).to_have_attribute("aria-current", "date")
    expect(calendar.locator("[aria-current]")).to_have_count(1)
    day, year = page.evaluate("[new Date().getDate(), new Date().getFullYear()]")
    name = accessible(page, "#calendarbox0 td.today a")["name"]
    assert name.startswith(f"{day} ") and name.endswith(f" {year}"), name
    # A day chosen still goes into the field: Django reads the link's text, its number.
    today.click()
    expect(page.locator("#id_starts_at_0")).to_have_value(re.compile(rf"\b0?{day}\b"))

    page.fill("#id_starts_at_0", typed)
    page.click("#calendarlink0")
    expect(calendar.locator("td.selected a")).to_be_focused()
    assert accessible(page, "#calendarbox0 td.selected a")["name"] == chosen
    # Django draws the calendar anew for another month; its days are named anew.
    calendar.locator(".calendarnav-next").click()
    expect(calendar.locator("td.selected")).to_have_count(0)
    days = calendar.locator("td:not(.nonday) a")
    names = days.evaluate_all("days => days.map((day) => day.getAttribute('aria-label'))")
    assert [names[0], names[14]] == next_month
    assert len(names) == 31
    assert accessible(page, "#calendarbox0 td:not(.nonday) a")["name"] == next_month[0]


def test_the_calendar_is_used_and_closed_with_the_keyboard(new_context, admin_user):
    """It opened at the page's end, the focus left on its button, a whole page of Tabs away."""
    page = admin_page(new_context, "ru", "admin:notices_urgentnotice_add")
    button, calendar = page.locator("#calendarlink0"), page.locator("#calendarbox0")
    button.focus()
    page.keyboard.press("Enter")
    expect(calendar).to_be_visible()
    expect(calendar.locator("td.today a")).to_be_focused()  # the field is empty
    page.keyboard.press("Escape")
    expect(calendar).to_be_hidden()
    expect(button).to_be_focused()

    # The next month, said; Tab goes round the calendar, not off the page's end.
    page.keyboard.press("Enter")
    calendar.locator(".calendarnav-next").focus()
    month = calendar.locator("caption").text_content()
    page.keyboard.press("Enter")
    expect(calendar.locator("caption")).not_to_have_text(month)
    status = calendar.locator("[role=status]")
    expect(status).to_have_text(calendar.locator("caption").text_content())
    assert accessible(page, "#calendarbox0 [role=status]")["live"] == "polite"
    calendar.locator(".calendar-cancel a").focus()
    page.keyboard.press("Tab")
    expect(calendar.locator(".calendarnav-previous")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(calendar.locator(".calendar-cancel a")).to_be_focused()

    # "Отмена" gives the focus back too; a day chosen goes into the field.
    page.keyboard.press("Enter")
    expect(calendar).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    calendar.locator("td a:text-is('15')").focus()
    page.keyboard.press("Enter")
    expect(calendar).to_be_hidden()
    field = page.locator("#id_starts_at_0")
    expect(field).to_be_focused()
    assert field.input_value().startswith("15.")


def test_the_clock_is_used_and_closed_with_the_keyboard(new_context, admin_user):
    page = admin_page(new_context, "ru", "admin:notices_urgentnotice_add")
    button, clock = page.locator("#clocklink0"), page.locator("#clockbox0")
    button.focus()
    page.keyboard.press("Enter")
    expect(clock.locator(".timelist a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(clock).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    clock.locator(".timelist a:text-is('Полдень')").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_starts_at_1")).to_be_focused()
    expect(page.locator("#id_starts_at_1")).to_have_value("12:00:00")


# The count of the items chosen for an action.


def test_the_count_of_chosen_items_is_said_as_boxes_are_ticked(new_context, admin_user, make_item):
    """«Выбран 1 из 2» changed on the screen only."""
    first, _second = make_item(), make_item()
    page = admin_page(new_context, "ru", "admin:news_newsitem_changelist")
    counter = accessible(page, ".actions .action-counter")
    assert [counter[key] for key in ("role", "live", "atomic")] == [
        "status",
        "polite",
        True,
    ]
    page.check(f"input[name=_selected_action][value='{first.pk}']")
    expect(page.locator(".actions .action-counter")).to_have_text("Выбран 1 из 2")


def test_choosing_the_items_of_every_page_keeps_the_focus(
    new_context, admin_user, make_item, monkeypatch
):
    """«Выбрать все 2 …» hid itself with the focus in it, and the focus fell to the page's top."""
    monkeypatch.setattr(NewsItemAdmin, "list_per_page", 1)
    make_item(), make_item()
    page = admin_page(new_context, "ru", "admin:news_newsitem_changelist")
    page.check("#action-toggle")
    page.locator(".actions .question a").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".actions .all")).to_be_visible()
    assert accessible(page, ".actions .all")["live"] == "polite"
    clear = page.locator(".actions .clear a")
    expect(clear).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#action-toggle")).to_be_focused()
    expect(page.locator("#action-toggle")).not_to_be_checked()


# The rows of a news item's documents.


def test_each_documents_row_is_named_and_added_and_removed_by_keyboard(
    new_context, admin_user, make_item
):
    """Every row's delete box and ✕ was «Удалить»; the space bar did not add a row."""
    item = make_item()
    attachment = Attachment(news_item=item, title="Схема участков", content_type=PDF.content_type)
    attachment.file.save("scheme.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    page = admin_page(new_context, "ru", "admin:news_newsitem_change", item.pk)
    assert accessible(page, "#id_attachments-0-DELETE")["name"] == "Удалить «Схема участков»"

    add = page.locator("#attachments-group .add-row a")
    assert accessible(page, "#attachments-group .add-row a") == {
        "role": "button",
        "name": "Добавить ещё: Прикреплённый документ",
        "description": "",
        "focusable": True,
    }
    add.focus()
    page.keyboard.press("Space")
    # The row added has the focus.
    expect(page.locator("#id_attachments-1-title")).to_be_focused()
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_attachments-2-title")).to_be_focused()
    names = [accessible(page, f"#attachments-{row} .inline-deletelink")["name"] for row in (1, 2)]
    assert names == [
        "Убрать строку 2 (ещё не сохранена)",
        "Убрать строку 3 (ещё не сохранена)",
    ]

    # Removed, the row gives the focus to "Add another", and the rows after it are renamed.
    page.locator("#attachments-1 .inline-deletelink").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#attachments-group tr.dynamic-attachments")).to_have_count(2)
    expect(add).to_be_focused()
    assert (
        accessible(page, "#attachments-1 .inline-deletelink")["name"]
        == "Убрать строку 2 (ещё не сохранена)"
    )
    page.locator("#attachments-1 .inline-deletelink").focus()
    page.keyboard.press("Space")
    expect(page.locator("#attachments-group tr.dynamic-attachments")).to_have_count(1)


# The login page.


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_refused_login_puts_the_focus_on_why_then_on_the_name(
    new_context, admin_user, javascript
):
    """
    The message was tied to neither field; then the name field kept the focus,
    and whether a screen reader said why depended on what it says of a field's
    description. The message has the focus, as a refused form's note has
    elsewhere; the next Tab is the name field, which is described by it too.
    """
    with translation.override("ru"):
        login = reverse("admin:login")
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(login)
    expect(page.locator("#id_username")).to_be_focused()
    username = accessible(page, "#id_username")
    password = accessible(page, "#id_password")
    assert (username["name"], password["name"]) == ("Имя пользователя:", "Пароль:")
    assert page.locator("#id_username").get_attribute("autocomplete") == "username"
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"

    page.fill("#id_username", "admin")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.title().startswith("Ошибка:")
    message = page.locator("#login_error")
    expect(message).to_be_focused()
    assert message.inner_text().startswith("Введите правильные имя пользователя и пароль")
    for field in ("#id_username", "#id_password"):
        said = accessible(page, field)
        assert said["invalid"] == "true"
        assert said["description"] == message.inner_text().strip()
    page.keyboard.press("Tab")
    expect(page.locator("#id_username")).to_be_focused()
    expect(page.locator("#id_username")).to_have_value("admin")
    if javascript:  # axe runs in the page
        found = violations(page)
        assert found == [], describe(found)
