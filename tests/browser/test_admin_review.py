"""What staff meet in the admin, found by going through it in a real browser."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("language", "name"), [("ru", "Текст"), ("be", "Тэкст"), ("en", "Text")])
def test_screen_readers_name_the_text_in_the_admins_language(
    new_context, admin_user, language, name
):
    """CKEditor named it «…Editing area: main» («Вобласць рэдагавання: main»)."""
    page = new_context().new_page()
    with translation.override(language):
        login, form = reverse("admin:login"), reverse("admin:news_newsitem_add")
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(form)
    text = page.locator(".ck-editor__editable").first
    text.wait_for()
    label = text.get_attribute("aria-label")
    assert label.startswith(name)
    assert "main" not in label
