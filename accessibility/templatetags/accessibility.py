import re
from html.parser import HTMLParser

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

DESCRIPTION = (
    '<span class="image-description"><span class="image-description__label">{}</span> {}</span>'
)


class _ImageFinder(HTMLParser):
    """Finds each `<img>` tag: where it ends in the text and its alt text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            line, column = self.getpos()
            self.images.append(
                (line, column + len(self.get_starttag_text()), dict(attrs).get("alt"))
            )


@register.filter(is_safe=True)
def image_descriptions(html):
    """
    Put each image's alt text after it, in a span the stylesheet shows only when
    the visitor hides images: so the text stands in the image's place, with or
    without JavaScript. Images with empty alt text are decorative and get none.
    """
    if "<img" not in html.lower():
        return html
    finder = _ImageFinder()
    finder.feed(html)
    finder.close()
    line_starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
    pieces, position = [], 0
    label = gettext("Image:")
    for line, column, alt in finder.images:
        if not alt or not alt.strip():
            continue
        end = line_starts[line - 1] + column
        pieces += [
            html[position:end],
            format_html(DESCRIPTION, label, alt.strip()),
        ]
        position = end
    pieces.append(html[position:])
    return mark_safe("".join(pieces))
