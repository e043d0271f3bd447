"""
Lean pages: one stylesheet, one small script, and page weights that suit an
old phone on a slow connection (issue 7). The demo's longest article is the
measure for the article page.
"""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from news.models import NewsItem

pytestmark = pytest.mark.django_db

KB = 1024


def page_weight(client, url: str) -> dict[str, int]:
    """The page's HTML with the stylesheets and scripts it loads: bytes, and gzip bytes."""
    html = client.get(url).content
    page = html.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)
    scripts = re.findall(r'<script src="/static/([^"]+)"', page)
    assert len(stylesheets) == 1 and len(scripts) == 1, (stylesheets, scripts)
    parts = [html] + [
        open(finders.find(name), "rb").read()  # noqa: SIM115
        for name in stylesheets + scripts
    ]
    return {
        "bytes": sum(len(part) for part in parts),
        "gzip": sum(len(gzip.compress(part, 6)) for part in parts),
        "script": len(parts[-1]),
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_article_page_is_under_60_kb_with_its_css_and_js(client, demo):
    longest = max(NewsItem.objects.published(), key=lambda item: len(item.body))
    weight = page_weight(client, longest.get_absolute_url())
    assert weight["bytes"] < 60 * KB, weight
    assert weight["script"] < 10 * KB, weight


@pytest.mark.parametrize("url", ["/ru/", "/be/", "/en/"])
def test_the_first_page_is_under_20_kb_gzipped(client, demo, url):
    weight = page_weight(client, url)
    assert weight["gzip"] < 20 * KB, weight
