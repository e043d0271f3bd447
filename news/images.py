"""
Checking and cleaning uploaded images.

An upload is an image only if Pillow decodes all of it. It is then saved
again without its metadata (EXIF, GPS, camera data) under a random name, so
what readers download is exactly the pixels and nothing the photographer's
phone added.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats we accept, with the extension and MIME type a cleaned file gets.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}


def clean_image(upload) -> SimpleUploadedFile:
    """
    Return a metadata-free copy of `upload` with a random file name, or raise
    ValidationError saying why it is not an acceptable image.
    """
    max_bytes = settings.PORTAL_MAX_IMAGE_UPLOAD_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Images must be JPEG, PNG, GIF or WebP files."), code="format"
                )
            width, height = image.size
            if width * height > settings.PORTAL_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (%(width)s × %(height)s)."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            image.load()
            image_format = image.format
            cleaned = _without_metadata(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image, or it is damaged."), code="not_an_image"
        ) from None
    upload.seek(0)

    extension, content_type = IMAGE_FORMATS[image_format]
    buffer = io.BytesIO()
    save_options = {"optimize": True}
    if image_format == "JPEG":
        save_options["quality"] = 88
    cleaned.save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{extension}", buffer.getvalue(), content_type=content_type
    )


def _without_metadata(image: Image.Image) -> Image.Image:
    """Turn the image upright by its EXIF orientation, then drop all metadata."""
    if getattr(image, "n_frames", 1) > 1:
        # Animated GIF/WebP: keep the first frame only; news images are stills.
        image.seek(0)
    upright = ImageOps.exif_transpose(image.copy())
    if upright.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    return upright
