"""
Uploaded images: the type is decided by the content, bombs and SVG are refused
with a reason, and what is published carries no location or camera data.
The same rules hold for the admin's cover image and the editor's upload.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news.models import NewsItem

from .admin_forms import admin_form_data
from .conftest import image_bytes

pytestmark = pytest.mark.django_db

EDITOR_UPLOAD_URL = "/ru/editor/images/"

GPS_LATITUDE = (54.0, 53.0, 1.5)  # Lepel
CAMERA_MAKER = "PhoneMakerX"


def png_claiming_size(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` × `height` pixels: a decompression bomb's shape."""
    data = image_bytes("PNG", size=(1, 1))
    header = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + header
    return data[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


def exif_with_location() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKER  # Make
    exif[0x0110] = "Model 12 Pro"  # Model
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (28.0, 33.0, 1.0)}  # GPSInfo
    return exif


def photo_with_metadata(format: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "#3366aa")
    options = {"exif": exif_with_location().tobytes()}
    if format == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Comment", f"Shot on {CAMERA_MAKER}")
        options["pnginfo"] = text
    if format == "JPEG":
        options["xmp"] = f'<x:xmpmeta><tiff:Make>{CAMERA_MAKER}</tiff:Make>"</x:xmpmeta>'.encode()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG_WITH_PROLOG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'

# (file name, content, a word the refusal must carry, in Russian: the editor endpoint
# and the /ru/ admin answer in the site's default language)
REFUSALS = {
    "svg named as svg": ("drawing.svg", SVG, "SVG"),
    "svg named as png": ("drawing.png", SVG, "SVG"),
    "svg with an xml prolog": ("drawing.jpg", b"  " + SVG_WITH_PROLOG, "SVG"),
    "decompression bomb": ("bomb.png", png_claiming_size(50_000, 50_000), "пикселей"),
    "just over the pixel limit": ("big.png", png_claiming_size(7_000, 7_000), "пикселей"),
    "html named as jpg": ("photo.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "JPEG"),
    "text": ("notes.png", b"not an image at all", "JPEG"),
    "pdf": ("scan.jpg", b"%PDF-1.4\n%%EOF", "JPEG"),
    "truncated png": ("cut.png", image_bytes()[:60], "повреждён"),
    "bmp (not a format we publish)": ("old.bmp", image_bytes("BMP"), "JPEG"),
}


def test_pillow_refuses_the_same_number_of_pixels_as_the_portal(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.PORTAL_MAX_IMAGE_PIXELS


class TestEditorUpload:
    @pytest.mark.parametrize("case", REFUSALS)
    def test_refusals_are_a_json_error_with_the_reason(self, staff_client, case, settings):
        name, content, reason = REFUSALS[case]
        response = staff_client.post(
            EDITOR_UPLOAD_URL, {"upload": SimpleUploadedFile(name, content, "image/png")}
        )
        assert response.status_code == 400
        assert reason in response.json()["error"]["message"]
        assert not (settings.MEDIA_ROOT / "news" / "body").exists()

    def test_after_logging_out_the_refusal_says_to_log_in_again(self, client, settings):
        """Logged out in another tab: the editor's page stays, and its alert is all they see."""
        upload = SimpleUploadedFile("a.png", image_bytes(), "image/png")
        response = client.post(EDITOR_UPLOAD_URL, {"upload": upload})
        assert response.status_code == 403
        assert response.json()["error"]["message"] == (
            "Ваш сеанс работы закончился. Войдите снова в другой вкладке браузера, затем "
            "загрузите изображение ещё раз. Не сохраняйте эту форму до этого: её изменения "
            "пропали бы."
        )

    def test_someone_who_writes_no_news_may_not_upload(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("reader", is_staff=True))
        upload = SimpleUploadedFile("a.png", image_bytes(), "image/png")
        response = client.post(EDITOR_UPLOAD_URL, {"upload": upload})
        assert response.status_code == 403
        assert "только редакторы и выпускающие редакторы" in response.json()["error"]["message"]

    def test_too_large_files_are_refused_with_the_limit(self, staff_client, settings):
        settings.PORTAL_MAX_IMAGE_UPLOAD_BYTES = 100
        upload = SimpleUploadedFile("a.png", image_bytes(size=(300, 300)), "image/png")
        message = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["error"]
        # The endpoint has no language prefix: it answers in the site's default, Russian.
        assert "Изображение слишком большое" in message["message"]
        assert "не более 100\xa0байт" in message["message"]

    @pytest.mark.parametrize(
        ("name", "format", "extension"),
        [("photo.jpg", "PNG", ".png"), ("photo.svg", "JPEG", ".jpg"), ("x", "WEBP", ".webp"),
         ("photo.png.exe", "GIF", ".gif")],
    )  # fmt: skip
    def test_the_extension_comes_from_the_content_not_the_name(
        self, staff_client, settings, name, format, extension
    ):
        upload = SimpleUploadedFile(name, image_bytes(format), "application/octet-stream")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]
        assert url.endswith(extension) and "photo" not in url
        with Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/")) as stored:
            assert stored.format == format

    @pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
    def test_location_and_camera_data_are_stripped(self, staff_client, settings, format):
        content = photo_with_metadata(format)
        with Image.open(io.BytesIO(content)) as original:  # the test file does carry them
            assert original.getexif().get_ifd(0x8825)[2] == GPS_LATITUDE

        upload = SimpleUploadedFile(f"holiday.{format.lower()}", content, "image/jpeg")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]

        stored = (settings.MEDIA_ROOT / url.removeprefix("/media/")).read_bytes()
        assert CAMERA_MAKER.encode() not in stored and b"Model 12" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "Comment"} & set(image.info)
            assert image.size == (40, 30)

    def test_a_gifs_comment_is_stripped(self, staff_client, settings):
        """Pillow writes a GIF's comment again unless it is taken out of the image's info."""
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), "#3366aa").save(
            buffer, format="GIF", comment=f"Shot on {CAMERA_MAKER}".encode()
        )
        upload = SimpleUploadedFile("holiday.gif", buffer.getvalue(), "image/gif")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]

        stored = (settings.MEDIA_ROOT / url.removeprefix("/media/")).read_bytes()
        assert CAMERA_MAKER.encode() not in stored

    def test_a_photo_taken_sideways_is_stored_upright(self, staff_client, settings):
        """A phone saves the pixels as the sensor saw them and an orientation in EXIF."""
        exif = Image.Exif()
        exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
        content = image_bytes("JPEG", size=(40, 30), exif=exif.tobytes())
        upload = SimpleUploadedFile("portrait.jpg", content, "image/jpeg")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]

        with Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/")) as stored:
            assert stored.size == (30, 40)
            assert stored.getexif().get(0x0112, 1) == 1  # nothing turns it again

    def test_a_photo_holding_more_pictures_is_stored_as_a_jpeg(self, staff_client, settings):
        """Phones and 3D cameras save MPO: a JPEG with more pictures after the photo."""
        buffer = io.BytesIO()
        photo, depth = Image.new("RGB", (40, 30), "#3366aa"), Image.new("RGB", (40, 30), "gray")
        photo.save(buffer, format="MPO", save_all=True, append_images=[depth])
        upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), "image/jpeg")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]

        assert url.endswith(".jpg")
        with Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/")) as stored:
            assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
            assert abs(stored.getpixel((20, 15))[2] - 0xAA) < 8

    def test_a_16_bit_grey_image_keeps_its_greys(self, staff_client, settings):
        buffer = io.BytesIO()
        Image.new("I;16", (40, 30), 30000).save(buffer, format="PNG")
        upload = SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")
        url = staff_client.post(EDITOR_UPLOAD_URL, {"upload": upload}).json()["url"]

        with Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/")) as stored:
            assert stored.getpixel((20, 15)) == 30000 // 256


class TestAdminCoverImage:
    def post(self, client, category, upload):
        url = reverse("admin:news_newsitem_add")
        data = admin_form_data(
            client,
            url,
            title="Новость с картинкой",
            language="ru",
            category=category.pk,
            lead="Кратко.",
            body="<p>Текст.</p>",
            published_at_0="2026-10-05",
            published_at_1="09:00:00",
            cover_image=upload,
            cover_image_alt="Описание картинки",
        )
        return client.post(url, data)

    @pytest.mark.parametrize("case", REFUSALS)
    def test_refusals_are_a_form_error_with_the_reason(self, staff_client, category, case):
        name, content, reason = REFUSALS[case]
        response = self.post(staff_client, category, SimpleUploadedFile(name, content))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors["cover_image"]
        assert any(reason in error for error in errors), errors
        assert reason in response.content.decode()
        assert not NewsItem.objects.exists()

    def test_a_real_photo_is_stored_by_its_type_without_its_location(
        self, staff_client, category, settings
    ):
        upload = SimpleUploadedFile("IMG_0001.png", photo_with_metadata("JPEG"), "image/png")
        response = self.post(staff_client, category, upload)
        assert response.status_code == 302

        item = NewsItem.objects.get()
        assert item.cover_image.name.endswith(".jpg") and "IMG" not in item.cover_image.name
        assert (item.cover_image_width, item.cover_image_height) == (40, 30)
        stored = (settings.MEDIA_ROOT / item.cover_image.name).read_bytes()
        assert CAMERA_MAKER.encode() not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()

    def test_the_file_chooser_offers_only_the_formats_we_publish(self, staff_client):
        page = staff_client.get(reverse("admin:news_newsitem_add")).content.decode()
        assert 'accept="image/jpeg,image/png,image/gif,image/webp"' in page


def dangerous_uploads():
    return {
        "html page": SimpleUploadedFile("report.pdf", b"<!DOCTYPE html><script>x()</script>"),
        "svg with a script": SimpleUploadedFile("image.png", SVG),
        "windows program": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        "php script": SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>"),
        "empty file": SimpleUploadedFile("empty.pdf", b""),
    }


def undecodable_images():
    return {
        "decompression bomb": SimpleUploadedFile("bomb.png", png_claiming_size(60_000, 60_000)),
        "truncated png": SimpleUploadedFile("cut.png", image_bytes()[:60]),
    }


def admin_forms(request):
    """(model, form class) for every admin form and inline form."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        yield model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_formset(request).form


def refuses(form_class, name, upload) -> bool:
    """
    Whether the form refuses `upload` in its field `name`, with a message: the
    field's checks, the form's clean_<name>() and the model field's validators.
    Keeping it only as plain text (renamed to .txt, so it is served as
    text/plain and never runs as a page) counts as refusing it to run.
    """
    form = form_class(data={}, files={name: upload})
    form.is_valid()
    if form.errors.get(name):
        return True
    kept = form.cleaned_data.get(name)
    return kept is not None and Path(kept.name).suffix.lower() == ".txt"


def test_every_admin_file_field_refuses_dangerous_files(rf, admin_user):
    """
    Covers the file fields of every admin form, attachments included, as they
    are added: HTML, SVG, programs and scripts are refused (or kept as .txt).
    """
    request = rf.get("/")
    request.user = admin_user
    accepted, checked = [], []
    for model, form_class in admin_forms(request):
        for name, field in form_class.base_fields.items():
            if not isinstance(field, django_forms.FileField):
                continue
            where = f"{model._meta.label}.{name}"
            checked.append(where)
            hostile = dangerous_uploads()
            if isinstance(field, django_forms.ImageField):
                hostile |= undecodable_images()
                good = SimpleUploadedFile("photo.png", image_bytes())
                assert not refuses(form_class, name, good), f"{where} refuses a real image"
            accepted += [
                f"{where}: {case}"
                for case, upload in hostile.items()
                if not refuses(form_class, name, upload)
            ]
    assert "news.NewsItem.cover_image" in checked
    assert not accepted, f"accepted: {accepted}"
