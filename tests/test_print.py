"""Printing an article: the article alone, links followed by their addresses."""

import datetime
import os
import re
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.utils import timezone

from notices.models import UrgentNotice

from .conftest import missing

pytestmark = pytest.mark.django_db

STYLESHEET = settings.BASE_DIR / "static" / "css" / "portal.css"


def print_rules() -> str:
    """The body of the stylesheet's `@media print` block."""
    css = STYLESHEET.read_text()
    start = css.index("@media print {") + len("@media print {")
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    return css[start : end - 1]


def test_the_stylesheet_has_a_print_section_hiding_the_sites_furniture():
    rules = print_rules()
    hidden = re.search(r"([^{}]+)\{\s*display: none !important;", rules)[1]
    selectors = {selector.strip() for selector in hidden.split(",")}
    assert {
        ".skip-link",
        ".urgent-notices",
        ".site-nav",
        ".language-switch",
        ".site-search",
        ".display-panel",
        ".breadcrumbs",
        ".item-pager",
        ".pagination",
        ".site-footer nav",
    } <= selectors
    assert 'content: " (" attr(href) ")"' in rules
    assert "max-width: 100% !important" in rules


def test_links_to_the_site_itself_are_printed_with_its_host(client, make_item):
    """Printed, `/ru/news/…` is no address a reader can type: the body's own links are absolute."""
    item = make_item(
        title="О приёме граждан",
        body=(
            '<p><a href="/ru/news/2026/03/12/grafik/">График</a>, '
            '<a href="/ru/news/?page=2&amp;q=%D0%BB%D1%91%D0%BD">архив</a>, '
            '<a href="../../">этот месяц</a>, '
            '<a href="https://www.lepel.gov.by/">сайт</a>, '
            '<a href="mailto:info@lepel.gov.by">почта</a>, '
            '<a href="tel:+375213232547">телефон</a>, '
            '<a href="#contacts">контакты</a>, '
            '<a title="a &gt; b" href="/media/news/plan.pdf">план</a>.</p>'
        ),
    )
    url = item.get_absolute_url()
    html = client.get(url).content.decode()
    body = html.split('<div class="article__body" ')[1].split("</div>")[0]
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert hrefs == [
        "http://testserver/ru/news/2026/03/12/grafik/",
        "http://testserver/ru/news/?page=2&amp;q=%D0%BB%D1%91%D0%BD",
        "http://testserver" + url.rstrip("/").rsplit("/", 2)[0] + "/",  # the item's month
        "https://www.lepel.gov.by/",
        "mailto:info@lepel.gov.by",
        "tel:+375213232547",
        "#contacts",
        "http://testserver/media/news/plan.pdf",
    ]
    assert ">этот месяц</a>" in body and 'title="a &gt; b"' in body

    secure = client.get(url, secure=True, headers={"host": "localhost"}).content.decode()
    assert 'href="https://localhost/ru/news/2026/03/12/grafik/"' in secure


@pytest.mark.parametrize("href", ["//[", "//[::1/plan", "//example.com\uff03@lepel.gov.by/"])
def test_a_link_that_is_no_address_is_left_as_written(client, make_item, href):
    """Python cannot split these (ValueError); the article was a server error."""
    item = make_item(body=f'<p><a href="{href}">ссылка</a></p>')
    assert f'href="{href}"' in item.body  # the sanitizer keeps it

    response = client.get(item.get_absolute_url())

    assert response.status_code == 200
    assert f'<a href="{href}" rel="noopener noreferrer">ссылка</a>' in response.content.decode()


@pytest.mark.parametrize("title", [" href=", "Архив:\nhref="])
def test_href_in_a_links_title_is_no_address(client, make_item, title):
    """Only the `href` attribute is rewritten: the title's words stay words, the link a link."""
    item = make_item(body=f'<p><a title="{title}" href="/ru/news/">архив</a></p>')

    html = client.get(item.get_absolute_url()).content.decode()

    link = f'<a title="{title}" href="http://testserver/ru/news/" rel="noopener noreferrer">'
    assert link in html


@contextmanager
def chromium_page(html: str):
    """
    A page of `html` with the site's stylesheet in Debian's Chromium; skipped
    where there is none (failed on CI).
    """
    executable = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
    if not os.access(executable, os.X_OK):
        missing(f"Chromium not found at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_content(html)
            page.add_style_tag(content=STYLESHEET.read_text())
            yield page
        finally:
            browser.close()


@pytest.mark.browser
def test_a_printed_article_shows_the_article_alone_with_link_addresses(
    client, make_item, stored_image
):
    make_item(title="Раньше")
    UrgentNotice.objects.create(
        text="Сегодня закрыт проезд по улице Ленина.",
        expires_at=timezone.now() + datetime.timedelta(hours=3),
    )
    item = make_item(
        title="Об отопительном сезоне",
        body=(
            '<p>Подробности на <a href="https://www.lepel.gov.by/heating/">сайте</a>,'
            ' в <a href="/ru/news/?q=%D1%82%D0%B5%D0%BF%D0%BB%D0%BE">новостях</a>'
            ' и <a href="#contacts">ниже</a>.</p>'
        ),
        cover_image=stored_image(size=(3000, 1000)),
        cover_image_alt="Котельная",
    )
    html = client.get(item.get_absolute_url()).content.decode()

    with chromium_page(html) as page:
        page.emulate_media(media="print")

        def shown(selector: str) -> bool:
            return page.locator(selector).first.is_visible()

        for furniture in (
            ".urgent-notices",
            ".site-nav",
            ".language-switch",
            ".site-search",
            ".breadcrumbs",
            ".item-pager",
            ".back-link",
            ".skip-link",
        ):
            assert not shown(furniture), furniture
        for content in (".article__title", ".article__lead", ".article__body", ".site-brand"):
            assert shown(content), content

        def after(selector: str) -> str:
            return page.eval_on_selector(
                selector, "link => getComputedStyle(link, '::after').content"
            )

        assert after('.article__body a[href^="https"]') == '" (https://www.lepel.gov.by/heating/)"'
        assert after('.article__body a[href^="#"]') in ("none", "normal")
        # A link to the site itself: an address a reader can type.
        assert after('.article__body a[href*="/ru/news/"]') == (
            '" (http://testserver/ru/news/?q=%D1%82%D0%B5%D0%BF%D0%BB%D0%BE)"'
        )

        image_width = page.eval_on_selector(".article__cover img", "image => image.clientWidth")
        body_width = page.eval_on_selector("main", "main => main.clientWidth")
        assert 0 < image_width <= body_width

        page.emulate_media(media="screen")
        assert shown(".site-nav") and shown(".breadcrumbs") and shown(".urgent-notices")
        assert after('.article__body a[href^="https"]') in ("none", "normal")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["white-on-black", "green-on-brown", "blue-on-light-blue"])
def test_a_colour_scheme_prints_black_on_white(client, make_item, scheme):
    """White on black printed the date, the source, the documents and the footer white on white."""
    item = make_item(title="Об отопительном сезоне", source="Отдел ЖКХ")
    html = client.get(item.get_absolute_url()).content.decode()

    with chromium_page(html) as page:
        page.eval_on_selector(
            "html",
            "(html, scheme) => Object.assign(html.dataset, {display: 'accessible', scheme})",
            scheme,
        )
        texts = """() => [...document.querySelectorAll("body, body *")]
            .filter(element => element.checkVisibility() && [...element.childNodes].some(
                node => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
            .map(element => [element.className || element.tagName,
                             getComputedStyle(element).color,
                             getComputedStyle(element).backgroundColor])"""
        on_screen = page.evaluate(texts)
        assert any(color != "rgb(0, 0, 0)" for _name, color, _background in on_screen)

        page.emulate_media(media="print")
        printed = page.evaluate(texts)
        names = {name for name, *_ in printed}
        assert {"site-brand__tagline", "TIME", "article__source", "article__title"} <= names
        for name, color, background in printed:
            assert color in ("rgb(0, 0, 0)", "rgb(51, 51, 51)"), (name, color)
            assert background in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), (name, background)


@pytest.mark.browser
def test_large_print_keeps_a_wide_table_the_headings_and_the_addresses_on_paper(client, make_item):
    """Columns fell off the paper, a title at 200% took three pages, documents had no address."""
    from .test_attachments import attach

    cells = "".join(f"<td>Водоотведение{number}</td>" for number in range(6))
    item = make_item(
        title="Утверждены тарифы на жилищно-коммунальные услуги",
        body=f'<figure class="table"><table><tbody><tr>{cells}</tr></tbody></table></figure>',
    )
    attachment = attach(item, "Решение о тарифах", "PDF")
    html = client.get(item.get_absolute_url()).content.decode()

    with chromium_page(html) as page:
        page.eval_on_selector(
            "html",
            """html => Object.assign(html.dataset,
                {display: 'accessible', size: '200', letterSpacing: 'wide'})""",
        )
        assert not page.locator(".article__address").is_visible()  # on screen
        page.emulate_media(media="print")

        box = page.locator(".article__body figure.table")
        assert box.evaluate("box => box.scrollWidth <= box.clientWidth"), "the table fits"
        sizes = page.evaluate(
            """() => [document.documentElement, document.querySelector('.article__title')]
                .map(element => parseFloat(getComputedStyle(element).fontSize))"""
        )
        assert sizes[1] <= 1.35 * sizes[0]
        address = page.locator(".article__address")
        assert address.is_visible()
        assert address.inner_text().endswith(f"http://testserver{item.get_absolute_url()}")
        document = page.eval_on_selector(
            ".attachments a", "link => getComputedStyle(link, '::after').content"
        )
        assert document == f'" (http://testserver{attachment.get_absolute_url()})"'
