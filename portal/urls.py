from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from news.sitemaps import SITEMAPS
from news.views import HomeView, editor_image_upload
from portal.context_processors import committee_name
from portal.health import healthz
from portal.page_cache import public_page

from .bench import bare_view
from .views import RobotsTxtView, serve_media

# The committee's, not Django's: staff see whose site they manage. Read when
# shown, not when this module is first imported (tests change the setting).
admin.site.site_header = lazy(committee_name, str)()
admin.site.site_title = _("Website administration")
admin.site.index_title = _("Content and settings")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", RobotsTxtView.as_view(), name="robots_txt"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, "p"),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", public_page(HomeView.as_view()), name="home"),
    path("news/", include("news.urls")),
    path("display/", include("accessibility.urls")),
    # In the admin's language, as the editor's refusals should be.
    path("editor/images/", editor_image_upload, name="editor_image_upload"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

if settings.PORTAL_BENCH_BARE_VIEW:
    # bench/run.py's upper bound: a fixed 20 KB page through the same middleware.
    urlpatterns += [path("bench/bare/", bare_view)]

# Uploads are the web server's to serve (deploy/nginx-portal.conf); what it does
# not find comes here: withheld images, for staff. The local demo serves them all.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]
