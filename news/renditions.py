"""
Responsive renditions of news images, made with django-imagekit.

Every cover image and every image in a body gets WebP copies at a few widths,
made once, when the item (or its image) is saved, and stored beside the other
media under `CACHE/images/`. Pages only compute the copies' URLs: imagekit's
"optimistic" strategy takes no look at the disk on a request. A copy is never
wider than its original, so a small original gets a single copy. A cover
also gets a JPEG copy for link previews (`ShareRendition`).

Body images come from the editor as `<img src="/media/news/body/…">`; saving an
item rewrites each such tag with `srcset`, `sizes`, `width`, `height` and
`loading="lazy"` (see `responsive_body_images`).
"""

import functools
import html
import posixpath
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from PIL import Image, UnidentifiedImageError
from pilkit.processors import ResizeToFit

RENDITION_WIDTHS = (480, 800, 1200)
SHARE_SIZE = 1200

# How wide an article's images are shown: its column is at most 44rem; below the
# 48rem breakpoint it is the screen less the page's padding.
ARTICLE_SIZES = "(min-width: 48rem) 44rem, calc(100vw - 2rem)"

# The media folder for bodies, where the editor's uploads go: a body's own images are there.
BODY_IMAGE_PREFIX = "news/body/"


class Rendition(ImageSpec):
    format = "WEBP"
    mime_type = "image/webp"
    options = {"quality": 80}
    cachefile_strategy = "imagekit.cachefiles.strategies.Optimistic"


RENDITION_SPECS = {
    width: type(
        f"Rendition{width}",
        (Rendition,),
        {"processors": [ResizeToFit(width=width, upscale=False)]},
    )
    for width in RENDITION_WIDTHS
}


class ShareRendition(ImageSpec):
    """
    A cover as link previews show it (messengers, social networks, search
    results): a JPEG, which every one of them reads, where some skip WebP, at
    most SHARE_SIZE pixels either way. The original may be a camera's 6000
    pixels and 5 MB, which a messenger fetches on the sender's phone, or drops.
    """

    format = "JPEG"
    mime_type = "image/jpeg"
    options = {"quality": 85}
    processors = [ResizeToFit(width=SHARE_SIZE, height=SHARE_SIZE, upscale=False)]
    cachefile_strategy = "imagekit.cachefiles.strategies.Optimistic"


class ShareImage(NamedTuple):
    url: str
    width: int | None
    height: int | None


def share_image(source_name: str, width: int | None, height: int | None) -> ShareImage:
    """The share rendition of the cover stored as `source_name`, `width` × `height` pixels."""
    url = default_storage.url(share_rendition_name(source_name))
    if not width or not height:
        return ShareImage(url, None, None)
    ratio = min(SHARE_SIZE / width, SHARE_SIZE / height)
    if ratio >= 1:  # ResizeToFit(upscale=False) leaves it as it is
        return ShareImage(url, width, height)
    return ShareImage(url, round(width * ratio), round(height * ratio))


@functools.lru_cache(maxsize=4096)
def rendition_names(source_name: str) -> Mapping[int, str]:
    """
    The storage names of the renditions of the image stored as `source_name`,
    by width. They follow from the name alone, so a worker works them out once:
    imagekit builds a spec and a file object for each, and a list page names
    four copies for each of its covers.
    """
    source = File(None, name=source_name)
    return MappingProxyType(
        {width: ImageCacheFile(spec(source=source)).name for width, spec in RENDITION_SPECS.items()}
    )


@functools.lru_cache(maxsize=4096)
def share_rendition_name(source_name: str) -> str:
    """The storage name of the share rendition of the cover stored as `source_name`."""
    return ImageCacheFile(ShareRendition(source=File(None, name=source_name))).name


def make_share_rendition(source_name: str) -> None:
    """Make the share rendition of the cover stored as `source_name`."""
    with default_storage.open(source_name, "rb") as handle:
        ImageCacheFile(ShareRendition(source=File(handle, name=source_name))).generate()


@functools.lru_cache(maxsize=4096)
def rendition_urls(source_name: str) -> Mapping[int, str]:
    """The URLs of the renditions of the image stored as `source_name`, by width."""
    return MappingProxyType(
        {width: default_storage.url(name) for width, name in rendition_names(source_name).items()}
    )


def srcset(urls: Mapping[int, str], source_width: int | None) -> str:
    """
    The `srcset` of an image `source_width` pixels wide from its renditions' URLs by width.
    Copies that would be as wide as a smaller one (the original is narrower) are left out.
    """
    if not source_width:
        return ""
    entries, seen = [], set()
    for width in RENDITION_WIDTHS:
        actual = min(width, source_width)
        if actual not in seen:
            seen.add(actual)
            entries.append(f"{urls[width]} {actual}w")
    return ", ".join(entries)


def make_body_image_renditions(name: str) -> None:
    """Make the renditions of the body image stored as `name`."""
    with default_storage.open(name, "rb") as handle:
        source = File(handle, name=name)
        for spec in RENDITION_SPECS.values():
            ImageCacheFile(spec(source=source)).generate()


_IMG_TAG = re.compile(r'<img((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)(?:="([^"]*)")?')


def responsive_body_images(body_html: str) -> str:
    """
    Rewrite the body's own images (sanitized HTML, from the editor) with their
    renditions, made now: `srcset`, `sizes`, real `width` and `height`, lazy loading.
    Images from elsewhere and files that are missing or not images stay as they are.
    """
    return _IMG_TAG.sub(_responsive_img, body_html)


def _img_attributes(match: re.Match) -> dict[str, str]:
    """The attributes of an `<img>` tag matched by `_IMG_TAG`, names lower-cased."""
    return {
        name.lower(): html.unescape(value or "") for name, value in _ATTRIBUTE.findall(match[1])
    }


def _responsive_img(match: re.Match) -> str:
    attributes = _img_attributes(match)
    name = _body_image_name(attributes.get("src", ""))
    if name is None:
        return match[0]
    try:
        with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
            width, height = image.size
        make_body_image_renditions(name)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return match[0]
    new_attributes = {
        "src": attributes["src"],
        # An image without alt stays without: the checks refuse to publish it,
        # where alt="" would say it is decoration.
        **({"alt": attributes["alt"]} if "alt" in attributes else {}),
        "width": width,
        "height": height,
        "srcset": srcset(rendition_urls(name), width),
        "sizes": ARTICLE_SIZES,
        "loading": "lazy",
        "decoding": "async",
    }
    return "<img {}>".format(
        " ".join(f'{key}="{html.escape(str(value))}"' for key, value in new_attributes.items())
    )


def authored_body(body_html: str) -> str:
    """
    The body as its author wrote it: each image with only its `src` and `alt`.
    What `responsive_body_images` adds, the editor rewrites when it loads the
    body (its own `sizes`, a `style`), so a body sent back unchanged compares
    equal to the stored one only like this.
    """
    return _IMG_TAG.sub(_authored_img, body_html)


def _authored_img(match: re.Match) -> str:
    attributes = _img_attributes(match)
    alt = f' alt="{html.escape(attributes["alt"])}"' if "alt" in attributes else ""
    return f'<img src="{html.escape(attributes.get("src", ""))}"{alt}>'


def body_image_names(body_html: str) -> set[str]:
    """The storage names of the body's own images (those in our media folder for bodies)."""
    names = (
        _body_image_name(_img_attributes(match).get("src", ""))
        for match in _IMG_TAG.finditer(body_html)
    )
    return {name for name in names if name is not None}


def _body_image_name(src: str) -> str | None:
    """The storage name of an image in our media folder for bodies, or None."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    name = src[len(settings.MEDIA_URL) :]
    if (
        not name.startswith(BODY_IMAGE_PREFIX)
        or posixpath.normpath(name) != name
        or ".." in name.split("/")
        or not re.fullmatch(r"[\w./-]+", name)
    ):
        return None
    return name


def is_rendition_url(url: str) -> bool:
    """Whether `url` is one of our renditions (the only URLs a body's srcset may name)."""
    prefix = f"{settings.MEDIA_URL}{settings.IMAGEKIT_CACHEFILE_DIR}/"
    path = url[len(prefix) :]
    return (
        url.startswith(prefix)
        and posixpath.normpath(path) == path
        and ".." not in path.split("/")
        and re.fullmatch(r"[\w./-]+\.webp", path) is not None
    )
