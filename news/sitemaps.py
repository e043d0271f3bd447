"""The sitemap: every published item in every language, the news lists and the sections."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse

from .models import Category, NewsItem


class NewsItemSitemap(Sitemap):
    """Each published item at its own language's address."""

    # Pages of 5,000 (the index lists them all) take about a second each to make
    # on 100,000 items; the protocol's largest, 50,000, took fourteen.
    limit = 5000

    def items(self):
        return (
            NewsItem.objects.published()
            .only("slug", "language", "published_at", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.last_modified

    def get_latest_lastmod(self):
        # Django's default would load every item to find the newest date.
        return self.items().aggregate(latest=Max(Greatest("published_at", "updated_at")))["latest"]


class TranslatedPagesSitemap(Sitemap):
    """
    Pages that exist in every language, each announcing the others as alternates.

    No x-default here: Django's would be the address without a language, while
    the pages' own `<head>` names the Russian version, as the site does.
    """

    i18n = True
    alternates = True


class NewsPagesSitemap(TranslatedPagesSitemap):
    def items(self):
        return ["home", "news:list"]

    def location(self, url_name):
        return reverse(url_name)


class CategorySitemap(TranslatedPagesSitemap):
    """Each section in the languages readers find its news in (an empty page is no page)."""

    def items(self):
        sections = Category.objects.all()
        for code in self._languages():
            sections = sections.with_news_flag(code, name=f"has_news_{code}")
        for section in sections:
            section.news_languages = [
                code for code in self._languages() if getattr(section, f"has_news_{code}")
            ]
        return [section for section in sections if section.news_languages]

    def get_languages_for_item(self, category):
        return category.news_languages

    def location(self, category):
        return reverse("news:category", args=[category.slug])


SITEMAPS = {
    "news": NewsItemSitemap,
    "pages": NewsPagesSitemap,
    "sections": CategorySitemap,
}
