"""The portal's own middleware: security headers, odd-input guards, request logs."""

import logging
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import Http404

request_logger = logging.getLogger("portal.request")


class PermissionsPolicyMiddleware:
    """Turn off browser features no page of the portal uses (camera, location…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp's middleware, with the admin's relaxed policy: pages of the
    admin site (any URL in the "admin" namespace, in every language) get
    PORTAL_ADMIN_CSP_REPLACE on top of the strict public policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces and parts.replace is None:
            parts.replace = settings.PORTAL_ADMIN_CSP_REPLACE
        return parts


class RejectNullBytesMiddleware:
    """
    No page has a NUL character in its address: 404 before any view sees it.

    PostgreSQL refuses NUL in text, so a view that looked such a path up
    would fail with a 500. (In the query string, NUL is the forms' business:
    Django's form fields refuse it with a form error, which says more than a
    bare 400; the hostile-input test checks that no view fails on it.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("NUL in the path")
        return self.get_response(request)


class HeadWithoutBodyMiddleware:
    """
    An answer to HEAD without its body, as HTTP wants: gunicorn logged a warning
    for each (uptime monitors send many). Content-Length stays the page's own.
    Django's development server and test client do this themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            # A page from the page cache has none yet (it skipped CommonMiddleware).
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


class RequestLogMiddleware:
    """One log line per request: method, path, status and duration in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
