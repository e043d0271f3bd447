"""
The pop-ups of a news item's form, open, in the light and the dark theme:
axe-core finds no violation with the rules and exclusions of
test_admin_axe.py. Django's calendar and clock for the publication time
(with a day or a time focused, which changes its colours), Select2's list
of sections, and CKEditor's balloons: the link's (Ctrl+K) and the form for
an image's text alternative. Each link of the calendar and the clock, and
what a balloon opens with the focus on, shows its focus as the pages' links do.
"""

import pytest
from playwright.sync_api import expect

from .test_admin_axe import FOCUSED, admin_content, open_admin_page, violations  # noqa: F401
from .test_display_modes import describe

pytestmark = pytest.mark.django_db(transaction=True)


def calendar(page):
    """Opened from the keyboard, with a day focused."""
    page.focus(".field-published_at .datetimeshortcuts a[id^=calendarlink]")
    page.keyboard.press("Enter")
    day = page.locator(".calendarbox:visible td a:text-is('15')")
    day.focus()
    return day


def clock(page):
    """Opened from the keyboard, with a time focused."""
    page.focus(".field-published_at .datetimeshortcuts a[id^=clocklink]")
    page.keyboard.press("Enter")
    time = page.locator(".clockbox:visible .timelist a").nth(1)
    time.focus()
    return time


def sections(page):
    page.click(".field-category .select2-selection")
    return page.locator(".select2-container--open .select2-results__option:has-text('Объявления')")


def link(page):
    page.locator(".ck-editor__editable p").first.click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+K")
    return page.locator(".ck-balloon-panel_visible .ck-link-form input").first


def text_alternative(page):
    page.locator(".ck-editor__editable figure.image img").click()
    # The image's toolbar: "Change image text alternative" first (CKEDITOR_5_CONFIGS).
    page.locator(".ck-balloon-panel_visible .ck-toolbar .ck-button").first.click()
    return page.locator(".ck-balloon-panel_visible .ck-text-alternative-form input")


def finish_transitions(page) -> None:
    """
    Let the colours settle: Django fades a link's background in over 0.15 s
    (base.css), and axe measured the focused day halfway (6.74:1).
    """
    page.evaluate(
        """document.getAnimations()
            .filter(a => a.effect.getComputedTiming().endTime !== Infinity)
            .forEach(a => a.finish())"""
    )


POPUPS = {
    "calendar": calendar,
    "clock": clock,
    "sections": sections,
    "link": link,
    "text-alternative": text_alternative,
}


@pytest.fixture
def draft_with_image(admin_content, stored_image):  # noqa: F811
    """The draft, with an image in its text."""
    name = stored_image("news/images/lake.png", size=(400, 300))
    draft = admin_content["draft"]
    draft.body = (
        "<p>Жители района убрали берега озера.</p>"
        f'<figure class="image"><img src="/media/{name}" alt="Берег озера"></figure>'
    )
    draft.save()
    return admin_content


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("popup", POPUPS)
def test_axe_finds_no_violation_with_a_popup_open(new_context, draft_with_image, popup, theme):
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, "news-change-draft", draft_with_image)
    expect(POPUPS[popup](page)).to_be_visible()
    finish_transitions(page)
    found = violations(page)
    assert found == [], describe(found)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("popup", ["calendar", "clock"])
def test_every_link_of_a_popup_shows_its_focus(new_context, admin_content, popup, theme):  # noqa: F811
    """Each wears a ring at least 2 px wide, 3:1 against what it is drawn over."""
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, "news-change-draft", admin_content)
    expect(POPUPS[popup](page)).to_be_visible()
    stops = []
    for link in page.locator(f".{popup}box:visible a").all():
        link.focus()
        stops.append(page.evaluate(FOCUSED))
    assert len(stops) >= 6  # the calendar's arrows, days and "Отмена"; the clock's 5 times too
    assert [stop for stop in stops if stop["width"] < 2 or stop["contrast"] < 3] == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("popup", ["link", "text-alternative"])
def test_a_balloons_text_box_shows_its_focus(new_context, draft_with_image, popup, theme):
    page = new_context(color_scheme=theme).new_page()
    open_admin_page(page, "news-change-draft", draft_with_image)
    expect(POPUPS[popup](page)).to_be_visible()
    focused = ".ck-balloon-panel_visible input.ck-input:focus"
    expect(page.locator(focused)).to_be_attached()  # the balloon opens with it focused
    page.keyboard.press("Tab")  # Tab on, and back: the focus shows as the keyboard's
    page.keyboard.press("Shift+Tab")
    expect(page.locator(focused)).to_be_attached()
    stop = page.evaluate(FOCUSED)
    assert stop["element"].startswith("<input") and "ck-input" in stop["element"], stop
    assert stop["width"] >= 2 and stop["contrast"] >= 3, stop
