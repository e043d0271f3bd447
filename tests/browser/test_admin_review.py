"""What staff meet in the admin, found by going through it in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from .test_admin_messages import russian_admin
from .test_editor import open_editor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("language", "name"), [("ru", "Текст"), ("be", "Тэкст"), ("en", "Text")])
def test_screen_readers_name_the_text_in_the_admins_language(
    new_context, admin_user, language, name
):
    """CKEditor named it «…Editing area: main» («Вобласць рэдагавання: main»)."""
    page = new_context().new_page()
    open_editor(page, language)
    label = page.locator(".ck-editor__editable").first.get_attribute("aria-label")
    assert label.startswith(name)
    assert "main" not in label


def test_a_long_withdrawal_reason_stays_within_the_page(new_context, admin_user, make_item):
    """A reason with no spaces (a pasted address) ran thousands of pixels past the page's edge."""
    item = make_item()
    item.withdrawn_at = timezone.now()
    item.withdrawal_reason = "https://lepel.gov.by/?" + "&".join(
        f"utm_term{n}=novosti" for n in range(40)
    )
    item.save()
    page = russian_admin(new_context, "admin", "password", "admin:news_newsitem_change", item.pk)
    page.set_viewport_size({"width": 1280, "height": 800})
    field = page.locator(".field-withdrawal .readonly")
    assert "utm_term39=novosti" in field.inner_text()
    row = page.locator(".form-row.field-withdrawal")
    assert row.evaluate("row => row.scrollWidth <= row.clientWidth")
    assert page.evaluate("innerWidth >= document.documentElement.scrollWidth")


def test_an_items_history_fits_a_phone(new_context, admin_user, make_item):
    """The versions table and a comparison made the whole page scroll sideways at 360 px."""
    item = make_item(title="Ремонт моста", body="<p>Мост закрыт до пятницы.</p>")
    item.title, item.body = "Ремонт моста на улице Ленина", "<p>Мост закрыт до субботы.</p>"
    item.save()
    old, new = item.history.order_by("history_date").values_list("history_id", flat=True)
    page = russian_admin(new_context, "admin", "password", "admin:news_newsitem_history", item.pk)
    with translation.override("ru"):
        compare = reverse("admin:news_newsitem_history_compare", args=[item.pk])
    for url in (page.url, f"{compare}?old={old}&new={new}"):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url)
        table = page.locator("table#change-history, table.version-diff")
        expect(table).to_be_visible()
        # The table is wider than the phone; it scrolls within its box instead.
        assert table.evaluate("table => table.scrollWidth > innerWidth")
        assert page.evaluate("innerWidth >= document.documentElement.scrollWidth")
        # And a keyboard can scroll it.
        keyboard = {"runOnly": ["scrollable-region-focusable"]}
        assert Axe().run(page, options=keyboard).response["violations"] == []


def test_a_section_is_chosen_with_the_keyboard_alone(new_context, admin_user, category):
    """
    Select2's list of sections (the section field's) opens from the keyboard,
    narrows as one types, chooses with Enter and gives the focus back to the
    field, from which Tab goes on to the link that changes the chosen section.
    """
    page = russian_admin(new_context, "admin", "password", "admin:news_newsitem_add")
    page.focus("#id_language")
    focused_in_section = "document.activeElement.closest('.field-category') !== null"
    for _tab in range(3):
        page.keyboard.press("Tab")
        if page.evaluate(focused_in_section):
            break
    assert page.evaluate("document.activeElement.matches('.select2-selection')")
    page.keyboard.press("Enter")
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    page.keyboard.type("Экон")
    highlighted = page.locator(".select2-results__option--highlighted")
    expect(highlighted).to_have_text("Экономика")
    # A screen reader hears the option the arrows reach: the search box points to it.
    active = search.get_attribute("aria-activedescendant")
    assert active and page.locator(f"[id='{active}']").inner_text() == "Экономика"
    page.keyboard.press("Enter")
    expect(page.locator(".select2-container--open")).to_have_count(0)
    assert page.locator("#id_category").input_value() == str(category.pk)
    assert page.evaluate("document.activeElement.matches('.field-category .select2-selection')")
    # Named by the field, then its value: the value alone said nothing of the field.
    assert (
        page.evaluate(
            """() => document.activeElement.getAttribute("aria-labelledby").split(" ")
            .map(id => document.getElementById(id).textContent.trim()).join(" ")"""
        )
        == "Рубрика: Экономика"
    )
    # On to the link that changes the chosen section, named in full.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "change_id_category"
    assert page.evaluate("document.activeElement.title") == "Изменить выбранную запись: рубрика"


def test_a_missing_section_is_said_at_its_box(new_context, admin_user, category):
    """Django marks the hidden <select>: the box a screen reader is on said nothing."""
    page = russian_admin(new_context, "admin", "password", "admin:news_newsitem_add")
    page.fill("#id_title", "Без рубрики")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    box = page.locator(".field-category .select2-selection")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert "id_category_error" in box.get_attribute("aria-describedby").split()


def test_the_section_list_speaks_belarusian(new_context, admin_user, category):
    """Select2 has no Belarusian of its own: it said «No results found» in English."""
    page = new_context().new_page()
    open_editor(page, "be")
    assert page.locator("#id_category").get_attribute("lang") == "be"
    page.click(".field-category .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill("zzzz")
    expect(page.locator(".select2-results__message")).to_have_text("Нічога не знойдзена")
