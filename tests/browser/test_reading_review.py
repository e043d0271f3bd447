"""
What readers met going through the public site in a real Chromium, beyond
what test_display_modes.py checks in every mode.
"""

import pytest

from accessibility.preferences import COOKIE_NAME, Preferences, new_token

pytestmark = pytest.mark.django_db(transaction=True)


# The words of the pressed buttons' labels that run over more than one line
# (a word may break after its hyphen), each with its width on one line and the
# widest the button's text can be: the group's width less the button's padding
# and border.
BROKEN_WORDS_OF_PRESSED_BUTTONS = """() => {
    const broken = [];
    for (const button of document.querySelectorAll(".display-panel [aria-pressed=true]")) {
        const text = button.firstChild;
        for (const word of text.data.matchAll(/[^\\s-]+/g)) {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const tops = new Set(Array.from(range.getClientRects(), box => Math.round(box.top)));
            if (tops.size < 2) continue;
            const alone = button.cloneNode(true);
            alone.style.position = "absolute";
            alone.style.whiteSpace = "nowrap";
            button.after(alone);
            const copy = document.createRange();
            copy.setStart(alone.firstChild, word.index);
            copy.setEnd(alone.firstChild, word.index + word[0].length);
            const width = copy.getBoundingClientRect().width;
            alone.remove();
            const style = getComputedStyle(button);
            const room = button.parentElement.clientWidth
                - ["paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth"]
                    .reduce((sum, name) => sum + parseFloat(style[name]), 0);
            broken.push({word: word[0], width, room});
        }
    }
    return broken;
}"""


@pytest.mark.parametrize("language", ["ru", "be", "en"])
def test_a_pressed_buttons_tick_wraps_before_its_word_breaks(new_context, live_server, language):
    """
    At the largest size and spacing on a phone, the tick of a pressed button
    goes to a line of its own rather than break the word after it («✓ Обычны»,
    «й»): a pressed button breaks a word only where the word alone is wider
    than the button can be.
    """
    context = new_context(viewport={"width": 360, "height": 640}, has_touch=True)
    page = context.new_page()
    for choices in (
        {},  # the defaults pressed: "Normal", "Shown" and so on
        {"letter_spacing": "wide", "line_spacing": "2", "images": "hidden"},
        {"line_spacing": "1.5", "images": "grayscale"},
    ):
        preferences = Preferences(active=True, size="200", **{"letter_spacing": "wider", **choices})
        cookie = preferences.to_cookie(new_token())
        context.add_cookies([{"name": COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page.goto(f"/{language}/")
        page.click("summary")
        broken = page.evaluate(BROKEN_WORDS_OF_PRESSED_BUTTONS)
        assert [word for word in broken if word["width"] <= word["room"]] == [], (choices, broken)


# The words of the element's text that run over more than one line (a word may
# break after its hyphen).
BROKEN_WORDS = """selector => {
    const broken = [];
    const element = document.querySelector(selector);
    const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
        for (const word of text.data.matchAll(/[^\\s-]+/g)) {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const tops = new Set(Array.from(range.getClientRects(), box => Math.round(box.top)));
            if (tops.size > 1) broken.push(word[0]);
        }
    }
    return broken;
}"""


@pytest.mark.parametrize(("size", "letter_spacing"), [("150", "wider"), ("175", "wide")])
def test_the_committees_name_keeps_its_words_whole_on_a_phone(
    new_context, live_server, size, letter_spacing
):
    """
    On a phone the emblem stands above the committee's name, which so has the
    screen's width: beside the emblem, «исполнительный» broke («исполнительн»,
    «ый») although it fits the screen at these sizes.
    """
    context = new_context(viewport={"width": 360, "height": 640}, has_touch=True)
    preferences = Preferences(active=True, size=size, letter_spacing=letter_spacing)
    cookie = preferences.to_cookie(new_token())
    context.add_cookies([{"name": COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.goto("/ru/")
    assert page.inner_text(".site-brand__name") == "Лепельский районный исполнительный комитет"
    assert page.evaluate(BROKEN_WORDS, ".site-brand__name") == []
