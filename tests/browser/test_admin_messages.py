"""The admin looks like what it says: its messages, and an item's text shown read-only."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


def russian_admin(new_context, username: str, password: str, url_name: str, *args):
    """A page of the Russian admin at `url_name`, logged in as `username`."""
    with translation.override("ru"):
        login, url = reverse("admin:login"), reverse(url_name, args=args)
    page = new_context().new_page()
    page.goto(login)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(url)
    return page


def test_the_problems_listed_in_an_error_are_not_shown_as_successes(
    new_context, admin_user, make_item
):
    """Each problem inside a red message had the green background and tick of a success."""
    draft = make_item(
        title="Таблица без заголовков",
        is_published=False,
        body="<figure class='table'><table><tbody><tr><td>1</td></tr></tbody></table></figure>",
    )
    page = russian_admin(new_context, "admin", "password", "admin:news_newsitem_changelist")
    page.check(f"input[name=_selected_action][value='{draft.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")

    message = page.locator("ul.messagelist > li.error")
    message.wait_for()
    # Before the admin's style sheets have loaded, any element would pass.
    page.wait_for_load_state()
    assert "не опубликована" in message.text_content()
    problem = message.locator("li").first
    style = problem.evaluate(
        "li => [getComputedStyle(li).backgroundImage, getComputedStyle(li).backgroundColor]"
    )
    assert style == ["none", "rgba(0, 0, 0, 0)"]  # the message's red shows through


def test_an_items_text_shown_read_only_keeps_its_lists(new_context, django_user_model, make_item):
    """Editors reading a published item saw its list items pushed 170 px aside, unmarked."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(
        "olga", password="a-long-test-password", is_staff=True
    )
    # An editor's rights on items (the group itself is gone with the flushed data).
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_newsitem", "change_newsitem"])
    )
    item = make_item(body="<ul><li>Первый пункт</li><li>Второй пункт</li></ul>")
    page = russian_admin(
        new_context, "olga", "a-long-test-password", "admin:news_newsitem_change", item.pk
    )

    text_list = page.locator(".readonly ul").first
    style = text_list.evaluate(
        "list => [getComputedStyle(list).marginLeft,"
        " getComputedStyle(list.firstElementChild).listStyleType]"
    )
    assert style == ["0px", "disc"]
