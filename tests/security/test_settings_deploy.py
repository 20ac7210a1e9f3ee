"""The production profile: `manage.py check --deploy` finds nothing to warn about, HSTS is
on by default, sessions expire, and single sign-on cannot be switched on without trusted
proxies.

Each runs in a fresh interpreter without pytest loaded, so config.settings takes its
production branch (TESTING is read from sys.modules).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "kq3-Vb8_Zr0pLw2xT9cYh4sJm6nD1fGe5uAi7oQ_RtXyWzBvNkMjHgFdSa"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "kb.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}
# What a developer's shell may have set that would change the profile under test.
UNSET = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "SSO_HEADER",
    "SSO_TRUSTED_PROXIES",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names: str, **env: str) -> list[str]:
    code = "import config.settings as s; " + "; ".join(f"print(repr(s.{n}))" for n in names)
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[: len(names)]


def test_check_deploy_reports_nothing_in_production() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def test_check_deploy_reports_nothing_with_redis_as_the_cache() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def test_hsts_is_on_for_a_year_by_default_and_0_turns_it_off() -> None:
    assert production_settings(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"
    ) == ["31536000", "True", "True"]
    assert production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        SECURE_HSTS_SECONDS="0",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
    ) == ["0", "False", "False"]
    # Turning it off is allowed, and `check --deploy` says so rather than staying quiet.
    result = run(["manage.py", "check", "--deploy"], SECURE_HSTS_SECONDS="0")
    assert "security.W004" in result.stderr


def test_https_and_cookie_settings_are_on_in_production() -> None:
    assert production_settings(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "SECURE_REFERRER_POLICY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
    ) == ["True", "True", "True", "'same-origin'", "'same-origin'", "True"]


def test_sessions_last_a_working_day_unless_configured() -> None:
    assert production_settings("SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE") == [
        str(12 * 60 * 60),
        "False",
    ]
    assert production_settings(
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="true",
    ) == ["3600", "True"]


def test_password_validators_stay_configured() -> None:
    (validators,) = production_settings("AUTH_PASSWORD_VALIDATORS")
    for name in ("UserAttributeSimilarity", "MinimumLength", "CommonPassword", "NumericPassword"):
        assert f"{name}Validator" in validators


def test_single_sign_on_refuses_to_start_without_trusted_proxies() -> None:
    result = run(["-c", "import config.settings"], SSO_HEADER="X-Remote-User")
    assert result.returncode != 0
    assert "SSO_TRUSTED_PROXIES" in result.stderr


def test_a_malformed_rate_limit_refuses_to_start() -> None:
    result = run(["-c", "import config.settings"], RATE_LIMIT_PDF="ten a minute")
    assert result.returncode != 0
    assert "RATE_LIMIT_PDF" in result.stderr
