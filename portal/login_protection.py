"""
django-axes as this site uses it: under a name staff understand, the client
address it counts failed logins against, and the page a locked-out login gets.
"""

import axes.apps
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(axes.apps.AppConfig):
    """django-axes, named in the admin in the staff's language (it calls itself "Axes")."""

    verbose_name = _("Login protection")


def client_ip(request) -> str | None:
    """
    The visitor's address: REMOTE_ADDR, or, behind PORTAL_TRUSTED_PROXY_COUNT
    proxies that each append to X-Forwarded-For, the entry the outermost
    trusted proxy saw. Entries further left are the client's own claims and
    are not trusted.
    """
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


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
