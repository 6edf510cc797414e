"""Security baseline: `check --deploy` is clean in production, headers, cookies, demo accounts."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from konzeptk.core.checks import demo_accounts_check, secret_key_source_check
from konzeptk.core.safety import refuse_unsafe_production

PROJECT_DIR = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KONZEPTK_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
            "KONZEPTK_DATA_DIR": str(tmp_path),
            "PYTHONPATH": str(PROJECT_DIR),
        }
    )
    env.update(extra)
    return env


def _production_env(tmp_path: Path) -> dict[str, str]:
    return _env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="konzeptk.krefeld.example",
        KONZEPTK_HTTPS="1",
        KONZEPTK_DEBUG="0",
    )


def _settings_in(env: dict[str, str]) -> dict[str, object]:
    names = [
        "DEBUG",
        "DEMO_MODE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "konzeptk", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_https_hardening_on(tmp_path: Path) -> None:
    values = _settings_in(_production_env(tmp_path))
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_demo_runs_on_plain_http(tmp_path: Path) -> None:
    values = _settings_in(_env(tmp_path, KONZEPTK_DEMO="1"))
    assert values["DEMO_MODE"] is True
    assert not values["SECURE_SSL_REDIRECT"]
    assert not values["SESSION_COOKIE_SECURE"]
    assert not values["SECURE_HSTS_SECONDS"]
    # the demo generated its own secret key into its data directory
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert len(key_file.read_text().strip()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_every_page_sends_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get("/barrierefreiheit/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_with_https_on_responses_carry_hsts_and_secure_cookies(client: Client, db: None) -> None:
    response = client.get("/barrierefreiheit/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"] is True
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_every_form_of_the_core_pages_carries_a_csrf_token(client: Client, db: None) -> None:
    html = client.get("/barrierefreiheit/").content.decode()
    assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')


def _create_demo_account(password: str) -> None:
    from konzeptk.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    from konzeptk.accounts.models import User

    User.objects.create_user(email=DEMO_ACCOUNTS[0].email, password=password or DEMO_PASSWORD)


@override_settings(DEMO_MODE=False)
def test_production_refuses_demo_accounts_with_the_demo_password(db: None) -> None:
    assert demo_accounts_check() == []
    refuse_unsafe_production()  # nothing to complain about yet
    _create_demo_account("")
    with pytest.raises(ImproperlyConfigured, match="Demo-Konten"):
        refuse_unsafe_production()
    errors = demo_accounts_check()
    assert [e.id for e in errors] == ["konzeptk.E001"]


@override_settings(DEMO_MODE=False)
def test_a_demo_address_with_a_new_password_is_accepted(db: None) -> None:
    _create_demo_account("ein-neues-langes-Passwort-2035")
    refuse_unsafe_production()
    assert demo_accounts_check() == []


@override_settings(DEMO_MODE=True)
def test_demo_mode_allows_the_demo_accounts(db: None) -> None:
    _create_demo_account("")
    refuse_unsafe_production()
    assert demo_accounts_check() == []


def test_demo_account_check_is_registered_for_deploy() -> None:
    from django.core.checks import registry

    deploy_checks = registry.registry.get_checks(include_deployment_checks=True)
    assert demo_accounts_check in deploy_checks
    assert demo_accounts_check not in registry.registry.get_checks(include_deployment_checks=False)


@override_settings(DEMO_MODE=False, SECRET_KEY_FROM_ENV=False)
def test_generated_secret_key_in_production_is_reported() -> None:
    assert [w.id for w in secret_key_source_check()] == ["konzeptk.W001"]
