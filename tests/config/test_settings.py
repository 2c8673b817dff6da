"""The settings refuse malformed values at start-up, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # The browser tests allow Django's ORM inside Playwright's event loop; a server never does.
    inherited = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": tempfile.mkdtemp()})
    env.update(env_overrides)
    command = args or ("-c", "import django; django.setup()")
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!k2@p9#q4$w8%e3^r6&t1*y5(u0)i-o=p[a]s{d}f|g;h:j'k,l.z/x?c" * 2,
    "ALLOWED_HOSTS": "clinic.example.org",
    "SITE_URL": "https://clinic.example.org",
}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("DATABASE_URL", "not-a-url"),
        ("CELERY_BROKER_URL", "kafka://somewhere"),
        ("SITE_URL", "clinic.example.org"),
        ("LETTER_PAPER_SIZE", "A5"),
        ("INVITATION_VALID_DAYS", "0"),
    ],
)
def test_it_refuses_a_malformed_value_naming_the_variable(variable: str, value: str) -> None:
    result = _start({variable: value})
    assert result.returncode != 0
    assert f"Environment variable {variable}=" in result.stderr


def test_it_requires_a_secret_key_when_debug_is_false() -> None:
    result = _start({**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_it_starts_with_no_environment_at_all() -> None:
    result = _start({})
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _start(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_hashes_passwords_with_argon2() -> None:
    result = _start(
        PRODUCTION,
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0])",
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_collects_static_files_with_hashed_names(tmp_path: Path) -> None:
    # The Docker image runs collectstatic; a vendored file pointing at a missing source map
    # would break the build, and a missing asset would leave pages (and letters) unstyled.
    result = _start(
        {**PRODUCTION, "STATIC_ROOT": str(tmp_path)}, "manage.py", "collectstatic", "--noinput"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text(encoding="utf-8")
    for asset in ("vendor/bootstrap.min.css", "vendor/htmx.min.js", "js/foot_map.js"):
        assert f'"{asset}"' in manifest


def test_local_mail_goes_to_files_not_the_console_or_the_network() -> None:
    result = _start(
        {},
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
    )
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path.endswith("/mail")
