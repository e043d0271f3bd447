"""
Images readers must no longer see: those of an item withdrawn as published in
error or deleted, and those an item stopped showing (a replaced cover, an image
taken out of its text).

Uploads are public at their /media/ addresses, which the web server serves
straight from MEDIA_ROOT, so hiding an image means moving its file and its
renditions into MEDIA_ROOT/withheld/, which nobody serves (deploy/nginx-portal.conf,
`portal.views.serve_media`). The item keeps the image's name: cancelling the
withdrawal, recovering the item or restoring a version from its history puts
the files back at the same addresses. Backups take them with the rest of MEDIA_ROOT.
The portal itself still reads them (`MediaStorage`), for the admin.

An image that another item still shows stays where it is. For an item withdrawn
as published in error, that is an item marked published (readers see it, or
will at its time): a draft, which any editor saves, does not keep such an image
at its address. Nor does a draft bring any image out of sight back there (an
editor could otherwise undo a publisher's deletion or correction); publishing
the draft does.
"""

import logging
import os
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction

from .renditions import body_image_names, rendition_names, share_rendition_name

logger = logging.getLogger(__name__)

WITHHELD_FOLDER = "withheld"


class MediaStorage(FileSystemStorage):
    """
    Uploads, where the portal opens a withheld image as if it were in place:
    Django reads a cover's size again whenever the admin saves its item, and
    a publisher may correct an item withdrawn as published in error.
    """

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except FileNotFoundError:
            return super()._open(f"{WITHHELD_FOLDER}/{name}", mode)


def shown_images(cover_name: str | None, body_html: str) -> set[str]:
    """The storage names of the images an item with this cover and body shows."""
    names = body_image_names(body_html)
    if cover_name:
        names.add(cover_name)
    return names


def remember_shown_images(sender, instance, raw=False, **kwargs) -> None:
    """Before a save: note the images the item showed as stored (pre_save)."""
    if raw or instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values("cover_image", "body").first()
    instance._images_shown_before = (
        shown_images(stored["cover_image"], stored["body"]) if stored else set()
    )


def images_saved(sender, instance, raw=False, **kwargs) -> None:
    """
    After a save (post_save): withhold what the item no longer shows, or all its
    images if it is withdrawn as published in error; bring back what it shows.
    """
    if raw:
        return
    shown = shown_images(instance.cover_image.name, instance.body)
    before = getattr(instance, "_images_shown_before", set())
    if instance.withdrawn_in_error:
        withhold, release = shown | before, set()
    else:
        withhold, release = before - shown, shown
    if withhold or release:
        transaction.on_commit(
            partial(
                _apply,
                instance.pk,
                withhold,
                release,
                published_only=instance.withdrawn_in_error,
                release_withheld=instance.is_published,
            ),
            robust=True,
        )


def images_deleted(sender, instance, **kwargs) -> None:
    """After a deletion: withhold the item's images (post_delete)."""
    shown = shown_images(instance.cover_image.name, instance.body)
    if shown:
        transaction.on_commit(partial(_apply, instance.pk, shown, set()), robust=True)


def is_withheld(name: str) -> bool:
    """Whether the image stored as `name` is out of sight: in withheld/, not at its address."""
    return (
        bool(name)
        and not default_storage.exists(name)
        and default_storage.exists(f"{WITHHELD_FOLDER}/{name}")
    )


def _apply(
    item_pk: int,
    withhold: set[str],
    release: set[str],
    *,
    published_only: bool = False,
    release_withheld: bool = True,
) -> None:
    """
    Move `withhold` out of sight, but for what another item shows (another item
    marked published, when `published_only`), and bring `release` back. Unless
    `release_withheld` (a draft's save), what of `release` is out of sight stays
    so, and the copies of it this save made go out of sight too.
    """
    for name in withhold - _shown_by(withhold, item_pk, published_only=published_only):
        _move(name, to_withheld=True)
    if not release_withheld:
        kept_out = {name for name in release if is_withheld(name)}
        release = release - kept_out
        # The save made their renditions anew, at their addresses: out of sight again.
        for name in kept_out:
            _move(name, to_withheld=True)
    for name in release:
        _move(name, to_withheld=False)


def keeping_images_public(items):
    """
    Those of `items` whose images no rule here moves out of sight: items marked
    published and not withdrawn as published in error. What else an item shows
    (a draft's images, say) is withheld with an item withdrawn in error that shows it.
    """
    return items.filter(is_published=True).exclude(withdrawn_in_error=True)


def _shown_by(names: set[str], item_pk: int, *, published_only: bool) -> set[str]:
    """Those of `names` that an item other than `item_pk`, not withheld itself, shows."""
    from .models import NewsItem

    others = NewsItem.objects.exclude(pk=item_pk)
    if published_only:
        others = keeping_images_public(others)
    else:
        others = others.exclude(withdrawn_in_error=True)
    return _shown_in(others, names)


def _shown_in(items, names: set[str]) -> set[str]:
    """Those of `names` that one of `items` shows, as its cover or in its text."""
    shown = set(items.filter(cover_image__in=names).values_list("cover_image", flat=True))
    for name in names - shown:
        if items.filter(body__contains=f'"{settings.MEDIA_URL}{name}"').exists():
            shown.add(name)
    return shown


def _move(name: str, *, to_withheld: bool) -> None:
    """Move the image stored as `name`, with its renditions, out of sight or back."""
    for stored in _with_renditions([name]):
        public = default_storage.path(stored)
        withheld = default_storage.path(f"{WITHHELD_FOLDER}/{stored}")
        source, target = (public, withheld) if to_withheld else (withheld, public)
        if not os.path.exists(source):
            continue
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)
        except OSError:
            logger.exception("Could not move %s to %s", source, target)


def _with_renditions(names: Iterable[str]) -> Iterable[str]:
    for name in names:
        yield name
        yield from rendition_names(name).values()
        yield share_rendition_name(name)
