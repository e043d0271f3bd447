"""
Images readers must no longer see leave their public /media/ addresses: those of
an item withdrawn as published in error or deleted, and those an item stopped
showing. Undoing the change brings them back at the same addresses.
"""

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import Http404
from django.test import Client, RequestFactory

from news.models import NewsItem
from news.renditions import rendition_names, share_rendition_name
from portal.views import serve_media
from tests.conftest import image_bytes

from .conftest import admin_url, client_for
from .forms import AdminForm

pytestmark = pytest.mark.django_db

BODY_IMAGE = "news/body/2026/05/plan.png"


def is_public(name: str) -> bool:
    return (settings.MEDIA_ROOT / name).exists()


def is_withheld(name: str) -> bool:
    return (settings.MEDIA_ROOT / "withheld" / name).exists()


def files_of(name: str) -> list[str]:
    """An image's file and its renditions (and a cover's copy for link previews)."""
    shared = [share_rendition_name(name)] if name.startswith("news/covers/") else []
    return [name, *rendition_names(name).values(), *shared]


@pytest.fixture
def illustrated_item(make_item, stored_image):
    """A published item with a cover and an image in its text; every file made."""

    def make(**fields):
        stored_image(BODY_IMAGE, size=(900, 600))
        item = make_item(
            body=f'<p>План работ.</p><p><img src="/media/{BODY_IMAGE}" alt="План"></p>',
            cover_image_alt="Мост через реку",
            **fields,
        )
        item.cover_image.save("bridge.png", ContentFile(image_bytes(size=(1000, 500))))
        for name in (item.cover_image.name, BODY_IMAGE):
            assert all(is_public(file) for file in files_of(name))
        return item

    return make


def withdraw(client, item, **data):
    return client.post(admin_url("admin:news_newsitem_withdraw", args=[item.pk]), data)


def test_withdrawing_as_published_in_error_takes_the_images_off_their_addresses(
    publisher_client, illustrated_item, django_capture_on_commit_callbacks
):
    item = illustrated_item()
    cover = item.cover_image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(publisher_client, item, reason="Ошибка.", in_error="on")

    assert response.status_code == 302
    message = publisher_client.get(response["Location"]).content.decode()
    assert "its images are no longer at their addresses" in message
    for file in files_of(cover) + files_of(BODY_IMAGE):
        assert not is_public(file) and is_withheld(file), file
    item.refresh_from_db()
    assert item.cover_image.name == cover  # kept, to bring the image back

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, cancel_withdrawal="1")

    for file in files_of(cover) + files_of(BODY_IMAGE):
        assert is_public(file) and not is_withheld(file), file
    page = Client().get(item.get_absolute_url()).content.decode()
    assert f'src="/media/{cover}"' in page and f'src="/media/{BODY_IMAGE}"' in page


def test_an_item_withdrawn_with_a_notice_keeps_its_images(
    publisher_client, illustrated_item, django_capture_on_commit_callbacks
):
    """Its page still shows the text and the images, under the notice."""
    item = illustrated_item()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, reason="Конкурс отменён.")
    assert is_public(item.cover_image.name) and is_public(BODY_IMAGE)


def test_a_deleted_items_images_leave_and_come_back_when_it_is_recovered(
    publisher_client, illustrated_item, django_capture_on_commit_callbacks
):
    item = illustrated_item()
    cover, pk = item.cover_image.name, item.pk

    with django_capture_on_commit_callbacks(execute=True):
        publisher_client.post(admin_url("admin:news_newsitem_delete", args=[pk]), {"post": "yes"})

    assert not NewsItem.objects.filter(pk=pk).exists()
    assert not is_public(cover) and is_withheld(cover)
    assert not is_public(BODY_IMAGE) and is_withheld(BODY_IMAGE)

    record = NewsItem.history.get(id=pk, history_type="-")
    with django_capture_on_commit_callbacks(execute=True):
        publisher_client.post(
            admin_url("admin:news_newsitem_deleted"), {"recover": record.history_id}
        )

    assert NewsItem.objects.get(pk=pk).is_live
    for file in files_of(cover) + files_of(BODY_IMAGE):
        assert is_public(file) and not is_withheld(file), file


def test_a_replaced_cover_is_withheld_and_comes_back_with_its_version(
    publisher_client, illustrated_item, django_capture_on_commit_callbacks
):
    item = illustrated_item()
    first_cover = item.cover_image.name
    first_version = item.history.latest()

    with django_capture_on_commit_callbacks(execute=True):
        item.cover_image.save("bridge-repaired.png", ContentFile(image_bytes()))
    second_cover = item.cover_image.name

    assert not is_public(first_cover) and is_withheld(first_cover)
    assert is_public(second_cover)

    restore_url = admin_url(
        "admin:news_newsitem_simple_history", args=[item.pk, first_version.history_id]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert AdminForm.load(publisher_client, restore_url).submit().status_code == 302

    item.refresh_from_db()
    assert item.cover_image.name == first_cover
    assert is_public(first_cover) and not is_withheld(first_cover)
    assert not is_public(second_cover) and is_withheld(second_cover)


def test_an_image_taken_out_of_the_text_is_withheld(
    illustrated_item, django_capture_on_commit_callbacks
):
    item = illustrated_item()
    with django_capture_on_commit_callbacks(execute=True):
        item.body = "<p>План работ уточняется.</p>"
        item.save()
    assert not is_public(BODY_IMAGE) and is_withheld(BODY_IMAGE)
    assert is_public(item.cover_image.name)


def test_an_image_another_item_shows_stays_public(
    publisher_client, illustrated_item, make_item, django_capture_on_commit_callbacks
):
    item = illustrated_item()
    other = make_item(
        body=f'<p>Схема.</p><p><img src="/media/{BODY_IMAGE}" alt="План"></p>',
        cover_image=item.cover_image.name,
        cover_image_alt="Мост",
    )

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, reason="Ошибка.", in_error="on")
    assert is_public(item.cover_image.name) and is_public(BODY_IMAGE)

    # Once the other one goes too, nobody shows them.
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert not is_public(item.cover_image.name) and not is_public(BODY_IMAGE)


def test_a_draft_does_not_keep_an_image_withdrawn_in_error_at_its_address(
    publisher_client, illustrated_item, make_item, django_capture_on_commit_callbacks
):
    """
    A draft translation with the same picture kept it public, though no reader
    sees a draft and the publisher was told the images had left their addresses.
    Publishing the draft is what brings it back.
    """
    item = illustrated_item()
    draft = make_item(
        language="be",
        is_published=False,
        body=f'<p>План.</p><p><img src="/media/{BODY_IMAGE}" alt="План"></p>',
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, reason="Ошибка.", in_error="on")
    assert not is_public(BODY_IMAGE) and is_withheld(BODY_IMAGE)

    with django_capture_on_commit_callbacks(execute=True):
        draft.is_published = True
        draft.save()
    assert is_public(BODY_IMAGE)


def withdrawn_in_error(publisher_client, item):
    withdraw(publisher_client, item, reason="Ошибка.", in_error="on")


def deleted(publisher_client, item):
    publisher_client.post(admin_url("admin:news_newsitem_delete", args=[item.pk]), {"post": "yes"})


def taken_out_of_the_text(publisher_client, item):
    AdminForm.load(publisher_client, item).submit(body="<p>План работ уточняется.</p>")


@pytest.mark.parametrize("taken_away", [withdrawn_in_error, deleted, taken_out_of_the_text])
def test_saving_a_draft_does_not_bring_back_an_image_a_publisher_took_away(
    publisher_client, illustrated_item, make_item, taken_away, django_capture_on_commit_callbacks
):
    """
    Any editor's draft naming the image (its text pasted in to rework it) put it
    back at the address a publisher had taken it from; publishing the draft does.
    """
    item = illustrated_item()
    with django_capture_on_commit_callbacks(execute=True):
        taken_away(publisher_client, item)
    assert not is_public(BODY_IMAGE) and is_withheld(BODY_IMAGE)

    with django_capture_on_commit_callbacks(execute=True):
        draft = make_item(
            is_published=False, body=f'<p><img src="/media/{BODY_IMAGE}" alt="План"></p>'
        )
    for file in files_of(BODY_IMAGE):  # nor copies of it made for the draft
        assert not is_public(file) and is_withheld(file), file

    with django_capture_on_commit_callbacks(execute=True):
        draft.is_published = True
        draft.save()
    assert all(is_public(file) for file in files_of(BODY_IMAGE))


@pytest.mark.parametrize(
    "path",
    [
        f"withheld/{BODY_IMAGE}",
        f"withheld//{BODY_IMAGE}",
        f"./withheld/{BODY_IMAGE}",
        # Up out of MEDIA_ROOT (…/media in the tests, as in production) and back in.
        f"../media/withheld/{BODY_IMAGE}",
        f"news/../../media/withheld/{BODY_IMAGE}",
    ],
)
def test_the_withheld_folder_has_no_address(path, stored_image, settings, publisher_client):
    settings.SERVE_MEDIA = True  # the local demo's server; in production nginx's 404
    stored_image(BODY_IMAGE)
    stored_image(f"withheld/{BODY_IMAGE}")
    assert serve_media(RequestFactory().get(f"/media/{BODY_IMAGE}"), BODY_IMAGE).status_code == 200
    with pytest.raises(Http404):
        serve_media(RequestFactory().get(f"/media/{path}"), path)
    assert publisher_client.get(f"/media/{path}").status_code == 404


@pytest.mark.parametrize("serve_media_itself", [True, False], ids=["demo", "behind nginx"])
def test_staff_alone_see_a_withheld_image_at_its_address(
    serve_media_itself, settings, publisher_client, illustrated_item, make_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """
    The admin's editor shows the images of an item withdrawn in error; readers,
    and staff who do not work on the news (an account that manages users), get
    a 404 at the same address, and nobody's browser keeps a copy.
    """
    settings.SERVE_MEDIA = serve_media_itself
    item = illustrated_item()
    addresses = [item.cover_image.url, f"/media/{BODY_IMAGE}"]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, reason="Ошибка.", in_error="on")

    it_admin = client_for(make_user("it.admin"))
    for address in addresses:
        assert Client().get(address).status_code == 404, address
        assert it_admin.get(address).status_code == 404, address
        response = publisher_client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # Nothing else is found that way, nor a document by climbing out of withheld/.
    assert publisher_client.get("/media/news/body/2026/05/missing.png").status_code == 404
    (settings.MEDIA_ROOT / "news/attachments/2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "news/attachments/2026/plan.pdf").write_bytes(b"%PDF-1.4")
    assert publisher_client.get("/media/../news/attachments/2026/plan.pdf").status_code == 404
    assert publisher_client.get("/media/" + "a" * 300).status_code == 404


def test_the_web_server_does_not_serve_withheld_images():
    nginx = (settings.BASE_DIR / "deploy" / "nginx-portal.conf").read_text()
    assert f"location {settings.MEDIA_URL}withheld/ {{ return 404; }}" in nginx


def test_a_publisher_corrects_an_item_whose_images_are_withheld(
    publisher_client, illustrated_item, django_capture_on_commit_callbacks
):
    """Django reads the cover's size again on every save of the form: it was a 500."""
    item = illustrated_item()
    item.refresh_from_db()
    cover, width = item.cover_image.name, item.cover_image_width
    assert width == 1000
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, item, reason="Ошибка.", in_error="on")

    with django_capture_on_commit_callbacks(execute=True):
        response = AdminForm.load(publisher_client, item).submit(lead="Уточнённая аннотация.")

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lead == "Уточнённая аннотация." and item.cover_image_width == width
    assert not is_public(cover) and is_withheld(cover)


def test_remaking_the_renditions_makes_no_copy_of_a_withheld_image(
    publisher_client, illustrated_item, make_item, stored_image, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """
    `generateimages`, the README's step after restoring media: imagekit reads a
    withheld cover as the admin does, and its copies would be public while it ran.
    """
    from imagekit.cachefiles import ImageCacheFile

    withdrawn = illustrated_item()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(publisher_client, withdrawn, reason="Ошибка.", in_error="on")
    withheld = files_of(withdrawn.cover_image.name)
    for rendition in withheld[1:]:  # as after restoring media without the renditions
        (settings.MEDIA_ROOT / "withheld" / rendition).unlink()
    shown = make_item(cover_image=stored_image("news/covers/lake.png"), cover_image_alt="Озеро")
    lost = files_of(shown.cover_image.name)[1:]
    for rendition in lost:
        (settings.MEDIA_ROOT / rendition).unlink(missing_ok=True)
    made = []
    generate = ImageCacheFile.generate
    monkeypatch.setattr(
        ImageCacheFile, "generate", lambda self, *a: made.append(self.name) or generate(self, *a)
    )

    out = io.StringIO()
    call_command("generateimages", stdout=out)

    assert all(is_public(rendition) for rendition in lost)
    assert set(made) == set(files_of(shown.cover_image.name)[1:])
    assert [file for file in withheld if is_public(file)] == []
    assert "Not copied: 1 withheld image(s), which readers must not see." in out.getvalue()
