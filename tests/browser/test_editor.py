"""
The admin's rich-text editor speaks the admin's language, not English alone,
and marks its text as being in the item's language.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from news.editor import CORRECTIONS
from news.sanitizer import sanitize_html
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def open_editor(page, language: str, item=None) -> None:
    with translation.override(language):
        login = reverse("admin:login")
        if item is None:
            form = reverse("admin:news_newsitem_add")
        else:
            form = reverse("admin:news_newsitem_change", args=[item.pk])
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(form)
    page.locator(".ck-editor__editable").first.wait_for()


def keystroke_help(page) -> str:
    """The text of the editor's accessibility help (Alt+0), once its keystrokes are drawn."""
    page.locator(".ck-editor__editable").first.click()
    page.keyboard.press("Alt+0")
    dialog = page.locator(".ck-dialog").first
    # The dialog's frame appears before its content; reading it at once can give "".
    dialog.locator("kbd").first.wait_for()
    return dialog.inner_text()


@pytest.mark.parametrize(
    ("language", "bold", "paragraph"),
    [("ru", "Жирный", "Параграф"), ("be", "Тоўсты", "Параграф"), ("en", "Bold", "Paragraph")],
)
def test_the_toolbar_is_in_the_admins_language(new_context, admin_user, language, bold, paragraph):
    page = new_context().new_page()
    open_editor(page, language)
    labels = page.locator(".ck-toolbar .ck-button__label").all_text_contents()
    assert bold in labels
    # The heading menu names the current block's kind: a title our configuration gives in
    # English, which the editor translates.
    assert page.locator(".ck-heading-dropdown .ck-button__label").first.text_content() == paragraph


def test_the_text_is_marked_as_in_the_items_language(new_context, admin_user, make_item):
    page = new_context().new_page()
    open_editor(page, "be", make_item(language="en", is_published=False))
    text = page.locator(".ck-editor__editable").first
    assert text.get_attribute("lang") == "en"
    assert "Тоўсты" in page.locator(".ck-toolbar .ck-button__label").all_text_contents()

    page.select_option("#id_language", "ru")
    expect(text).to_have_attribute("lang", "ru")


def test_the_texts_errors_and_help_are_the_editing_areas(
    new_context, admin_user, make_item, settings
):
    """Django puts them on the hidden textarea: a screen reader in the editor heard none."""
    settings.PORTAL_REQUIRE_SECOND_PERSON = False
    page = new_context().new_page()
    table = "<figure class='table'><table><tbody><tr><td>Ленина</td></tr></tbody></table></figure>"
    open_editor(page, "ru", make_item(is_published=False, body=table))
    text = page.locator(".ck-editor__editable").first
    assert text.get_attribute("aria-invalid") is None
    assert text.get_attribute("aria-describedby") == "id_body_helptext"

    page.check("#id_is_published")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    text = page.locator(".ck-editor__editable").first
    expect(text).to_have_attribute("aria-invalid", "true")
    described_by = text.get_attribute("aria-describedby").split()
    assert "id_body_error" in described_by
    error = page.locator("#id_body_error").inner_text()
    assert "нет ячеек заголовков" in error


def test_the_publication_time_is_a_named_group_its_error_and_help_linked(
    new_context, admin_user, make_item
):
    """Django's label belonged to neither field: «Дата:, invalid entry», and no reason."""
    page = new_context().new_page()
    open_editor(page, "ru", make_item(is_published=False))
    page.fill("#id_published_at_0", "31.02.2026")
    page.fill("#id_published_at_1", "25:99")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    group = page.locator(".field-published_at p.datetime")
    expect(group).to_have_attribute("role", "group")
    label = page.locator(f"#{group.get_attribute('aria-labelledby')}")
    assert label.inner_text() == "Время публикации:"
    for field in ("#id_published_at_0", "#id_published_at_1"):
        notes = page.locator(field).get_attribute("aria-describedby").split()
        texts = [page.locator(f"#{note}").inner_text() for note in notes]
        assert "Введите правильную дату." in texts[0] and "Europe/Minsk" in texts[1], texts


def test_the_image_picker_offers_only_the_formats_the_site_accepts(new_context, admin_user):
    page = new_context().new_page()
    open_editor(page, "en")
    picker = page.locator(".ck-toolbar input[type=file]").first
    assert set(picker.get_attribute("accept").split(",")) == {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
    }


# What staff write with the toolbar (and paste), as the sanitizer stores it.
WRITTEN = (
    "<h2>Приём граждан</h2>"
    '<p><strong>Жирный</strong>, <i>курсив</i>, <a href="tel:+375213831234">+375 2138 3 12 34</a>,'
    ' <a href="mailto:info@lepel.gov.by">почта</a>, <a href="https://lepel.gov.by/">сайт</a>.</p>'
    "<ul><li>Один<ul><li>Вложенный</li></ul></li><li>Два</li></ul>"
    '<ol start="3"><li>Третий</li></ol>'
    "<blockquote><p>Цитата</p></blockquote>"
    '<figure class="table"><table><caption>Часы приёма</caption><thead><tr><th>День</th>'
    '<th>Время</th></tr></thead><tbody><tr><td colspan="2">Выходной</td></tr></tbody></table>'
    "</figure>"
    # Pasted from elsewhere: a resized image, a highlight, a to-do list, a video.
    '<figure class="image image_resized" style="width:50%"><img src="/media/news/images/a.png"'
    ' alt="Здание исполкома"><figcaption>Исполком</figcaption></figure>'
    '<p><mark class="marker-yellow">важно</mark> <span style="color:red">красным</span></p>'
    '<ul class="todo-list"><li><label class="todo-list__label"><input type="checkbox" disabled>'
    '<span class="todo-list__label__description">Дело</span></label></li></ul>'
    '<figure class="media"><oembed url="https://www.youtube.com/watch?v=x"></oembed></figure>'
)


def test_what_is_stored_comes_back_from_the_editor_as_it_was(new_context, admin_user):
    """
    Opening an item and saving it untouched must not change its text: the
    publishing rule takes any change for an edit that needs a second person.
    Features whose output the sanitizer drops are not offered, so nothing the
    editor holds is dropped (resized images, highlights, media came back
    different every time).
    """
    page = new_context().new_page()
    open_editor(page, "ru")
    editor = "window.editors['id_body']"
    page.evaluate(f"html => {editor}.setData(html)", WRITTEN)
    stored = sanitize_html(page.evaluate(f"{editor}.getData()"))
    assert '<a href="tel:+375213831234"' in stored
    assert "<caption>Часы приёма</caption>" in stored

    page.evaluate(f"html => {editor}.setData(html)", stored)
    assert sanitize_html(page.evaluate(f"{editor}.getData()")) == stored
    for feature in ("ImageResize", "Highlight", "MediaEmbed", "TodoList", "Font", "Alignment",
                    "FindAndReplace"):  # fmt: skip
        assert not page.evaluate(f"{editor}.plugins.has('{feature}')"), feature


def test_a_table_is_given_a_caption_from_its_toolbar(new_context, admin_user):
    """The table's toolbar adds a caption: the table's own <caption>, which names it."""
    page = new_context().new_page()
    open_editor(page, "ru")
    editor = "window.editors['id_body']"
    table = (
        "<figure class='table'><table><tbody><tr><td>Понедельник</td></tr></tbody></table></figure>"
    )
    page.evaluate(f"html => {editor}.setData(html)", table)
    page.locator(".ck-editor__editable td").first.click()
    page.locator(".ck-balloon-panel [data-cke-tooltip-text='Включить описание']").click()
    page.keyboard.type("Часы приёма")
    stored = sanitize_html(page.evaluate(f"{editor}.getData()"))
    assert "<table><caption>Часы приёма</caption>" in stored


def test_images_are_uploaded_not_linked_from_other_sites(new_context, admin_user):
    """The pages' CSP shows only the site's own images: no "insert by address"."""
    page = new_context().new_page()
    open_editor(page, "en")
    toolbar = page.locator(".ck-editor__top .ck-toolbar").first
    assert toolbar.locator("input[type=file]").count() == 1
    assert toolbar.get_by_text("Insert via URL").count() == 0
    assert toolbar.locator(".ck-splitbutton, .ck-dropdown:has(input[type=file])").count() == 0


def test_the_editors_own_russian_is_corrected(new_context, admin_user):
    """
    CKEditor's Russian leaves out «ё» and has a typo in the keystrokes its
    accessibility help (Alt+0) lists; news/editor.py corrects them.
    """
    page = new_context().new_page()
    open_editor(page, "ru")
    help_text = keystroke_help(page)
    for corrected in CORRECTIONS["ru"].values():
        assert corrected in help_text
    for shipped in ("Выбрать все\n", "жесткий", "содержанрие", "Зачеркнутый", "Подчеркнутый"):
        assert shipped not in help_text
    # Nothing offers find and replace: the help does not list its keystroke.
    assert "Найти в документе" not in help_text


def test_the_editors_own_belarusian_is_corrected(new_context, admin_user):
    page = new_context().new_page()
    open_editor(page, "be")
    assert page.locator(".ck-toolbar [data-cke-tooltip-text='Нумараваны спіс']").count() == 1
    help_text = keystroke_help(page)
    assert "Тэкст курсівам" in help_text and "Текст" not in help_text
    assert "Выйсці са спасылкі" in help_text
    # One term, the infinitive, «перад»; «выява», as the form calls a picture.
    assert "Уставіць новы абзац перад віджэтам" in help_text
    for shipped in ("камбінацы", "Націскі", "напярэдзе", "Перамясціце", "відарыс"):
        assert shipped not in help_text, shipped
    upload = "[data-cke-tooltip-text='Запампаваць выяву з камп’ютара']"
    assert page.locator(f".ck-toolbar {upload}").count() == 1


def test_the_belarusian_table_toolbar_is_named_in_belarusian(new_context, admin_user):
    page = new_context().new_page()
    open_editor(page, "be")
    table = (
        "<figure class='table'><table><tbody><tr><td>Панядзелак</td></tr></tbody></table></figure>"
    )
    page.evaluate("html => window.editors['id_body'].setData(html)", table)
    page.locator(".ck-editor__editable td").first.click()
    toolbar = page.locator(".ck-balloon-panel .ck-toolbar").first
    expect(toolbar).to_have_attribute("aria-label", "Панэль інструментаў табліцы")


def test_the_belarusian_link_and_text_alternative_forms_are_not_in_english(
    new_context, admin_user, tmp_path
):
    """CKEditor's Belarusian leaves these forms' strings empty, and the editor showed English."""
    page = new_context().new_page()
    open_editor(page, "be")
    page.locator(".ck-editor__editable").first.click()
    page.keyboard.type("Расклад прыёму")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    form = page.locator(".ck-link-form")
    expect(form).to_contain_text("Тэкст спасылкі")
    expect(form.locator("button[type=submit]")).to_have_text("Уставіць")
    expect(form.locator("[data-cke-tooltip-text='Назад']")).to_have_count(1)
    page.keyboard.type("https://lepel.gov.by/")
    page.keyboard.press("Enter")
    page.locator("[data-cke-tooltip-text='Рэдагаваць спасылку']").click()
    expect(form.locator("button[type=submit]")).to_have_text("Абнавіць")
    page.keyboard.press("Escape")

    picture = tmp_path / "plan.png"
    picture.write_bytes(image_bytes(size=(60, 40)))
    page.locator(".ck-editor input[type=file]").first.set_input_files(str(picture))
    page.locator('.ck-editor__editable img[src^="/media/news/body/"]').wait_for(timeout=15_000)
    page.locator(".ck-editor__editable figure.image").click()
    page.locator("[data-cke-tooltip-text='Рэдагаваць альтэрнатыўны тэкст']").click()
    expect(page.locator(".ck-text-alternative-form")).to_contain_text("Альтэрнатыўны тэкст")
    for english in ("Displayed text", "Insert", "Update", "Back", "Text Alternative"):
        assert english not in page.locator(".ck-body").inner_text()
