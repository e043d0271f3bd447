import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from news.models import Category, NewsItem, SearchWord
from news.search import document_text, vocabulary

pytestmark = pytest.mark.django_db


class TestGenerateNews:
    def test_makes_varied_searchable_items_in_batches(self, client, capsys):
        call_command("generate_news", count=45, batch_size=20)
        assert "Generated 45 news items." in capsys.readouterr().out

        items = NewsItem.objects.all()
        assert items.count() == 45
        assert set(items.values_list("language", flat=True)) == {"ru", "be", "en"}
        assert Category.objects.count() == 6
        assert items.values("category").distinct().count() >= 4
        assert items.values("title").distinct().count() >= 40
        dates = sorted(items.values_list("published_at", flat=True))
        assert (dates[-1] - dates[0]).days > 365 * 5
        known = set(SearchWord.objects.values_list("language", "word"))
        for item in items:
            assert item.search_text == document_text(item.title, item.lead, item.body)
            assert item.body.startswith("<p>") and len(item.body) > 200
            assert {(item.language, word) for word in vocabulary(item.search_text)} <= known
        if connection.vendor == "postgresql":
            assert not items.filter(search_vector__isnull=True).exists()

        russian = items.filter(language="ru", is_published=True).first()
        word = russian.title.split()[0]
        response = client.get("/ru/news/search/", {"q": word})
        assert russian in response.context["paginator"].object_list

    def test_half_the_items_reuse_the_covers_of_their_language(self, make_item):
        cover = {
            "cover_image": "news/covers/lake.jpg",
            "cover_image_width": 1600,
            "cover_image_height": 900,
            "cover_image_alt": "Озеро на рассвете",
        }
        illustrated = make_item(language="ru")
        NewsItem.objects.filter(pk=illustrated.pk).update(**cover)  # no file is read
        call_command("generate_news", count=200, verbosity=0)

        generated = NewsItem.objects.exclude(pk=illustrated.pk)
        russian = generated.filter(language="ru")
        with_cover = russian.exclude(cover_image="")
        assert 0.35 < with_cover.count() / russian.count() < 0.65
        assert set(with_cover.values_list(*cover)) == {tuple(cover.values())}
        assert not generated.exclude(language="ru").exclude(cover_image="").exists()

    def test_covers_are_only_images_readers_may_see(
        self, make_item, stored_image, settings, django_capture_on_commit_callbacks
    ):
        """An item withdrawn as published in error has its images withheld: no item reuses them."""
        withheld = "news/covers/fire.png"
        with django_capture_on_commit_callbacks(execute=True):
            existing = [
                make_item(
                    cover_image=stored_image("news/covers/lake.png"), cover_image_alt="Озеро"
                ),
                make_item(
                    cover_image=stored_image(withheld),
                    cover_image_alt="Пожар",
                    withdrawn_at=timezone.now(),
                    withdrawal_reason="Опубликовано по ошибке.",
                    withdrawn_in_error=True,
                ),
                # A draft showing it leaves it withheld.
                make_item(is_published=False, cover_image=withheld, cover_image_alt="Пожар"),
            ]
        assert not (settings.MEDIA_ROOT / withheld).exists()

        call_command("generate_news", count=200, verbosity=0)

        generated = NewsItem.objects.exclude(pk__in=[item.pk for item in existing])
        covers = set(generated.exclude(cover_image="").values_list("cover_image", flat=True))
        assert covers == {"news/covers/lake.png"}
        assert all((settings.MEDIA_ROOT / cover).exists() for cover in covers)

    def test_runs_again_without_clashing_slugs_and_reuses_the_sections(self):
        call_command("generate_news", count=10, verbosity=0)
        call_command("generate_news", count=10, verbosity=0)
        assert NewsItem.objects.count() == 20
        assert Category.objects.count() == 6

    @pytest.mark.parametrize("count", [0, -5])
    def test_refuses_a_count_that_is_not_positive(self, count):
        with pytest.raises(CommandError):
            call_command("generate_news", count=count)


def test_rebuild_search_repairs_text_changed_past_save(make_item, capsys):
    item = make_item(title="Уборка урожая")
    untouched = make_item(title="Ярмарка")
    NewsItem.objects.filter(pk=item.pk).update(title="Сев завершён")

    call_command("rebuild_search", batch_size=1)
    assert "1 items changed" in capsys.readouterr().out
    item.refresh_from_db()
    assert item.search_text.startswith("сев завершен\n")
    assert list(NewsItem.objects.search("сев", "ru")) == [item]
    assert untouched.search_text == NewsItem.objects.get(pk=untouched.pk).search_text


def test_rebuild_search_makes_the_vocabulary_of_the_items_words_alone(make_item, capsys):
    item = make_item(title="Уборка урожая")
    make_item(title="Harvest is over", language="en")
    NewsItem.objects.filter(pk=item.pk).update(title="Сев завершён")
    SearchWord.objects.create(language="ru", word="устаревшее")

    call_command("rebuild_search", batch_size=1)
    known = set(SearchWord.objects.values_list("language", "word"))
    assert {("ru", "сев"), ("ru", "завершен"), ("en", "harvest")} <= known
    assert not {("ru", "устаревшее"), ("ru", "уборка")} & known
    assert f"{len(known)} words known" in capsys.readouterr().out


@pytest.mark.parametrize("batch_size", [0, -5])
def test_rebuild_search_refuses_a_batch_size_that_is_not_positive(batch_size):
    with pytest.raises(CommandError, match="must be positive"):
        call_command("rebuild_search", batch_size=batch_size)
