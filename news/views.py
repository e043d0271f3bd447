import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from portal.context_processors import build_language_links

from .images import clean_image
from .models import NewsItem, ShareLink

HOME_NEWS_COUNT = 7


class PublishedNewsMixin:
    """Readers see published items in the page's language; staff may preview the rest."""

    def get_queryset(self):
        items = NewsItem.objects.in_language().select_related("category")
        if self.allow_preview and self.request.user.is_staff:
            return items
        return self.readers_items(items)

    def readers_items(self, items):
        return items.published()

    allow_preview = False


class HomeView(PublishedNewsMixin, TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest_news=self.get_queryset()[:HOME_NEWS_COUNT], **kwargs)


class NewsListView(PublishedNewsMixin, ListView):
    paginate_by = 10
    context_object_name = "news_items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


class NewsDetailView(PublishedNewsMixin, DetailView):
    allow_preview = True
    context_object_name = "item"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("corrections")

    def readers_items(self, items):
        # A withdrawn item leaves the lists but keeps its page, with a notice.
        return items.visible()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.withdrawn_in_error and not request.user.is_staff:
            return TemplateResponse(
                request, "news/newsitem_gone.html", {"item": self.object}, status=410
            )
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        try:
            url_date = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError:
            raise Http404 from None
        if timezone.localtime(item.published_at).date() != url_date:
            raise Http404
        return item

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            language_links=build_language_links(self._url_in_language), **kwargs
        )

    def _url_in_language(self, code: str) -> str:
        if code == self.object.language:
            return self.request.path
        with translation.override(code):
            return reverse("news:list")


@require_POST
def editor_image_upload(request):
    """CKEditor 5's image upload: staff only, real images only, stored without metadata."""
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse(
            {"error": {"message": _("Only staff members may upload images.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("No file was sent.")}}, status=400)
    try:
        image = clean_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    name = default_storage.save(f"news/body/{timezone.localdate():%Y/%m}/{image.name}", image)
    return JsonResponse({"url": default_storage.url(name)})


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
        if not self.link.is_active:
            response = TemplateResponse(request, "news/share_link_expired.html", status=410)
        else:
            response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            share_link=self.link,
            language_links=build_language_links(self._url_in_language),
            **kwargs,
        )

    def _url_in_language(self, code: str) -> str:
        if code == self.object.language:
            return self.request.path
        with translation.override(code):
            return reverse("home")
