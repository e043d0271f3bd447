"""The health check for load balancers and monitoring: `/healthz`."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "portal:healthz"


def database_is_reachable() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_is_reachable() -> bool:
    cache.set(HEALTH_CACHE_KEY, "ok", timeout=10)
    return cache.get(HEALTH_CACHE_KEY) == "ok"


HEALTH_CHECKS = {"database": database_is_reachable, "cache": cache_is_reachable}


@never_cache
@require_safe
def healthz(request):
    """
    For load balancers and monitoring: 200 when the database and the cache
    answer, else 503 naming the checks that failed. Says nothing else: the
    reason goes to the server's log, not to whoever asked.
    """
    failed = []
    for name, check in HEALTH_CHECKS.items():
        try:
            healthy = check()
        except Exception:
            logger.exception("Health check %r failed", name)
            healthy = False
        if not healthy:
            failed.append(name)
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})
