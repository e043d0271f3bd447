"""
Checking and cleaning uploaded images.

An upload is an image only if Pillow decodes all of it as one of the formats
we publish (JPEG, PNG, GIF, WebP): the type is decided by the content, never
by the file's name or the browser's word. SVG is refused (it is a document
that can carry scripts, not a picture). The image is then saved again without
its metadata (EXIF, GPS, XMP, camera data, comments) under a random name, with
the extension of its real format, so what readers download is exactly the
pixels and nothing the photographer's phone added.
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from .file_sizes import size_and_limit
from .renditions import RENDITION_WIDTHS

# Formats we accept, with the extension and MIME type a cleaned file gets.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
# Pillow reads a JPEG that holds more pictures (phones' and 3D cameras' MPO) as
# MPO; its first picture, the photo, is published as JPEG.
PUBLISHED_FORMATS = {"MPO": "JPEG"}
# What the start of an SVG (or any XML) document looks like.
SVG_SIGNATURES = (b"<svg", b"<?xml", b"<!doctype svg")

NOT_AN_IMAGE = _(
    "The file is not a JPEG, PNG, GIF or WebP image, or it is damaged. "
    "Save it again as JPEG or PNG and upload that file."
)


def configure_pillow() -> None:
    """
    Give Pillow the portal's pixel limit, so every decode in the process (our
    uploads, Django's ImageField checks, renditions) refuses the same bombs.
    Pillow warns above the limit and refuses outright above twice the limit.
    """
    Image.MAX_IMAGE_PIXELS = settings.PORTAL_MAX_IMAGE_PIXELS


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
            params=size_and_limit(upload.size, max_bytes),
        )
    upload.seek(0)
    if upload.read(1024).lstrip().lower().startswith(SVG_SIGNATURES):
        raise ValidationError(
            _(
                "SVG drawings are not accepted: they can carry scripts. "
                "Export the drawing as PNG and upload that file."
            ),
            code="svg",
        )
    upload.seek(0)
    image_format, cleaned = _decode(upload)
    upload.seek(0)
    width, height = cleaned.size  # upright
    smallest = min(RENDITION_WIDTHS)
    if width > smallest and round(height * smallest / width) == 0:
        raise ValidationError(
            _(
                "The image is too long and thin (%(width)s × %(height)s pixels): its "
                "smaller copies for phones would be less than a pixel high. Crop it "
                "or add a margin, and upload that file."
            ),
            code="too_thin",
            params={"width": width, "height": height},
        )

    extension, content_type = IMAGE_FORMATS[image_format]
    buffer = io.BytesIO()
    save_options = {"optimize": True}
    if image_format == "JPEG":
        save_options["quality"] = 88
    cleaned.save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{extension}", buffer.getvalue(), content_type=content_type
    )


def _decode(upload) -> tuple[str, Image.Image]:
    """Decode the whole image (first frame), within the pixel limit; return its format and it."""
    too_many_pixels = ValidationError(
        _("The image has too many pixels. The limit is %(limit)s million pixels."),
        code="too_many_pixels",
        # «40», «2,5»: as the admin's language writes numbers, with no «.0»;
        # «млн пикселей» reads right after any of them, «мегапикселей» does not.
        params={"limit": floatformat(settings.PORTAL_MAX_IMAGE_PIXELS / 1_000_000, -1)},
    )
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; we refuse below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(IMAGE_FORMATS)) as image:
                width, height = image.size
                if width * height > settings.PORTAL_MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                image.load()
                image_format = PUBLISHED_FORMATS.get(image.format, image.format)
                return image_format, _without_metadata(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except Exception:
        # Whatever Pillow cannot decode is not an image we can publish.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None


def _without_metadata(image: Image.Image) -> Image.Image:
    """Turn the image upright by its EXIF orientation, then drop all metadata."""
    if getattr(image, "n_frames", 1) > 1:
        # Animated GIF/WebP: keep the first frame only; news images are stills.
        image.seek(0)
    upright = ImageOps.exif_transpose(image.copy())
    if upright.mode.startswith("I"):  # 16 bits of grey a pixel: 8 are published
        upright = upright.convert("I").point(lambda value: value / 256).convert("L")
    if upright.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    return upright


class CleanImageField(forms.ImageField):
    """
    An image upload checked by `clean_image` (instead of Django's own check):
    refusals say why, and the accepted file is stored without its metadata.
    """

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else clean_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(
                content_type for _ext, content_type in IMAGE_FORMATS.values()
            )
        return attrs
