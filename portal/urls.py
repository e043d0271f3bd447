from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from news.views import HomeView, editor_image_upload
from portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("editor/images/", editor_image_upload, name="editor_image_upload"),
]

urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("news/", include("news.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    # The local demo serves uploads itself; production leaves them to the web server.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
