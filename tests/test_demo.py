import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from news.accessibility_checks import PLACEHOLDER_ALT_TEXTS
from news.attachments import detect_document_type
from news.models import Attachment, Category, NewsItem

from .conftest import missing

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent

SEED_TITLE = "Belarus, Leningrad Oblast to cooperate in construction, agriculture, high technology"


def snapshot():
    return (
        list(Category.objects.order_by("slug").values()),
        list(
            NewsItem.objects.order_by("pk").values(
                "pk", "title", "slug", "lead", "body", "language", "category__slug",
                "published_at", "is_published", "cover_image", "cover_image_alt", "source",
                "cover_image_width", "cover_image_height", "search_text",
            )
        ),
        list(Attachment.objects.order_by("pk").values()),
    )  # fmt: skip


def test_demo_content_looks_real_and_loading_twice_changes_nothing(client):
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first

    items = NewsItem.objects.published()
    assert items.count() >= 31
    assert {"ru", "be", "en"} == set(items.values_list("language", flat=True))
    assert Category.objects.count() >= 4
    assert items.exclude(cover_image="").count() >= 10

    seed = NewsItem.objects.get(title=SEED_TITLE)
    assert seed.get_absolute_url() == (
        "/en/news/2012/11/09/"
        "belarus-leningrad-oblast-to-cooperate-in-construction-agriculture-high-technology/"
    )
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "9 November 2012" in page
    assert "BelTA" in page
    assert "To the list of news" in page
    assert "the Governor said.</p>" in page
    assert page.count("<p>") >= 8


def test_if_empty_leaves_an_existing_site_alone(make_item):
    make_item()
    call_command("load_demo", if_empty=True, verbosity=0)
    assert NewsItem.objects.count() == 1


def test_demo_admin_gets_a_new_password_each_run(django_user_model, capsys):
    call_command("create_demo_admin")
    first = capsys.readouterr().out
    call_command("create_demo_admin")
    second = capsys.readouterr().out
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert first != second
    password = second.split("password ")[1].strip().strip("'")
    assert admin.check_password(password)


def test_the_demo_admin_is_left_alone_on_a_database_with_other_administrators(
    django_user_model, capsys
):
    """`make run` in a shell with the production environment reset «admin» there."""
    django_user_model.objects.create_superuser("olga", password="a-long-test-password")
    admin = django_user_model.objects.create_user("admin", password="the-admins-own")

    call_command("create_demo_admin")

    assert "not the local demo" in capsys.readouterr().out
    admin.refresh_from_db()
    assert admin.check_password("the-admins-own") and not admin.is_superuser


def test_an_admin_account_the_command_did_not_make_is_left_alone(django_user_model, capsys):
    """The only superuser of a real site may be called «admin» (`createsuperuser`)."""
    admin = django_user_model.objects.create_superuser(
        "admin", "it@lepel.gov.by", password="the-admins-own"
    )

    call_command("create_demo_admin")

    assert "did not make" in capsys.readouterr().out
    admin.refresh_from_db()
    assert admin.check_password("the-admins-own")


def test_demo_content_has_attachments_and_responsive_images(client, settings):
    call_command("load_demo", verbosity=0)

    attachments = Attachment.objects.select_related("news_item")
    assert attachments.count() >= 5
    assert {"ru", "be", "en"} == {a.news_item.language for a in attachments}
    assert {"PDF", "TXT"} == {a.type_label for a in attachments}
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            assert detect_document_type(handle).content_type == attachment.content_type
        assert attachment.size == attachment.file.size > 0

    roads = NewsItem.objects.get(title="Утверждён график ремонта местных дорог на 2026 год")
    page = client.get(roads.get_absolute_url()).content.decode()
    scheme = roads.attachments.get(title="Схема ремонта местных дорог на 2026 год")
    assert f'href="{scheme.get_absolute_url()}" download>' in page
    assert "(PDF, " in page and "КБ)" in page
    download = client.get(scheme.get_absolute_url())
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    with_figures = NewsItem.objects.filter(body__contains="<figure")
    assert {"ru", "en"} <= set(with_figures.values_list("language", flat=True))
    for item in with_figures:
        assert 'srcset="/media/CACHE/images/news/body/demo/' in item.body
        assert 'width="1600" height="900"' in item.body
        page = client.get(item.get_absolute_url()).content.decode()
        assert "<figcaption>" in page and 'loading="lazy"' in page

    for item in NewsItem.objects.exclude(cover_image=""):
        assert (item.cover_image_width, item.cover_image_height) == (1200, 675)
        for entry in item.cover_srcset.split(", "):
            url = entry.split()[0]
            assert (settings.MEDIA_ROOT / url.removeprefix("/media/")).exists()


def test_demo_images_are_described_without_announcing_an_image():
    """
    «Иллюстрация: …» told screen readers' users, who hear "image" already, that
    it is one, and then described a photograph that is not there: the pictures
    are hills, fields and a sun in the section's colours.
    """
    call_command("load_demo", verbosity=0)
    seed = NewsItem.objects.get(title=SEED_TITLE)
    picture, drawn_earlier = seed.cover_image.name, seed.cover_image_alt
    # A site loaded with the earlier texts gets the new ones, and keeps its pictures.
    NewsItem.objects.filter(pk=seed.pk).update(
        cover_image_alt="Illustration: map outline of Belarus and Leningrad Oblast"
    )
    call_command("load_demo", verbosity=0)
    seed.refresh_from_db()
    assert seed.cover_image_alt == drawn_earlier
    assert seed.cover_image.name == picture

    alts = list(NewsItem.objects.exclude(cover_image="").values_list("cover_image_alt", flat=True))
    for item in NewsItem.objects.filter(body__contains="<img"):
        alts += re.findall(r'<img [^>]*alt="([^"]*)"', item.body)
    assert len(alts) >= 30
    for alt in alts:
        first_word = re.match(r"\w+", alt)[0].lower()
        assert first_word not in PLACEHOLDER_ALT_TEXTS | {"illustration"}, alt


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and trigrams exist only on PostgreSQL"
)
def test_the_demo_cooperation_item_is_found_by_another_form_and_with_a_typo(client):
    call_command("load_demo", verbosity=0)
    title = "Перспективы сотрудничества с предприятиями Витебской области обсудили в Лепеле"
    for query in ("сотрудничество", "сотрудничиство"):
        response = client.get("/ru/news/search/", {"q": query})
        assert [item.title for item in response.context["results"]][:1] == [title]


@pytest.mark.parametrize(
    ("given", "answered"),
    [
        ({}, {"192.0.2.10", "127.0.0.1", "localhost"}),
        ({"DJANGO_ALLOWED_HOSTS": "portal.example.by"}, {"portal.example.by"}),
    ],
)
def test_make_run_answers_at_the_address_it_prints(tmp_path, given, answered):
    """`make run HOST=192.0.2.10` printed http://192.0.2.10:8000/, which answered 400."""
    if shutil.which("make") is None:
        missing("make is not installed")
    shutil.copy(BASE_DIR / "Makefile", tmp_path)
    (tmp_path / "static").mkdir()
    # Everything `run` needs is there already; python and gunicorn are stand-ins.
    stamps = ["requirements.txt", "venv/bin/python", "venv/bin/gunicorn", "venv/.runtime",
              "data/secret_key", "data/static/staticfiles.json"]  # fmt: skip
    for age, name in enumerate(reversed(stamps)):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        os.utime(path, (1_700_000_000 - age, 1_700_000_000 - age))
    (tmp_path / "venv/bin/gunicorn").write_text('#!/bin/sh\necho "hosts=$DJANGO_ALLOWED_HOSTS"\n')
    for name in ("python", "gunicorn"):
        (tmp_path / "venv/bin" / name).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOWED_HOSTS"}
    result = subprocess.run(
        ["make", "run", "VENV=venv", "HOST=192.0.2.10", "PORT=8000", "STATIC_ROOT=data/static"],
        cwd=tmp_path, env={**env, **given}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The portal: http://192.0.2.10:8000/" in result.stdout
    hosts = re.search(r"^hosts=(.*)$", result.stdout, re.M)[1]
    assert set(hosts.split(",")) == answered
