"""Production settings pass Django's deploy check; the demo's stay on plain http."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECRET_KEY", "SECURE", "DATABASE_URL", "ALLOWED_HOSTS"))
        # The browser tests allow Django's sync calls from Playwright's loop in this process;
        # production never does, and the deploy check warns of it.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="liaison.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "WARNINGS" not in result.stdout


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    # Read in a process of its own with production's environment, whatever this one's DEBUG is.
    result = _manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 365 * 24 * 3600, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="liaison.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True False ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_plain_http_is_redirected_but_the_proxys_https_is_not(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/stations/")
    assert response.status_code == 301
    assert response.url.startswith("https://")
    assert client.get("/stations/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/healthz/").status_code == 200


def test_the_demo_serves_plain_http(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import liaison.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in {"SECURE_COOKIES"}}, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "0", "False"]
