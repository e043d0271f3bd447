"""The admin's messages look like what they say."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_problems_listed_in_an_error_are_not_shown_as_successes(
    new_context, admin_user, make_item
):
    """Each problem inside a red message had the green background and tick of a success."""
    draft = make_item(
        title="Таблица без заголовков",
        is_published=False,
        body="<figure class='table'><table><tbody><tr><td>1</td></tr></tbody></table></figure>",
    )
    with translation.override("ru"):
        login, changelist = reverse("admin:login"), reverse("admin:news_newsitem_changelist")
    page = new_context().new_page()
    page.goto(login)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(changelist)
    page.check(f"input[name=_selected_action][value='{draft.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")

    message = page.locator("ul.messagelist > li.error")
    message.wait_for()
    assert "не опубликована" in message.text_content()
    problem = message.locator("li").first
    style = problem.evaluate(
        "li => [getComputedStyle(li).backgroundImage, getComputedStyle(li).backgroundColor]"
    )
    assert style == ["none", "rgba(0, 0, 0, 0)"]  # the message's red shows through
