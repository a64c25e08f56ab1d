"""Production settings refuse to start without a real secret key."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_insecure_development_key():
    result = _import_settings(DEBUG="false", SECRET_KEY="django-insecure-" + "x" * 60)
    assert result.returncode != 0


def test_production_starts_with_a_real_secret_key():
    result = _import_settings(DEBUG="false", SECRET_KEY="Zq8" + "a1B2c3D4e5F6" * 5)
    assert result.returncode == 0, result.stderr


def test_development_starts_without_a_secret_key():
    assert _import_settings(DEBUG="true").returncode == 0


def test_production_settings_pass_the_deploy_checks_without_warnings():
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                          "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(DEBUG="false", SECRET_KEY="Zq8" + "a1B2c3D4e5F6" * 5,
                 ALLOWED_HOSTS="dv.example.vn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
