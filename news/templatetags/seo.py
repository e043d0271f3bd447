"""Tags for the metadata in `<head>`: absolute addresses, OpenGraph locales, JSON-LD."""

from urllib.parse import urlencode

from django import template
from django.utils.html import json_script
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
