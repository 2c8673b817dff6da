"""A real worker process killed with SIGKILL in the middle of a render: the letter is still made,
exactly once.

A `celery -A config worker --pool prefork` subprocess is started whose pool process kills itself
(SIGKILL) on its first render. The worker's main process gives the lost job up when the first of
billiard's lost-worker timeout (10 s: WorkerLostError, reject_on_worker_lost) or the task's hard
time limit (shortened to 6 s here: acks_on_timeout=False) expires, and puts the message back on
the queue either way. The redelivery reclaims the letter (Redis flags it as redelivered; with the
filesystem broker the task finds the dead worker's claim expired) and renders it.

The worker process must reach the test's database, so this needs PostgreSQL (CI=true runs it);
the same crash is simulated in-process for every database in test_tasks_render.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery_app import app, filesystem_transport_options
from referrals.models import Letter, Referral
from referrals.services.letters import referral_sign
from tests.referrals.factories import draft_referral

ROOT = Path(__file__).resolve().parents[2]

LAUNCHER = """
import os, signal, time
from pathlib import Path
import django
django.setup()
from referrals.services import letters
flag = Path(os.environ["CRASH_FLAG"])
render = letters.render_pdf
def render_or_die(template, context):
    if not flag.exists():
        flag.write_text(str(os.getpid()))
        time.sleep(1)  # well into the task, as the OOM killer would strike
        os.kill(os.getpid(), signal.SIGKILL)
    return render(template, context)
letters.render_pdf = render_or_die
from config.celery_app import app
app.worker_main(["worker", "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"])
"""

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="a worker process must open the test database: PostgreSQL only (CI=true)",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


@pytest.fixture
def broker_folder(tmp_path):
    """A broker both processes share: the configured Redis, or a filesystem folder under a
    VAR_DIR handed to the worker."""
    var_dir = tmp_path / "var"
    if not app.conf.broker_url.startswith("filesystem"):
        app.control.purge()
        yield var_dir
        app.control.purge()
        return
    saved = app.conf.broker_transport_options
    app.conf.broker_transport_options = filesystem_transport_options(var_dir / "broker")
    app._pool = None
    app.amqp._producer_pool = None
    yield var_dir
    app.conf.broker_transport_options = saved
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def crashing_worker(broker_folder, tmp_path):
    flag = tmp_path / "crashed-once"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "VAR_DIR": str(broker_folder),
        "PRIVATE_STORAGE_DIR": str(settings.PRIVATE_STORAGE_DIR),
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
        "CELERY_TASK_TIME_LIMIT": "6",
        "CRASH_FLAG": str(flag),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield flag
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


def _wait_for_ready(letter: Letter, timeout: float, log: Path) -> Letter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letter.refresh_from_db()
        if letter.status in (Letter.Status.READY, Letter.Status.FAILED):
            return letter
        time.sleep(0.2)
    raise AssertionError(f"letter still {letter.status}; worker log:\n{log.read_text()[-3000:]}")


def test_a_render_killed_with_its_process_is_redone_and_the_letter_exists_once(
    crashing_worker, tmp_path, clinician
) -> None:
    referral = draft_referral(clinician=clinician)

    referral_sign(referral=referral, user=clinician, now=timezone.now())  # publishes on commit
    letter = _wait_for_ready(
        Letter.objects.get(referral=referral), timeout=90, log=tmp_path / "worker.log"
    )

    assert crashing_worker.exists(), "the pool process never crashed"
    assert letter.status == Letter.Status.READY
    assert letter.attempts == 2
    assert Letter.objects.filter(referral=referral).count() == 1
    stored = list(Path(settings.PRIVATE_STORAGE_DIR).rglob("*.pdf"))
    assert [path.name for path in stored] == [Path(letter.file_name).name]
    assert not list(Path(settings.PRIVATE_STORAGE_DIR).rglob("*.part"))
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.READY
