import logging
import posixpath

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView
from django.views.static import serve

from news.attachments import ATTACHMENT_FOLDER
from news.withheld_images import WITHHELD_FOLDER
from news.workflow import works_on_news

from .context_processors import committee_name, site_name

logger = logging.getLogger(__name__)


class RobotsTxtView(TemplateView):
    """`robots.txt`: crawlers are welcome except in the admin and the editor's upload."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        staff_paths = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                staff_paths += [reverse("admin:index"), reverse("editor_image_upload")]
        return super().get_context_data(
            disallowed_paths=staff_paths,
            sitemap_url=self.request.build_absolute_uri(reverse("sitemap_index")),
            **kwargs,
        )


def csrf_failure(request, reason=""):
    """
    A form sent without its CSRF token (a page open for hours, cookies refused),
    answered as the site's own pages are, in the page's language. Django's page
    is English-only and its styles break the site's Content Security Policy.
    """
    return render(request, "403_csrf.html", status=403)


def _standalone_page(template_name: str) -> str:
    """
    The page of an error view, made as Django's are, without the request's
    context (see templates/standalone.html), with the committee's name passed in.
    """
    return loader.get_template(template_name).render(
        {"committee_name": committee_name(), "site_name": site_name()}
    )


@requires_csrf_token
def bad_request(request, exception):
    """Django's 400 view (a request too large, a foreign Host) in the site's design."""
    return HttpResponseBadRequest(_standalone_page("400.html"))


# When the 500 page itself cannot be made: the static files not collected (its
# stylesheet has no hashed name), a broken template. Django would let that
# error through to gunicorn, whose bare page is all readers would get.
PLAIN_SERVER_ERROR = """<!DOCTYPE html>
<html lang="ru"><meta charset="utf-8"><title>Ошибка сервера</title>
<main>
<h1>Ошибка сервера</h1>
<p>Страница не открылась из-за ошибки на сервере. Попробуйте позже.</p>
<p lang="be">Старонка не адкрылася з-за памылкі на серверы. Паспрабуйце пазней.</p>
<p lang="en">The page could not be shown because of a server error. Please try later.</p>
</main>
</html>
"""


@requires_csrf_token
def server_error(request):
    try:
        page = _standalone_page("500.html")
    except Exception:
        logger.exception("The 500 page could not be made; a plain one was sent")
        page = PLAIN_SERVER_ERROR
    return HttpResponseServerError(page)


def serve_media(request, path: str):
    """
    Uploads the web server did not find. The local demo serves all of them here,
    except attached documents, which only the download view sends (it checks
    their item), and the withheld folder itself. A withheld image
    (news/withheld_images.py) is sent at its own address to editors and
    publishers alone, so that the admin's editor still shows it; everyone else
    gets a 404. The path is
    compared as `serve` opens it: `news//attachments/…` is the same file. A path
    that climbs out of MEDIA_ROOT names no upload: `../media/withheld/…` would
    come back into it by its folder's name, and `withheld/../…` leave withheld/.
    """
    name = posixpath.normpath(path).lstrip("/")
    if name.split("/")[0] == ".." or name.startswith((ATTACHMENT_FOLDER, WITHHELD_FOLDER + "/")):
        raise Http404
    try:
        if settings.SERVE_MEDIA:
            try:
                return serve(request, name, document_root=settings.MEDIA_ROOT)
            except Http404:
                pass
        if not works_on_news(request.user):
            raise Http404
        response = serve(request, f"{WITHHELD_FOLDER}/{name}", document_root=settings.MEDIA_ROOT)
    except OSError:  # a name longer than the file system allows
        raise Http404 from None
    response["Cache-Control"] = "private, no-store"
    return response
