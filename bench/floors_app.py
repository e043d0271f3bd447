"""
The portal as bench/floors.py serves it: the site as it is, plus views that
do part of an article's work, each at /bench/floor/<part>/ followed by the
article's path, e.g. /bench/floor/unrendered/ru/news/2026/05/19/some-slug/.

- `row`: the article's row, read with one SQL query, and the article's page
  as it was rendered first, without rendering it again;
- `unrendered`: the article's view (its item, neighbours, translations,
  breadcrumbs and metadata, through the ORM), and then the page as it was
  rendered first instead of rendering it;
- `rendered`: the article's templates rendered for each request (context
  processors included) from the context its view made once.

bench/floors.py serves it with the page cache off; nothing else differs from the site.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()  # sets Django up before the imports below

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import clear_url_caches, path, resolve  # noqa: E402
from django.utils import translation  # noqa: E402

import portal.urls  # noqa: E402
from news.models import NewsItem  # noqa: E402

pages: dict[str, bytes] = {}  # the article's HTML, per path, as rendered first
contexts: dict[str, tuple] = {}  # what its view made once: (template names, context)


def article(request, path: str):
    """The article's view and arguments, and its page as first rendered."""
    translation.activate(path.split("/", 1)[0])  # the page's language, as on /ru/news/…
    request.path = request.path_info = f"/{path}"  # the view redirects other addresses
    match = resolve(f"/{path}")
    if path not in pages:
        pages[path] = match.func(request, *match.args, **match.kwargs).render().content
    return match, pages[path]


def row(request, path: str):
    match, page = article(request, path)
    table = connection.ops.quote_name(NewsItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {table} WHERE slug = %s AND language = %s",
            [match.kwargs["slug"], translation.get_language()],
        )
        cursor.fetchall()
    return HttpResponse(page)


def unrendered(request, path: str):
    match, page = article(request, path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        return response
    return HttpResponse(page)


def rendered(request, path: str):
    match, _page = article(request, path)
    if path not in contexts:
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        view.object = view.get_object()
        contexts[path] = (view.get_template_names(), view.get_context_data(object=view.object))
    template_names, context = contexts[path]
    return TemplateResponse(request, template_names, context)


portal.urls.urlpatterns[:0] = [
    path(f"bench/floor/{view.__name__}/<path:path>", view) for view in (row, unrendered, rendered)
]
clear_url_caches()
