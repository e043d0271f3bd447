from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.NewsListView.as_view(), name="list"),
    path("feed/rss/", feeds.LatestNewsFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestNewsAtomFeed(), name="feed_atom"),
    path("category/<slug:slug>/", views.CategoryNewsView.as_view(), name="category"),
    path("category/<slug:slug>/feed/rss/", feeds.CategoryNewsFeed(), name="category_feed_rss"),
    path(
        "category/<slug:slug>/feed/atom/",
        feeds.CategoryNewsAtomFeed(),
        name="category_feed_atom",
    ),
    path("archive/<int:year>/", views.NewsYearArchiveView.as_view(), name="archive_year"),
    path(
        "archive/<int:year>/<int:month>/",
        views.NewsMonthArchiveView.as_view(),
        name="archive_month",
    ),
    path(
        "<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.NewsDetailView.as_view(),
        name="detail",
    ),
    path("shared/<str:token>/", views.SharedPreviewView.as_view(), name="shared"),
    path("search/", views.NewsSearchView.as_view(), name="search"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
