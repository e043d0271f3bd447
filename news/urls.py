from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.NewsListView.as_view(), name="list"),
    path(
        "<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.NewsDetailView.as_view(),
        name="detail",
    ),
    path("search/", views.NewsSearchView.as_view(), name="search"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
