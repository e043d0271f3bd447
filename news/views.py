import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from portal.context_processors import build_language_links

from .images import clean_image
from .models import NewsItem

HOME_NEWS_COUNT = 7


class PublishedNewsMixin:
    """Readers see published items in the page's language; staff may preview the rest."""

    def get_queryset(self):
        items = NewsItem.objects.in_language().select_related("category")
        if self.allow_preview and self.request.user.is_staff:
            return items
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

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        try:
            url_date = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except (ValueError, OverflowError):  # e.g. 2024/02/31, or a 30-digit year
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
