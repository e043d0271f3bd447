"""
The staff admin in a real Chromium, in Russian (the index, the news list and
an item's form in Belarusian and English too), as a superuser, in the light
theme and the dark one: axe-core finds no violation on any page staff use,
with the public pages' rule set, enhanced contrast (7:1) included. Django's
admin takes its colours from a dozen CSS variables, so meeting 7:1 meant
darkening those (static/css/admin-palette.css), not restyling the admin.
Every page can be gone through with Tab, in either theme, each stop wearing
a ring that stands out 3:1 from what it is drawn over, and so can the news
editor's toolbar with the arrows; Tab leaves the editor, which keeps it for
indenting lists only.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accessibility.models import DisplayPreferences
from accessibility.preferences import Preferences, new_token
from news.attachments import PDF
from news.models import Attachment, Category, Correction, NewsItem, ShareLink
from notices.models import UrgentNotice

from .test_display_modes import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"

# What axe finds in code we ship but do not write, each with the one element
# it is about; anything else those rules find still fails.
UPSTREAM = {
    # Django's SelectFilter2.js (the two lists of a user's groups and rights)
    # puts aria-label on the plain <span> of its search icon.
    "aria-prohibited-attr": ".selector .help-tooltip.search-label-icon",
    # Select2 4.0.13, bundled with Django for its autocomplete fields, gives
    # the span showing the choice role="textbox" and, with nothing chosen, no
    # name; the combobox around it is named (portal/admin_actions.py).
    "aria-input-field-name": ".select2-selection__rendered[role=textbox]",
}


@pytest.fixture
def admin_content(django_user_model, make_item, category, live_server):
    """
    Items in every state (and a deleted one), one with a correction, a document
    and versions, a draft with share links, a section without its Belarusian
    and English names, an urgent notice, a staff member in a group, a visitor's
    display settings, and a login locked out, logged and failed.
    """
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    editor = django_user_model.objects.create_user(
        "olga", password=PASSWORD, is_staff=True, first_name="Ольга", last_name="Петрова"
    )
    group = Group.objects.create(name="Редакторы")
    group.permissions.set(Permission.objects.filter(codename__endswith="_newsitem"))
    editor.groups.add(group)
    now = timezone.now()
    make_item(title="Черновик о посевной", is_published=False)
    make_item(title="Завтрашняя новость", published_at=now + datetime.timedelta(days=1))
    make_item(title="Снятая новость", withdrawn_at=now, withdrawal_reason="Устарела.")
    make_item(title="Удалённая новость").delete()
    item = make_item(title="Уборка берегов озера")
    item.lead = "Жители района убрали берега озера."
    item.save()
    Correction.objects.create(item=item, note="Исправлена дата акции.")
    attachment = Attachment(news_item=item, title="Схема участков", content_type=PDF.content_type)
    attachment.file.save("scheme.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    draft = make_item(title="Черновик для просмотра", is_published=False)
    for revoked_at in (None, now):
        ShareLink.objects.create(
            item=draft,
            created_by=admin,
            expires_at=now + datetime.timedelta(hours=1),
            revoked_at=revoked_at,
        )
    notice = UrgentNotice.objects.create(
        text="Плановое отключение воды 5 мая.",
        expires_at=now + datetime.timedelta(days=1),
        created_by=admin,
    )
    DisplayPreferences.objects.record(
        new_token(), Preferences(active=True, scheme="white-on-black")
    )
    Category.objects.create(name="Объявления", slug="obyavleniya")
    login = {
        "username": "olga",
        "ip_address": "192.0.2.10",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
        "http_accept": "text/html",
        "path_info": "/ru/admin/login/",
    }
    attempt = AccessAttempt.objects.create(
        **login, get_data="", post_data="username=olga", failures_since_start=5
    )
    access_log = AccessLog.objects.create(**login, logout_time=now)
    failure = AccessFailureLog.objects.create(**login, locked_out=True)
    versions = item.history.order_by("history_date")
    return {
        "admin": admin,
        "site": live_server.url,
        "item": item,
        "draft": draft,
        "category": category,
        "notice": notice,
        "attempt": attempt,
        "access_log": access_log,
        "failure": failure,
        "editor": editor,
        "group": group,
        "old": versions.first().history_id,
        "new": versions.last().history_id,
    }


def url(name, *args, query=""):
    """The address in the active language, the one `open_admin_page` opens the admin in."""
    return reverse(name, args=args) + query


# Each page's address, and what shows it is in the state meant (made in the
# page's language where it is a word of the admin's).
STATES = [NewsItem.State.DRAFT, NewsItem.State.SCHEDULED, NewsItem.State.WITHDRAWN]
PAGES = {
    "login": (lambda c: url("admin:login"), "#id_password"),
    "index": (lambda c: url("admin:index"), "#content-main .app-news"),
    "news-list": (
        lambda c: url("admin:news_newsitem_changelist"),
        lambda: "#result_list" + "".join(f":has-text('{state.label}')" for state in STATES),
    ),
    "news-add": (lambda c: url("admin:news_newsitem_add"), ".ck-editor__editable"),
    "news-change": (
        lambda c: url("admin:news_newsitem_change", c["item"].pk),
        "#content-main:has(#attachments-group input[value='Схема участков'])"
        ":has-text('Исправлена дата акции.')",
    ),
    "news-change-draft": (
        lambda c: url("admin:news_newsitem_change", c["draft"].pk),
        ".ck-editor__editable",
    ),
    "history": (
        lambda c: url("admin:news_newsitem_history", c["item"].pk),
        "input[type=submit][value='Сравнить']",
    ),
    "compare": (
        lambda c: url(
            "admin:news_newsitem_history_compare",
            c["item"].pk,
            query=f"?old={c['old']}&new={c['new']}",
        ),
        ".version-diff ins",
    ),
    "restore": (
        lambda c: url("admin:news_newsitem_simple_history", c["item"].pk, c["old"]),
        ".ck-editor__editable",
    ),
    "withdraw": (lambda c: url("admin:news_newsitem_withdraw", c["item"].pk), "textarea"),
    "share": (lambda c: url("admin:news_newsitem_share", c["draft"].pk), "button[name=revoke]"),
    "deleted": (lambda c: url("admin:news_newsitem_deleted"), "button[name=recover]"),
    "unsaved": (lambda c: url("admin:news_newsitem_change", c["item"].pk), ".unsaved-edit"),
    "notices": (lambda c: url("admin:notices_urgentnotice_changelist"), "#result_list"),
    "notice-add": (lambda c: url("admin:notices_urgentnotice_add"), "#id_expires_at_0"),
    "notice": (
        lambda c: url("admin:notices_urgentnotice_change", c["notice"].pk),
        "#id_expires_at_0[value]",
    ),
    "categories": (
        lambda c: url("admin:news_category_changelist"),
        "#result_list:has-text('Объявления'):has(input[name$=position])",
    ),
    "category": (lambda c: url("admin:news_category_change", c["category"].pk), "#id_name_en"),
    "access-attempts": (lambda c: url("admin:axes_accessattempt_changelist"), "#result_list"),
    "access-attempt": (
        lambda c: url("admin:axes_accessattempt_change", c["attempt"].pk),
        ".field-post_data",
    ),
    "access-logs": (lambda c: url("admin:axes_accesslog_changelist"), "#result_list"),
    "access-log": (
        lambda c: url("admin:axes_accesslog_change", c["access_log"].pk),
        ".field-user_agent",
    ),
    "access-failures": (lambda c: url("admin:axes_accessfailurelog_changelist"), "#result_list"),
    "access-failure": (
        lambda c: url("admin:axes_accessfailurelog_change", c["failure"].pk),
        ".field-user_agent",
    ),
    "users": (lambda c: url("admin:auth_user_changelist"), "#result_list"),
    "user": (
        lambda c: url("admin:auth_user_change", c["editor"].pk),
        "#id_user_permissions_filter",
    ),
    "groups": (lambda c: url("admin:auth_group_changelist"), "#result_list"),
    "group": (lambda c: url("admin:auth_group_change", c["group"].pk), "#id_permissions_filter"),
    "preferences": (
        lambda c: url("admin:accessibility_displaypreferences_changelist"),
        "#result_list",
    ),
    "password": (lambda c: url("admin:password_change"), "#id_new_password2"),
}


def log_in(context, user, site: str) -> None:
    """Give the browser `user`'s session, as logging in would (the login page has its tests)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": session.key, "value": session.value, "url": site}])


def open_admin_page(page, page_name: str, content, language: str = "ru") -> None:
    """Log in (but for the login page) and open the page in `language`, its editor loaded."""
    address, shows = PAGES[page_name]
    with translation.override(language):
        address = address(content)
        shows = shows() if callable(shows) else shows
    if page_name != "login":
        log_in(page.context, content["admin"], content["site"])
    response = page.goto(address)
    assert response.status == 200
    if page.locator(".django_ckeditor_5").count():
        page.locator(".ck-editor__editable").first.wait_for()
    if page_name == "unsaved":  # the item is deleted while it is being edited
        content["item"].delete()
        page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(shows).first).to_be_attached()


def violations(page) -> list:
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    for violation in found:
        if selector := UPSTREAM.get(violation["id"]):
            violation["nodes"] = [
                node
                for node in violation["nodes"]
                if not page.evaluate(
                    "([target, selector]) => document.querySelector(target).matches(selector)",
                    [node["target"][0], selector],
                )
            ]
    return [violation for violation in found if violation["nodes"]]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_axe_finds_no_violation(new_context, admin_content, page_name, theme):
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, page_name, admin_content)
    assert page.evaluate("getComputedStyle(document.body).colorScheme") == theme
    found = violations(page)
    assert found == [], describe(found)


def test_every_page_fits_a_phone(new_context, admin_content):
    """
    Staff on a phone scroll a wide table inside its box, never the whole page
    sideways (the share links' table made it 786 px wide at 360).
    """
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    widths = {}
    # "unsaved" deletes the item other pages show: it comes last.
    for page_name in sorted(PAGES, key=lambda name: name == "unsaved"):
        open_admin_page(page, page_name, admin_content)
        widths[page_name] = page.evaluate("document.documentElement.scrollWidth")
    assert {name: width for name, width in widths.items() if width > 360} == {}


# The admin speaks the language of its address, as the site does: it is under
# i18n_patterns (/ru/admin/, /be/admin/, /en/admin/), and LocaleMiddleware
# takes the language from there, not from a cookie or the browser's.
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["be", "en"])
@pytest.mark.parametrize("page_name", ["login", "index", "news-list", "news-change"])
def test_axe_finds_no_violation_in_belarusian_and_english(
    new_context, admin_content, page_name, language, theme
):
    page = new_context(color_scheme=theme, locale="ru-RU").new_page()
    open_admin_page(page, page_name, admin_content, language)
    assert page.evaluate("document.documentElement.lang") == language
    found = violations(page)
    assert found == [], describe(found)


# The element Tab moved to, and the ring around it: its width, and its least
# contrast with what it is drawn over, in the middle of each of its four sides
# (the element's own background if the ring is inside its edges, else what is
# under it there, or, where that is transparent, its parents'; partly
# transparent backgrounds are laid over those below them), once the colours
# focus gives it have faded in.
FOCUSED = """() => {
    const element = document.activeElement;
    if (element === document.body) return {element: null};
    // Django fades a focused link's or button's colours in (0.15 s): skip to the end.
    for (const animation of element.getAnimations()) animation.finish();
    const style = getComputedStyle(element);
    const colour = text => {
        const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
        return {r, g, b, a};
    };
    const over = (top, below) => ({
        r: top.r * top.a + below.r * (1 - top.a),
        g: top.g * top.a + below.g * (1 - top.a),
        b: top.b * top.a + below.b * (1 - top.a),
        a: 1,
    });
    const luminance = ({r, g, b}) => {
        const linear = value => {
            value /= 255;
            return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const contrast = (one, other) => {
        const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
        return (light + 0.05) / (dark + 0.05);
    };
    // The page's canvas: the body's background, which fills the window.
    const canvas = over(colour(getComputedStyle(document.body).backgroundColor),
                        {r: 255, g: 255, b: 255, a: 1});
    const background = (x, y) => {
        const under = document.elementsFromPoint(x, y)
            .find(other => other === element || !element.contains(other));
        const layers = [];
        for (let node = under; node; node = node.parentElement) {
            const layer = colour(getComputedStyle(node).backgroundColor);
            if (layer.a > 0) layers.push(layer);
            if (layer.a === 1) break;
        }
        return layers.reduceRight((below, top) => over(top, below), canvas);
    };
    const width = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
    const box = element.getBoundingClientRect();
    const out = (parseFloat(style.outlineOffset) || 0) + width / 2;
    const [middleX, middleY] = [box.left + box.width / 2, box.top + box.height / 2];
    const sides = [
        [box.left - out, middleY], [box.right + out, middleY],
        [middleX, box.top - out], [middleX, box.bottom + out],
    ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    const ring = colour(style.outlineColor);
    return {
        element: element.outerHTML.slice(0, 100),
        width,
        contrast: Math.min(...sides.map(([x, y]) => contrast(ring, background(x, y)))),
    };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_every_stop_of_tab_shows_its_focus(new_context, admin_content, page_name, theme):
    """
    Tab goes once round the whole page, from its top, and each stop wears a
    ring at least 2 px wide, 3:1 against what it is drawn over.
    """
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, page_name, admin_content)
    stops, rounds = [], 0
    for _ in range(300):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["element"] is None:  # in the browser's own bar, between two rounds
            rounds += 1
            if rounds == 2:
                break
        elif rounds == 1:
            stops.append(stop)
    else:
        pytest.fail("Tab never went round the page")
    assert stops[0]["element"].startswith('<a href="#content-start"'), stops[0]
    assert [stop for stop in stops if stop["width"] < 2 or stop["contrast"] < 3] == []


def test_tab_and_shift_tab_leave_the_news_editor(new_context, admin_content):
    page = new_context().new_page()
    open_admin_page(page, "news-add", admin_content)
    editor = page.locator(".ck-editor__editable")
    editor.click()
    page.keyboard.press("Tab")
    expect(page.locator("#id_cover_image")).to_be_focused()
    editor.click()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_lead")).to_be_focused()

    # In a list, Tab indents the item instead (and Shift+Tab takes it back).
    editor.click()
    page.keyboard.type("* первый")
    page.keyboard.press("Enter")
    page.keyboard.type("второй")
    page.keyboard.press("Tab")
    expect(editor.locator("li li")).to_have_text("второй")
    expect(editor).to_be_focused()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_button_of_the_editors_toolbar_shows_its_focus(new_context, admin_content, theme):
    """Alt+F10 takes the keyboard from the text to the toolbar, and the arrows along it."""
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, "news-add", admin_content)
    page.focus("#id_lead")
    page.keyboard.press("Tab")
    expect(page.locator(".ck-editor__editable")).to_be_focused()
    page.keyboard.press("Alt+F10")
    page.evaluate("window.firstStop = document.activeElement")
    stops = []
    for _ in range(40):
        stops.append(page.evaluate(FOCUSED))
        page.keyboard.press("ArrowRight")
        if page.evaluate("document.activeElement === window.firstStop"):
            break
    else:
        pytest.fail("the arrows never went round the toolbar")
    assert len(stops) >= 10, stops  # Bold, Italic, lists, link, image, table…
    assert all("ck-button" in stop["element"] for stop in stops), stops
    assert [stop for stop in stops if stop["width"] < 2 or stop["contrast"] < 3] == []
