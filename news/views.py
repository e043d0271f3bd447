import datetime
import logging
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import (
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    View,
    YearArchiveView,
)
from django.views.generic.detail import SingleObjectMixin

from portal.context_processors import build_language_links, committee_name
from portal.month_names import MONTHS_IN_TEXT
from portal.page_cache import cached_for_generation

from .forms import SearchForm
from .images import clean_image
from .models import Attachment, Category, NewsItem, ShareLink
from .renditions import BODY_IMAGE_PREFIX
from .search import (
    SEARCH_CANDIDATES,
    SearchTookTooLong,
    count_search,
    parse_query,
    snippet,
    time_limit,
)
from .workflow import works_on_news

logger = logging.getLogger(__name__)

HOME_NEWS_COUNT = 7


def news_list_url(language: str) -> str:
    with translation.override(language):
        return reverse("news:list")


def canonical_redirect(request, path: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect to the page's one address, keeping the query string."""
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


class Crumb(NamedTuple):
    label: str
    url: str
    lang: str = ""  # the label's language, where it is not the page's


def breadcrumbs(*trail: tuple) -> list[Crumb]:
    """Home › News › *trail, each step (label, url[, lang]); the last one is the page itself."""
    return [
        Crumb(_("Home"), reverse("home")),
        Crumb(_("News"), reverse("news:list")),
        *(Crumb(*step) for step in trail),
    ]


class PublishedNewsMixin:
    """Readers see published items in the page's language; staff may preview the rest."""

    def get_queryset(self):
        items = NewsItem.objects.in_language().for_pages(body=self.shows_body)
        if self.allow_preview and works_on_news(self.request.user):
            return items
        return self.readers_items(items)

    def readers_items(self, items):
        return items.published()

    allow_preview = False
    shows_body = False  # lists leave the bodies unread


class HomeView(PublishedNewsMixin, TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest_news=self.get_queryset()[:HOME_NEWS_COUNT], **kwargs)


class IndexPaginator(Paginator):
    """
    A paginator whose pages skip index entries, not rows, and as few as they can.

    Django's page is the list sliced with OFFSET, and PostgreSQL reads every
    row it skips: page 5,000 of a language's news took 190 ms at 100,000
    items. Here the slice only picks the page's ids, from the index alone (the
    partial indexes hold the ordering), and only those rows are read: 7 ms.
    A page in the list's older half is picked from the index's other end,
    the oldest first: the last page skips nothing (0.3 ms).
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            ids = self.object_list.reverse()[self.count - top : self.count - bottom]
        else:
            ids = self.object_list[bottom:top]
        page_items = self.object_list.filter(pk__in=ids.values("pk"))
        return self._get_page(page_items, number, self)


class NewsPagesMixin(PublishedNewsMixin):
    """Paginated lists of news, with the sections and the archive's years beside them."""

    paginate_by = 10
    paginator_class = IndexPaginator
    context_object_name = "news_items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number)
        # The sections readers find news of in this language, and the one shown.
        context["categories"] = [
            section
            for section in self.categories
            if section.has_news or section == kwargs.get("category")
        ]
        language = translation.get_language()
        context["archive_years"] = cached_for_generation(
            f"archive-years:{language}",
            NewsItem.objects.published().in_language(language).count_by_year,
        )
        return context

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        # Every page of one list has the same length: counted once per change.
        # The list is named by its view and arguments (however its address is spelled).
        match = self.request.resolver_match
        arguments = ",".join(f"{name}={value}" for name, value in sorted(match.kwargs.items()))
        paginator.count = cached_for_generation(
            f"count:{translation.get_language()}:{match.view_name}:{arguments}", queryset.count
        )
        return paginator

    @cached_property
    def categories(self) -> list[Category]:
        return list(Category.objects.with_news_flag())


class NewsListView(NewsPagesMixin, ListView):
    pass


class CategoryNewsView(NewsPagesMixin, ListView):
    """The news of one section."""

    template_name = "news/category_news.html"

    def get_queryset(self):
        # The sections are listed beside the news anyway: one query finds this one too.
        self.category = next(
            (category for category in self.categories if category.slug == self.kwargs["slug"]),
            None,
        )
        if self.category is None:
            raise Http404
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            breadcrumbs=breadcrumbs(
                (self.category.localized_name, self.request.path, self.category.name_lang)
            ),
            **kwargs,
        )


class NewsArchiveMixin(NewsPagesMixin):
    """
    The archive: published items of the page's language by year or month.

    Pages without items are 404, and so are dates Django cannot bound.
    """

    date_field = "published_at"
    month_format = "%m"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # or 404
        # 2024/3 and 02024/03 are 2024/03: one address per page (and per copy in the page cache).
        path = reverse(
            request.resolver_match.view_name,
            kwargs={name: f"{value:02d}" for name, value in self.kwargs.items()},
        )
        return response if request.path == path else canonical_redirect(request, path)

    def get_year(self):
        year = super().get_year()
        # The page is bounded by the next year, which the last year lacks.
        if int(year) >= datetime.MAXYEAR:
            raise Http404
        return year

    def archive_context(
        self, period: str, trail, url_name: str, in_text: str = "", **url_kwargs
    ) -> dict:
        """
        The page's title, breadcrumbs and the switch to the same period in other
        languages; `in_text` is the period as the title writes it, if not as alone.
        """

        def url_in(language: str) -> str:
            with translation.override(language):
                return reverse(url_name, kwargs=url_kwargs)

        lookups = {f"published_at__{name}": int(value) for name, value in url_kwargs.items()}
        # Which languages have news then: a scan of the whole period, made once per change.
        languages = cached_for_generation(
            "archive-languages:"
            + ",".join(f"{name}={int(value)}" for name, value in lookups.items()),
            lambda: set(
                NewsItem.objects.published()
                .filter(**lookups)
                .order_by()
                .values_list("language", flat=True)
                .distinct()
            ),
        )
        path = url_in(translation.get_language())
        return {
            "archive_title": _("News archive: %(period)s") % {"period": in_text or period},
            "breadcrumbs": breadcrumbs(*trail, (period, path)),
            "canonical_path": path,
            "language_links": build_language_links(
                lambda code: url_in(code) if code in languages else news_list_url(code),
                alternates=languages,
            ),
        }


class NewsYearArchiveView(NewsArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The year's months with their number of items (Django's list has the months alone)."""
        months = cached_for_generation(
            f"archive-months:{translation.get_language()}:{self.get_year()}",
            lambda: list(queryset.count_by_month()),
        )
        if not months and not self.get_allow_empty():
            raise Http404
        return months

    def get_context_data(self, **kwargs):
        year = kwargs["year"]
        return super().get_context_data(
            **self.archive_context(str(year.year), [], "news:archive_year", year=year.year),
            **kwargs,
        )


class NewsMonthArchiveView(NewsArchiveMixin, MonthArchiveView):
    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """None: the page lists no days, and Django's list of them is a query."""
        return None

    def get_context_data(self, **kwargs):
        month = kwargs["month"]
        year = (str(month.year), reverse("news:archive_year", kwargs={"year": month.year}))
        return super().get_context_data(
            **self.archive_context(
                formats.date_format(month, "F Y"),
                [year],
                "news:archive_month",
                in_text=f"{MONTHS_IN_TEXT[month.month]} {month.year}",
                year=month.year,
                month=f"{month:%m}",
            ),
            **kwargs,
        )


class NewsDetailView(PublishedNewsMixin, DetailView):
    allow_preview = True
    shows_body = True
    context_object_name = "item"

    def get_queryset(self):
        return super().get_queryset().with_appendix_flags()

    def readers_items(self, items):
        # A withdrawn item leaves the lists but keeps its page, with a notice.
        return items.visible()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.path != self.object.get_absolute_url():
            # Its publication date changed after this address was given out (the
            # slug cannot change), or the date is spelled otherwise (2024/5/09):
            # links keep working, and the page has one address (and one copy in
            # the page cache).
            return canonical_redirect(request, self.object.get_absolute_url())
        if self.object.withdrawn_in_error and not works_on_news(request.user):
            # Its translations may stand; this page leads to each language's news.
            context = {
                "item": self.object,
                "language_links": build_language_links(news_list_url, alternates=()),
            }
            return TemplateResponse(request, "news/newsitem_gone.html", context, status=410)
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["Last-Modified"] = http_date(self.object.last_modified.timestamp())
        return response

    def get_object(self, queryset=None):
        try:
            datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except (ValueError, OverflowError):  # e.g. 2024/02/31, or a 30-digit year
            raise Http404 from None
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        item, path = self.object, self.object.get_absolute_url()
        related = item.related_items()
        # The newest published version per language, should a language have two.
        versions = {
            version.language: version.get_absolute_url() for version in related.translations
        }
        versions[item.language] = path
        category = item.category
        # A page search engines are told not to index (withdrawn, staff's preview)
        # is announced as no language's version and carries no structured data.
        indexed = item.is_live
        return super().get_context_data(
            language_links=build_language_links(
                lambda code: versions.get(code) or news_list_url(code),
                alternates=versions if indexed else (),
            ),
            canonical_path=path,
            breadcrumbs=breadcrumbs(
                (
                    category.localized_name,
                    reverse("news:category", args=[category.slug]),
                    category.name_lang,
                ),
                (item.title, path),
            ),
            previous_item=related.previous,
            next_item=related.next,
            corrections=item.corrections.all() if item.has_corrections else [],
            attachments=item.attachments.all() if item.has_attachments else [],
            structured_data=self.structured_data() if indexed else None,
            noindex=not indexed,
            **kwargs,
        )

    def structured_data(self) -> dict:
        """The item as a schema.org `NewsArticle`, for search engines (JSON-LD)."""
        item, absolute = self.object, self.request.build_absolute_uri
        url = absolute(item.get_absolute_url())
        publisher = {
            "@type": "GovernmentOrganization",
            "name": str(committee_name()),
            "url": absolute(reverse("home")),
            # A raster logo, as search engines ask: the emblem's touch icon (180 pixels).
            "logo": {
                "@type": "ImageObject",
                "url": absolute("/apple-touch-icon.png"),
                "width": 180,
                "height": 180,
            },
        }
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": url,
            "url": url,
            "headline": item.title,
            "description": item.lead,
            "datePublished": timezone.localtime(item.published_at).isoformat("T", "seconds"),
            "dateModified": timezone.localtime(item.last_modified).isoformat("T", "seconds"),
            "inLanguage": item.language,
            "articleSection": item.category.localized_name,
            "author": {"@type": "Organization", "name": item.source} if item.source else publisher,
            "publisher": publisher,
        }
        if item.cover_image:
            data["image"] = [absolute(item.share_image.url)]
        return data


@require_POST
def editor_image_upload(request):
    """CKEditor 5's image upload: for writers of news, real images only, stored without metadata."""
    if not request.user.is_authenticated:  # logged out in another tab, or the session expired
        return JsonResponse(
            {
                "error": {
                    "message": _(
                        "Your session has ended. Log in again in another tab of the browser, "
                        "then upload the image again. Do not save this form before that: "
                        "its changes would be lost."
                    )
                }
            },
            status=403,
        )
    if not (works_on_news(request.user) and request.user.has_perm("news.change_newsitem")):
        return JsonResponse(
            {"error": {"message": _("Only editors and publishers may upload images.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("No file was sent.")}}, status=400)
    try:
        image = clean_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    folder = f"{BODY_IMAGE_PREFIX}{timezone.localdate():%Y/%m}"
    name = default_storage.save(f"{folder}/{image.name}", image)
    return JsonResponse({"url": default_storage.url(name)})


def kept_private(response):
    """A share link's answer: never indexed, never cached, never passed on as a referrer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


class SharedPreviewView(DetailView):
    """
    A draft shown read-only to a person without an account, through a share
    link a publisher made. Never indexed, never cached, never passed on as a referrer.
    """

    template_name = "news/newsitem_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        try:
            self.link = ShareLink.from_token(self.kwargs["token"])
        except ShareLink.DoesNotExist:
            raise Http404 from None
        return self.link.item

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.link.is_active or self.object.withdrawn_in_error:
            response = TemplateResponse(request, "news/share_link_expired.html", status=410)
        elif self.object.is_live or self.object.is_withdrawn:
            # Published meanwhile: the preview is the item's own page now.
            response = HttpResponseRedirect(self.object.get_absolute_url())
        else:
            response = self.render_to_response(self.get_context_data(object=self.object))
        return kept_private(response)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            share_link=self.link,
            noindex=True,
            # A draft, shown to whoever has the link: no page in any language yet.
            language_links=build_language_links(self._url_in_language, alternates=()),
            corrections=self.object.corrections.all(),
            attachments=self.object.attachments.all(),
            **kwargs,
        )

    def _url_in_language(self, code: str) -> str:
        if code == self.object.language:
            return self.request.path
        with translation.override(code):
            return reverse("home")


class NewsSearchView(ListView):
    """Search results among the published news of the page's language (see news/search.py)."""

    template_name = "news/search.html"
    context_object_name = "results"
    paginate_by = 10

    def get(self, request, *args, **kwargs):
        """
        Search, unless the visitor's address has searched too often this minute
        (429) or PostgreSQL stops the search for taking too long (the page says
        so, with 200: the same words would take as long again, so "try later"
        would not help, and Django would log a 5xx as a server error). The form,
        a form error or a query without words costs nothing and is not counted;
        staff are not counted.
        """
        self.form = SearchForm(request.GET if "q" in request.GET else None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        self.searching = bool(parse_query(self.query))
        self.retry_after = 0
        self.timed_out = False
        if not self.searching:
            return super().get(request, *args, **kwargs)
        if not request.user.is_staff:
            self.retry_after = count_search(request)
        if self.retry_after:
            self.searching = False
            response = super().get(request, *args, **kwargs)
            response.status_code = 429
            response["Retry-After"] = str(self.retry_after)
            add_never_cache_headers(response)
            return response
        try:
            with time_limit(NewsItem.objects.db):
                # The results are read here, by the paginator, before the page is rendered.
                return super().get(request, *args, **kwargs)
        except SearchTookTooLong:
            logger.warning("A search took too long and was stopped: %r", self.query)
            self.searching, self.timed_out = False, True
            response = super().get(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

    def get_queryset(self):
        if not self.searching:
            return NewsItem.objects.none()
        return NewsItem.objects.published().for_pages().search(self.query)

    def paginate_queryset(self, queryset, page_size):
        if self.retry_after or self.timed_out:
            # No results, whichever page was asked for: the page says why.
            paginator = self.get_paginator(queryset, page_size)
            return paginator, paginator.page(1), [], False
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for item in context["results"]:
            item.snippet = snippet(item, self.query)
        page, terms = context["page_obj"], parse_query(self.query)
        return {
            **context,
            "form": self.form,
            "query": self.query,
            "has_search_words": bool(terms),
            "only_left_out_words": bool(terms.exclude) and not terms,
            "rate_limited": bool(self.retry_after),
            "timed_out": self.timed_out,
            "corrected": getattr(self.object_list, "corrected", False),
            "result_limit": SEARCH_CANDIDATES,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "language_links": build_language_links(self.search_url),
        }

    def search_url(self, language: str) -> str:
        """The search page in `language`, for the same query: the switch keeps it."""
        with translation.override(language):
            url = reverse("news:search")
        return f"{url}?{urlencode({'q': self.query})}" if self.query else url


class AttachmentDownloadView(SingleObjectMixin, View):
    """
    A document attached to an item readers can open (staff may fetch any), sent as a
    download with its type and a file name made from its title, whatever serves media.
    """

    def get_queryset(self):
        attachments = Attachment.objects.all()
        if works_on_news(self.request.user):
            return attachments
        # Documents follow their item's page: withdrawn items keep theirs, with the
        # notice; an item published in error, whose page is gone, takes them along.
        return attachments.filter(
            news_item__in=NewsItem.objects.visible().filter(withdrawn_in_error=False)
        )

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.download_name,
            content_type=attachment.content_type,
        )


class SharedAttachmentView(AttachmentDownloadView):
    """A document of a draft shown through a share link, while the link works."""

    def get_queryset(self):
        try:
            link = ShareLink.from_token(self.kwargs["token"])
        except ShareLink.DoesNotExist:
            raise Http404 from None
        if not link.is_active or link.item.withdrawn_in_error:
            raise Http404
        return link.item.attachments.all()

    def get(self, request, *args, **kwargs):
        return kept_private(super().get(request, *args, **kwargs))
