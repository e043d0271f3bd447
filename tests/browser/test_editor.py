"""The admin's rich-text editor speaks the admin's language, not English alone."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "bold", "paragraph"),
    [("ru", "Жирный", "Параграф"), ("be", "Тоўсты", "Параграф"), ("en", "Bold", "Paragraph")],
)
def test_the_toolbar_is_in_the_admins_language(new_context, admin_user, language, bold, paragraph):
    page = new_context().new_page()
    with translation.override(language):
        login, add_item = reverse("admin:login"), reverse("admin:news_newsitem_add")
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(add_item)
    page.locator(".ck-editor__editable").first.wait_for()
    labels = page.locator(".ck-toolbar .ck-button__label").all_text_contents()
    assert bold in labels
    # The heading menu names the current block's kind: a title our configuration gives in
    # English, which the editor translates.
    assert page.locator(".ck-heading-dropdown .ck-button__label").first.text_content() == paragraph
