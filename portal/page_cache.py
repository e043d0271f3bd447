"""
The page cache for readers: whole public pages, shared by every anonymous
visitor who asks for the same address in the same display mode.

Django's own cache middleware keys a page by the `Cookie` header, which holds
each visitor's own display token, so no two visitors would ever share a page.
Here the key is what a public page is made of, and nothing else:

- the absolute URL (scheme, host, path, the language being its prefix, and
  the query string, which is empty or a page number: see `public_page`);
- the display preferences (font, size, spacing, colours, images), as values;
- the content generation: any change to what readers see (`content_changed`)
  starts a new one, and the older pages are no longer served.

An entry also ends when a scheduled item's publication time or an urgent
notice's expiry arrives, whichever is first, so that nothing waits for a
timeout. Only views wrapped in `public_page` are cached, only for anonymous
visitors, and only answers that hold nothing of the visitor's own: no cookie
set, no CSRF token, no messages.
"""

import contextlib
import datetime
import functools
import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from redis.exceptions import RedisError

GENERATION_KEY = "page-cache:generation"
# A cache that cannot be reached (Redis down, a full disk) costs speed, never a page.
CACHE_ERRORS = (RedisError, OSError)
logger = logging.getLogger("portal.page_cache")


def shared_cache():
    """
    What every worker process must see at once (Redis, or files when each
    worker's cache is its own memory): the current generation, and the counts
    of searches and new visitors an address has made.
    """
    return caches["shared"]


# A page number as pagination links write it: no sign, no leading zero.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
# Values kept per generation are dropped with it; this only frees the memory.
VALUE_TIMEOUT = 60 * 60
# Pages rendered by this process may differ from those of the code before it.
PROCESS_STARTED = timezone.now()


def public_page(view, page_parameter: str | None = None):
    """
    Mark `view` as a page readers may be served from the page cache.

    The cache keeps its address without a query string and, for a paginated
    view, with `page_parameter` alone holding a page number as the page's links
    write it ("?page=2"). An address with anything else in its query string (a
    tracking tag, a made-up parameter, "?page=02") is rendered each time: nobody
    can fill the cache with addresses of their own making.

    A `Last-Modified` that `view` sets (an item's time, or its newest item's)
    becomes the time of the content's last change when that is later. A page
    also changes when an item leaves it, or a neighbour, a translation or an
    urgent notice appears, and no item's own time moves then: a client asking
    "changed since?" with that time alone got a false "no" (304).

    Staff see drafts and previews at these addresses: what they get is kept
    nowhere, not even by their browser (an office's shared computer).

    The pages are read, never sent to: other methods than GET and HEAD are
    answered 405 (PUT got the CSRF check's 403 «form sent without its token»,
    and a feed or the sitemap answered TRACE and OPTIONS with themselves).
    """

    @csrf_exempt  # a form sent here is refused whole, below
    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        own = parse_http_date_safe(response.get("Last-Modified", ""))
        if own is not None:
            modified = content_modified(request)
            response["Last-Modified"] = http_date(max(own, modified.timestamp()))
        # Only a visitor with a session can be logged in: others' pages stay without `Vary: Cookie`.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    wrapper.public_page = True
    wrapper.page_parameter = page_parameter
    return wrapper


def is_kept(view, query_string: str) -> bool:
    """Whether the page cache keeps `view` at an address with `query_string` (see `public_page`)."""
    if not getattr(view, "public_page", False):
        return False
    if not query_string:
        return True
    name, _, number = query_string.partition("=")
    return name == view.page_parameter and PAGE_NUMBER.fullmatch(number) is not None


def content_changed(**kwargs) -> None:
    """
    Start a new content generation: every cached page is out of date.

    Called on saving and deleting anything readers see (connected to the
    models' signals), now and again once the transaction commits, so that a
    page rendered in between from the old data is not kept. A cache that
    cannot be reached is logged; the change itself is kept.
    """
    # Loading a fixture or a backup, row by row: the next reader starts one.
    renew = forget_generation if kwargs.get("raw") else start_generation
    try:
        renew()
    except CACHE_ERRORS:
        logger.exception("Could not start a new content generation in the cache.")
    transaction.on_commit(renew, robust=True)


def forget_generation() -> None:
    shared_cache().delete(GENERATION_KEY)


def start_generation() -> dict:
    """A new generation: who changes content pays its queries, readers do not."""
    from news.models import NewsItem
    from notices.models import UrgentNotice

    generation = {
        "id": uuid.uuid4().hex,
        "started": timezone.now(),
        "next_publication": NewsItem.objects.next_publication(),
        "next_notice_change": UrgentNotice.objects.next_change(),
    }
    shared_cache().set(GENERATION_KEY, generation, None)
    return generation


def current_generation(generation: dict | None) -> dict:
    """The generation as read from the cache, started or brought up to date if need be."""
    if generation is None or "next_notice_change" not in generation:  # or kept by an older release
        return start_generation()
    now = timezone.now()
    for change in (generation["next_publication"], generation["next_notice_change"]):
        if change is not None and change <= now:
            # A scheduled item went live, or a notice appeared or expired: pages have changed.
            return start_generation()
    return generation


def content_modified(request=None) -> datetime.datetime:
    """
    When what readers see last changed, as far as this process can tell: the
    content generation's start (a change to the news or the notices, a
    scheduled item going live, a notice expiring) or, if later, this process's
    start (new code may render pages otherwise). Now, without a reachable cache.

    A page the page cache missed has read the generation already (`request.page_cache_miss`).
    """
    miss = getattr(request, "page_cache_miss", None)
    try:
        generation = miss[1] if miss else current_generation(shared_cache().get(GENERATION_KEY))
    except CACHE_ERRORS as error:
        logger.warning("The cache is unreachable (%s): pages are dated now.", error)
        return timezone.now()
    return max(generation["started"], PROCESS_STARTED)


def cached_for_generation(name: str, compute):
    """
    `compute()`, kept until content changes: for what costs more to count on
    every page than the rest of the page (the archive's years, a list's length).
    Without a reachable cache it is computed each time.
    """
    try:
        generation = current_generation(shared_cache().get(GENERATION_KEY))
        key = f"page-cache:value:{generation['id']}:{name}"
        value = cache.get(key)
    except CACHE_ERRORS as error:
        logger.warning("The cache is unreachable (%s): %s is computed anew.", error, name)
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(key, value, VALUE_TIMEOUT)
    return value


class PageCacheMiddleware:
    """
    Serve `public_page` views to anonymous readers from the cache, and keep
    what they render there.

    It goes right after the display-preferences middleware, which its key
    depends on, and before the session, locale, CSRF, authentication and
    messages middleware: a reader without a session cookie is served a stored
    page before those run, since nobody without one is logged in. What they add
    to a page (its `Content-Language`, a `Vary` header) was stored with it, and
    a page to which one of them added a cookie is not stored. A visitor with a
    session cookie is looked up once the user is known. The conditional-GET
    middleware, further out, answers 304 from the stored ETag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.page_cache_key = None
        request.page_cache_miss = None
        if (
            self.may_serve(request)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and is_kept(self.view_at(request.path_info), request.META.get("QUERY_STRING", ""))
        ):
            response = self.lookup(request)
            if response is not None:
                return response
        response = self.get_response(request)
        key = request.page_cache_key
        if key is not None and self.may_store(request, response):
            self.store(key, request.page_cache_entry, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Only `public_page` views of anonymous visitors are served and kept."""
        query_string = request.META.get("QUERY_STRING", "")
        if not (self.may_serve(request) and is_kept(view_func, query_string)):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            if request.user.is_authenticated:
                return None
            response = self.lookup(request)
            if response is not None:
                return response
        if request.page_cache_miss is not None and request.method == "GET":
            key, generation = request.page_cache_miss
            # What the page is made of is read from here on, so it holds until
            # the next change known now (or a new generation).
            expires = min(
                filter(None, [generation["next_publication"], generation["next_notice_change"]]),
                default=None,
            )
            request.page_cache_key = key
            request.page_cache_entry = {
                "generation": generation["id"],
                "made": timezone.now(),
                "expires": expires,
            }
        return None

    @staticmethod
    def may_serve(request) -> bool:
        return settings.PORTAL_PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")

    @staticmethod
    def view_at(path: str):
        """The view at `path`, in the language the path names; None if there is none."""
        with translation.override(translation.get_language_from_path(path)):
            try:
                return resolve(path).func
            except Resolver404:
                return None

    def lookup(self, request) -> HttpResponse | None:
        """
        The stored page, if current; otherwise `request.page_cache_miss` holds
        its key and the current generation, to store the page under should
        its view be a public page.
        """
        key = self.key_for(request)
        try:
            stored_generation, entry = self.read(key)
            generation = current_generation(stored_generation)
        except CACHE_ERRORS as error:
            # Readers still get the page, rendered for them.
            logger.warning("The page cache is unreachable: %s", error)
            return None
        if entry is not None and self.is_current(entry, generation["id"]):
            return self.response_from(entry)
        request.page_cache_miss = (key, generation)
        return None

    @staticmethod
    def read(key: str) -> tuple[dict | None, dict | None]:
        """The stored generation and the page's entry: one round trip when one cache holds both."""
        if settings.CACHES["shared"] == settings.CACHES["default"]:
            found = cache.get_many([GENERATION_KEY, key])
            return found.get(GENERATION_KEY), found.get(key)
        return shared_cache().get(GENERATION_KEY), cache.get(key)

    @staticmethod
    def is_current(entry: dict, generation: str) -> bool:
        """Of this generation, and made before now and after the last change known then."""
        now = timezone.now()
        return (
            entry["generation"] == generation
            and entry["made"] <= now
            and (entry["expires"] is None or now < entry["expires"])
        )

    @staticmethod
    def key_for(request) -> str:
        preferences = request.display_preferences.as_mapping()
        variant = "&".join(f"{name}={value}" for name, value in sorted(preferences.items()))
        url = request.build_absolute_uri()
        # The static files' release: a page kept from before an update would
        # link the old stylesheet and script, which the update may have removed.
        release = getattr(staticfiles_storage, "manifest_hash", "")
        digest = hashlib.sha256(f"{url}\n{variant}\n{release}".encode()).hexdigest()
        return f"page-cache:page:{digest}"

    @staticmethod
    def may_store(request, response) -> bool:
        """Whether the answer is the same for every anonymous reader of this page."""
        messages = getattr(request, "_messages", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (messages is not None and messages.used)
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def store(key: str, entry: dict, response) -> None:
        set_response_etag(response)
        # Browsers keep the page but ask again each time (a 304 when unchanged).
        patch_cache_control(response, no_cache=True)
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if entry["expires"] is not None:
            seconds_left = (entry["expires"] - timezone.now()).total_seconds()
            timeout = min(timeout, max(1, int(seconds_left) + 1))
        entry = {
            **entry,
            "status": response.status_code,
            "headers": list(response.headers.items()),
            "content": response.content,
        }
        try:
            cache.set(key, entry, timeout)
        except CACHE_ERRORS as error:
            logger.warning("The page cache is unreachable: %s", error)

    @staticmethod
    def response_from(entry) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        return response
