import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.models import NewsItem

pytestmark = pytest.mark.django_db


def test_published_shows_only_published_items_whose_time_has_come(make_item):
    live = make_item()
    make_item(is_published=False)
    make_item(published_at=timezone.now() + datetime.timedelta(hours=1))

    assert list(NewsItem.objects.published()) == [live]


def test_scheduled_item_appears_when_its_time_comes(make_item, monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(days=1)
    scheduled = make_item(published_at=publish_at)
    assert scheduled.is_scheduled and not scheduled.is_live
    assert scheduled not in NewsItem.objects.published()

    later = publish_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert scheduled in NewsItem.objects.published()
    assert scheduled.is_live


def test_in_language_filters_by_language(make_item):
    russian, english = make_item(language="ru"), make_item(language="en")
    assert list(NewsItem.objects.in_language("en")) == [english]
    assert list(NewsItem.objects.in_language("ru")) == [russian]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Belarus, Leningrad Oblast to cooperate in construction, agriculture, high technology",
            "belarus-leningrad-oblast-to-cooperate-in-construction-agriculture-high-technology",
        ),
        (
            "Беларусь и Ленинградская область: сотрудничество",
            "belarus-i-leningradskaia-oblast-sotrudnichestvo",
        ),
        ("Лепельскі раён рыхтуецца да зімы", "lepelski-raen-rykhtuetstsa-da-zimy"),
        ("Ёлка в центре Лепеля", "elka-v-tsentre-lepelia"),
        # The apostrophe is dropped, whichever is typed.
        ("Сям'я і школа", "siamia-i-shkola"),
        ("Сям’я і школа", "siamia-i-shkola"),
        ("Сямʼя і школа", "siamia-i-shkola"),
        ("Об'ём работ", "obem-rabot"),
        ("!!!", "news"),
    ],
)
def test_slug_is_made_readable_from_the_title(make_item, title, slug):
    assert make_item(title=title).slug == slug


def test_slugs_are_unique_per_language(make_item):
    first = make_item(title="Отопительный сезон")
    second = make_item(title="Отопительный сезон")
    english = make_item(title="Отопительный сезон", language="en")

    assert first.slug == "otopitelnyi-sezon"
    assert second.slug == "otopitelnyi-sezon-2"
    assert english.slug == "otopitelnyi-sezon"


def test_slug_is_kept_when_the_title_changes(make_item):
    item = make_item(title="Первое название")
    item.title = "Второе название"
    item.save()
    assert item.slug == "pervoe-nazvanie"


def test_body_is_sanitized_on_every_save(make_item):
    item = make_item(body="<p>Текст</p><script>alert(1)</script>")
    assert item.body == "<p>Текст</p>"

    NewsItem.objects.filter(pk=item.pk).update(body="<img src=x onerror=alert(1)>")
    item.refresh_from_db()
    item.save()
    assert item.body == '<img src="x">'


def test_cover_image_requires_alt_text(make_item, stored_image):
    item = make_item()
    item.cover_image = stored_image()
    item.cover_image_alt = "  "
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "cover_image_alt" in error.value.message_dict


def test_absolute_url_uses_the_local_date_and_the_items_language(make_item):
    # 23:30 UTC on 8 November is 02:30 on 9 November in Minsk.
    item = make_item(
        title="Belarus and Leningrad Oblast",
        language="en",
        published_at=datetime.datetime(2012, 11, 8, 23, 30, tzinfo=datetime.UTC),
    )
    assert item.get_absolute_url() == "/en/news/2012/11/09/belarus-and-leningrad-oblast/"
