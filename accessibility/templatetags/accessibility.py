import html as html_entities
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# Whole comments, raw-text elements and tags, so that an `<img` inside an
# attribute value, a comment or a script is never taken for an image.
MARKUP = re.compile(
    r"""<!--.*?-->
      | <(?:script|style|textarea)\b.*?</(?:script|style|textarea)\s*>
      | <(?P<name>[a-zA-Z][^\s/>]*)(?P<attributes>(?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.DOTALL | re.IGNORECASE | re.VERBOSE,
)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
DESCRIPTION = (
    '<span class="image-description"><span class="image-description__label">{}</span> {}</span>'
)


@register.filter(is_safe=True)
def image_descriptions(html):
    """
    Put each image's alt text after it, in a span the stylesheet shows only when
    the visitor hides images: so the text stands in the image's place, with or
    without JavaScript. Images with empty alt text are decorative and get none.
    """
    if not re.search("<img", html, re.IGNORECASE):
        return html
    pieces, position = [], 0
    label = gettext("Image:")
    for tag in MARKUP.finditer(html):
        if (tag["name"] or "").lower() != "img":
            continue
        text = alt_text(tag["attributes"])
        if text:
            pieces += [html[position : tag.end()], format_html(DESCRIPTION, label, text)]
            position = tag.end()
    pieces.append(html[position:])
    return mark_safe("".join(pieces))


def alt_text(attributes: str) -> str:
    for attribute in ATTRIBUTE.finditer(attributes):
        if attribute[1].lower() == "alt":
            return html_entities.unescape(next(filter(None, attribute.groups()[1:]), "")).strip()
    return ""
