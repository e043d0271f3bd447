"""
The admin's rich-text editor speaks the admin's language, not English alone,
and marks its text as being in the item's language.
"""

import pytest
from django.urls import reverse
from django.utils import translation

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
    assert text.get_attribute("lang") == "ru"


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
