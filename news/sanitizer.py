"""
The one place that decides which HTML a news body may carry.

Article bodies come from CKEditor 5 in the admin, but the editor is only a
widget: whatever arrives is cleaned with nh3 (the Ammonia sanitizer) on every
save, so the stored HTML is safe to render as it is.
"""

import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .renditions import is_rendition_url

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip

# `cite` (on blockquote and q) is left out: nh3 does not check its URL scheme,
# browsers never follow it, and CKEditor 5 does not write it.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "col": {"span"},
    "colgroup": {"span"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
}

# CKEditor 5 marks images and tables with these classes; nothing else survives.
ALLOWED_CLASSES = {
    "figure": {"image", "table", "image-style-side", "image-style-align-left",
               "image-style-align-right", "image-style-block-align-left",
               "image-style-block-align-right"},
}  # fmt: skip

# A district's news gives phone numbers: `tel:` links call them from a phone.
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Content dropped together with its tag, not kept as text.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


# Cleaning is repeated until the output stops changing (at most this many
# times): the HTML parser may restructure what one pass leaves, e.g. a heading
# inside a heading once the unknown element between them is gone.
MAX_PASSES = 4


def sanitize_html(html: str) -> str:
    """Return `html` with only the tags, attributes and URLs a news body may use."""
    cleaned = _clean(html or "")
    for _pass in range(MAX_PASSES - 1):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# CKEditor writes a table's caption after its rows; HTML wants it first. The
# rows between may not cross another table's start or end: a table holding
# another keeps its caption after its rows (browsers show it first all the same).
CAPTION_AFTER_ROWS = re.compile(
    r"(<table\b[^>]*>)((?:(?!</?table\b|<caption>).)+?)(<caption>.*?</caption>)", re.DOTALL
)


def _clean(html: str) -> str:
    return CAPTION_AFTER_ROWS.sub(r"\1\3\2", _nh3_clean(html))


def _nh3_clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_image_attribute,
    ).strip()


# Responsive images (news/renditions.py): what the attributes it writes may hold.
IMAGE_ATTRIBUTE_VALUES = {
    "width": re.compile(r"\d{1,5}"),
    "height": re.compile(r"\d{1,5}"),
    "sizes": re.compile(r"[\w\s().,:+*/-]{1,200}"),
    "loading": re.compile(r"lazy|eager"),
    "decoding": re.compile(r"async|sync|auto"),
}


def _filter_image_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image attribute only with a sensible value; srcset names our renditions only."""
    if tag != "img":
        return value
    if attribute == "srcset":
        candidates = [candidate.split() for candidate in value.split(",")]
        if all(
            len(parts) == 2 and is_rendition_url(parts[0]) and re.fullmatch(r"\d{1,5}w", parts[1])
            for parts in candidates
        ):
            return value
        return None
    pattern = IMAGE_ATTRIBUTE_VALUES.get(attribute)
    if pattern is not None and not pattern.fullmatch(value):
        return None
    return value


# Control characters XML 1.0 cannot carry: one in a title made every feed that
# listed the item fail. Pasted text brings them: Word's line break (Shift+Enter)
# is a vertical tab, its page break a form feed; these become a space, or a new
# line in a text of several lines, and the rest are dropped.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
WORD_BREAKS = re.compile(r"[\x0b\x0c]")


def without_control_characters(text: str, line_break: str = " ") -> str:
    return CONTROL_CHARACTERS.sub("", WORD_BREAKS.sub(line_break, text))


# Characters that show nothing: controls, format characters (zero-width spaces
# and joiners, direction marks, the byte order mark), spaces of any width,
# marks with no letter to sit on (variation selectors, the combining grapheme
# joiner), and the blank letters and symbols used for "empty" names.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
BLANK_CHARACTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}


def _shows_nothing(char: str) -> bool:
    return char in BLANK_CHARACTERS or unicodedata.category(char) in INVISIBLE_CATEGORIES


def validate_visible_text(value: str) -> None:
    """Refuse a text that shows nothing: a title of a zero-width space passed as given."""
    if value and all(_shows_nothing(char) for char in value):
        raise ValidationError(
            _("The text is only invisible characters, such as zero-width spaces: type it."),
            code="invisible",
        )


def clean_text_fields(sender, instance, **kwargs):
    """A `pre_save` receiver: the model's texts without control characters."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                line_break = "\n" if isinstance(field, models.TextField) else " "
                setattr(instance, field.attname, without_control_characters(value, line_break))
