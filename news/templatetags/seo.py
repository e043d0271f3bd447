"""Absolute addresses (in `<head>` and in a news body's links), OpenGraph locales, JSON-LD."""

import html
import re
from urllib.parse import urlencode, urlsplit

from django import template
from django.utils.html import escape, json_script
from django.utils.safestring import mark_safe

register = template.Library()

# OpenGraph wants a territory with the language.
OG_LOCALES = {"ru": "ru_RU", "be": "be_BY", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def absolute_url(context, location: str, **query) -> str:
    """`location` (and `query`) as an absolute URL on the host the page was requested from."""
    if query:
        location = f"{location}?{urlencode(query)}"
    request = context.get("request")
    return request.build_absolute_uri(location) if request else location


@register.filter
def og_locale(language_code: str) -> str:
    return OG_LOCALES.get(language_code, language_code)


@register.simple_tag(takes_context=True)
def breadcrumb_list(context, breadcrumbs) -> dict:
    """The page's breadcrumbs as a schema.org `BreadcrumbList`, for search results."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(crumb.label),
                "item": absolute_url(context, crumb.url),
            }
            for position, crumb in enumerate(breadcrumbs, start=1)
        ],
    }


@register.filter(is_safe=True)
def ld_json(value) -> str:
    """
    `value` as a `<script type="application/ld+json">` element.

    Django's `json_script` does the escaping (`<`, `>` and `&` become Unicode
    escapes, so no text inside can close the element); only the element's type
    differs, because search engines read structured data from `ld+json` alone.
    """
    escaped = json_script(value).removeprefix('<script type="application/json">')
    return mark_safe(f'<script type="application/ld+json">{escaped}')


# An `<a>` tag of sanitized HTML (nh3 quotes every value with double quotes),
# and its attributes one by one: «href="» inside a title's value is no href.
_A_TAG = re.compile(r'<a((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)(\s*>)')
_ATTRIBUTE = re.compile(r'(\s+href=")([^"]*)(")|\s+[a-zA-Z-]+(?:="[^"]*")?')


@register.filter
def absolute_links(body_html: str, request) -> str:
    """
    A news body (sanitized HTML) with its links to the site itself made absolute.

    Printed, a link is followed by its address (the print styles), and a reader
    cannot type `/ru/news/…`; with the host the page was requested from, they can.
    Links to other sites, `mailto:` and `tel:` keep their address, and so do
    links within the page (`#…`), which the print styles leave unaddressed.
    """
    if not request:  # a template rendered without one
        return mark_safe(body_html)

    def absolute(href: re.Match) -> str:
        if href[1] is None:  # another attribute
            return href[0]
        location = html.unescape(href[2])
        if not location or location.startswith("#"):
            return href[0]
        try:
            if urlsplit(location).scheme:
                return href[0]
            location = request.build_absolute_uri(location)
        except ValueError:  # "//[", "//a＃b": no address at all; left as it was written
            return href[0]
        return f"{href[1]}{escape(location)}{href[3]}"

    return mark_safe(
        _A_TAG.sub(lambda tag: f"<a{_ATTRIBUTE.sub(absolute, tag[1])}{tag[2]}", body_html)
    )
