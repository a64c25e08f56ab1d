"""SESSION_ENGINE picks where sessions live; the engines that keep them in the cache refuse
a cache of the process's own, which several servers (or gunicorn workers) would not share."""
import os
import subprocess
import sys

from django.conf import settings

SECRET = "Zq8" + "a1B2c3D4e5F6" * 5
REDIS = "redis://127.0.0.1:6379/1"


def _settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SESSION_ENGINE", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(DEBUG="false", SECRET_KEY=SECRET, **env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; "
         "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])"],
        cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60)


def test_sessions_stay_in_the_database_by_default():
    result = _settings()
    assert result.stdout.split()[0] == "django.contrib.sessions.backends.db", result.stderr


def test_cached_db_sessions_read_from_redis_and_write_through_to_the_database():
    result = _settings(SESSION_ENGINE="cached_db", CACHE_URL=REDIS)
    assert result.stdout.split() == ["django.contrib.sessions.backends.cached_db",
                                     "django.core.cache.backends.redis.RedisCache"]


def test_django_s_own_name_for_an_engine_is_accepted():
    result = _settings(SESSION_ENGINE="django.contrib.sessions.backends.cache", CACHE_URL=REDIS)
    assert result.stdout.split()[0] == "django.contrib.sessions.backends.cache", result.stderr


def test_sessions_in_a_cache_of_each_process_are_refused():
    for engine in ("cache", "cached_db"):
        result = _settings(SESSION_ENGINE=engine)
        assert result.returncode != 0
        assert f"SESSION_ENGINE={engine} needs a cache shared by every app server" in (
            result.stderr)


def test_an_unknown_session_engine_is_refused():
    result = _settings(SESSION_ENGINE="file")
    assert result.returncode != 0
    assert "SESSION_ENGINE must be one of db, cached_db, cache, not 'file'." in result.stderr


def test_several_server_settings_pass_the_deploy_checks_without_warnings():
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECURE_SSL_REDIRECT",
                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(DEBUG="false", SECRET_KEY=SECRET, ALLOWED_HOSTS="dv.example.vn",
                 SESSION_ENGINE="cached_db", CACHE_URL=REDIS)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
