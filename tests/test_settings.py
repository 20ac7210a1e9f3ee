"""With DEBUG off the KB refuses to start on a secret key that is missing, weak or public."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "kq3-Vb8_Zr0pLw2xT9cYh4sJm6nD1fGe5uAi7oQ_RtXyWzBvNkMjHgFdSa"


def import_settings(**env: str) -> subprocess.CompletedProcess:
    """Import config.settings in a fresh interpreter (no pytest, so no test exemption)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "key",
    [
        "",
        "benchmark-only",
        "x" * 80,
        "abcd" * 20,
        "django-insecure-" + STRONG_KEY,
        "insecure-key-only-for-development-and-tests",
        STRONG_KEY[:49],
    ],
    ids=[
        "missing",
        "short",
        "one-character",
        "four-characters",
        "django-insecure",
        "dev-default",
        "49-chars",
    ],
)
def test_it_refuses_to_start_without_debug_on_a_weak_secret_key(key: str) -> None:
    result = import_settings(DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and "50" in result.stderr


def test_it_starts_without_debug_on_a_strong_secret_key() -> None:
    result = import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def test_it_starts_in_development_without_a_secret_key() -> None:
    result = import_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr


def _site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_site_url_defaults_to_the_address_make_run_serves() -> None:
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(HOST="0.0.0.0", PORT="8809") == "http://0.0.0.0:8809"
    assert _site_url(SITE_URL="https://kb.example.org/", PORT="8809") == "https://kb.example.org"
