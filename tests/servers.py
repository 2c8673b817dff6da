"""Real servers for fault tests: a redis-server on a free port that a test stops and starts, a
gunicorn with several workers and a Celery worker process, both on the test's database.

Processes that share the test's data need a database other processes can open: PostgreSQL (always
the case under CI=true). On the local SQLite default the test database lives in this process's
memory, so those tests are skipped there, never under CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, *, timeout: float = 20, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


class RedisServer:
    """A throw-away redis-server (no persistence) on its own port."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def celery_app_on(broker_url: str) -> Iterator[None]:
    """Point this process's Celery app at `broker_url`, configured as in production (no result
    backend named), and back. Celery caches its pools and backend, so they are dropped both ways."""
    from config.celery_app import app, configure

    def reconfigure() -> None:
        configure(app)
        # The environment's CELERY_BROKER_URL (CI) outranks broker_url; these outrank it.
        url = settings.CELERY_BROKER_URL if broker_url == settings.CELERY_BROKER_URL else None
        app.conf.update(broker_read_url=url, broker_write_url=url)
        app._pool = None
        app.amqp._producer_pool = None
        app._local.__dict__.pop("backend", None)

    saved = (settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND)
    settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND = broker_url, None
    reconfigure()
    try:
        yield
    finally:
        settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND = saved
        reconfigure()


@contextmanager
def celery_worker_process(tmp_path: Path, broker_url: str) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the test's database, its log in tmp_path/worker.log."""
    require_shared_database()
    env = server_env(CELERY_BROKER_URL=broker_url, VAR_DIR=str(tmp_path))
    with open(tmp_path / "worker.log", "wb") as log:
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while "ready." not in (tmp_path / "worker.log").read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "worker.log").read_text())
                time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def require_shared_database() -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true runs on PostgreSQL")
        pytest.skip("needs a database other processes can open: PostgreSQL (CI=true)")


_collected: dict[str, str] = {}


def collected_static() -> str:
    """DEBUG=false serves collectstatic's output (the manifest): collect once per run."""
    if "root" not in _collected:
        root = Path(os.environ.get("TMPDIR", "/tmp")) / f"clinic-static-{os.getpid()}"  # noqa: S108
        env = server_env(STATIC_ROOT=str(root), skip_static=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        _collected["root"] = str(root)
    return _collected["root"]


def server_env(*, skip_static: bool = False, **extra: str) -> dict[str, str]:
    """The environment of a process that serves the test's database."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        DEBUG="false",
        HTTPS="false",
        SECRET_KEY="test-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1",
        PRIVATE_STORAGE_DIR=str(settings.PRIVATE_STORAGE_DIR),
    )
    if not skip_static:
        env["STATIC_ROOT"] = collected_static()
    env.update(extra)
    return env


class Gunicorn:
    def __init__(self, process: subprocess.Popen, port: int, logs: Path) -> None:
        self.process, self.port, self.logs = process, port, logs
        self.url = f"http://127.0.0.1:{port}"

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs.iterdir())


@contextmanager
def gunicorn(tmp_path: Path, *, workers: int, **env: str) -> Iterator[Gunicorn]:
    """The documented web server (config/gunicorn.py) with its access and error logs and its
    stdout/stderr (where Django's logging goes) in files under tmp_path/logs."""
    require_shared_database()
    port = free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    env.setdefault("VAR_DIR", str(tmp_path / "var"))
    with open(logs / "stdout.log", "wb") as out, open(logs / "stderr.log", "wb") as err:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                str(logs / "access.log"),
                "--error-logfile",
                str(logs / "error.log"),
            ],
            cwd=ROOT,
            env=server_env(**env),
            stdout=out,
            stderr=err,
        )
        try:
            _wait_for_port(port, timeout=60, process=process)
            server = Gunicorn(process, port, logs)
            _wait_for_workers(server, workers)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for_workers(server: Gunicorn, workers: int) -> None:
    """Give every worker time to boot, so requests are spread over all of them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (server.logs / "error.log").read_text().count("Booting worker") >= workers:
            break
        time.sleep(0.1)
    http_get(server.url + "/accounts/login/")


def http_get(url: str, *, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local test server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
