"""Shared fixtures: the personas every view test walks through, and a real Celery worker."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ClinicianFactory, FrontDeskFactory, UserFactory

CI = os.environ.get("CI") == "true"


def pytest_configure(config: pytest.Config) -> None:
    # Under CI the suite must exercise the production services; a fallback would hide a gap.
    if not CI:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(f"CI=true needs PostgreSQL (DATABASE_URL), not {engine}.")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        raise pytest.UsageError("CI=true needs Redis (CELERY_BROKER_URL=redis://...).")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A worker thread or a live server reads committed rows, so those tests need a real
    # transaction. Each such test flushes the database when it ends; the serialized rollback
    # restores what the migrations created (the staff groups) when the next one starts.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = (
            "celery_worker" in fixtures
            or "live_server" in fixtures
            or "transactional_db" in fixtures
            or (marker is not None and marker.kwargs.get("transaction"))
        )
        if transactional:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path) -> None:  # noqa: PT004 - configures settings only
    # Argon2 is deliberately slow; tests that check the production hasher read the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_STORAGE_DIR = tmp_path / "private"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_guard() -> Iterator[None]:
    """A transactional test ends with a flush, which on SQLite empties each table with DELETE:
    the audit trail's trigger (audit/guard.py) refuses that, as it must for anyone else. Only the
    test runner's flush lifts the guard, and puts it back at once. (PostgreSQL's flush is
    TRUNCATE, which the guard lets through.)"""
    from django.db import connection

    from audit.guard import guard_create_sql, guard_drop_sql

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)  # noqa: N806 - the class it patches
    flush = DatabaseOperations.execute_sql_flush

    def flush_with_the_guard_lifted(self, sql_list) -> None:  # noqa: ANN001 - Django's signature
        with self.connection.cursor() as cursor:
            for statement in guard_drop_sql("sqlite"):
                cursor.execute(statement)
        try:
            flush(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for statement in guard_create_sql("sqlite"):
                    cursor.execute(statement)

    DatabaseOperations.execute_sql_flush = flush_with_the_guard_lifted
    yield
    DatabaseOperations.execute_sql_flush = flush


@pytest.fixture(scope="session", autouse=True)
def _isolated_broker(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the tests' tasks out of a developer's local queue (the filesystem broker under var/)."""
    from config.celery_app import app, filesystem_transport_options

    app.loader.import_default_modules()
    if app.conf.broker_url.startswith("filesystem"):
        folder = tmp_path_factory.mktemp("broker")
        app.conf.broker_transport_options = filesystem_transport_options(folder)


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[object]:
    """A real Celery worker (in a thread of this process) on the configured broker.

    The worker's thread has its own database connection, so the test's data must be committed;
    see pytest_collection_modifyitems for how the migrations' data survives the flush.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Point the Celery app at a closed port, as if the broker had gone away, then restore it.

    Celery caches its connection pools, so they are dropped on the way in and on the way out.
    """
    from config.celery_app import app

    keys = ("broker_url", "broker_read_url", "broker_write_url")
    saved = {key: app.conf[key] for key in keys}

    def drop_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(dict.fromkeys(keys, "redis://127.0.0.1:1/0"))
    drop_pools()
    try:
        yield
    finally:
        app.conf.update(saved)
        drop_pools()


# Personas -------------------------------------------------------------------------------------


@pytest.fixture
def front_desk(db):
    return FrontDeskFactory(username="desk")


@pytest.fixture
def clinician(db):
    return ClinicianFactory(username="doc")


@pytest.fixture
def other_clinician(db):
    return ClinicianFactory(username="doc2")


@pytest.fixture
def administrator(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def stranger(db):
    """Signed in, but with no role: sees nothing of any patient."""
    return UserFactory(username="nobody")


def sign_in(client: Client, user, *, second_factor: bool = True) -> Client:
    """Sign `user` in on `client` as a finished sign-in would: with `second_factor`, the session
    also holds a confirmed authenticator of theirs, as the verification page leaves it (the
    same session key django-otp's middleware reads); without, it has passed the password only."""
    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _signed_in_client(persona: str, *, name: str = ""):
    """A fixture named `<persona>_client`: a browser signed in as that persona's user."""

    # `db` is named here, not only reached through the persona's fixture: pytest-django orders
    # the tests by the fixtures they name, and a database test must run before the
    # transactional ones that flush the staff groups.
    @pytest.fixture(name=name or f"{persona}_client")
    def signed_in_client(db, request: pytest.FixtureRequest) -> Client:
        return sign_in(Client(), request.getfixturevalue(persona))

    return signed_in_client


front_desk_client = _signed_in_client("front_desk")
clinician_client = _signed_in_client("clinician")
other_clinician_client = _signed_in_client("other_clinician")
# Not `admin_client`: pytest-django's fixture of that name signs in a superuser of its own.
admin_client_ = _signed_in_client("administrator", name="admin_client_")
stranger_client = _signed_in_client("stranger")


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


# Signed in with the password but not (yet) with the second factor: these reach nothing but the
# verification or enrolment page (tests/matrix.py: VERIFY).


@pytest.fixture
def unverified_clinician_client(db) -> Client:
    """An enrolled clinician who has typed the password but not the code."""
    user = ClinicianFactory(username="doc-unverified")
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return sign_in(Client(), user, second_factor=False)


@pytest.fixture
def unenrolled_clinician_client(db) -> Client:
    """A clinician at the first sign-in: no authenticator app yet."""
    return sign_in(Client(), ClinicianFactory(username="doc-new"), second_factor=False)


@pytest.fixture
def unverified_administrator_client(db) -> Client:
    user = UserFactory(username="root-unverified", is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return sign_in(Client(), user, second_factor=False)
