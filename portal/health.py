"""The health check for load balancers and monitoring: `/healthz`."""

import functools
import logging

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
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


@functools.cache
def latest_migrations() -> frozenset[tuple[str, str]]:
    """The last migration of each app, as this code has them (read from disk once)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def database_is_migrated() -> bool:
    """
    The database has every migration this code has: a release whose `migrate`
    was not run, or a database that is not the site's (an empty one where
    DATABASE_URL was misspelt), fails every page while `SELECT 1` answers.
    """
    applied = MigrationRecorder(connection).applied_migrations()
    return latest_migrations() <= applied.keys()


def static_files_are_collected() -> bool:
    """Pages name the stylesheet by its hashed name: without `collectstatic`, every page fails."""
    return bool(staticfiles_storage.url("css/portal.css"))


HEALTH_CHECKS = {
    "database": database_is_reachable,
    "migrations": database_is_migrated,
    "cache": cache_is_reachable,
    "static files": static_files_are_collected,
}


@never_cache
@require_safe
def healthz(request):
    """
    For load balancers and monitoring: 200 when the database answers and has
    every migration, the cache answers and the static files are collected,
    else 503 naming the checks that failed. Says nothing else: the reason goes
    to the server's log, not to whoever asked.
    """
    failed = []
    for name, check in HEALTH_CHECKS.items():
        if name == "migrations" and "database" in failed:
            continue  # nothing to tell: the database did not answer
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
