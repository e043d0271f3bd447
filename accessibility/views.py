import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.login_protection import client_ip
from portal.page_cache import CACHE_ERRORS, shared_cache

from .models import DisplayPreferences
from .preferences import (
    ATTRIBUTE_NAMES,
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    SETTINGS_BY_NAME,
    InvalidChange,
    describe_changes,
    new_token,
    switch_label,
)

# The panel's forms carried a CSRF token before pages were cached for everyone;
# a page opened before that (a tab left open) may still send one: it is ignored.
FORM_FIELDS = {"csrfmiddlewaretoken", "next"}
SAME_ORIGIN_FETCH_SITES = {"same-origin", "none"}
# A school's or an office's visitors share an address; a script's requests too.
NEW_VISITORS_PER_HOUR = 60
logger = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def change_display_preferences(request):
    """
    The panel's form: change one or more settings, store them in the visitor's
    row and cookie, and go back to the page (or answer JSON to `fetch`).
    Bad input changes nothing: 400 for `fetch`, back to the page for the form.

    The panel is on every public page, and public pages are cached for all
    visitors, so its forms carry no CSRF token (it is per visitor). Requests
    from other sites are refused by the browser's own headers instead, see
    `is_from_this_site()`: 403, nothing changed.
    """
    if request.method != "POST":
        # The address typed or followed: the settings are on every page.
        return HttpResponseRedirect(reverse("home"))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not is_from_this_site(request):
        return refuse_other_site(request, wants_json)
    try:
        changes = read_changes(request.POST)
        preferences = request.display_preferences.changed(changes)
    except InvalidChange as error:
        if wants_json:
            return JsonResponse({"error": str(error)}, status=400)
        return HttpResponseRedirect(redirect_target(request), status=303)

    token = request.display_token
    if token is None:
        token, store = new_token(), may_store_new_visitor(request)
    else:
        store = preferences != request.display_preferences
    if store:
        user = request.user if request.user.is_authenticated else None
        DisplayPreferences.objects.record(token, preferences, user=user)

    if wants_json:
        response = JsonResponse(
            {
                "settings": preferences.as_mapping(),
                "attributes": preferences.html_attributes(),
                "attribute_names": ATTRIBUTE_NAMES,
                "switch": {
                    "label": switch_label(preferences.active),
                    "value": "off" if preferences.active else "on",
                },
                "message": describe_changes(changes),
            }
        )
    else:
        response = HttpResponseRedirect(redirect_target(request, changes), status=303)
    response.set_cookie(
        COOKIE_NAME,
        preferences.to_cookie(token),
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def may_store_new_visitor(request) -> bool:
    """
    Whether a browser's first change may make its row. Without the cookie every
    request is a first one, so a script could add rows without end: an address
    makes at most NEW_VISITORS_PER_HOUR of them an hour. Past that the cookie
    alone keeps the settings, and the browser's next change makes its row.
    Without a reachable cache (Redis down) nobody is counted: the cookie alone.
    """
    key = f"display:new-visitors:{client_ip(request)}"
    try:
        counts = shared_cache()  # every worker's, or each would allow the limit
        counts.add(key, 0, timeout=60 * 60)
        return counts.incr(key) <= NEW_VISITORS_PER_HOUR
    except ValueError:  # the hour ended between the two calls
        return True
    except CACHE_ERRORS as error:
        logger.warning(
            "The cache is unreachable (%s): new visitors are not counted; "
            "their display settings stay in their cookie alone.",
            error,
        )
        return False


def is_from_this_site(request) -> bool:
    """
    Whether the browser says the form was sent from one of this site's pages.

    `Sec-Fetch-Site` decides when present (browsers send it on HTTPS and
    localhost; pages cannot forge it): `same-origin`, or `none` for a request
    the visitor made themselves. Without it, `Origin` must be this site's
    scheme and host (or one of `CSRF_TRUSTED_ORIGINS`, as for Django's own
    check); without both, `Referer` must be a page of this site.

    A request with none of the three is allowed. Browsers of the last several
    years send `Origin` with every cross-site POST, so only a very old browser,
    or a client such as `curl` that can only change its own cookie, sends
    none. (Django's own Origin and Referer checks let such a request through
    on plain HTTP as well, where the token then stops a forgery; here nothing
    does.) The worst a forged request from a very old browser can do is change
    that visitor's font, size or colours, which the panel on every page puts
    back; refusing would lock old phones, and privacy tools that strip the
    Referer, out of the panel.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAME_ORIGIN_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is not None:
        return is_this_sites_origin(origin, request)
    referer = request.headers.get("Referer")
    if referer is not None:
        try:
            parts = urlsplit(referer)
        except ValueError:  # "http://[…": a host no page of this site has
            return False
        return bool(parts.netloc) and is_this_sites_origin(
            f"{parts.scheme}://{parts.netloc}", request
        )
    return True


def is_this_sites_origin(origin: str, request) -> bool:
    """`origin` ("scheme://host[:port]") is the request's own, or a trusted one."""
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def refuse_other_site(request, wants_json: bool):
    """403: JSON for `fetch`, a short page for the plain form; nothing is changed."""
    message = _(
        "Display settings can only be changed from the pages of this site. Nothing was changed."
    )
    if wants_json:
        return JsonResponse({"error": message}, status=403)
    return HttpResponseForbidden(
        render_to_string("accessibility/refused.html", {"message": message}, request=request)
    )


def read_changes(post) -> dict[str, str]:
    """The settings sent, one value each; the form's own fields are not settings."""
    changes = {}
    for name, values in post.lists():
        if name in FORM_FIELDS:
            continue
        if len(values) != 1:
            raise InvalidChange(_("Each setting takes one value."))
        changes[name] = values[0]
    return changes


PANEL = "#display-settings"


def redirect_target(request, changes: dict[str, str] | None = None) -> str:
    """
    `next` when it is a path on this site; the home page otherwise. Back in the
    panel after one of its settings changed, the page goes to that setting's
    group (without JavaScript, each change reloads the page: at a large size,
    the panel's top is screens above the group).
    """
    target = request.POST.get("next", "")
    if not is_local_path(target, request):
        return reverse("home")
    if changes and len(changes) == 1 and target.endswith(PANEL):
        [name] = changes
        if name in SETTINGS_BY_NAME:
            target = target.removesuffix(PANEL) + f"#display-{name}"
    return target


def is_local_path(url: str, request) -> bool:
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if "\\" in url or any(character.isspace() or not character.isprintable() for character in url):
        return False
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
