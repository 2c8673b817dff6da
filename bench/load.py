"""Load test: 200 patients fill and submit their forms at once while 10 clinicians poll the queue,
review cases and sign referrals, against gunicorn + PostgreSQL + Redis + a Celery worker with two
processes, all on this machine.

    BENCH_LOAD_DB=w14_load BENCH_LOAD_BROKER=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/load.py [--patients 200] [--clinicians 10] [--seconds 600]

Bounded in count (--patients forms, each submitted once; clinicians stop when every case is
reviewed) and in time (--seconds for the whole run, then --drain-seconds for the letters).

1. Drops and creates the database $BENCH_LOAD_DB (never the test database), migrates it, and makes
   the clinicians, one destination per referral type and one visit with a fresh link per patient.
2. Starts gunicorn (gthread: --web-workers x --web-threads) and `celery worker --concurrency 2`
   on the broker $BENCH_LOAD_BROKER (a Redis database of its own, flushed first).
3. Runs the patients (one thread each, all started together) and the clinicians (one thread
   each: the queue page, the background poll, a case page, accept the triage, prepare the
   referral drafts, sign each; a case is taken by one clinician only).
4. Reports every request's status (an error is any status the flow does not expect, or a failed
   connection) and p50/p95 per page, then checks the database and the worker's log: every
   submitted history stored and triaged exactly once, every signed letter rendered exactly once.

The patient's link is opened by `open_link` alone (the step a date-of-birth confirmation would
join).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboard import Client, _cut, bench_authenticator  # noqa: E402
from bench.serve import free_port  # noqa: E402

DB_NAME = os.environ.get("BENCH_LOAD_DB", "bench_load")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BROKER = os.environ.get("BENCH_LOAD_BROKER", "redis://127.0.0.1:6379/15")
PASSWORD = "bench-load-clinician-2026"  # noqa: S105 - local benchmark accounts
BIN = Path(sys.executable).parent


class Recorder:
    """Every request's page label, status and time, from all threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.samples: list[str] = []

    def call(self, client: Client, label: str, method: str, path: str, *, expect=(200,), **kw):
        headers = kw.pop("headers", {}) or {}
        if method == "POST" and "csrftoken" in client.cookies:
            headers["X-CSRFToken"] = client.cookies["csrftoken"]
        try:
            status, head, body, ms = client.request(method, path, headers=headers, **kw)
        except OSError as exc:
            status, head, body, ms = 0, {}, str(exc).encode(), 0.0
        with self.lock:
            self.times[label].append(ms)
            if status not in expect:
                self.errors[label] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{label}: {method} {path} -> {status}")
        return status, head, body


# --- set-up ---------------------------------------------------------------------------------


def _database_fresh() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres") as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def setup(n_patients: int, n_clinicians: int) -> tuple[list[str], list[str]]:
    """The clinicians' usernames and one fresh link token per patient."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import StaffProfile
    from intake.models import Patient
    from intake.services import intake_create, invitation_create
    from referrals.models import Destination

    call_command("migrate", verbosity=0)
    group = Group.objects.get(name="Clinician")
    users = []
    for i in range(n_clinicians):
        user = get_user_model().objects.create_user(
            username=f"load-clinician-{i}", password=PASSWORD, first_name="Dr", last_name=f"L{i}"
        )
        user.groups.add(group)
        StaffProfile.objects.get_or_create(user=user)
        bench_authenticator(user)
        users.append(user.username)
    for code, label in Destination._meta.get_field("destination_type").choices:
        Destination.objects.create(
            destination_type=code, name=f"{label} (load test)", email=f"{code}@example.org"
        )
    now = timezone.now()
    tokens = []
    for i in range(n_patients):
        patient = Patient.objects.create(
            mrn=f"LOAD{i:05d}",
            first_name="Load",
            last_name=f"Runner{i}",
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i),
        )
        intake = intake_create(
            patient=patient, visit_date=now.date() + dt.timedelta(days=3), created_by=None
        )
        link = invitation_create(intake=intake, channel="copy", created_by=None, now=now)
        tokens.append((link.token, patient.date_of_birth))
    return users, tokens


# --- the patients ---------------------------------------------------------------------------


def open_link(rec: Recorder, client: Client, link: tuple[str, dt.date]) -> bool:
    """Open the patient's link: the token is traded for a session, the patient confirms their
    date of birth, then the form's start page."""
    token, born = link
    status, _, _ = rec.call(client, "patient: open link", "GET", f"/p/{token}/", expect=(302,))
    if status != 302:
        return False
    rec.call(client, "patient: date of birth page", "GET", "/form/confirm/")
    body = urlencode({"date_of_birth": born.isoformat()})
    status, _, _ = rec.call(
        client, "patient: date of birth", "POST", "/form/confirm/", body=body, expect=(302,)
    )
    if status != 302:
        return False
    status, _, _ = rec.call(client, "patient: form start", "GET", "/form/")
    return status == 200


def patient(
    rec: Recorder, port: int, link: tuple[str, dt.date], start: threading.Event, deadline: float
) -> None:
    from intake.questions import STEPS
    from tests.intake.factories import post_data

    client = Client(port)
    start.wait()
    if not open_link(rec, client, link):
        return
    for step in STEPS:
        if time.monotonic() > deadline:
            return
        body = urlencode(post_data(step.slug) | {"go": "next"}, doseq=True)
        status, _, _ = rec.call(
            client, "patient: save a step", "POST", f"/form/{step.slug}/", body=body, expect=(302,)
        )
        if status != 302:
            return
    rec.call(client, "patient: review answers", "GET", "/form/review/")
    rec.call(client, "patient: submit", "POST", "/form/submit/", body="", expect=(302,))
    rec.call(client, "patient: done page", "GET", "/form/done/")


# --- the clinicians -------------------------------------------------------------------------


class Cases:
    """Which cases a clinician has taken, so that two never review the same one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.taken: set[int] = set()

    def take(self, ids: list[int]) -> int | None:
        with self.lock:
            for pk in ids:
                if pk not in self.taken:
                    self.taken.add(pk)
                    return pk
        return None


def clinician(
    rec: Recorder, port: int, username: str, cases: Cases, done: threading.Event, deadline: float
) -> None:
    from intake.models import Intake
    from referrals.models import Destination, Referral

    referral_types = {code for code, _ in Destination._meta.get_field("destination_type").choices}
    client = Client(port)
    client.login(username, PASSWORD)  # the sign-in itself is not timed: Argon2 is slow by design
    since = dt.datetime.now(dt.UTC).isoformat()
    while time.monotonic() < deadline:
        _, _, page = rec.call(client, "clinician: queue", "GET", "/review/")
        rec.call(
            client,
            "clinician: background poll",
            "GET",
            "/review/updates/?" + urlencode({"since": since}),
            expect=(200, 204),
            headers={"X-Background-Poll": "1"},
        )
        pk = cases.take([int(i) for i in re.findall(rb'data-intake="(\d+)"', page)])
        if pk is None:
            if done.is_set():
                return
            time.sleep(1.0)  # a clinician between cases
            continue
        rec.call(client, "clinician: case page", "GET", f"/review/case/{pk}/")
        # What the case page's form carries (read here rather than parsed out of the HTML).
        intake = Intake.objects.select_related("current_triage").get(pk=pk)
        accept = urlencode({"triage_record": intake.current_triage_id, "decision": "accepted"})
        status, _, _ = rec.call(
            client,
            "clinician: accept triage",
            "POST",
            f"/review/case/{pk}/review/",
            body=accept,
            expect=(302,),
        )
        wanted = [a for a in intake.current_triage.actions if a in referral_types]
        if status != 302 or not wanted:
            continue
        rec.call(
            client,
            "clinician: prepare drafts",
            "POST",
            f"/review/case/{pk}/referrals/new/",
            body=urlencode({"destination_types": wanted}, doseq=True),
            expect=(302,),
        )
        for referral in Referral.objects.filter(intake_id=pk, status=Referral.Status.DRAFT):
            rec.call(
                client,
                "clinician: sign referral",
                "POST",
                f"/review/referrals/{referral.pk}/sign/",
                body=urlencode({"confirm": "on"}),
                expect=(302,),
            )


# --- checks -----------------------------------------------------------------------------------


def check(n_patients: int, worker_log: Path, drain_seconds: int, out) -> list[str]:  # noqa: ANN001
    from django.db.models import Count

    from audit.models import AuditEvent
    from intake.models import Intake, TriageRecord
    from referrals.models import Letter, Referral

    problems = []
    submitted = Intake.objects.filter(status=Intake.Status.SUBMITTED, history__isnull=False)
    if submitted.count() != n_patients:
        problems.append(f"{submitted.count()} of {n_patients} histories stored")
    per_intake = Counter(
        dict(TriageRecord.objects.values_list("intake_id").annotate(n=Count("id")))
    )
    twice = [pk for pk, n in per_intake.items() if n != 1]
    untriaged = submitted.filter(current_triage__isnull=True).count()
    if twice or untriaged:
        problems.append(f"triage runs not exactly one: {len(twice)} twice, {untriaged} none")
    submits = Counter(
        AuditEvent.objects.filter(action="intake.submitted").values_list("intake_id", flat=True)
    )
    if any(n != 1 for n in submits.values()) or len(submits) != submitted.count():
        problems.append("intake.submitted audit rows are not one per history")

    signed = Letter.objects.filter(referral__isnull=False)
    deadline = time.monotonic() + drain_seconds
    while signed.exclude(status=Letter.Status.READY).exists() and time.monotonic() < deadline:
        time.sleep(2)
    not_ready = signed.exclude(status=Letter.Status.READY).count()
    rendered = Counter(re.findall(r"Letter (\d+) rendered in", worker_log.read_text()))
    letters = list(signed.values_list("id", "attempts"))
    renders = [rendered.get(str(pk), 0) for pk, _ in letters]
    if not_ready:
        problems.append(f"{not_ready} signed letters not ready after {drain_seconds} s")
    if any(n != 1 for n in renders):
        problems.append(f"letters rendered other than once: {Counter(renders)}")
    per_referral = Counter(signed.values_list("referral_id", flat=True))
    if any(n != 1 for n in per_referral.values()):
        problems.append("a signed referral has more than one letter")
    out.write(
        f"\nStored and triaged: {submitted.count()} of {n_patients} histories, "
        f"{len(per_intake)} triage records. Signed referrals: "
        f"{Referral.objects.exclude(status=Referral.Status.DRAFT).count()}, letters: "
        f"{len(letters)}, ready: {len(letters) - not_ready}, render log lines: "
        f"{sum(renders)}.\n"
    )
    return problems


# --- main -----------------------------------------------------------------------------------


def main() -> None:  # noqa: PLR0915 - one run, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--clinicians", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=600, help="time bound of the load")
    parser.add_argument("--drain-seconds", type=int, default=300, help="then, for the letters")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=8)
    args = parser.parse_args()
    out = sys.stdout

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER,
        "DEBUG": "true",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "INFO",
        "VAR_DIR": str(work),
        "PRIVATE_STORAGE_DIR": str(work / "private"),
        # All 200 patients come from 127.0.0.1: the per-address link throttle would refuse them.
        "TOKEN_ATTEMPTS_PER_MINUTE": "100000",
        "AXES_FAILURE_LIMIT": "1000",
    }
    _database_fresh()
    _django(env)
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    load_before = os.getloadavg()
    users, tokens = setup(args.patients, args.clinicians)
    from django.db import connection

    connection.close()

    port = free_port()
    worker_log = work / "worker.log"
    procs = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(args.web_workers),
                "--threads",
                str(args.web_threads),
                "--backlog",
                "512",
            ],
            cwd=ROOT,
            env=os.environ | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "2", "-l", "INFO"],
            cwd=ROOT,
            env=os.environ | env,
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        for _ in range(300):  # wait for gunicorn
            try:
                Client(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        rec = Recorder()
        cases = Cases()
        start, done = threading.Event(), threading.Event()
        deadline = time.monotonic() + args.seconds
        started = time.perf_counter()
        patients = [
            threading.Thread(target=patient, args=(rec, port, t, start, deadline)) for t in tokens
        ]
        clinicians = [
            threading.Thread(target=clinician, args=(rec, port, u, cases, done, deadline))
            for u in users
        ]
        for thread in patients + clinicians:
            thread.start()
        start.set()
        for thread in patients:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        patients_s = time.perf_counter() - started
        done.set()
        for thread in clinicians:
            thread.join(timeout=max(0.0, deadline - time.monotonic()) + 30)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()

        total = sum(len(v) for v in rec.times.values())
        errors = sum(rec.errors.values())
        out.write(
            f"{args.patients} patients, {args.clinicians} clinicians; gunicorn gthread "
            f"{args.web_workers}x{args.web_threads}, celery worker --concurrency 2, PostgreSQL "
            f"and Redis on 127.0.0.1; {os.cpu_count()} CPUs shared with other work (load average "
            f"{load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f} before, "
            f"{load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f} after).\n"
            f"Patients done in {patients_s:.0f} s, clinicians in {elapsed:.0f} s. "
            f"Requests: {total}, errors: {errors} ({100 * errors / max(total, 1):.2f} %).\n\n"
            f"{'page':<32}{'requests':>9}{'errors':>8}{'p50':>9}{'p95':>9}  (ms, client side)\n"
        )
        for label in sorted(rec.times):
            p50, p95 = _cut(rec.times[label])
            out.write(
                f"{label:<32}{len(rec.times[label]):>9}{rec.errors[label]:>8}{p50:>9.0f}{p95:>9.0f}\n"
            )
        for sample in rec.samples:
            out.write(f"  error: {sample}\n")
        problems = check(args.patients, worker_log, args.drain_seconds, out)
        for problem in problems:
            out.write(f"PROBLEM: {problem}\n")
        out.write("Checks: " + ("all passed\n" if not problems else "FAILED\n"))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
