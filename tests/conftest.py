"""Shared fixtures: the personas every view test walks through, and a real Celery worker."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

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
        app.conf.result_backend = f"file://{tmp_path_factory.mktemp('results')}"


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


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def front_desk_client(front_desk) -> Client:
    return _client_for(front_desk)


@pytest.fixture
def clinician_client(clinician) -> Client:
    return _client_for(clinician)


@pytest.fixture
def other_clinician_client(other_clinician) -> Client:
    return _client_for(other_clinician)


@pytest.fixture
def admin_client_(administrator) -> Client:
    return _client_for(administrator)


@pytest.fixture
def stranger_client(stranger) -> Client:
    return _client_for(stranger)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()
