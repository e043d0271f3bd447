"""What link previews and search engines read: title, description, canonical, OpenGraph, JSON-LD."""

import datetime
import importlib
import json
import re
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from news.renditions import share_rendition_name

pytestmark = pytest.mark.django_db


def head_of(response) -> str:
    return response.content.decode().split("</head>")[0]


def meta(head: str) -> dict[str, str]:
    """The <meta> name/property → content pairs (the last of repeated ones)."""
    return {
        key: unescape(value)
        for key, value in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', head)
    }


def canonical(head: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', head)[1]


def structured_data(head: str, kind: str = "NewsArticle") -> dict:
    """The page's one JSON-LD object of the schema.org type `kind`."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    (data,) = [data for data in map(json.loads, scripts) if data["@type"] == kind]
    return data


@pytest.fixture
def article(make_item, stored_image):
    return make_item(
        title="Belarus, Leningrad Oblast to cooperate",
        lead="MINSK, 9 November (BelTA) - Belarus and Leningrad Oblast intend to step up.",
        source="BelTA",
        language="en",
        published_at=datetime.datetime(2012, 11, 9, 12, 0, tzinfo=datetime.UTC),
        cover_image=stored_image("news/covers/map.png", size=(1200, 675)),
        cover_image_alt="Map of Belarus and Leningrad Oblast",
    )


class TestArticlePage:
    def test_has_title_description_and_absolute_canonical_url(self, client, article):
        head = head_of(client.get(article.get_absolute_url()))
        assert (
            "<title>Belarus, Leningrad Oblast to cooperate — Lepel District Executive Committee"
            "</title>" in head
        )
        assert meta(head)["description"] == article.lead
        assert canonical(head) == f"http://testserver{article.get_absolute_url()}"

    def test_canonical_url_is_the_items_own_address_however_it_was_reached(self, client, article):
        response = client.get("/en/news/2012/11/09/belarus-leningrad-oblast-to-cooperate/?utm=x")
        assert response.status_code == 200
        assert canonical(head_of(response)) == f"http://testserver{article.get_absolute_url()}"

    def test_another_spelling_of_the_date_leads_to_the_items_address(self, client, article):
        """One address per page: 2012/11/9 or 02012/011/09 would be more copies of it."""
        for date in ("2012/11/9", "02012/011/009"):
            response = client.get(f"/en/news/{date}/belarus-leningrad-oblast-to-cooperate/?utm=x")
            assert response.status_code == 301
            assert response["Location"] == f"{article.get_absolute_url()}?utm=x"

    def test_has_opengraph_article_metadata(self, client, article):
        tags = meta(head_of(client.get(article.get_absolute_url())))
        assert tags["og:type"] == "article"
        assert tags["og:title"] == article.title
        assert tags["og:description"] == article.lead
        assert tags["og:url"] == f"http://testserver{article.get_absolute_url()}"
        assert tags["og:image"] == f"http://testserver{article.share_image.url}"
        assert tags["og:image"].endswith(".jpg")
        assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "675"
        assert tags["og:image:alt"] == "Map of Belarus and Leningrad Oblast"
        assert tags["og:locale"] == "en_GB"
        assert tags["og:site_name"] == "Lepel District Executive Committee"
        assert tags["article:published_time"] == "2012-11-09T15:00:00+03:00"
        assert tags["article:section"] == "Economy"

    @pytest.mark.parametrize(
        "size, shared_size",
        [((6000, 4000), (1200, 800)), ((1000, 3000), (400, 1200)), ((600, 400), (600, 400))],
    )
    def test_link_previews_get_a_jpeg_at_most_1200_pixels_not_the_original(
        self, client, make_item, stored_image, settings, size, shared_size
    ):
        """A camera's 6000-pixel photo was the preview, which messengers fetch on a phone."""
        item = make_item(
            cover_image=stored_image("news/covers/camera.png", size=size), cover_image_alt="Поле"
        )
        head = head_of(client.get(item.get_absolute_url()))
        tags = meta(head)
        path = tags["og:image"].removeprefix("http://testserver")
        assert path != item.cover_image.url and path.startswith(settings.MEDIA_URL)
        with Image.open(settings.MEDIA_ROOT / path.removeprefix(settings.MEDIA_URL)) as shared:
            assert shared.format == "JPEG" and shared.size == shared_size
        assert (tags["og:image:width"], tags["og:image:height"]) == tuple(map(str, shared_size))
        assert structured_data(head)["image"] == [tags["og:image"]]

    def test_covers_saved_before_get_their_copy_from_a_migration(
        self, make_item, stored_image, settings
    ):
        migration = importlib.import_module("news.migrations.0016_share_copies_of_covers")
        shown = make_item(cover_image=stored_image("news/covers/a.png"), cover_image_alt="А")
        withheld = make_item(cover_image=stored_image("news/covers/b.png"), cover_image_alt="Б")
        lost = make_item(cover_image=stored_image("news/covers/c.png"), cover_image_alt="В")
        for item in (shown, withheld, lost):
            (settings.MEDIA_ROOT / share_rendition_name(item.cover_image.name)).unlink()
        (settings.MEDIA_ROOT / "withheld/news/covers").mkdir(parents=True)
        (settings.MEDIA_ROOT / "news/covers/b.png").rename(
            settings.MEDIA_ROOT / "withheld/news/covers/b.png"
        )
        (settings.MEDIA_ROOT / "news/covers/c.png").unlink()

        migration.make_share_copies(django_apps, None)
        assert (settings.MEDIA_ROOT / share_rendition_name("news/covers/a.png")).exists()
        for out_of_sight in ("news/covers/b.png", "news/covers/c.png"):
            assert not (settings.MEDIA_ROOT / share_rendition_name(out_of_sight)).exists()

    def test_a_withdrawn_page_is_no_languages_version_and_has_no_structured_data(
        self, client, make_item
    ):
        """Marked noindex, it still named its translation and described itself to search engines."""
        russian = make_item(title="Ярмарка", language="ru")
        english = make_item(
            title="Fair", language="en", translation_group=russian.translation_group
        )
        english.withdrawn_at, english.withdrawal_reason = timezone.now(), "Cancelled."
        english.save()
        head = head_of(client.get(english.get_absolute_url()))
        assert '<meta name="robots" content="noindex, nofollow">' in head
        assert "hreflang=" not in head and "og:locale:alternate" not in head
        assert "application/ld+json" not in head
        # The live translation no longer names it either.
        assert 'hreflang="en"' not in head_of(client.get(russian.get_absolute_url()))

    def test_search_engines_get_the_breadcrumbs(self, client, article):
        data = structured_data(head_of(client.get(article.get_absolute_url())), "BreadcrumbList")
        assert data == {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home",
                 "item": "http://testserver/en/"},
                {"@type": "ListItem", "position": 2, "name": "News",
                 "item": "http://testserver/en/news/"},
                {"@type": "ListItem", "position": 3, "name": "Economy",
                 "item": "http://testserver/en/news/category/economy/"},
                {"@type": "ListItem", "position": 4, "name": article.title,
                 "item": f"http://testserver{article.get_absolute_url()}"},
            ],
        }  # fmt: skip
        section = head_of(client.get("/ru/news/category/economy/"))
        names = [
            step["name"] for step in structured_data(section, "BreadcrumbList")["itemListElement"]
        ]
        assert names == ["Главная", "Новости", "Экономика"]

    def test_long_leads_are_shortened_for_the_description(self, client, make_item):
        item = make_item(lead="Очень длинное краткое содержание. " * 20)
        tags = meta(head_of(client.get(item.get_absolute_url())))
        assert len(tags["description"]) <= 200 and tags["description"].endswith("…")

    def test_has_a_newsarticle_in_json_ld(self, client, article, settings):
        settings.PORTAL_COMMITTEE_NAME = "Лепельский районный исполнительный комитет"
        data = structured_data(head_of(client.get(article.get_absolute_url())))
        url = f"http://testserver{article.get_absolute_url()}"
        assert data == {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": url,
            "url": url,
            "headline": article.title,
            "description": article.lead,
            "datePublished": "2012-11-09T15:00:00+03:00",
            "dateModified": data["dateModified"],
            "inLanguage": "en",
            "articleSection": "Economy",
            "image": [f"http://testserver{article.share_image.url}"],
            "author": {"@type": "Organization", "name": "BelTA"},
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": "Лепельский районный исполнительный комитет",
                "url": "http://testserver/en/",
                "logo": {
                    "@type": "ImageObject",
                    "url": "http://testserver/apple-touch-icon.png",
                    "width": 180,
                    "height": 180,
                },
            },
        }
        modified = datetime.datetime.fromisoformat(data["dateModified"])
        assert abs(modified - article.updated_at) < datetime.timedelta(seconds=1)

    def test_without_a_source_the_committee_is_the_author_and_without_a_cover_no_image(
        self, client, make_item
    ):
        item = make_item()
        head = head_of(client.get(item.get_absolute_url()))
        data = structured_data(head)
        assert data["author"] == data["publisher"]
        assert "image" not in data
        # Link previews get the emblem's card.
        tags = meta(head)
        assert tags["og:image"] == "http://testserver/share-card.png"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert client.get("/share-card.png").status_code == 200

    def test_json_ld_cannot_be_broken_out_of_by_the_text(self, client, make_item):
        title = '</script><script>alert("x")</script> & <!-- «цитата»'
        item = make_item(title=title, lead="</SCRIPT> lead")
        head = head_of(client.get(item.get_absolute_url()))
        assert "<script>alert" not in head
        assert head.count("</script>") == 2  # the article's and its breadcrumbs'
        assert structured_data(head, "BreadcrumbList")["itemListElement"][-1]["name"] == title
        data = structured_data(head)
        assert data["headline"] == title
        assert data["description"] == "</SCRIPT> lead"

    def test_drafts_previewed_by_staff_are_not_indexed(self, staff_client, make_item):
        draft = make_item(is_published=False)
        head = head_of(staff_client.get(draft.get_absolute_url()))
        assert meta(head)["robots"] == "noindex, nofollow"


class TestOtherPages:
    @pytest.mark.parametrize(
        ("url", "title", "description"),
        [
            ("/en/", "Lepel District Executive Committee", "news and announcements."),
            ("/en/news/", "News", "all news, newest first."),
            ("/en/news/category/economy/", "Economy", "news of the section “Economy”."),
            ("/en/news/archive/2024/", "News archive: 2024", "news and announcements."),
        ],
    )
    def test_are_websites_for_opengraph_with_their_own_title_and_canonical_url(
        self, client, make_item, url, title, description
    ):
        make_item(
            language="en", published_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)
        )
        head = head_of(client.get(url))
        tags = meta(head)
        assert tags["og:type"] == "website"
        assert tags["og:title"] == title
        assert tags["og:url"] == canonical(head) == f"http://testserver{url}"
        assert tags["og:locale"] == "en_GB"
        assert tags["description"] == tags["og:description"]
        assert tags["description"] == f"Lepel District Executive Committee: {description}"
        assert "NewsArticle" not in head

    def test_a_sections_description_names_it_in_the_pages_language(self, client, make_item):
        make_item(language="be")
        tags = meta(head_of(client.get("/be/news/category/economy/")))
        committee = "Лепельскі раённы выканаўчы камітэт"
        assert tags["description"] == f"{committee}: навіны раздзела «Эканоміка»."

    def test_a_later_page_of_a_list_is_its_own_canonical_page(self, client, make_item):
        for _ in range(11):
            make_item()
        assert canonical(head_of(client.get("/be/news/"))) == "http://testserver/be/news/"
        head = head_of(client.get("/ru/news/?page=2&utm_source=x"))
        assert canonical(head) == "http://testserver/ru/news/?page=2"

    @pytest.mark.parametrize(("language", "locale"), [("ru", "ru_RU"), ("be", "be_BY")])
    def test_opengraph_locale_follows_the_pages_language(self, client, db, language, locale):
        tags = meta(head_of(client.get(f"/{language}/news/")))
        assert tags["og:locale"] == locale


def test_ld_json_filter_escapes_what_could_end_the_element():
    html = Template("{% load seo %}{{ data|ld_json }}").render(
        Context({"data": {"text": "</script><b>&"}})
    )
    assert html == (
        '<script type="application/ld+json">'
        '{"text": "\\u003C/script\\u003E\\u003Cb\\u003E\\u0026"}</script>'
    )
