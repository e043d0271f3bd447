"""
django-axes as this site uses it: under a name staff understand, the client
address it counts failed logins against, and the page a locked-out login gets.
"""

import ipaddress
import logging

import axes.apps
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The misconfigurations of PORTAL_TRUSTED_PROXY_COUNT this process has logged:
# each is logged once per worker, not once per request (threads racing may log
# it twice, which is harmless).
_warned: set[str] = set()


class LoginProtectionConfig(axes.apps.AppConfig):
    """
    django-axes, named in the admin in the staff's language (it calls itself
    "Axes"), and so are its records.
    """

    verbose_name = _("Login protection")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.__str__ = login_record_name


def login_record_name(record) -> str:
    """
    A login record as the admin names it (its page's heading, its checkbox):
    who and when, in the admin's language and Minsk time, «olga, 7 декабря
    2026, 15:57». django-axes says «Access Log for olga @ 2026-12-07
    12:57:17.371047+00:00» in every language.
    """
    when = date_format(localtime(record.attempt_time), "DATETIME_FORMAT")
    return f"{record.username or '—'}, {when}"


def client_ip(request) -> str | None:
    """
    The visitor's address: REMOTE_ADDR, or, behind PORTAL_TRUSTED_PROXY_COUNT
    proxies that each append to X-Forwarded-For, the entry the outermost
    trusted proxy saw. Entries further left are the client's own claims and
    are not trusted. A setting a request shows to be wrong (0 behind a proxy
    on this machine or network, or more proxies than the header has entries)
    is logged once per process; the address taken stays the same.
    """
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
        # Fewer entries than proxies: no client could have added one, but the
        # setting is wrong (or the proxy does not append); the connection's
        # address is not a claim, so it is the one counted.
        warn_once(
            "more proxies than entries",
            "PORTAL_TRUSTED_PROXY_COUNT is %s, but a request came with %s X-Forwarded-For "
            "entries: its address is taken to be the connection's, %s. Set "
            "PORTAL_TRUSTED_PROXY_COUNT to the number of proxies in front of the site that "
            "append to X-Forwarded-For (1 for nginx alone with deploy/nginx-portal.conf).",
            proxies,
            len(forwarded),
            remote,
        )
    elif "HTTP_X_FORWARDED_FOR" in request.META and is_local(remote):
        warn_once(
            "proxy not counted",
            "A request came through a proxy (X-Forwarded-For from %s), but "
            "PORTAL_TRUSTED_PROXY_COUNT is 0: every visitor counts as %s for the login "
            "lockout and the search's rate limit. Set PORTAL_TRUSTED_PROXY_COUNT to the "
            "number of proxies in front of the site that append to X-Forwarded-For "
            "(1 for nginx alone with deploy/nginx-portal.conf).",
            remote,
            remote,
        )
    return remote


def is_local(address: str | None) -> bool:
    """Whether a connection came from this machine or network (a Unix socket has no address)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return True
    return ip.is_loopback or ip.is_private


def warn_once(kind: str, message: str, *args) -> None:
    """Log a warning about PORTAL_TRUSTED_PROXY_COUNT the first time this process meets it."""
    if kind not in _warned:
        _warned.add(kind)
        logger.warning(message, *args)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page that says why and for how long."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "admin/login_locked.html",
        {
            **admin.site.each_context(request),  # the admin's title and header, not Django's
            "title": _("Login temporarily locked"),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        },
        status=429,
    )
