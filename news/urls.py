from django.urls import path

from portal.page_cache import public_page

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", public_page(views.NewsListView.as_view(), "page"), name="list"),
    path("feed/rss/", public_page(feeds.LatestNewsFeed()), name="feed_rss"),
    path("feed/atom/", public_page(feeds.LatestNewsAtomFeed()), name="feed_atom"),
    path(
        "category/<slug:slug>/",
        public_page(views.CategoryNewsView.as_view(), "page"),
        name="category",
    ),
    path(
        "category/<slug:slug>/feed/rss/",
        public_page(feeds.CategoryNewsFeed()),
        name="category_feed_rss",
    ),
    path(
        "category/<slug:slug>/feed/atom/",
        public_page(feeds.CategoryNewsAtomFeed()),
        name="category_feed_atom",
    ),
    path(
        "archive/<int:year>/",
        public_page(views.NewsYearArchiveView.as_view(), "page"),
        name="archive_year",
    ),
    path(
        "archive/<int:year>/<int:month>/",
        public_page(views.NewsMonthArchiveView.as_view(), "page"),
        name="archive_month",
    ),
    path(
        "<int:year>/<int:month>/<int:day>/<slug:slug>/",
        public_page(views.NewsDetailView.as_view()),
        name="detail",
    ),
    path("shared/<str:token>/", views.SharedPreviewView.as_view(), name="shared"),
    path(
        "shared/<str:token>/documents/<int:pk>/",
        views.SharedAttachmentView.as_view(),
        name="shared_attachment",
    ),
    path("search/", views.NewsSearchView.as_view(), name="search"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
