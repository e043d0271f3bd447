"""
`/favicon.ico`, which browsers and crawlers ask for at the root of every site,
and the icons iPhones and iPads ask for there.
"""

import io
import logging
import runpy

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from PIL import Image

pytestmark = pytest.mark.django_db


def test_is_the_emblem_as_an_icon_answered_at_once_and_kept_a_day(
    client, caplog, django_assert_num_queries
):
    with (
        caplog.at_level(logging.WARNING, logger="django.request"),
        django_assert_num_queries(0),
    ):
        response = client.get("/favicon.ico")
    assert response.status_code == 200  # not a redirect to a language, not a 404
    assert not caplog.records
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "max-age=86400, public"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as icon:
        assert icon.format == "ICO"
        assert icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}

    again = client.get("/favicon.ico", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_head_gets_the_headers_alone(client):
    response = client.head("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert not b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["apple-touch-icon.png", "apple-touch-icon-precomposed.png"])
def test_ios_gets_the_emblem_as_an_opaque_touch_icon(
    client, caplog, django_assert_num_queries, name
):
    """iOS asks for both names at the root when a page is added to the home screen."""
    with (
        caplog.at_level(logging.WARNING, logger="django.request"),
        django_assert_num_queries(0),
    ):
        response = client.get(f"/{name}")
    assert response.status_code == 200
    assert not caplog.records
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "max-age=86400, public"
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as icon:
        assert icon.format == "PNG"
        assert icon.size == (180, 180)
        # Opaque: iOS shows transparency black. Around the emblem, its own blue.
        assert icon.mode == "RGB"
        blue = (0x0B, 0x4F, 0x8A)
        assert icon.getpixel((0, 0)) == icon.getpixel((179, 179)) == blue
        assert icon.getpixel((90, 10)) == blue  # a margin above the shield's point
        assert icon.getpixel((90, 90)) == (255, 255, 255)  # the cross
        assert icon.getpixel((70, 70)) == (0xC8, 0x10, 0x2E)  # the red shield


def test_the_committed_icons_are_the_emblem_as_it_is_now(tmp_path):
    """Changing static/img/emblem.svg without `python scripts/make_favicon.py` fails here."""
    script = runpy.run_path(str(django_settings.BASE_DIR / "scripts" / "make_favicon.py"))
    script["main"](tmp_path)
    committed = django_settings.WHITENOISE_ROOT
    for size in script["SIZES"]:
        with (
            Image.open(committed / "favicon.ico") as ours,
            Image.open(tmp_path / "favicon.ico") as drawn,
        ):
            ours.size = drawn.size = (size, size)
            assert ours.convert("RGBA").tobytes() == drawn.convert("RGBA").tobytes(), size
    for name in [*script["TOUCH_ICON_NAMES"], script["SHARE_CARD_NAME"]]:
        with Image.open(committed / name) as ours, Image.open(tmp_path / name) as drawn:
            assert ours.mode == drawn.mode == "RGB"
            assert ours.tobytes() == drawn.tobytes(), name
    with Image.open(committed / script["SHARE_CARD_NAME"]) as card:
        assert card.size == (1200, 630)  # as the pages' og:image:width and height say


def test_hashed_static_files_are_still_kept_for_ever(client, settings, tmp_path):
    """
    With the manifest storage production uses: the site's own static files
    are collected (not the admin's and the editor's, which take minutes).
    """
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert not list(tmp_path.rglob("favicon*"))  # the icon is no static file

    page = client.get("/ru/news/").content.decode()
    emblem = page.split('<link rel="icon" href="')[1].split('"')[0]
    assert emblem.startswith("/static/img/emblem.") and emblem != "/static/img/emblem.svg"
    response = client.get(emblem)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert client.get("/favicon.ico")["Cache-Control"] == "max-age=86400, public"
