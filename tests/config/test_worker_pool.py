"""A real prefork worker on the default (filesystem) broker: each pool process warms the PDF path
up and freezes it out of the garbage collector, and nothing warns about a missing hostname."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery

from config.celery_app import configure

ROOT = Path(__file__).resolve().parents[2]
WARMED = re.compile(r"Pool process (\d+) warmed up; (\d+) objects frozen")
NO_HOSTNAME = "No hostname was supplied"


class PoolWorker:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.log_path = var_dir / "worker.log"
        # The default settings: no broker or database URL, so a filesystem broker under VAR_DIR.
        env = {
            k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "DATABASE_URL"}
        }
        env.update({"VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings"})
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
                 "--concurrency", "2", "--loglevel", "INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def frozen_by_pid(self) -> dict[int, int]:
        return {int(pid): int(count) for pid, count in WARMED.findall(self.log)}

    def wait_for_pool(self, size: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while len(self.frozen_by_pid()) < size:
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"the pool did not warm up:\n{self.log}")
            time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGQUIT)  # cold shutdown: nothing left to finish
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def pool_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoolWorker]:
    worker = PoolWorker(tmp_path_factory.mktemp("pool-worker"))
    try:
        worker.wait_for_pool(2)
        yield worker
    finally:
        worker.stop()


def _parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))


@pytest.mark.worker
def test_each_pool_process_freezes_the_warmed_up_heap(pool_worker: PoolWorker) -> None:
    frozen = pool_worker.frozen_by_pid()
    assert len(frozen) == 2
    assert {_parent_of(pid) for pid in frozen} == {pool_worker.process.pid}
    # WeasyPrint, its fonts and the letter templates: far more than an empty interpreter holds.
    assert min(frozen.values()) > 10_000


@pytest.mark.worker
def test_a_worker_on_the_default_broker_does_not_warn_about_a_hostname(
    pool_worker: PoolWorker,
) -> None:
    assert "Connected to filesystem://" in pool_worker.log
    assert NO_HOSTNAME not in pool_worker.log


@pytest.mark.worker
def test_publishing_on_the_default_broker_does_not_warn_about_a_hostname(
    pool_worker: PoolWorker, settings, caplog, monkeypatch
) -> None:
    # A publisher with the worker's default settings: the same broker folder. Celery prefers a
    # CELERY_BROKER_URL in the environment (CI sets Redis) to its configuration: drop it.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.BROKER_DIR = pool_worker.var_dir / "broker"
    settings.VAR_DIR = pool_worker.var_dir
    publisher = Celery("publisher")
    configure(publisher)
    task_id = publisher.send_task("config.ping").id
    # The worker's log says when it ran the task: no result backend needed, and a loaded machine
    # gets time (the filesystem transport polls).
    deadline = time.monotonic() + 120
    while f"Task config.ping[{task_id}] succeeded" not in pool_worker.log:
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not run the task:\n{pool_worker.log}")
        time.sleep(0.2)
    assert NO_HOSTNAME not in caplog.text
    assert NO_HOSTNAME not in pool_worker.log
