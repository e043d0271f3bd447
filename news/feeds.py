"""RSS 2.0 and Atom feeds of the news, for all sections and for each, in the page's language."""

import copy
import datetime

from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.translation import gettext as _

from portal.context_processors import committee_name

from .models import Category, NewsItem
from .renditions import Rendition, rendition_names

FEED_ITEM_COUNT = 20
# Feed readers get an item's cover as wide as the article shows it (44rem): a
# WebP copy of some tens of kilobytes, where the original may weigh megabytes.
ENCLOSURE_WIDTH = 800


class LatestNewsFeed(Feed):
    """The latest published news in the language of the address (`/ru/…`, `/be/…`, `/en/…`)."""

    # An item's address holds its date, which a publisher may move after it is
    # published: readers know an item by a name that stays (see `item_guid`).
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        # Guids and enclosures need the request's host, which Django passes to
        # no item method. This view is one object for all requests (and
        # threads): each request gets a copy that knows its own.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self):
        return _("News — %(committee)s") % {"committee": committee_name()}

    def link(self):
        return reverse("news:list")

    def description(self):
        return _("%(committee)s: the latest news and announcements.") % {
            "committee": committee_name()
        }

    def author_name(self):
        # Atom requires an author (RFC 4287); RSS names one only with an e-mail address.
        return str(committee_name())

    def items(self):
        return self.published()[:FEED_ITEM_COUNT]

    def published(self):
        return NewsItem.objects.published().in_language().for_pages(body=False)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers take a description (RSS) or summary (Atom's type="html")
        # for HTML: the lead is plain text, and «<больше>» in it is not a tag.
        return escape(item.lead)

    # Times in the committee's time zone (+03:00), as the pages give them.

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.last_modified)

    def item_categories(self, item):
        return [item.category.localized_name]

    def item_guid(self, item):
        """
        A tag URI (RFC 4151) of the site's host, the day the item was made and
        its number: it stays when the item's date, and so its address, changes,
        and readers do not show the item twice.
        """
        host, _port = split_domain_port(self.request.get_host())
        made_on = item.created_at.astimezone(datetime.UTC).date()
        return f"tag:{host},{made_on.isoformat()}:news/{item.pk}"

    def item_enclosures(self, item):
        """
        The cover, as its rendition `ENCLOSURE_WIDTH` wide. Its length is the
        file's: one look at the disk per cover, none at the database. A copy
        missing on disk is left out rather than announced.
        """
        if not item.cover_image:
            return []
        name = rendition_names(item.cover_image.name)[ENCLOSURE_WIDTH]
        try:
            length = default_storage.size(name)
        except OSError:
            return []
        url = self.request.build_absolute_uri(default_storage.url(name))
        return [Enclosure(url=url, length=str(length), mime_type=Rendition.mime_type)]


class CategoryNewsFeed(LatestNewsFeed):
    """The latest published news of one section."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return _("%(category)s — News — %(committee)s") % {
            "category": category.localized_name,
            "committee": committee_name(),
        }

    def link(self, category):
        return reverse("news:category", args=[category.slug])

    def description(self, category):
        return _("The latest news of the section “%(category)s”.") % {
            "category": category.localized_name
        }

    def items(self, category):
        return self.published().filter(category=category)[:FEED_ITEM_COUNT]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description


class CategoryNewsAtomFeed(CategoryNewsFeed):
    feed_type = Atom1Feed
    subtitle = CategoryNewsFeed.description
