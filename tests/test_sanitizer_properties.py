"""
Properties of the HTML sanitizer, checked on generated HTML (hypothesis):
whatever goes in, what comes out carries no script, no event handler and no
javascript:/data: URL, and sanitizing it again changes nothing.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import example, given, settings
from hypothesis import strategies as st

from news.sanitizer import sanitize_html

TAGS = [
    "p", "a", "img", "script", "style", "svg", "math", "iframe", "object", "embed", "form",
    "input", "button", "table", "tr", "td", "figure", "figcaption", "h2", "ul", "li", "strong",
    "em", "blockquote", "noscript", "template", "textarea", "title", "select", "option",
    "details", "body", "base", "meta", "link", "frameset", "xmp", "plaintext", "noembed",
    "annotation-xml", "mglyph", "foreignObject", "SCRIPT", "sCrIpT",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "onerror", "onload", "onclick", "ONMOUSEOVER", "style", "class", "srcdoc",
    "formaction", "xlink:href", "action", "data", "alt", "title", "cite", "background",
    "poster", "dynsrc", "lowsrc", "id", "width", "on",
]  # fmt: skip
SCHEMES = [
    "javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "java\nscript:",
    "&#106;avascript:", "&#x6A;avascript:", "jav&#x09;ascript:", "javascript&colon;",
    "data:text/html,", "data:image/svg+xml,", "vbscript:", "https://", "/", "#", "",
    "livescript:", "\x01javascript:", "&#0000106avascript:",
]  # fmt: skip
URL_ENDINGS = [
    "alert(1)", "x", "<script>alert(1)</script>", '"><script>alert(1)</script>',
    "//evil.example/x.js", "",
]  # fmt: skip
SPECIAL_FRAGMENTS = [
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&lt;", "&#60;script&#62;", "<",
    "</", "<?", "\x00",
]  # fmt: skip

attribute_value = st.builds(
    lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES), st.sampled_from(URL_ENDINGS)
)
quote = st.sampled_from(['"', "'", ""])


@st.composite
def attribute(draw):
    name, value, mark = draw(st.sampled_from(ATTRIBUTES)), draw(attribute_value), draw(quote)
    return f" {name}={mark}{value}{mark}" if mark else f" {name}={value.replace(' ', '')}"


@st.composite
def element(draw, children):
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(draw(st.lists(attribute(), max_size=3)))
    inner = "".join(draw(st.lists(children, max_size=3)))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag} >", "</>"]))
    return f"<{tag}{attributes}>{inner}{closing}"


text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("<>&\"'/=!-;"),
    max_size=20,
)
fragments = st.recursive(
    text | st.sampled_from(SPECIAL_FRAGMENTS),
    lambda children: element(children),
    max_leaves=8,
)
documents = st.lists(fragments, max_size=6).map("".join)


class Inspector(HTMLParser):
    """Parse sanitized output the way a browser would tokenize it, and list what is unsafe."""

    UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
    URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster",
                      "data", "xlink:href", "dynsrc", "lowsrc", "srcset", "longdesc"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.unsafe = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form",
                   "base", "meta", "link", "template", "frame", "frameset"}:  # fmt: skip
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.unsafe.append(f"{name}= on <{tag}>")
            # Browsers drop ASCII whitespace and control characters inside URL schemes.
            url = re.sub(r"[\x00-\x20]", "", html.unescape(value or ""))
            if name in self.URL_ATTRIBUTES and self.UNSAFE_SCHEME.match(url):
                self.unsafe.append(f"{name}={value!r} on <{tag}>")


def unsafe_parts(markup: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(markup)
    inspector.close()
    return inspector.unsafe


@settings(max_examples=150, deadline=None)
@given(documents)
@example('<a href="jav&#x09;ascript:alert(1)">x</a>')
@example("<svg><p><style><img src=x onerror=alert(1)></style></p></svg>")
@example('<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">')
@example('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
@example('<blockquote cite="javascript:alert(1)"></blockquote>')
@example('<q cite="javascript:alert(1)">quoted</q>')
def test_output_carries_no_script_handler_or_dangerous_url(markup):
    cleaned = sanitize_html(markup)
    assert unsafe_parts(cleaned) == [], cleaned
    assert "<script" not in cleaned.lower()


@settings(max_examples=150, deadline=None)
@given(documents)
@example("<table><p>foster-parented</p></table>")
@example("<H2><C><H2>")  # nested headings, restructured by a second parse
@example("<a><a>nested</a></a>")
@example("<p>one<p>two")
@example("<ul><li>x<li>y</ul>")
@example("&amp;lt;script&amp;gt;")
def test_sanitizing_twice_changes_nothing(markup):
    once = sanitize_html(markup)
    assert sanitize_html(once) == once


@settings(max_examples=150, deadline=None)
@given(text)
def test_plain_text_keeps_its_words(words):
    """Text without markup is only escaped, never lost (NUL aside, line ends as in HTML)."""
    expected = words.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    assert html.unescape(sanitize_html(html.escape(words))).strip() == expected
