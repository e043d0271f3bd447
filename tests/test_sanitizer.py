import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.sanitizer import sanitize_html, validate_visible_text

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<p style="width: expression(alert(1))">styled</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="data:text/html,<script>alert(1)</script>">data</a>',
    "<style>body{background:red}</style>",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name="x"></form>',
    '<body onload="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)">',
    "<!--<script>alert(1)</script>-->",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]

FORBIDDEN = ["<script", "onerror", "onload", "ontoggle", "javascript:", "data:", "<iframe",
             "<style", "expression(", "<svg", "<object", "<embed", "<form", "<meta"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload):
    cleaned = sanitize_html(f"<p>before</p>{payload}<p>after</p>").lower()
    for fragment in FORBIDDEN:
        assert fragment not in cleaned
    assert "<p>before</p>" in cleaned


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Heading</h2><h3>Subheading</h3>",
        "<p>Text with <strong>bold</strong>, <em>italic</em> and <br>a break.</p>",
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>",
        "<blockquote><p>Quoted words</p></blockquote>",
        '<figure class="image"><img src="/media/news/body/a.jpg" alt="A field">'
        "<figcaption>A field in June</figcaption></figure>",
        '<figure class="table"><table><thead><tr><th scope="col">Day</th></tr></thead>'
        "<tbody><tr><td>Monday</td></tr></tbody></table></figure>",
    ],
)
def test_ordinary_formatting_is_kept(html):
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    "href",
    ["https://president.gov.by/", "http://lepel.vitebsk-region.gov.by/", "mailto:info@lepel.by",
     "/ru/news/", "../contacts/", "#section"],
)  # fmt: skip
def test_safe_link_targets_survive(href):
    assert f'href="{href}"' in sanitize_html(f'<a href="{href}">link</a>')


def test_unknown_classes_and_attributes_are_dropped():
    cleaned = sanitize_html(
        '<figure class="image evil" id="x" data-x="1"><p class="c">t</p></figure>'
    )
    assert cleaned == '<figure class="image"><p>t</p></figure>'


def test_h1_inside_the_body_is_not_allowed():
    # The page's title is its only h1.
    assert sanitize_html("<h1>Title</h1>") == "Title"


def test_a_tables_caption_is_moved_before_its_rows():
    """CKEditor writes the caption last; HTML puts it first, and the result is stable."""
    written = (
        '<figure class="table"><table><tbody><tr><td>Понедельник</td></tr></tbody>'
        "<caption>Часы приёма</caption></table></figure>"
    )
    expected = (
        '<figure class="table"><table><caption>Часы приёма</caption>'
        "<tbody><tr><td>Понедельник</td></tr></tbody></table></figure>"
    )
    assert sanitize_html(written) == expected
    assert sanitize_html(expected) == expected
    # A table after a captioned one keeps its own rows and no caption.
    two = expected + "<table><tbody><tr><td>Вторник</td></tr></tbody></table>"
    assert sanitize_html(two) == two


@pytest.mark.parametrize(
    "text",
    ["\u200b", "\u200b\u200d\u2060", "\ufeff \u00a0", "\u200e\u200f", "\u3164", "\u2800",
     "\u115f\u1160", "\u034f\ufe0f"],
)  # fmt: skip
def test_a_text_of_invisible_characters_alone_is_refused(text):
    with pytest.raises(ValidationError) as refused:
        validate_visible_text(text)
    assert refused.value.code == "invisible"


@pytest.mark.parametrize("text", ["", "Лепель", "\u200bЛепель", "1", "e\u0301", "\u3164Лепель"])
def test_a_text_that_shows_something_passes(text):
    validate_visible_text(text)


def test_withdrawal_reasons_and_notices_are_refused_invisible_too():
    """A withdrawal's public notice gave no reason; a notice showed an empty bar."""
    from news.forms import WithdrawalForm
    from notices.models import UrgentNotice

    form = WithdrawalForm(data={"reason": "\u200b"})
    assert not form.is_valid() and form.errors["reason"][0].startswith("Текст состоит только")
    notice = UrgentNotice(text="\u200b", expires_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        notice.full_clean()
    assert list(refused.value.message_dict) == ["text"]
