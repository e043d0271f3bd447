"""
The version for the visually impaired in a real Chromium: axe-core finds no
WCAG 2.2 A/AA violation (nor an enhanced-contrast one) on any page in any mode,
pages reflow at 320 px, the panel works from the keyboard alone, settings
survive navigation and reloads, and the plain form works without JavaScript.
"""

import datetime

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accessibility.preferences import COOKIE_NAME, SCHEME, Preferences, new_token
from news.attachments import PDF, TXT
from news.models import Attachment, Category, Correction, NewsItem
from notices.models import UrgentNotice

from ..conftest import image_bytes
from ..test_display_contrast import contrast

pytestmark = pytest.mark.django_db(transaction=True)

# The pages checked in every mode, each with what shows it is in the state meant.
# `{article}` is a news item with a cover image, a table, a quote and a figure in
# its text, a correction note and attached documents; `{search}` is the search
# page: with results (the words found in <mark>), with none, the empty form, and
# a search past the rate limit (see `open_page`).
# An urgent notice is at the top of every page.
PAGES = {
    "home": ("/ru/", [".urgent-notice", ".news-card"]),
    "news-list": ("/ru/news/", [".news-card", ".pagination"]),
    "news-detail": (
        "{article}",
        [".article__corrections", ".article__body table", ".attachments li"],
    ),
    "search-results": ("{search}?q=озер", [".search-result__snippet mark", ".pagination"]),
    "search-nothing": ("{search}?q=вертолёт", ["main:not(:has(.search-result)) [role=status]"]),
    "search-empty": ("{search}", ["main:not(:has([role=status])) .search-page-form"]),
    "search-limited": ("{search}?q=озер", ["main:not(:has(.search-result)) .search-refused"]),
}

LARGEST = {"size": "200", "letter_spacing": "wider", "line_spacing": "2"}
# Each scheme at the largest text and spacing; fonts and images vary between
# them so that every font and image mode is checked too.
MODES = {
    "normal": Preferences(),
    **{
        f"{scheme}-largest": Preferences(
            active=True, scheme=scheme, font=font, images=images, **LARGEST
        )
        for scheme, font, images in zip(
            SCHEME.values,
            ["sans", "serif", "sans", "serif", "sans"],
            ["shown", "hidden", "grayscale", "hidden", "shown"],
            strict=True,
        )
    },
}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"color-contrast-enhanced": {"enabled": True}},
    "resultTypes": ["violations"],
}
ARTICLE_BODY = """
<p>Жители района приняли участие в уборке берегов. Подробности — на
<a href="/ru/news/">странице новостей</a>.</p>
<h2>Где и когда</h2>
<figure class="image"><img src="/media/news/body/lake.png" alt="Берег Лепельского озера летом"
width="400" height="300"><figcaption>Лепельское озеро. Фото райисполкома.</figcaption></figure>
<blockquote><p>Чистые берега — общее дело всех жителей района.</p></blockquote>
<figure class="table"><table><thead><tr><th scope="col">Участок</th><th scope="col">Время</th>
<th scope="col">Ответственный</th></tr></thead><tbody>
<tr><td>Городской пляж</td><td>10:00</td><td>Лепельский райисполком</td></tr>
<tr><td>Сельскохозяйственный участок «Бобрецкий»</td><td>12:00</td><td>Сельисполком</td></tr>
</tbody></table></figure>
<ul><li>Перчатки и мешки выдаются на месте.</li><li>Вывоз мусора организован.</li></ul>
"""
ATTACHMENTS = [
    ("Схема участков уборки", PDF, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
    ("Список ответственных", TXT, "Городской пляж — райисполком\n".encode()),
]


@pytest.fixture
def content(settings):
    """
    A small portal: a category, a dozen news items, one rich article with a
    correction and documents, and an urgent notice.
    """
    category = Category.objects.create(
        name="Объявления", name_be="Аб’явы", name_en="Announcements", slug="announcements"
    )
    now = timezone.now()
    for number in range(12):
        NewsItem.objects.create(
            title=f"Достопримечательности Лепельщины: сельскохозяйственная выставка {number}",
            lead="Высокопроизводительное сельскохозяйственное оборудование показали на озере.",
            body="<p>Текст новости.</p>",
            category=category,
            is_published=True,
            published_at=now - datetime.timedelta(days=number + 1),
        )
    media = settings.MEDIA_ROOT
    for name in ("news/covers/cover.png", "news/body/lake.png"):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(image_bytes(size=(400, 300)))
    article = NewsItem.objects.create(
        title="Приглашаем на экологическую акцию по уборке берегов Лепельского озера",
        lead="25 апреля жители района смогут принять участие в уборке берегов озера.",
        body=ARTICLE_BODY,
        cover_image="news/covers/cover.png",
        cover_image_alt="Волонтёры собирают мусор на берегу озера",
        category=category,
        is_published=True,
        published_at=now - datetime.timedelta(hours=2),
    )
    Correction.objects.create(item=article, note="Уточнено время начала уборки на городском пляже.")
    for position, (title, kind, data) in enumerate(ATTACHMENTS):
        attachment = Attachment(
            news_item=article, title=title, content_type=kind.content_type, position=position
        )
        attachment.file.save(f"document.{kind.extension}", ContentFile(data), save=True)
    UrgentNotice.objects.create(
        text="Сегодня с 10:00 до 14:00 закрыт проезд по улице Ленина.",
        expires_at=now + datetime.timedelta(days=1),
    )
    return {"article": article}


# Two pages of news in each of the other languages, with long words in their
# titles as the demo's news have ("добраўпарадкавання" is 18 letters).
OTHER_LANGUAGES = {
    "be": (
        "Добраўпарадкаванне Лепельшчыны: сельскагаспадарчая выстава {number}",
        "Высокапрадукцыйную тэхніку паказалі на возеры.",
    ),
    "en": (
        "Landscaping on the Lepel lakeshore: an agricultural exhibition {number}",
        "Highly productive agricultural machinery was shown by the lake.",
    ),
}


@pytest.fixture
def news_in_every_language(content):
    """The portal of `content`, with two pages of news in Belarusian and in English too."""
    category = Category.objects.get()
    now = timezone.now()
    for language, (title, lead) in OTHER_LANGUAGES.items():
        for number in range(13):
            NewsItem.objects.create(
                title=title.format(number=number),
                lead=lead,
                body="<p>…</p>",
                category=category,
                language=language,
                is_published=True,
                published_at=now - datetime.timedelta(days=number + 1),
            )
    return content


def page_url(name: str, content) -> str:
    with translation.override("ru"):
        search = reverse("news:search")
    url, _state = PAGES[name]
    return url.format(article=content["article"].get_absolute_url(), search=search)


def open_page(page, page_name: str, content, settings):
    """Go to the page; for "search-limited", after the one search a minute allowed."""
    url = page_url(page_name, content)
    if page_name == "search-limited":
        settings.PORTAL_SEARCH_RATE_LIMIT = 1
        # Searches are counted by the minute of the clock: stopped, it cannot
        # begin a new minute, with a new allowance, between the two.
        with time_machine.travel(timezone.now(), tick=False):
            assert page.request.get(url).status == 200
            response = page.goto(url)
    else:
        response = page.goto(url)
    assert response.status == (429 if page_name == "search-limited" else 200), url


def assert_in_state(page, page_name: str):
    for selector in PAGES[page_name][1]:
        assert page.locator(selector).count(), f"{page_name} has no {selector}"


def context_in_mode(new_context, live_server, preferences: Preferences, **options):
    context = new_context(**options)
    if preferences.active:
        cookie = preferences.to_cookie(new_token())
        context.add_cookies([{"name": COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def largest_on_a_phone(new_context, live_server, width: int, height: int):
    """A new page in the version for the visually impaired, white on black, at its largest."""
    preferences = Preferences(active=True, scheme="white-on-black", **LARGEST)
    context = context_in_mode(
        new_context, live_server, preferences, viewport={"width": width, "height": height}
    )
    return context.new_page()


def describe(violations) -> str:
    return "\n".join(
        f"{violation['id']}: {violation['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
        for violation in violations
    )


# Scrolls each image the mode shows into view (cards and body images load lazily)
# and waits for it; images hidden by the mode are never fetched. An image is
# given up on after Playwright's own 30 s, not 5 s: on a loaded machine a page
# of the admin took 8 s to come.
LOAD_SHOWN_IMAGES = """async () => {
    const shown = Array.from(document.images).filter(image => image.checkVisibility());
    for (const image of shown) {
        image.scrollIntoView();
        if (!image.complete) {
            await Promise.race([
                new Promise(resolve => {
                    image.addEventListener("load", resolve, {once: true});
                    image.addEventListener("error", resolve, {once: true});
                }),
                new Promise(resolve => setTimeout(resolve, 30000)),
            ]);
        }
    }
    window.scrollTo(0, 0);
    return {
        shown: shown.length,
        all: document.images.length,
        broken: shown.filter(image => !(image.complete && image.naturalWidth > 0))
            .map(image => image.currentSrc || image.src),
    };
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_name", PAGES)
def test_axe_finds_no_violation(new_context, live_server, content, settings, page_name, mode):
    page = context_in_mode(new_context, live_server, MODES[mode]).new_page()
    open_page(page, page_name, content, settings)
    expected = MODES[mode].html_attributes()
    assert page.evaluate("document.documentElement.dataset.display") == expected["data-display"]
    assert_in_state(page, page_name)
    images = page.evaluate(LOAD_SHOWN_IMAGES)
    assert images["broken"] == [], images
    if MODES[mode].images == "hidden":
        assert images["shown"] == 0, images
    else:
        assert images["shown"] == images["all"] > 0, images

    results = Axe().run(page, options=AXE_OPTIONS).response
    assert results["violations"] == [], describe(results["violations"])


def test_axe_checks_enhanced_contrast(browser):
    """The rule set really includes the 7:1 check: grey text passing AA fails here."""
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><p style="color:#666">Grey</p></main></html>'
    )
    results = Axe().run(page, options=AXE_OPTIONS).response
    page.close()
    assert [violation["id"] for violation in results["violations"]] == ["color-contrast-enhanced"]


@pytest.mark.parametrize("page_name", PAGES)
def test_no_horizontal_scrolling_at_320_px_at_the_largest_size(
    new_context, live_server, content, settings, page_name
):
    page = largest_on_a_phone(new_context, live_server, 320, 640)
    open_page(page, page_name, content, settings)
    assert_in_state(page, page_name)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert_no_sideways_scrolling(page, 320)


def assert_no_sideways_scrolling(page, width: int, where: str = ""):
    """
    The page is no wider than the window, nor is any element: only a table's
    cells may reach further, inside the box that scrolls it (reflow, WCAG
    1.4.10, excepts data tables). Hidden text counts too: it widens the page.
    """
    widths = page.evaluate(
        """() => {
            const boxes = Array.from(document.querySelectorAll("body *:not(figure.table *)"),
                element => [element.getBoundingClientRect().right, element]);
            const [right, widest] = boxes.reduce((a, b) => (b[0] > a[0] ? b : a));
            return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                widest: right, element: widest.outerHTML.slice(0, 120)};
        }"""
    )
    assert widths["page"] <= widths["window"] == width, (where, widths)
    assert widths["widest"] <= width, (where, widths)


@pytest.mark.parametrize("language", ["ru", "be", "en"])
def test_the_news_list_fits_a_phone_in_every_scheme(
    new_context, live_server, news_in_every_language, language
):
    """Both pages of the list, at the largest size, in each scheme with its font and images."""
    context = new_context()
    page = context.new_page()
    for mode, preferences in MODES.items():
        if not preferences.active:
            continue
        cookie = preferences.to_cookie(new_token())
        context.add_cookies([{"name": COOKIE_NAME, "value": cookie, "url": live_server.url}])
        for width in (320, 375, 414):
            page.set_viewport_size({"width": width, "height": 800})
            for number in (1, 2):
                page.goto(f"/{language}/news/?page={number}")
                assert page.locator(".news-card").count() and page.locator(".pagination").count()
                assert_no_sideways_scrolling(page, width, f"{mode} at {width} px, page {number}")


# The text spacing a reader's own style sheet may set (WCAG 1.4.12): nothing
# may be lost, and the page may not scroll sideways.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def search_url(language: str) -> str:
    """The search page finding every item of the list in `language`."""
    with translation.override(language):
        search = reverse("news:search")
    return search + "?q=" + {"ru": "выставка", "be": "выстава", "en": "exhibition"}[language]


@pytest.mark.parametrize("language", ["ru", "be", "en"])
def test_the_news_cards_take_wcag_text_spacing_at_320_px(
    new_context, live_server, news_in_every_language, language
):
    for preferences in (Preferences(), Preferences(active=True)):
        # The page's policy refuses styles it did not send; a reader's are not its to refuse.
        context = context_in_mode(
            new_context,
            live_server,
            preferences,
            viewport={"width": 320, "height": 640},
            bypass_csp=True,
        )
        page = context.new_page()
        for url in (f"/{language}/", f"/{language}/news/", search_url(language)):
            page.goto(url)
            assert page.locator(".news-card, .search-result").count(), url
            page.add_style_tag(content=TEXT_SPACING)
            assert (
                page.evaluate("getComputedStyle(document.querySelector('main p')).letterSpacing")
                != "normal"
            )
            assert_no_sideways_scrolling(page, 320, f"{url}, {preferences.html_attributes()}")


FOCUS_VISIBLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        tag: element.tagName,
        name: element.getAttribute("name"),
        value: element.getAttribute("value"),
        text: element.textContent.trim(),
        visible: element.matches(":focus-visible") && style.outlineStyle !== "none"
            && parseFloat(style.outlineWidth) >= 2,
        inView: box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0,
    };
}"""


def tab(page) -> dict:
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_VISIBLE)
    assert focused["visible"] and focused["inView"], focused
    return focused


# Where the focused link's ring is drawn: its outer edge, and the colours of
# the ring and of the menu bar it should lie on.
MENU_RING = """() => {
    const link = document.activeElement, bar = document.querySelector(".site-nav");
    const style = getComputedStyle(link);
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const box = link.getBoundingClientRect();
    return {
        ring: {top: box.top - reach, bottom: box.bottom + reach,
            left: box.left - reach, right: box.right + reach},
        bar: bar.getBoundingClientRect().toJSON(),
        colours: [style.outlineColor, getComputedStyle(bar).backgroundColor],
    };
}"""


def rgb(colour: str) -> tuple[int, ...]:
    """The channels of a computed colour, "rgb(1, 2, 3)"."""
    return tuple(int(channel) for channel in colour.removeprefix("rgb(").rstrip(")").split(","))


@pytest.mark.parametrize("mode", MODES)
def test_the_focus_ring_of_the_menu_links_is_on_the_menu(new_context, live_server, content, mode):
    """
    The ring is drawn inside each menu link, on the menu's own colour, which it
    contrasts with: outside, in the version for the visually impaired, it lay
    on the page's background, which has the ring's colour.
    """
    page = context_in_mode(new_context, live_server, MODES[mode]).new_page()
    page.goto("/ru/news/")
    page.focus(".site-search__button")  # the last control before the menu
    for name in ("Главная", "Новости"):
        focused = tab(page)
        assert (focused["tag"], focused["text"]) == ("A", name)
        drawn = page.evaluate(MENU_RING)
        ring, bar = drawn["ring"], drawn["bar"]
        assert ring["top"] >= bar["top"] + 1 and ring["bottom"] <= bar["bottom"] - 1, drawn
        assert ring["left"] >= bar["left"] + 1 and ring["right"] <= bar["right"] - 1, drawn
        assert contrast(*map(rgb, drawn["colours"])) >= 3, drawn


def html_data(page) -> dict:
    return page.evaluate("({...document.documentElement.dataset})")


def panel_state(page) -> dict:
    """Whether the panel's summary is announced as expanded, and whether its form shows."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    (summary,) = [
        node
        for node in nodes
        if node["role"]["value"] == "DisclosureTriangle"
        and node.get("name", {}).get("value") == "Настройки отображения"
    ]
    properties = {item["name"]: item["value"]["value"] for item in summary["properties"]}
    return {"expanded": properties["expanded"], "form": page.is_visible("#display-settings")}


def test_keyboard_alone_reaches_and_operates_every_setting(new_context, live_server, content):
    page = new_context().new_page()
    page.goto("/ru/")

    skip = tab(page)
    assert skip["tag"] == "A" and skip["text"] == page.text_content(".skip-link").strip()
    switch = tab(page)
    assert (switch["name"], switch["value"]) == ("active", "on")
    assert switch["text"] == "Версия для слабовидящих"

    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-display", "accessible")
    focused = page.evaluate(FOCUS_VISIBLE)
    assert (focused["name"], focused["value"], focused["visible"]) == ("active", "off", True)
    assert focused["text"] == "Обычная версия"
    status = page.locator("[data-display-status]")
    assert status.get_attribute("role") == "status"
    expect(status).to_have_text("Включена версия для слабовидящих.")
    summary = tab(page)
    assert (summary["tag"], summary["text"]) == ("SUMMARY", "Настройки отображения")
    assert panel_state(page) == {"expanded": True, "form": True}, "switching on opens the panel"

    wanted = {
        "font": "serif",
        "size": "200",
        "letter_spacing": "wider",
        "line_spacing": "2",
        "scheme": "white-on-black",
        "images": "grayscale",
    }
    keys = iter(["Enter", "Space"] * len(wanted))
    pressed = {}
    while True:
        focused = tab(page)
        if focused["name"] == "reset":
            break
        assert focused["tag"] == "BUTTON", focused
        if wanted.get(focused["name"]) == focused["value"]:
            page.keyboard.press(next(keys))
            attribute = "data-" + focused["name"].replace("_", "-")
            expect(page.locator("html")).to_have_attribute(attribute, focused["value"])
            after = page.evaluate(FOCUS_VISIBLE)
            assert (after["name"], after["value"], after["visible"]) == (
                focused["name"],
                focused["value"],
                True,
            )
            button = page.locator(f"button[name='{focused['name']}'][value='{focused['value']}']")
            assert button.get_attribute("aria-pressed") == "true"
            pressed[focused["name"]] = focused["value"]
    assert pressed == wanted
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("data-size", "150")
    assert html_data(page) == {
        "display": "accessible",
        "font": "sans",
        "size": "150",
        "letterSpacing": "normal",
        "lineSpacing": "normal",
        "scheme": "black-on-white",
        "images": "shown",
    }
    assert page.evaluate(FOCUS_VISIBLE)["name"] == "reset"


def test_the_panel_is_folded_on_a_phone_and_the_keyboard_unfolds_it(
    new_context, live_server, content
):
    """
    Open, the panel's 22 buttons at the largest size take several screens of a
    phone: every page starts with it folded under its summary, below the switch.
    """
    page = largest_on_a_phone(new_context, live_server, 375, 740)
    page.goto(page_url("news-detail", content))
    assert panel_state(page) == {"expanded": False, "form": False}
    height = "document.querySelector('[data-display-panel]').getBoundingClientRect().height"
    assert page.evaluate(height) < 740 / 2, "the summary leaves most of a screen to the page"

    tab(page), tab(page)  # the skip link, the switch
    summary = tab(page)
    assert (summary["tag"], summary["text"]) == ("SUMMARY", "Настройки отображения")
    page.keyboard.press("Enter")
    assert panel_state(page) == {"expanded": True, "form": True}
    assert page.evaluate(height) > 3 * 740
    assert tab(page)["name"] == "font"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert panel_state(page) == {"expanded": False, "form": False}
    assert html_data(page)["display"] == "accessible", "folding keeps the version on"
    after = tab(page)
    assert after["tag"] == "A" and "Лепельский" in after["text"], "no hidden button is reached"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    tab(page), tab(page)  # into the open panel
    page.keyboard.press("Escape")
    assert panel_state(page) == {"expanded": False, "form": False}, "Escape folds it"
    assert page.evaluate(FOCUS_VISIBLE)["tag"] == "SUMMARY", "back on its summary"

    # Screens below its summary, the panel's end folds it too (a phone has no Escape).
    page.keyboard.press("Enter")
    fold = page.get_by_role("button", name="Скрыть настройки")
    fold.scroll_into_view_if_needed()
    assert page.evaluate("scrollY") > 2 * 740
    fold.click()
    assert panel_state(page) == {"expanded": False, "form": False}
    focused = page.evaluate(FOCUS_VISIBLE)
    assert focused["tag"] == "SUMMARY" and focused["inView"], focused


def test_the_pressed_button_stays_in_view_when_the_text_grows(new_context, live_server, content):
    """The larger text pushes the panel's buttons down: the one just pressed is scrolled back."""
    context = context_in_mode(
        new_context, live_server, Preferences(active=True), viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.goto("/ru/")
    page.click("summary")
    button = page.locator("button[name='size'][value='200']")
    button.evaluate("button => button.scrollIntoView({block: 'end'})")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-size", "200")
    focused = page.evaluate(FOCUS_VISIBLE)
    assert (focused["name"], focused["value"]) == ("size", "200")
    assert focused["inView"], focused


# The words of the article's table cells that run over more than one line.
BROKEN_WORDS_IN_CELLS = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll(".article__body :is(th, td)")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const text = walker.currentNode;
            for (const word of text.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(text, word.index);
                range.setEnd(text, word.index + word[0].length);
                const tops = Array.from(range.getClientRects(), box => Math.round(box.top));
                if (new Set(tops).size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


def test_a_wide_table_keeps_its_words_and_scrolls_in_its_own_box(new_context, live_server, content):
    page = largest_on_a_phone(new_context, live_server, 375, 740)
    page.goto(page_url("news-detail", content))
    assert page.evaluate(BROKEN_WORDS_IN_CELLS) == []
    box = page.locator(".article__body figure.table")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth"), "the table is wider"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page is not"

    # The script makes the box a tab stop once it has measured it, after the page has loaded.
    expect(box).to_have_attribute("tabindex", "0")
    # A named region: the tab stop said only «figure».
    assert box.evaluate("box => [box.role, box.ariaLabel]") == ["region", "Таблица"]
    # A phone shows no scrollbar until the table is touched: a line above the box says it scrolls.
    hint = page.locator(".table-hint")
    expect(hint).to_have_text("Таблица шире экрана: прокрутите её вбок.")
    assert hint.bounding_box()["y"] < box.bounding_box()["y"]
    page.focus(".article__body a")  # the link in the paragraph before the table
    assert tab(page)["tag"] == "FIGURE", "the keyboard reaches the table's box"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.article__body figure.table').scrollLeft > 0"
    )

    page.goto("/ru/")  # back to the normal version, on a wide screen
    page.click("button[name='active']")
    # The switch posts in the background: leaving the page first would cancel it.
    expect(page.locator("html")).to_have_attribute("data-display", "normal")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(page_url("news-detail", content))
    expect(page.locator("html")).to_have_attribute("data-display", "normal")
    # The box is checked when its size is first known, before the next frame.
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    assert box.get_attribute("tabindex") is None, "a table that fits is no tab stop"
    expect(page.locator(".table-hint")).to_have_count(0)
    assert box.get_attribute("role") is None and box.get_attribute("aria-label") is None


def test_the_way_back_to_the_normal_version_comes_before_a_long_notice(
    new_context, live_server, db
):
    """At 200% a long notice put the switch two screens down, out of reach of a lost visitor."""
    UrgentNotice.objects.create(
        text="Внимание: " + "в связи с ремонтом теплотрассы движение закрыто. " * 4,
        expires_at=timezone.now() + datetime.timedelta(hours=3),
    )
    page = largest_on_a_phone(new_context, live_server, 360, 640)
    page.goto("/ru/")
    switch = page.locator("button[name='active']").bounding_box()
    assert switch["y"] + switch["height"] <= 640, "on the first screen"
    assert switch["y"] < page.locator(".urgent-notices").bounding_box()["y"]


def test_a_wide_tables_box_is_named_by_its_caption_shown_above_it(new_context, make_item):
    cells = "".join(f"<td>Понедельник{n}</td>" for n in range(12))
    item = make_item(
        body='<figure class="table"><table><tbody><tr>' + cells + "</tr></tbody>"
        "<caption>Часы приёма</caption></table></figure>"
    )
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    page.goto(item.get_absolute_url())
    box = page.locator(".article__body figure.table")
    expect(box).to_have_attribute("aria-label", "Часы приёма")
    caption, cell = (
        page.locator(f".article__body {tag}").first.bounding_box() for tag in ("caption", "td")
    )
    assert caption["y"] + caption["height"] <= cell["y"], "the caption is above the rows"


@pytest.mark.parametrize("language", ["ru", "be"])
def test_the_skip_link_stays_out_of_sight_until_focused(
    new_context, live_server, content, language
):
    """At the largest size on a phone it wraps to many lines: all of them stay above the page."""
    page = largest_on_a_phone(new_context, live_server, 320, 640)
    page.goto(f"/{language}/")
    link = page.locator(".skip-link").bounding_box()
    assert link["y"] + link["height"] <= -4, "not a sliver of its border shows"
    covered = page.evaluate(
        "Array.from({length: 32}, (_, row) => document.elementFromPoint(160, row * 20))"
        ".some(element => element && element.closest('.skip-link'))"
    )
    assert not covered, "nothing on the first screen is under the skip link"
    assert tab(page)["tag"] == "A", "focused, the skip link is in view"
    ring_right = page.evaluate(
        "() => { const link = document.activeElement, style = getComputedStyle(link);"
        " return link.getBoundingClientRect().right + parseFloat(style.outlineOffset)"
        " + parseFloat(style.outlineWidth); }"
    )
    assert ring_right <= 320, "its focus ring is on the screen"


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("size", ["175", "200"])
def test_large_text_on_a_wide_screen_keeps_its_columns_readable(
    new_context, live_server, content, width, size
):
    """Columns grow with the text: past the room for them, the lists are laid out as on a phone."""
    preferences = Preferences(active=True, size=size)
    context = context_in_mode(
        new_context, live_server, preferences, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto("/ru/news/")
    widths = page.evaluate(
        """() => ({
            main: document.querySelector(".news-layout__main").getBoundingClientRect().width,
            page: document.querySelector(".site-main").getBoundingClientRect().width,
            list: document.querySelector(".news-list").getBoundingClientRect().width,
            titles: Array.from(document.querySelectorAll(".news-card__title"),
                               title => title.getBoundingClientRect().width),
        })"""
    )
    assert widths["main"] >= 0.6 * widths["page"], widths
    assert min(widths["titles"]) >= widths["list"] / 2, widths


def test_hidden_images_leave_no_column_in_the_cards(new_context, live_server, content):
    preferences = Preferences(active=True, images="hidden")
    context = context_in_mode(
        new_context, live_server, preferences, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto("/ru/news/")
    card = page.locator(".news-card--with-image").first
    title = card.locator(".news-card__title").bounding_box()
    assert title["width"] == pytest.approx(card.bounding_box()["width"], abs=1)


def test_settings_survive_another_page_and_a_reload(new_context, live_server, content):
    page = new_context().new_page()
    page.goto("/ru/")
    page.click("button[name='active']")
    expect(page.locator("html")).to_have_attribute("data-display", "accessible")
    page.click("button[name='size'][value='175']")
    page.click("button[name='scheme'][value='blue-on-light-blue']")
    page.click("button[name='images'][value='hidden']")
    expect(page.locator("html")).to_have_attribute("data-images", "hidden")
    chosen = html_data(page)
    assert chosen["size"] == "175" and chosen["scheme"] == "blue-on-light-blue"

    page.click(".site-nav a[href='/ru/news/']")
    page.wait_for_url("**/ru/news/")
    assert html_data(page) == chosen
    article = page.locator(".news-card__title a").first
    address = article.get_attribute("href")
    article.click()
    page.wait_for_url(f"**{address}")
    assert html_data(page) == chosen
    assert page.is_visible(".article .image-description")
    assert not page.is_visible(".article__cover img")
    page.reload()
    assert html_data(page) == chosen
    assert page.get_attribute("button[name='scheme'][value='blue-on-light-blue']", "aria-pressed")

    page.click("button[name='active']")
    expect(page.locator("html")).to_have_attribute("data-display", "normal")
    assert page.is_hidden("[data-display-panel]")
    page.reload()
    assert html_data(page) == {"display": "normal"}
    page.click("button[name='active']")
    expect(page.locator("html")).to_have_attribute("data-display", "accessible")
    assert html_data(page) == chosen, "the settings are remembered for next time"


def test_back_shows_a_kept_page_in_the_settings_of_now(browser, live_server, content):
    """
    Chromium keeps the pages left for Back and Forward (Playwright turns that
    off, so this test has a browser of its own): the home page came back in
    the settings of before.
    """
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    keeping = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    try:
        page = keeping.new_page(base_url=live_server.url)
        page.goto("/ru/")
        page.evaluate("window.kept = true")
        page.click(".site-nav a[href='/ru/news/']")
        page.wait_for_url("**/ru/news/")
        page.go_back(wait_until="commit")
        expect(page.locator("[data-display-switch]").first).to_be_visible()
        assert page.evaluate("window.kept"), "the browser kept the page"
        page.go_forward(wait_until="commit")
        page.wait_for_url("**/ru/news/", wait_until="commit")

        page.click("button[name='active']")
        expect(page.locator("html")).to_have_attribute("data-display", "accessible")
        page.go_back(wait_until="commit")
        expect(page.locator("html")).to_have_attribute("data-display", "accessible")
        assert page.evaluate("window.kept") is None  # it loaded again

        page.evaluate("window.kept = true")
        page.go_forward(wait_until="commit")
        page.wait_for_url("**/ru/news/", wait_until="commit")
        page.go_back(wait_until="commit")  # nothing changed since: the kept page will do
        page.wait_for_url("**/ru/", wait_until="commit")
        expect(page.locator("html")).to_have_attribute("data-display", "accessible")
        assert page.evaluate("window.kept")
    finally:
        keeping.close()


def test_without_javascript_the_plain_form_switches_modes(new_context, live_server, content):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/ru/news/?page=2")
    assert page.is_hidden("[data-display-panel]")

    page.click("button[name='active']")
    page.wait_for_url("**/ru/news/?page=2#display-settings")
    assert html_data(page)["display"] == "accessible"
    # The address's #display-settings opens the folded panel, and the page
    # stays at its top, with the switch in view.
    assert panel_state(page) == {"expanded": True, "form": True}
    assert page.evaluate("window.scrollY") == 0

    # Each answer goes to the group of the setting just changed: at a large size,
    # the panel's top was screens above it.
    for name, value in [("size", "200"), ("scheme", "green-on-brown"), ("font", "serif")]:
        page.click(f"button[name='{name}'][value='{value}']")
        expect(page.locator("html")).to_have_attribute(f"data-{name}", value)
        page.wait_for_url(f"**/ru/news/?page=2#display-{name}")
        button = f"button[name='{name}'][value='{value}']"
        assert page.get_attribute(button, "aria-pressed") == "true"
        assert panel_state(page)["form"], "the panel stays open for the next change"
        group = page.locator(f"#display-{name}").bounding_box()
        assert 0 <= group["y"] < page.viewport_size["height"], (name, group)

    page.click("button[name='reset']")
    expect(page.locator("html")).to_have_attribute("data-size", "150")
    page.wait_for_url("**/ru/news/?page=2#display-settings")
    page.click("summary")
    assert panel_state(page) == {"expanded": False, "form": False}
    assert html_data(page)["display"] == "accessible", "folding keeps the version on"
    page.goto("/ru/")
    assert panel_state(page) == {"expanded": False, "form": False}, "other pages start folded"
    page.click("button[name='active']")
    expect(page.locator("html")).to_have_attribute("data-display", "normal")
    page.wait_for_url("**/ru/")
    assert html_data(page) == {"display": "normal"}
    assert page.is_hidden("[data-display-panel]")


# A page on another site with a form that tries to switch a visitor's mode off.
OTHER_SITE = "http://other-site.example"
OTHER_SITE_PAGE = """<!DOCTYPE html><html lang="en"><title>Another site</title>
<form method="post" action="{action}"><input type="hidden" name="next" value="/ru/">
<button type="submit" name="active" value="off">Win a prize</button></form></html>"""


def test_another_site_cannot_change_the_mode(new_context, live_server, content):
    """
    The panel's forms carry no CSRF token: Chromium's Sec-Fetch-Site (here
    `cross-site`, with the visitor's cookie sent along) tells the sites apart.
    """
    chosen = Preferences(active=True, scheme="white-on-black", size="200")
    context = context_in_mode(new_context, live_server, chosen)
    action = f"{live_server.url}/ru/display/"
    context.route(
        f"{OTHER_SITE}/**",
        lambda route: route.fulfill(
            content_type="text/html", body=OTHER_SITE_PAGE.format(action=action)
        ),
    )
    page = context.new_page()
    page.goto(f"{OTHER_SITE}/")
    page.click("button")
    expect(page.locator("h1")).to_have_text("Настройки отображения не изменены")

    page.goto("/ru/")
    mode = html_data(page)
    assert (mode["display"], mode["scheme"], mode["size"]) == (
        "accessible",
        "white-on-black",
        "200",
    )


def test_every_control_is_at_least_44_px(new_context, live_server, content):
    page = new_context().new_page()
    page.goto("/ru/news/")
    page.click("button[name='active']")
    expect(page.locator("html")).to_have_attribute("data-display", "accessible")
    page.click("button[name='size'][value='100']")
    expect(page.locator("html")).to_have_attribute("data-size", "100")
    controls = "button, summary, .site-header a, .site-nav a, .pagination a"
    small = """selector => Array.from(document.querySelectorAll(selector)).map(element => {
            const box = element.getBoundingClientRect();
            return {text: element.textContent.trim(), width: box.width, height: box.height};
        }).filter(box => box.width < 44 || box.height < 44)"""
    assert page.evaluate(small, controls) == []
    # The links that stand alone under an article: back to the list, the documents.
    page.goto(page_url("news-detail", content))
    assert page.evaluate(small, f"{controls}, .back-link a, .attachments a") == []


@pytest.mark.parametrize("mode", ["normal", "white-on-black-largest"])
@pytest.mark.parametrize("page_name", ["search-empty", "news-detail"])
def test_the_footer_ends_the_window_or_follows_the_page(
    new_context, live_server, content, page_name, mode
):
    """A short page's footer sits at the window's bottom; a long page's follows its text."""
    context = context_in_mode(
        new_context, live_server, MODES[mode], viewport={"width": 1280, "height": 1600}
    )
    page = context.new_page()
    page.goto(page_url(page_name, content))
    boxes = page.evaluate(
        "({main: document.querySelector('main').getBoundingClientRect().bottom,"
        " footer: document.querySelector('footer').getBoundingClientRect().toJSON(),"
        " page: document.documentElement.scrollHeight, window: window.innerHeight})"
    )
    assert boxes["footer"]["top"] >= boxes["main"], boxes
    # scrollHeight is rounded to whole pixels.
    ends = boxes["window"] if boxes["page"] <= boxes["window"] else boxes["page"]
    assert boxes["footer"]["bottom"] == pytest.approx(ends, abs=1), boxes


def test_each_line_spacing_is_wider_than_the_one_before(new_context, live_server, content):
    """Normal, one and a half, double: a paragraph's lines move further apart each time."""
    heights = []
    for spacing in ("normal", "1.5", "2"):
        preferences = Preferences(active=True, line_spacing=spacing)
        page = context_in_mode(new_context, live_server, preferences).new_page()
        page.goto(page_url("news-detail", content))
        style = "getComputedStyle(document.querySelector('.article__body p'))"
        heights.append(
            page.evaluate(f"parseFloat({style}.lineHeight) / parseFloat({style}.fontSize)")
        )
    normal, one_and_a_half, double = heights
    assert 1.5 <= normal < one_and_a_half < double, heights
    assert double == pytest.approx(2 * 1.2, abs=0.01), heights


def test_the_menu_lines_up_with_the_content_on_a_wide_screen(new_context, live_server, content):
    page = context_in_mode(
        new_context, live_server, MODES["normal"], viewport={"width": 1600, "height": 900}
    ).new_page()
    page.goto(page_url("home", content))
    left = page.evaluate(
        "[...document.querySelectorAll('.site-header__inner, .site-nav__list, main')]"
        ".map(element => element.getBoundingClientRect().left)"
    )
    assert len(left) == 3 and len(set(left)) == 1 and left[0] > 0, left


def marker_boxes(page, selector: str) -> list[dict]:
    """
    The top and bottom of the list marker of each element `selector` finds: a
    ::marker is not in the DOM, but Chromium's DevTools protocol lays it out.
    """
    session = page.context.new_cdp_session(page)
    root = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    nodes, stack = {}, [root]
    while stack:
        node = stack.pop()
        nodes[node["nodeId"]] = node
        stack.extend(node.get("children", []))
    found = session.send("DOM.querySelectorAll", {"nodeId": root["nodeId"], "selector": selector})
    boxes = []
    for node_id in found["nodeIds"]:
        (marker,) = [
            pseudo
            for pseudo in nodes[node_id].get("pseudoElements", [])
            if pseudo["pseudoType"] == "marker"
        ]
        quad = session.send("DOM.getBoxModel", {"nodeId": marker["nodeId"]})["model"]["content"]
        boxes.append({"top": quad[1], "bottom": quad[5]})
    session.detach()
    return boxes


@pytest.mark.parametrize("mode", ["normal", "white-on-black-largest"])
def test_each_bullet_on_the_error_page_is_beside_its_first_line(new_context, live_server, mode):
    """At 320 px the links' words wrap: each bullet stays beside the first line."""
    context = context_in_mode(
        new_context, live_server, MODES[mode], viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    for language in ("ru", "be", "en"):
        assert page.goto(f"/{language}/no-such-page/").status == 404
        lines = page.evaluate(
            """Array.from(document.querySelectorAll(".error-page__links li"), item => {
                const range = document.createRange();
                range.selectNodeContents(item.querySelector("a").firstChild);  // its words
                const [first, ...more] = range.getClientRects();
                return {text: item.textContent.trim(), top: first.top, bottom: first.bottom,
                    lines: 1 + more.filter(box => box.top >= first.bottom).length};
            })"""
        )
        markers = marker_boxes(page, ".error-page__links li")
        assert len(markers) == len(lines) == 2
        for line, marker in zip(lines, markers, strict=True):
            middle = (marker["top"] + marker["bottom"]) / 2
            assert line["top"] <= middle <= line["bottom"], (language, line, marker)
        if language == "ru":
            assert max(line["lines"] for line in lines) > 1, "a link runs over two lines"


@pytest.mark.parametrize(
    "preferences",
    [Preferences(), Preferences(active=True, size="100"), MODES["white-on-black-largest"]],
    ids=["normal", "accessible-100", "accessible-largest"],
)
def test_the_pagination_items_are_all_one_height(new_context, live_server, content, preferences):
    """The current page, framed, is as tall as the links beside it, and none is under 44 px."""
    context = context_in_mode(
        new_context, live_server, preferences, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    for number in (1, 2):
        page.goto(f"/ru/news/?page={number}")
        items = page.evaluate(
            """Array.from(document.querySelectorAll(".pagination li > *"), item => {
                const box = item.getBoundingClientRect();
                return {text: item.textContent.trim(), top: box.top, height: box.height,
                    current: item.hasAttribute("aria-current")};
            })"""
        )
        assert sum(item["current"] for item in items) == 1 and len(items) == 3, items
        assert min(item["height"] for item in items) >= 44, items
        # On a row, one height (a label too long for a row wraps on a row of its own).
        rows = {}
        for item in items:
            rows.setdefault(round(item["top"]), set()).add(item["height"])
        assert all(len(heights) == 1 for heights in rows.values()), items
        numbers = {item["height"] for item in items if item["text"][-1].isdigit()}
        assert len(numbers) == 1, items
