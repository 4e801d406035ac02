import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.settings import env_bool, env_int


def _import_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SECRET_KEY_FILE"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import liaison.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-0123456789")
    assert _import_settings(DEBUG="0", SECRET_KEY_FILE=str(secret)).returncode == 0


def test_a_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='maybe' is not a boolean"):
        env_bool("SOME_FLAG", False)


def test_a_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)


def test_the_defaults_suit_china(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_health_check_reaches_the_database_and_the_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_every_role_has_its_group(db):
    from django.contrib.auth.models import Group

    from liaison.roles import Role

    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_every_periodic_task_names_a_task_the_worker_knows(settings):
    from liaison.celery import app

    app.loader.import_default_modules()
    known = set(app.tasks)
    missing = {
        entry: spec["task"]
        for entry, spec in settings.CELERY_BEAT_SCHEDULE.items()
        if spec["task"] not in known
    }
    assert missing == {}
