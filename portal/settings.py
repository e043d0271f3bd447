"""
Settings for the portal, read from environment variables (12-factor).

Every value an operator may need to change comes from the environment; the
README lists them. Nothing here expects a file to be edited per deployment.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """One of `choices`, in any case: a mistaken value is named at start, not in a traceback."""
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS and browser protections. The defaults keep the plain-HTTP local demo
# working; production sets the DJANGO_SECURE_* variables (see the README), and
# `manage.py check --deploy` then passes without warnings.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
# The load balancer's health probe may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if proxy_ssl_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    # Only behind a proxy that sets this header itself and drops it from clients.
    # Written as Django reads it (HTTP_X_FORWARDED_PROTO) or as nginx sends it
    # (X-Forwarded-Proto): Django would never find the latter, and with the
    # HTTPS redirect on every page would redirect to itself.
    proxy_ssl_header = proxy_ssl_header.upper().replace("-", "_")
    if not proxy_ssl_header.startswith("HTTP_"):
        proxy_ssl_header = f"HTTP_{proxy_ssl_header}"
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies go over HTTPS only once the site is on HTTPS (the default follows the redirect).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", SECURE_SSL_REDIRECT)
SESSION_COOKIE_HTTPONLY = True
# No script needs the CSRF cookie: forms carry the token, and CKEditor 5's
# upload falls back to the form's csrfmiddlewaretoken field.
CSRF_COOKIE_HTTPONLY = env_bool("DJANGO_CSRF_COOKIE_HTTPONLY", True)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Content-Security-Policy (django-csp). Public pages run only our own scripts
# and styles: no inline script, style or event handler, nothing from another
# host. Images come from our origin only (the sanitizer drops data: URLs from
# bodies, and no page needs them). The admin's editor gets a relaxed policy,
# see ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# What the admin changes in that policy, no more than CKEditor 5 needs (seen in
# Chromium's CSP reports): it sets style attributes on its own elements, and
# shows placeholders and images being uploaded from data: URLs. Its config is
# a JSON data block (json_script), which no script-src rule applies to.
PORTAL_ADMIN_CSP_REPLACE = {
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
}
# Added on the pages with the editor only (the news item's form and the form
# that restores a version, news/admin.py): <style> elements. Pasting from Word,
# CKEditor parses the clipboard with DOMParser and tells bulleted from numbered
# lists by Word's <style> block (@list l0:level1 {mso-level-number-format:
# bullet}); that document is under this page's policy, so with style-src 'self'
# the block had no stylesheet and every Word list came out numbered. The risk
# is small: scripts stay 'self'; style attributes are already allowed here; a
# stylesheet can fetch only from our own origin (img-src, default-src), so it
# cannot send what it reads elsewhere; nothing on these pages puts an outside
# <style> into the page itself: Django escapes, the sanitizer drops <style>
# from bodies, and CKEditor keeps none in what it shows.
PORTAL_EDITOR_CSP_UPDATE = {"style-src-elem": ["'self'", "'unsafe-inline'"]}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# The committee whose portal this is; shown in the header, footer and titles.
# In Russian, and in Belarusian and English where given (`_BE`, `_EN`); a
# language without its own shows the Russian name.
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "")
PORTAL_SITE_NAME_BE = os.environ.get("PORTAL_SITE_NAME_BE", "")
PORTAL_SITE_NAME_EN = os.environ.get("PORTAL_SITE_NAME_EN", "")
PORTAL_COMMITTEE_NAME = os.environ.get("PORTAL_COMMITTEE_NAME", "")
PORTAL_COMMITTEE_NAME_BE = os.environ.get("PORTAL_COMMITTEE_NAME_BE", "")
PORTAL_COMMITTEE_NAME_EN = os.environ.get("PORTAL_COMMITTEE_NAME_EN", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "django_ckeditor_5",
    "simple_history",
    "portal.login_protection.LoginProtectionConfig",  # django-axes
    # Full-text and trigram search on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    "csp",
    "portal",
    "news",
    "notices",
    "accessibility",
    # Responsive image renditions (news/renditions.py). After our apps, whose
    # `generateimages` (news/management/commands/) runs imagekit's loop, less
    # the images out of sight.
    "imagekit",
]

MIDDLEWARE = [
    "portal.middleware.RequestLogMiddleware",
    "portal.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # ETag and Last-Modified answered with 304, for cached pages as for others.
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accessibility.middleware.DisplayPreferencesMiddleware",
    # After the display preferences, which its key reads; before the session,
    # locale, CSRF, user and messages, which a stored page does not need.
    "portal.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.context_processors.language_links",
                "notices.context_processors.urgent_notices",
                "accessibility.context_processors.display_preferences",
            ],
        },
    },
]
# Forms render with the templates above, so that templates/ may override a
# widget's (the admin's date and time fields, to label each).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite in the data folder unless DATABASE_URL names another.
DEFAULT_SQLITE_URL = f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"
DATABASES = {
    "default": dj_database_url.config(
        default=DEFAULT_SQLITE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(exist_ok=True)
else:
    # A server that takes the connection but never answers (hung, a firewall
    # dropping packets) held each worker until gunicorn killed it, 30 s on.
    # `?connect_timeout=` in DATABASE_URL sets another.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    # Otherwise every page would fail on its first cache read.
    raise ImproperlyConfigured(
        f"REDIS_URL must begin with redis://, rediss:// or unix://, not {REDIS_URL!r}."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            # Redis out of reach fails fast: pages are then rendered, not cached.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CACHES["shared"] = CACHES["default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # A page takes 15 to 50 KB: 1,000 of them keep a worker under 150 MB.
            "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_LOCAL_CACHE_ENTRIES", 1000)},
        },
        # What every worker process must see at once: which content generation
        # is current (portal/page_cache.py), and the counts of searches and new
        # visitors an address made. Each worker has its own local memory.
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("PORTAL_CACHE_DIR", DATA_DIR / "cache"),
            # A file per address counted; past this many, a third of them go.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
# django-imagekit asks a cache whether an image's copies (news/renditions.py)
# exist before it makes them on save. The files answer that themselves; asked
# of Redis, saving an item with an image failed while Redis was down.
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
IMAGEKIT_CACHE_BACKEND = "renditions"
# Public pages are cached whole for anonymous readers (portal/page_cache.py):
# at most this long, and less when a scheduled item or a notice's end is
# nearer. Any change in the admin shows at once anyway. 0 turns it off.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian is the default; every public URL carries its language prefix.
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("be", _("Belarusian")),
    ("en", _("English")),
]
# Ours, then our corrections of Django's and other packages' translations
# (locale/third_party/, which `make messages` leaves alone); both before theirs.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "third_party"]
# Belarusian date and number formats, which Django lacks (portal/formats/be/).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True

# Every time is shown and entered in the committee's time zone.
TIME_ZONE = os.environ.get("PORTAL_TIME_ZONE", "Europe/Minsk")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Serve uploaded media from Django itself: for the local demo only; in
# production the web server in front of gunicorn serves MEDIA_ROOT.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

# Files asked for at the site's root under names of their own: `/favicon.ico`
# (browsers that read no SVG icon, crawlers) and `/apple-touch-icon.png` (iOS's
# home screen); scripts/make_favicon.py draws them.
# Whitenoise serves them before any URL, or the language prefix, is looked at.
WHITENOISE_ROOT = BASE_DIR / "site_root"


def _site_root_cache_headers(headers, path, url):
    """Root files keep their names when they change: kept a day, not whitenoise's minute."""
    if not url.startswith(STATIC_URL):
        headers["Cache-Control"] = "max-age=86400, public"


WHITENOISE_ADD_HEADERS_FUNCTION = _site_root_cache_headers

STORAGES = {
    # Uploads; images readers must no longer see are withheld (news/withheld_images.py).
    "default": {"BACKEND": "news.withheld_images.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DJANGO_PLAIN_STATIC", DEBUG)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: images are decoded in full with Pillow; these bound what it accepts.
PORTAL_MAX_IMAGE_UPLOAD_BYTES = env_int("PORTAL_MAX_IMAGE_UPLOAD_BYTES", 10 * 1024 * 1024)
PORTAL_MAX_IMAGE_PIXELS = env_int("PORTAL_MAX_IMAGE_PIXELS", 40_000_000)
# Documents attached to news items (news/attachments.py).
PORTAL_MAX_ATTACHMENT_BYTES = env_int("PORTAL_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

LOGIN_URL = "admin:login"
# Where the admin's login leads when its "next" is missing or another site's.
LOGIN_REDIRECT_URL = "admin:index"

# Login protection (django-axes): repeated failed logins lock out the account
# from that address for a while. The test client's force_login is unaffected;
# authenticate() needs the request, which the admin's login view passes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("PORTAL_LOGIN_LOCKOUT_MINUTES", 15))
# "username+ip_address" locks the account from that address; a comma-separated
# list ("username,ip_address") locks each on its own.
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") if "+" in item else item
    for item in env_list("PORTAL_LOGIN_LOCKOUT_BY", "username+ip_address")
]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py run; failures are still logged
AXES_LOCKOUT_CALLABLE = "portal.login_protection.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.login_protection.client_ip"
# Proxies in front of the site that append the client's address to
# X-Forwarded-For; 0 means REMOTE_ADDR is the client's own address.
PORTAL_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 0)

# Guards of the public search (news/search.py): searches with words an address
# may make a minute (staff are not counted; 0: no limit), and how long one of a
# search's queries may run on PostgreSQL, in milliseconds (0: no limit).
PORTAL_SEARCH_RATE_LIMIT = env_int("PORTAL_SEARCH_RATE_LIMIT", 30)
PORTAL_SEARCH_TIMEOUT_MS = env_int("PORTAL_SEARCH_TIMEOUT_MS", 2000)

# Editorial workflow: the person who publishes an item must not be its last
# editor ("second pair of eyes"); a superuser may override with a written reason.
PORTAL_REQUIRE_SECOND_PERSON = env_bool("PORTAL_REQUIRE_SECOND_PERSON", True)
# History records keep who changed what; reasons such as an override can be long.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# CKEditor 5 is only the admin's widget for the news body; the stored HTML is
# sanitized with nh3 whatever the editor sends. Uploads go through our own view.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor_image_upload"
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "news": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertImage",
                "insertTable",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Heading 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Heading 3",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
            # What the file picker offers: the formats news/images.py accepts.
            "upload": {"types": ["jpeg", "png", "gif", "webp"]},
            # Uploads only: an image from another site's address is refused by
            # the pages' Content Security Policy, and readers would see none.
            "insert": {"integrations": ["upload"]},
        },
        # The package's build holds more than a news body may carry. What the
        # sanitizer (news/sanitizer.py) would drop is not offered: sizes, colours,
        # alignment, highlights, list styles, to-do boxes, embedded media. Dropped,
        # it also came back different from the editor each time an item was
        # opened, which the publishing rule took for an edit.
        "removePlugins": [
            "Alignment",
            # No button offers it, yet the keystroke help listed its Ctrl+F,
            # which did nothing.
            "FindAndReplace",
            "Font",
            "Highlight",
            "ImageResize",
            "ListProperties",
            "MediaEmbed",
            "TodoList",
        ],
        # A caption is the table's own <caption>, which names it for screen
        # readers (a <figcaption> would name only the figure around it).
        "table": {
            "contentToolbar": ["tableColumn", "tableRow", "mergeTableCells", "toggleTableCaption"],
            "tableCaption": {"useCaptionElement": True},
        },
        "link": {"defaultProtocol": "https://"},
        # The editor's own translations to load. Which one it speaks (the
        # admin's language) and which its text is in (the item's) are set by
        # the news item form. Their Russian and Belarusian are corrected by
        # news/editor.py: a "translations" option here would replace them whole.
        "language": [code for code, _name in LANGUAGES if code != "en"],
    },
}

# Logs go to stdout as JSON lines: one per request (portal.request) and one per
# error, with its traceback (django.request). DJANGO_LOG_FORMAT=text for humans.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "portal.logging.JSONFormatter"},
        "text": {
            "class": "portal.logging.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "filters": {"visitors_faults": {"()": "portal.logging.VisitorsFaultsAsWarnings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env_choice("DJANGO_LOG_FORMAT", "json", ["json", "text"]),
            "filters": ["visitors_faults"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "DJANGO_LOG_LEVEL", "info", ["debug", "info", "warning", "error", "critical"]
        ).upper(),
    },
}

# Benchmarks only (bench/run.py): serve /bench/bare/, a fixed 20 KB page through
# the same middleware, the upper bound the portal's own pages are compared with.
PORTAL_BENCH_BARE_VIEW = env_bool("PORTAL_BENCH_BARE_VIEW")
