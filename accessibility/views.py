from urllib.parse import urlsplit

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import DisplayPreferences
from .preferences import (
    ATTRIBUTE_NAMES,
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    InvalidChange,
    describe_changes,
    new_token,
    switch_label,
)

FORM_FIELDS = {"csrfmiddlewaretoken", "next"}


@require_POST
def change_display_preferences(request):
    """
    The panel's form: change one or more settings, store them in the visitor's
    row and cookie, and go back to the page (or answer JSON to `fetch`).
    Bad input changes nothing: 400 for `fetch`, back to the page for the form.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        changes = read_changes(request.POST)
        preferences = request.display_preferences.changed(changes)
    except InvalidChange as error:
        if wants_json:
            return JsonResponse({"error": str(error)}, status=400)
        return HttpResponseRedirect(redirect_target(request), status=303)

    token = request.display_token
    if token is None or preferences != request.display_preferences:
        token = token or new_token()
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
        response = HttpResponseRedirect(redirect_target(request), status=303)
    response.set_cookie(
        COOKIE_NAME,
        preferences.to_cookie(token),
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


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


def redirect_target(request) -> str:
    """`next` when it is a path on this site; the home page otherwise."""
    target = request.POST.get("next", "")
    if is_local_path(target, request):
        return target
    return reverse("home")


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
