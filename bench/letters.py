"""Letters per minute, sign-to-ready latency, warm render time (wall and CPU) and worker memory,
with real Celery workers on PostgreSQL and Redis.

CPU time is the figure to compare runs by: the worker logs each render's `time.process_time()`
besides its wall time, and wall time on a shared machine swung 158-607 letters/min for one code.

    .venv/bin/python bench/letters.py [--burst 200] [--idle 60] [--per-child 1000]

What it does, on this machine:
1. (Re)creates the PostgreSQL database `bench_letters` (never `test`), migrates it, empties Redis
   database 5, and seeds reviewed cases with a typical history (~30 history lines, foot map,
   training-load chart, 11 triage reasons): one X-ray referral draft each.
2. Starts a Celery worker with --concurrency 2 (two prefork worker processes) against them, with
   DEBUG's query log off (as in production) and worker_max_tasks_per_child raised so that the
   memory figure shows the code's growth, not the backstop's recycling.
3. Idle worker: signs --idle referrals one at a time, each waited for: sign -> ready p50/p95, and
   the warm render time inside the worker (the worker logs each render's duration).
4. Burst: signs --burst referrals at once: letters per minute (first signature to last ready),
   sign -> ready p50/p95 under load.
5. Memory: keeps signing until each worker process has rendered --per-child letters; each
   process's resident memory at its 100th and at its --per-child-th render.
6. Floor: the same letter's HTML rendered by bare WeasyPrint (`HTML(string=...).write_pdf()`,
   same stylesheet and image fetcher, WeasyPrint's defaults otherwise) in this warm process,
   and the ratio of the worker's warm render to it.
Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS (default
redis://127.0.0.1:6379/5), BENCH_DIR (default var/bench-letters).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "bench_letters"
PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/5")
WORK = Path(os.environ.get("BENCH_DIR", str(ROOT / "var" / "bench-letters")))
ENV = {
    "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
    "CELERY_BROKER_URL": REDIS_URL,
    "CELERY_RESULT_BACKEND": REDIS_URL,
    "VAR_DIR": str(WORK / "var"),
    "PRIVATE_STORAGE_DIR": str(WORK / "private"),
    "CELERY_WORKER_MAX_TASKS_PER_CHILD": "100000",
    "LOG_LEVEL": "INFO",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
os.environ.update(ENV)  # before Django reads its settings

import django  # noqa: E402

django.setup()
# DEBUG stays on for its static-files storage (collectstatic needs the manifest, which the vendored
# bootstrap's missing source map currently breaks) but its per-query log is switched off in every
# process, as in production: it would otherwise grow each process by ~9 MB of SQL text.
from django.conf import settings  # noqa: E402

settings.DEBUG = False
WORKER_LAUNCHER = """
import django
django.setup()
from django.conf import settings
settings.DEBUG = False
from config.celery_app import app
app.worker_main(["worker", "--concurrency", "2", "--loglevel", "INFO", "--without-gossip",
                 "--without-mingle", "-n", "bench-letters@%h"])
"""

import psycopg  # noqa: E402
import redis  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from accounts.models import StaffProfile  # noqa: E402
from accounts.roles import CLINICIAN  # noqa: E402
from bench.histories import typical_runner  # noqa: E402
from intake import triage  # noqa: E402
from intake.models import Intake, Patient, TriageRecord  # noqa: E402
from referrals.models import CaseReview, Destination, Letter, Referral  # noqa: E402
from referrals.pdf import (  # noqa: E402
    ASSET_BASE_URL,
    StaticOnlyURLFetcher,
    print_css,
    render_letter_html,
    render_pdf,
)
from referrals.selectors.letters import letter_document  # noqa: E402
from referrals.services.letters import referral_sign  # noqa: E402

TARGET_RENDER_MS = 150
TARGET_RATIO = 1.2
TARGET_PER_MINUTE = 500
TARGET_P95_SECONDS = 2.0
TARGET_MEMORY_GROWTH = 0.10
RENDERED = re.compile(
    r"Letter (\d+) rendered in ([\d.]+) ms, ([\d.]+) ms CPU \((\d+) bytes, attempt \d+, pid (\d+)\)"
)

TYPICAL_HISTORY = typical_runner()


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def recreate_database() -> None:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')
    call_command("migrate", verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()


def seed(count: int, *, start: int, clinician, destination: Destination) -> list[int]:
    """`count` reviewed cases with one X-ray draft each, in bulk; returns the referral ids."""
    result = triage.triage(TYPICAL_HISTORY).to_dict()
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(
            mrn=f"BENCH{start + i:06d}",
            first_name="Runner",
            last_name=f"Number{start + i}",
            date_of_birth="1990-05-17",
        )
        for i in range(count)
    )
    intakes = Intake.objects.bulk_create(
        Intake(
            patient=patient,
            visit_date=now.date(),
            status=Intake.Status.SUBMITTED,
            history=TYPICAL_HISTORY,
            submitted_at=now,
        )
        for patient in patients
    )
    records = TriageRecord.objects.bulk_create(
        TriageRecord.from_result(intake, result) for intake in intakes
    )
    for intake, record in zip(intakes, records, strict=True):
        intake.current_triage = record
        intake.triage_disposition = record.disposition
        intake.triage_priority = 1
    Intake.objects.bulk_update(
        intakes, ["current_triage", "triage_disposition", "triage_priority"], batch_size=500
    )
    CaseReview.objects.bulk_create(
        CaseReview(
            intake=intake,
            triage_record=record,
            decision=CaseReview.Decision.ACCEPTED,
            disposition=record.disposition,
            actions=record.actions,
            notes="Seen today: tender 3rd metatarsal shaft, marathon in six weeks.",
            reviewed_by=clinician,
            reviewed_at=now,
        )
        for intake, record in zip(intakes, records, strict=True)
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            intake=intake,
            destination_type="xray",
            destination=destination,
            clinical_question="Stress fracture of the third metatarsal shaft?",
            notes="Marathon in six weeks; please report to the clinic by e-mail.",
            clinician=clinician,
        )
        for intake in intakes
    )
    return [referral.pk for referral in referrals]


class Worker:
    """`celery -A config worker --concurrency 2`, its log, and its pool processes."""

    def __init__(self) -> None:
        self.log_path = WORK / "worker.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER_LAUNCHER],
            cwd=ROOT,
            env={**os.environ, **ENV},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._offset = 0
        self.renders: dict[int, tuple[float, float, int]] = {}  # letter -> (ms, CPU ms, pid)
        self.count_by_pid: dict[int, int] = defaultdict(int)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise SystemExit("the worker did not start; see " + str(self.log_path))

    def read_log(self) -> None:
        with self.log_path.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        cut = data.rfind(b"\n") + 1
        self._offset += cut
        for match in RENDERED.finditer(data[:cut].decode(errors="replace")):
            letter_id, ms, cpu_ms, _size, pid = match.groups()
            self.renders[int(letter_id)] = (float(ms), float(cpu_ms), int(pid))
            self.count_by_pid[int(pid)] += 1

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def sign(referral_ids: list[int], clinician) -> None:
    for referral in Referral.objects.filter(pk__in=referral_ids).order_by("pk"):
        referral_sign(referral=referral, user=clinician, now=timezone.now())


def wait_ready(referral_ids: list[int], worker: Worker, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Letter.objects.filter(
            referral_id__in=referral_ids, status__in=(Letter.Status.READY, Letter.Status.FAILED)
        ).count()
        worker.read_log()
        if done == len(referral_ids):
            failed = Letter.objects.filter(
                referral_id__in=referral_ids, status=Letter.Status.FAILED
            ).count()
            if failed:
                raise SystemExit(f"{failed} letters failed; see {worker.log_path}")
            return
        time.sleep(0.02)
    raise SystemExit("timed out waiting for letters; see " + str(worker.log_path))


def sign_to_ready(referral_ids: list[int]) -> list[float]:
    rows = Letter.objects.filter(referral_id__in=referral_ids).values_list(
        "referral__signed_at", "finished_at"
    )
    return sorted((finished - signed).total_seconds() for signed, finished in rows)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def render_ms(worker: Worker, referral_ids: list[int], *, cpu: bool = False) -> list[float]:
    """The worker's own timing of each render (wall clock, or its process's CPU time)."""
    letter_ids = Letter.objects.filter(referral_id__in=referral_ids).values_list("pk", flat=True)
    return [worker.renders[pk][1 if cpu else 0] for pk in letter_ids if pk in worker.renders]


def floor(letter: Letter, runs: int) -> dict[str, float]:
    """p50s (wall and CPU ms) of bare WeasyPrint on the same HTML, and of our render_pdf, in
    this process."""
    template, context = letter_document(letter)
    html = render_letter_html(template, context)
    css = print_css()

    def bare() -> bytes:
        document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=StaticOnlyURLFetcher())
        return document.write_pdf(stylesheets=[CSS(string=css)])

    def ours() -> bytes:
        return render_pdf(template, context)

    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(3):
        bare(), ours()
    for _ in range(runs):  # interleaved, so both see the same machine
        for name, function in (("bare", bare), ("ours", ours)):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            timings[name].append((time.perf_counter() - wall) * 1000)
            timings[f"{name} cpu"].append((time.process_time() - cpu) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--idle", type=int, default=60)
    parser.add_argument("--per-child", type=int, default=1000)
    parser.add_argument("--floor-runs", type=int, default=30)
    args = parser.parse_args()
    # `timeout` or a CI job stops the bench with SIGTERM: exit through the `finally` that stops
    # the worker, or its pool goes on rendering, orphaned, on a shared machine.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK.mkdir(parents=True, exist_ok=True)
    load_at_start = os.getloadavg()[0]

    say(f"Database {DB_NAME} on {PG_URL}, broker {REDIS_URL}, files under {WORK}")
    recreate_database()
    user = get_user_model().objects.create_user("bench-clinician", first_name="Dr Bench")
    user.groups.add(Group.objects.get(name=CLINICIAN))
    StaffProfile.objects.create(
        user=user, job_title="Sports physician", registration_number="GMC 7000000"
    )
    destination = Destination.objects.create(
        destination_type="xray",
        name="Riverside Radiology",
        address="2 Hospital Lane\nRiverside RS1 3CD",
        email="radiology@example.org",
    )
    next_id = 0

    def drafts(count: int) -> list[int]:
        nonlocal next_id
        ids = seed(count, start=next_id, clinician=user, destination=destination)
        next_id += count
        return ids

    warmup, idle, burst = drafts(10), drafts(args.idle), drafts(args.burst)
    worker = Worker()
    try:
        worker.wait_ready()
        sign(warmup, user)
        wait_ready(warmup, worker)

        for referral_id in idle:  # one at a time, each waited for: an idle worker
            sign([referral_id], user)
            wait_ready([referral_id], worker)
        idle_latency = sign_to_ready(idle)
        idle_render = render_ms(worker, idle)
        idle_render_cpu = render_ms(worker, idle, cpu=True)

        started = time.monotonic()
        sign(burst, user)
        signed_in = time.monotonic() - started
        wait_ready(burst, worker)
        rows = Letter.objects.filter(referral_id__in=burst).values_list(
            "referral__signed_at", "finished_at"
        )
        first_signed = min(signed for signed, _ in rows)
        last_ready = max(finished for _, finished in rows)
        span = (last_ready - first_signed).total_seconds()
        per_minute = len(burst) / span * 60
        burst_latency = sign_to_ready(burst)
        burst_render = render_ms(worker, burst)
        burst_render_cpu = render_ms(worker, burst, cpu=True)

        # Memory: every pool process to --per-child renders; RSS read at its 100th and last.
        memory: dict[int, dict[int, float]] = defaultdict(dict)
        marks = (100, args.per_child)
        total_signed = len(warmup) + len(idle) + len(burst)
        while len(worker.count_by_pid) < 2 or min(worker.count_by_pid.values()) < marks[-1]:
            if total_signed > 2 * marks[-1] + 2000:
                raise SystemExit("the pool processes never reached the mark; see the log")
            chunk = drafts(100)
            sign(chunk, user)
            total_signed += len(chunk)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                worker.read_log()
                for pid, count in list(worker.count_by_pid.items()):
                    for mark in marks:
                        if count >= mark and mark not in memory[pid]:
                            memory[pid][mark] = rss_mb(pid)
                pending = Letter.objects.filter(referral_id__in=chunk).exclude(
                    status=Letter.Status.READY
                )
                if not pending.exists():
                    break
                time.sleep(0.05)
        worker.read_log()
        renders_by_pid = dict(worker.count_by_pid)
    finally:
        worker.stop()

    sample = Letter.objects.filter(referral_id=burst[0]).get()
    floors = floor(sample, args.floor_runs)
    size = sample.size

    idle_render_p50 = statistics.median(idle_render)
    idle_p95 = percentile(idle_latency, 0.95)
    say()
    say(f"Letter: typical X-ray referral, {size} bytes; 2 pages, foot map, chart, 32 lines")
    say(f"Machine: {os.cpu_count()} CPUs; worker --concurrency 2 (prefork), PostgreSQL, Redis")
    load_at_end = os.getloadavg()[0]
    say(f"Load average (1 min): {load_at_start:.2f} at the start, {load_at_end:.2f} at the end")
    say()
    say(f"Idle worker, {len(idle)} letters signed one at a time:")
    say(
        f"  sign -> ready  p50 {statistics.median(idle_latency):.2f} s  p95 {idle_p95:.2f} s"
        f"  (target p95 <= {TARGET_P95_SECONDS} s: {verdict(idle_p95 <= TARGET_P95_SECONDS)})"
    )
    say(
        f"  warm render in the worker (template -> PDF)  p50 {idle_render_p50:.0f} ms"
        f"  p95 {percentile(idle_render, 0.95):.0f} ms"
        f"  (target p50 <= {TARGET_RENDER_MS} ms: {verdict(idle_render_p50 <= TARGET_RENDER_MS)})"
    )
    say(
        f"  the same renders in CPU time of the worker process  p50"
        f" {statistics.median(idle_render_cpu):.0f} ms  p95 {percentile(idle_render_cpu, 0.95):.0f} ms"
        "  (wall minus CPU = time the process waited for a CPU)"
    )
    say()
    say(f"Burst of {len(burst)} letters signed at once (signing took {signed_in:.1f} s):")
    say(
        f"  {per_minute:.0f} letters per minute ({span:.1f} s from first signature to last"
        f" letter; target >= {TARGET_PER_MINUTE}: {verdict(per_minute >= TARGET_PER_MINUTE)})"
    )
    say(
        f"  sign -> ready  p50 {statistics.median(burst_latency):.2f} s"
        f"  p95 {percentile(burst_latency, 0.95):.2f} s"
    )
    say(
        f"  render in the worker with both processes busy  p50"
        f" {statistics.median(burst_render):.0f} ms  p95 {percentile(burst_render, 0.95):.0f} ms"
        f"  (CPU p50 {statistics.median(burst_render_cpu):.0f} ms"
        f"  p95 {percentile(burst_render_cpu, 0.95):.0f} ms)"
    )
    say()
    say(f"Floor: bare WeasyPrint on the same HTML in one warm process, {args.floor_runs} runs:")
    ratio = idle_render_p50 / floors["bare"]
    say(
        f"  bare HTML(string=...).write_pdf()  p50 {floors['bare']:.0f} ms ({floors['bare cpu']:.0f} ms CPU)"
    )
    say(
        f"  referrals.pdf.render_pdf in the same process  p50 {floors['ours']:.0f} ms"
        f" ({floors['ours cpu']:.0f} ms CPU): {floors['ours'] / floors['bare']:.2f}x bare"
    )
    say(
        f"  worker warm render / bare = {ratio:.2f}x"
        f"  (target <= {TARGET_RATIO}x: {verdict(ratio <= TARGET_RATIO)});"
        f" in CPU time {statistics.median(idle_render_cpu) / floors['bare cpu']:.2f}x"
    )
    say()
    say("Worker memory (resident set of each pool process):")
    for pid, marks_mb in sorted(memory.items()):
        first, last = marks_mb.get(marks[0]), marks_mb.get(marks[-1])
        if first is None or last is None:
            continue
        growth = (last - first) / first
        say(
            f"  pid {pid}: {first:.1f} MB at render {marks[0]}, {last:.1f} MB at render"
            f" {marks[-1]} ({growth:+.1%}; target < {TARGET_MEMORY_GROWTH:.0%}:"
            f" {verdict(growth < TARGET_MEMORY_GROWTH)}); {renders_by_pid.get(pid, 0)} renders"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
