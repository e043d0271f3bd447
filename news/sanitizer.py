"""
The one place that decides which HTML a news body may carry.

Article bodies come from CKEditor 5 in the admin, but the editor is only a
widget: whatever arrives is cleaned with nh3 (the Ammonia sanitizer) on every
save, so the stored HTML is safe to render as it is.
"""

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
}

# CKEditor 5 marks images and tables with these classes; nothing else survives.
ALLOWED_CLASSES = {
    "figure": {"image", "table", "image-style-side", "image-style-align-left",
               "image-style-align-right", "image-style-block-align-left",
               "image-style-block-align-right", "image_resized"},
}  # fmt: skip

URL_SCHEMES = {"http", "https", "mailto"}

# Content dropped together with its tag, not kept as text.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


def sanitize_html(html: str) -> str:
    """Return `html` with only the tags, attributes and URLs a news body may use."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
