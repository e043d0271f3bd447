"""
Checks a news item must pass before it is published, so that every citizen
can read it: its body (already sanitized HTML) and its images.

An image in the body is marked decorative by an explicitly empty text
alternative, `alt=""`: the HTML standard's own meaning, which screen readers
honour. In CKEditor that is the image's "Change image text alternative" button
saved with an empty text. An image with no `alt` attribute at all (what the
editor makes until someone describes the image) has not been described and
blocks publishing.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# Link texts that say nothing out of context, in the portal's three languages.
VAGUE_LINK_TEXTS = {
    "click here", "read more", "here",
    "подробнее", "читать далее", "здесь", "тут",
    "падрабязней", "чытаць далей",
}  # fmt: skip

# Alternative texts that describe nothing.
PLACEHOLDER_ALT_TEXTS = {
    "alt", "graphic", "illustration", "image", "img", "photo", "picture", "placeholder",
    "untitled",
    "изображение", "иллюстрация", "картинка", "рисунок", "снимок", "фото", "фотография",
    "выява", "ілюстрацыя", "малюнак", "фота", "фотаздымак",
}  # fmt: skip

FILE_NAME = re.compile(
    r"^\S+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)$|^(?:img|dsc|dscn|pxl|dcim)[_-]?\d+$",
    re.IGNORECASE,
)
# "Фото 3", "image_12", "1": a placeholder word or a number and nothing more.
NUMBERED_PLACEHOLDER = re.compile(r"^(?:(?P<word>[^\W\d_]+)[\s_-]*)?\d+$")

# Punctuation around a link text that does not change what it says.
LINK_TEXT_TRIM = " \t\n.,:;!?…»«\"'“”„()[]→>-–—"

# A paragraph counts as written in capitals from this many letters and words.
CAPITALS_MIN_LETTERS = 20
CAPITALS_MIN_WORDS = 3


def alt_text_problem(alt: str, what: str) -> str | None:
    """Why `alt` does not describe an image (`what` names the image), or None."""
    text = " ".join(alt.split())
    if not text:
        return None
    lowered = text.lower()
    numbered = NUMBERED_PLACEHOLDER.match(lowered)
    if FILE_NAME.match(text):
        return _(
            "%(image)s: the text alternative “%(alt)s” is a file name; describe the image."
        ) % {
            "image": what,
            "alt": text,
        }
    if lowered in PLACEHOLDER_ALT_TEXTS or (
        numbered and (not numbered["word"] or numbered["word"] in PLACEHOLDER_ALT_TEXTS)
    ):
        return _(
            "%(image)s: the text alternative “%(alt)s” is a placeholder; describe the image."
        ) % {"image": what, "alt": text}
    return None


def check_body(html: str) -> list[str]:
    """Every problem in a body's HTML that keeps it from being published, in order."""
    checker = _BodyChecker()
    checker.feed(html or "")
    checker.close()
    return checker.problems


def check_item(item) -> dict[str, list[str]]:
    """Problems by form field: the body, and the cover image's description."""
    problems = {}
    if body_problems := check_body(item.body):
        problems["body"] = body_problems
    if item.cover_image:
        problem = alt_text_problem(item.cover_image_alt, _("The cover image"))
        if problem:
            problems["cover_image_alt"] = [problem]
    return problems


@dataclass
class _Link:
    number: int
    href: str
    text: list[str] = field(default_factory=list)


class _BodyChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.heading_level = 1  # the page's title is the h1 above the body
        self.heading: tuple[int, list[str]] | None = None
        self.paragraphs: list[list[str]] = []  # open <p> elements' text
        self.link: _Link | None = None
        self.links = self.images = self.tables = 0
        self.tables_open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), [])
        elif tag == "p":
            self.paragraphs.append([])
        elif tag == "a":
            self.links += 1
            self.link = _Link(self.links, attributes.get("href") or "")
        elif tag == "img":
            self._check_image(attributes)
        elif tag == "table":
            self.tables += 1
            self.tables_open.append({"number": self.tables, "has_header": False})
        elif tag == "th" and self.tables_open:
            self.tables_open[-1]["has_header"] = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self.heading:
            self._check_heading(*self.heading)
            self.heading = None
        elif tag == "p" and self.paragraphs:
            self._check_paragraph("".join(self.paragraphs.pop()))
        elif tag == "a" and self.link:
            self._check_link(self.link)
            self.link = None
        elif tag == "table" and self.tables_open:
            table = self.tables_open.pop()
            if not table["has_header"]:
                self.problems.append(
                    _(
                        "Table %(number)s has no header cells: click in its first row and "
                        "choose “Row” → “Header row” on the table’s toolbar (or “Column” → "
                        "“Header column” if its headings are in the first column)."
                    )
                    % {"number": table["number"]}
                )

    def handle_data(self, data):
        if self.heading:
            self.heading[1].append(data)
        for paragraph in self.paragraphs:
            paragraph.append(data)
        if self.link:
            self.link.text.append(data)

    def _check_image(self, attributes):
        self.images += 1
        what = _("Image %(number)s in the text") % {"number": self.images}
        alt = attributes.get("alt")
        if self.link is not None and alt:
            self.link.text.append(alt)
        src = attributes.get("src")
        if not src:
            # Word puts a pasted picture's file in its clipboard as a file:// address,
            # which the sanitizer drops: readers would get an empty frame.
            self.problems.append(
                _(
                    "%(image)s has no file: a picture pasted from another program, such "
                    "as Word, comes without it. Delete it and insert the picture with the "
                    "button “Upload image from computer”."
                )
                % {"image": what}
            )
            return
        if site := _other_site(src):
            # The pages' Content-Security-Policy loads images from this site only.
            self.problems.append(
                _(
                    "%(image)s is on another site (%(site)s), and readers' browsers do not "
                    "show pictures from other sites here. Save the picture to your computer "
                    "and insert it with the button “Upload image from computer”."
                )
                % {"image": what, "site": site}
            )
        if alt is None:
            self.problems.append(
                _(
                    "%(image)s has no text alternative. Describe it, or save an empty "
                    "text alternative if it is only decoration."
                )
                % {"image": what}
            )
        elif problem := alt_text_problem(alt, what):
            self.problems.append(problem)

    def _check_heading(self, level: int, text: list[str]):
        title = _short("".join(text))
        if level == 1:
            self.problems.append(
                _(
                    "The heading “%(heading)s” is a first-level heading; the item's title is "
                    "the only one. Use heading 2."
                )
                % {"heading": title}
            )
        elif level > self.heading_level + 1:
            self.problems.append(
                _(
                    "The heading “%(heading)s” skips a level: heading %(level)s follows "
                    "heading %(previous)s. Use heading %(expected)s."
                )
                % {
                    "heading": title,
                    "level": level,
                    "previous": self.heading_level,
                    "expected": self.heading_level + 1,
                }
            )
        self.heading_level = level

    def _check_link(self, link: _Link):
        text = " ".join("".join(link.text).split())
        if not link.href:
            # The sanitizer takes away an address that is not a web page's or a
            # document's (javascript:, a file on the writer's computer).
            self.problems.append(
                _(
                    "Link %(number)s (“%(text)s”) leads nowhere: its address was not a web "
                    "page's and was removed. Give it the address of a page or document, or "
                    "remove the link."
                )
                % {"number": link.number, "text": _short(text) or "—"}
            )
        if not text:
            self.problems.append(
                _("Link %(number)s (to %(href)s) has no text.")
                % {"number": link.number, "href": link.href or "—"}
            )
        elif text.lower().strip(LINK_TEXT_TRIM) in VAGUE_LINK_TEXTS:
            self.problems.append(
                _(
                    "The link text “%(text)s” says nothing about where it leads; "
                    "name the page or document instead."
                )
                % {"text": text}
            )

    def _check_paragraph(self, text: str):
        letters = [char for char in text if char.isupper() or char.islower()]
        if (
            len(letters) >= CAPITALS_MIN_LETTERS
            and len(text.split()) >= CAPITALS_MIN_WORDS
            and not any(char.islower() for char in letters)
        ):
            self.problems.append(
                _(
                    "The paragraph “%(text)s” is written in capital letters, which is hard "
                    "to read; use ordinary case (bold for emphasis)."
                )
                % {"text": _short(text)}
            )


def _other_site(src: str) -> str | None:
    """The site an image's address is on, if not this one."""
    address = urlsplit(src)
    if not (address.scheme or address.netloc):
        return None
    host = address.hostname or ""
    return None if host and validate_host(host, settings.ALLOWED_HOSTS) else host or src


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(60)
