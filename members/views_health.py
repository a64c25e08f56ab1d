"""/healthz for the load balancer and monitoring: can this web server reach its database and
cache, and is a background worker alive? Open to anyone, so it names no person, host or
error, only "ok" or what is wrong."""
import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .heartbeat import ALIVE_WITHIN, worker_alive

logger = logging.getLogger(__name__)

OK = "ok"
MISSING = "missing"


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache() -> bool:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def _check(name, probe) -> bool:
    try:
        return probe()
    except Exception:
        logger.exception("healthz: %s check failed", name)
        return False


@require_GET
@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise. A missing worker is
    reported but leaves the answer at 200: pages are served without it, only queued jobs
    wait."""
    database = _check("database", _database)
    cache_ok = _check("cache", _cache)
    worker = database and _check("worker", worker_alive)
    seconds = int(ALIVE_WITHIN.total_seconds())
    body = {
        "database": OK if database else "error",
        "cache": OK if cache_ok else "error",
        "worker": OK if worker else MISSING,
    }
    if not worker:
        body["worker_detail"] = f"no heartbeat in {seconds} s"
    return JsonResponse(body, status=200 if database and cache_ok else 503)
