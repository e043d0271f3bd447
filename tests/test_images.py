import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from imagekit import hashers
from PIL import Image

from news import renditions
from news.renditions import RENDITION_SPECS, responsive_body_images
from news.sanitizer import sanitize_html
from portal.page_cache import content_changed

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


def rendition_widths(srcset: str, settings) -> dict[int, tuple[int, int]]:
    """Each srcset entry's declared width → the real size of the file it names."""
    sizes = {}
    for entry in srcset.split(", "):
        url, width = entry.split()
        assert url.startswith("/media/CACHE/images/") and url.endswith(".webp")
        with Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/")) as image:
            assert image.format == "WEBP"
            sizes[int(width.removesuffix("w"))] = image.size
    return sizes


@pytest.fixture
def item_with_cover(make_item):
    def make(size=(1600, 900), **fields):
        item = make_item(cover_image_alt="Поле у озера", **fields)
        item.cover_image.save(
            "field.jpg", ContentFile(image_bytes("JPEG", size=size), name="field.jpg")
        )
        return item

    return make


class TestCoverRenditions:
    def test_webp_copies_at_three_widths_are_made_when_the_cover_is_saved(
        self, item_with_cover, settings
    ):
        item = item_with_cover()
        assert rendition_widths(item.cover_srcset, settings) == {
            480: (480, 270),
            800: (800, 450),
            1200: (1200, 675),
        }

    def test_a_small_original_is_never_enlarged(self, item_with_cover, settings):
        item = item_with_cover(size=(640, 360))
        assert rendition_widths(item.cover_srcset, settings) == {480: (480, 270), 640: (640, 360)}

    def test_the_detail_page_shows_the_cover_with_srcset_sizes_and_dimensions_eagerly(
        self, client, item_with_cover
    ):
        item = item_with_cover()
        page = client.get(item.get_absolute_url()).content.decode()
        cover = re.search(r'<figure class="article__cover">\s*(<img [^>]+>)', page)[1]
        assert f'srcset="{item.cover_srcset}"' in cover
        assert 'sizes="(min-width: 48rem) 44rem, calc(100vw - 2rem)"' in cover
        assert 'alt="Поле у озера" width="1600" height="900"' in cover
        assert 'loading="lazy"' not in cover

    @pytest.mark.parametrize("url", ["/ru/", "/ru/news/"])
    def test_cards_show_a_small_rendition_lazily_but_the_first_three(
        self, client, item_with_cover, url
    ):
        items = [
            item_with_cover(published_at=timezone.now() - datetime.timedelta(hours=hours))
            for hours in range(4)
        ]
        page = client.get(url).content.decode()
        cards = re.findall(r'<img class="news-card__image" [^>]+>', page)
        for item, card in zip(items, cards, strict=True):
            assert f'src="{item.cover_480.url}"' in card
            assert f'srcset="{item.cover_srcset}"' in card
            assert 'width="1600" height="900"' in card and 'alt=""' in card
        # The first is at the top of the screen, where the browser should get it at once;
        # the next two may be on the first screen too (a desktop shows three cards).
        first, second, third, fourth = cards
        assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
        for card in (second, third):
            assert "fetchpriority" not in card and 'loading="lazy"' not in card
        assert 'loading="lazy"' in fourth and "fetchpriority" not in fourth

    def test_pages_neither_touch_the_disk_for_renditions_nor_make_more_queries(
        self, client, item_with_cover, make_item, monkeypatch, settings
    ):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured
        make_item()
        client.get("/ru/news/")  # whatever the site caches on a first request
        content_changed()  # measured, like the page below, as first read after a change
        with CaptureQueriesContext(connection) as without_images:
            client.get("/ru/news/")
        for _ in range(5):
            item_with_cover()

        def no_disk(*args, **kwargs):
            raise AssertionError("a page looked at the disk")

        monkeypatch.setattr(FileSystemStorage, "exists", no_disk)
        monkeypatch.setattr(FileSystemStorage, "open", no_disk)
        monkeypatch.setattr(FileSystemStorage, "size", no_disk)
        with CaptureQueriesContext(connection) as with_images:
            page = client.get("/ru/news/").content.decode()
        assert page.count('class="news-card__image"') == 5
        assert len(with_images) == len(without_images)

    def test_a_worker_names_a_covers_copies_once(
        self, client, item_with_cover, monkeypatch, settings, request
    ):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        item_with_cover()
        for cached in (renditions.rendition_names, renditions.rendition_urls):
            cached.cache_clear()
            request.addfinalizer(cached.cache_clear)  # forget the fake names
        hashed = []
        monkeypatch.setattr(hashers, "pickle", lambda value: hashed.append(value) or "0" * 32)
        first = client.get("/ru/news/").content.decode()
        assert len(hashed) == len(RENDITION_SPECS)
        second = client.get("/ru/news/").content.decode()
        assert len(hashed) == len(RENDITION_SPECS)
        assert first.count("/0000") == second.count("/0000") > 0


def body_image(settings, name="news/body/2026/04/lake.png", size=(1000, 500)) -> str:
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image_bytes(size=size))
    return f"/media/{name}"


class TestBodyImages:
    def test_saving_an_item_gives_its_body_images_renditions(self, make_item, settings):
        src = body_image(settings)
        item = make_item(
            body=f'<figure class="image"><img src="{src}" alt="Озеро"><figcaption>Озеро'
            "</figcaption></figure><p>Текст.</p>"
        )
        img = re.search(r"<img [^>]+>", item.body)[0]
        assert f'src="{src}"' in img and 'alt="Озеро"' in img
        assert 'width="1000" height="500"' in img
        assert 'sizes="(min-width: 48rem) 44rem, calc(100vw - 2rem)"' in img
        assert 'loading="lazy"' in img and 'decoding="async"' in img
        srcset = re.search(r'srcset="([^"]+)"', img)[1]
        assert rendition_widths(srcset, settings) == {
            480: (480, 240),
            800: (800, 400),
            1000: (1000, 500),
        }

    def test_the_rewritten_body_passes_the_sanitizer_and_saving_again_changes_nothing(
        self, make_item, settings
    ):
        item = make_item(body=f'<p><img src="{body_image(settings)}" alt="Озеро"></p>')
        assert sanitize_html(item.body) == item.body
        before = item.body
        item.save()
        assert item.body == before
        assert responsive_body_images(before) == before

    @pytest.mark.parametrize(
        "src",
        [
            "https://example.org/picture.png",
            "/media/news/body/2026/04/missing.png",
            "/media/news/body/../covers/field.png",
            "/media/news/covers/field.png",
            "/static/img/emblem.svg",
        ],
    )
    def test_other_images_are_left_as_they_are(self, make_item, settings, src):
        body_image(settings, "news/covers/field.png")
        item = make_item(body=f'<p><img src="{src}" alt="Картинка"></p>')
        assert "srcset" not in item.body

    def test_a_file_that_is_not_an_image_is_left_as_it_is(self, make_item, settings):
        path = settings.MEDIA_ROOT / "news/body/2026/04/fake.png"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"not an image")
        item = make_item(body='<p><img src="/media/news/body/2026/04/fake.png" alt=""></p>')
        assert "srcset" not in item.body


class TestSanitizerAndResponsiveAttributes:
    def test_srcset_may_only_name_our_renditions(self):
        ours = "/media/CACHE/images/news/body/a/0123abcd.webp 480w"
        html = f'<img src="/media/news/body/a.png" srcset="{ours}" sizes="100vw" alt="">'
        assert f'srcset="{ours}"' in sanitize_html(html)
        for srcset in (
            "https://evil.example/x.webp 480w",
            "/media/CACHE/images/../../secret.webp 480w",
            "javascript:alert(1) 480w",
            "/media/CACHE/images/a.webp 480w, https://evil.example/x.webp 800w",
            "/media/CACHE/images/a.webp",
        ):
            assert "srcset" not in sanitize_html(f'<img src="/a.png" srcset="{srcset}">')

    def test_image_attributes_keep_only_sensible_values(self):
        cleaned = sanitize_html(
            '<img src="/a.png" width="100" height="x" loading="lazy" decoding="evil" '
            'sizes="(min-width: 48rem) 44rem, 100vw" alt="">'
        )
        assert 'width="100"' in cleaned and "height" not in cleaned
        assert 'loading="lazy"' in cleaned and "decoding" not in cleaned
        assert 'sizes="(min-width: 48rem) 44rem, 100vw"' in cleaned
