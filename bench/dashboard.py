"""Server time of the review dashboard at 100,000 intakes on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--intakes 100000] [--requests 50] [--reseed]

1. Creates (once) the database `bench_dashboard` on 127.0.0.1:5432 as user postgres (never the
   `test` database), migrates it, and seeds it with bulk_create in batches: patients, intakes
   with random schema-valid histories triaged by the real engine, their triage records, reviews
   for most of them (every review state) and a few audit events each. Seeding is skipped when the
   database already holds that many intakes (--reseed forces it).
2. Serves the app with gunicorn (2 sync workers, DEBUG=true, CONN_MAX_AGE=60) on a free loopback
   port, signs in through the login form as a clinician.
3. Times a bounded loop of requests for each page: the queue's first page, a filtered page, a
   name/MRN search, the background poll, and case pages. Server time is gunicorn's own request
   duration (%(D)s in its access log); client time (loopback, connection included) is shown
   next to it. Target: p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.histories import Mix, random_history  # noqa: E402
from bench.serve import free_port, gunicorn  # noqa: E402

DB_NAME = "bench_dashboard"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
TARGET_P95_MS = 150.0
BATCH = 5000
USERNAME = "bench-clinician"
PASSWORD = "bench-clinician-password-2026"  # noqa: S105 - a local benchmark account

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better than 60 quoted strings
    "Ada Alex Amir Ana Ben Bea Cara Chen Dan Dara Eli Emma Femi Finn Gina Hana Hugo Ines "
    "Ivan Jack Jana Jin Kai Kara Leo Lena Liam Lina Mara Maya Nia Noah Omar Olga Pia Raj "
    "Rosa Sam Sara Tom Tara Uma Vera Wei Yara Yusuf Zoe Zara Noor"
).split()
LAST_NAMES_STEMS = (  # noqa: SIM905 - a word list reads better than 60 quoted strings
    "Strider Pacer Hill Tempo Miles Sprint Trail Track Relay Steeple Okafor Marsh Patel Sato "
    "Novak Fischer Romano Lindqvist Okoro Morgan Smith Jones Brown Taylor Wilson Evans "
    "Walker Wright Green Hall Wood Clarke Khan Ahmed Ali Singh Kowalski Nowak Garcia Martin "
    "Rossi Muller Schmidt Dubois Moreau Costa Silva Santos Ivanova Petrov Tanaka Suzuki Kim "
    "Park Lee Nguyen Tran Chen Wang Zhang Liu Murphy Kelly Byrne Walsh"
).split()
SUFFIXES = ("", "son", "er", "ley", "ford", "ton", "well", "field", "by", "ham", "s", "worth")


def _database_ready() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres") as conn:
        conn.autocommit = True
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- seeding ----------------------------------------------------------------------------------


# Dashboard seeds answer less and say yes less often than the triage bench's worst case.
SEED_MIX = Mix(
    section_present=0.7,
    field_present=0.5,
    boolean_true=0.08,
    decimals=0.0,
    list_lengths=(0, 1, 1, 2),
)


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES_STEMS) + rng.choice(SUFFIXES)


def seed(n: int, rng: random.Random, out) -> None:  # noqa: ANN001 - a text stream
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import StaffProfile
    from audit.models import AuditEvent
    from intake import triage as engine
    from intake.models import Intake, Patient, TriageRecord
    from referrals.models import CaseReview

    priority = {d.code: d.priority for d in engine.DISPOSITIONS}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE audit_auditevent, referrals_casereview, intake_triagerecord, "
            "intake_intake, intake_patient RESTART IDENTITY CASCADE"
        )
    users = get_user_model()
    clinician, _ = users.objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Dr Bench", "last_name": "Marker"}
    )
    clinician.set_password(PASSWORD)
    clinician.save()
    clinician.groups.add(Group.objects.get(name="Clinician"))
    StaffProfile.objects.get_or_create(user=clinician)

    now = timezone.now()
    today = timezone.localdate()
    patients = []
    for i in range(int(n * 0.8)):
        first, last = _name(rng)
        patients.append(
            Patient(
                mrn=f"{rng.choice('ABCDEFGHJK')}{1000000 + i}",
                first_name=first,
                last_name=last,
                date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000)),
            )
        )
    with transaction.atomic():
        Patient.objects.bulk_create(patients, batch_size=BATCH)
    out.write(f"  patients: {len(patients):,} ({time.perf_counter() - started:.0f} s)\n")

    intakes, results = [], []
    for _ in range(n):
        visit = today + dt.timedelta(days=rng.randint(-700, 30))
        submitted = rng.random() < 0.97
        history = random_history(rng, SEED_MIX) if submitted else None
        result = engine.triage(history).to_dict() if submitted else None
        results.append(result)
        submitted_at = dt.datetime.combine(
            visit - dt.timedelta(days=rng.randint(1, 6)),
            dt.time(rng.randint(6, 22), rng.randint(0, 59), rng.randint(0, 59)),
            tzinfo=dt.UTC,
        )
        intakes.append(
            Intake(
                patient=rng.choice(patients),
                visit_date=visit,
                status=Intake.Status.SUBMITTED if submitted else Intake.Status.IN_PROGRESS,
                history=history,
                answers=history or {},
                submitted_at=min(submitted_at, now) if submitted else None,
                triage_priority=priority[result["disposition"]] if result else None,
                triage_disposition=result["disposition"] if result else "",
            )
        )
    with transaction.atomic():
        Intake.objects.bulk_create(intakes, batch_size=BATCH)
        records = [
            TriageRecord.from_result(intake, r)
            for intake, r in zip(intakes, results, strict=True)
            if r is not None
        ]
        TriageRecord.objects.bulk_create(records, batch_size=BATCH)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE intake_intake i SET current_triage_id = t.id "
                "FROM intake_triagerecord t WHERE t.intake_id = i.id"
            )
    out.write(f"  intakes and triage records: {n:,} ({time.perf_counter() - started:.0f} s)\n")

    # Most submitted cases were reviewed long ago; the recent ones wait.
    states = ["reviewed"] * 2 + ["referral_signed"] + ["letter_ready"] + ["sent"] * 6
    reviews, events = [], []
    for intake, record in zip((i for i in intakes if i.history), records, strict=True):
        if intake.visit_date > today - dt.timedelta(days=30) and rng.random() < 0.7:
            continue
        if rng.random() < 0.1:
            continue
        reviews.append(
            CaseReview(
                intake=intake,
                triage_record=record,
                decision="accepted",
                disposition=record.disposition,
                actions=record.actions,
                state=rng.choice(states),
                reviewed_by=clinician,
                reviewed_at=intake.submitted_at + dt.timedelta(hours=rng.randint(1, 48)),
            )
        )
        for action in ("case.viewed", "review.accepted"):
            events.append(
                AuditEvent(actor=clinician, action=action, intake=intake, ip_address="10.0.0.1")
            )
    with transaction.atomic():
        CaseReview.objects.bulk_create(reviews, batch_size=BATCH)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        with connection.cursor() as cursor:  # what referrals.services.review keeps in step
            cursor.execute(
                "UPDATE intake_intake i SET reviewed_at = r.reviewed_at "
                "FROM referrals_casereview r WHERE r.intake_id = i.id"
            )
    out.write(
        f"  reviews: {len(reviews):,}, audit events: {len(events):,} "
        f"({time.perf_counter() - started:.0f} s)\n"
    )


# --- serving and timing -----------------------------------------------------------------------


class Client:
    """A tiny HTTP client with a cookie jar (one connection per request, as gunicorn's sync
    workers close it anyway)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        head.update(headers or {})
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data, elapsed

    def login(self) -> None:
        status, _, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD})
        status, headers, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Login failed ({status}).")


def _server_times(log: Path, offset: int) -> tuple[list[float], int]:
    text = log.read_text()
    times = [int(m) / 1000 for m in re.findall(r" (\d+)us$", text[offset:], flags=re.M)]
    return times, len(text)


def _cut(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


def measure(args: argparse.Namespace, out) -> bool:  # noqa: ANN001 - a text stream
    from intake.models import Intake

    rng = random.Random(args.seed + 1)
    submitted = list(
        Intake.objects.filter(status="submitted").values_list("id", flat=True).order_by("?")[:500]
    )
    names = list(
        Intake.objects.filter(pk__in=submitted[:200]).values_list(
            "patient__last_name", "patient__mrn"
        )
    )
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-dashboard-", suffix=".log")[1])
    env = os.environ | {
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "true",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": tempfile.mkdtemp(prefix="bench-dashboard-var-"),
    }
    server = gunicorn(
        port=port,
        env=env,
        workers=args.workers,
        options=[
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)sus",
        ],
    )
    try:
        client = Client(port)
        client.login()
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
        today = dt.datetime.now(dt.UTC).date()
        scenarios = {
            "queue, first page": lambda i: "/review/",
            "queue, filtered (xray, all states, 90-day visit range)": lambda i: (
                "/review/?"
                + urlencode(
                    {
                        "disposition": "xray",
                        "state": "all",
                        "visit_from": str(today - dt.timedelta(days=90)),
                        "visit_to": str(today),
                        "page": 1 + i % 3,
                    }
                )
            ),
            "queue, all states, a deep page (200-249)": lambda i: (
                f"/review/?state=all&page={200 + i}"
            ),
            "queue, red flags, sent": lambda i: "/review/?red_flag=yes&state=sent",
            "queue, search by name or MRN prefix": lambda i: (
                "/review/?"
                + urlencode(
                    {
                        "state": "all",
                        "q": names[i % len(names)][0][:4]
                        if i % 2
                        else names[i % len(names)][1][:5],
                    }
                )
            ),
            "queue, background poll": lambda i: (
                "/review/updates/?" + urlencode({"since": since, "seen": "x"})
            ),
            "case page": lambda i: f"/review/case/{submitted[i % len(submitted)]}/",
        }
        ok = True
        out.write(f"\n{'page':<56}{'server p50':>11}{'p95':>8}{'client p50':>12}{'p95':>8}  (ms)\n")
        offset = 0
        for label, path_for in scenarios.items():
            for i in range(5):  # warm-up: caches, connections, imports
                client.request("GET", path_for(rng.randrange(1000) + i))
            _, offset = _server_times(log, 0)
            client_times = []
            for i in range(args.requests):
                headers = {"X-Background-Poll": "1"} if "poll" in label else None
                status, _, _, elapsed = client.request("GET", path_for(i), headers=headers)
                if status != 200:
                    raise SystemExit(f"{label}: HTTP {status}")
                client_times.append(elapsed)
            time.sleep(0.2)  # let the access log flush
            server_times, offset = _server_times(log, offset)
            s50, s95 = _cut(server_times[-args.requests :])
            c50, c95 = _cut(client_times)
            ok &= s95 <= TARGET_P95_MS
            out.write(f"{label:<56}{s50:>11.1f}{s95:>8.1f}{c50:>12.1f}{c95:>8.1f}\n")
        return ok
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="seed even if already seeded")
    args = parser.parse_args()

    _database_ready()
    _django()
    from django.core.management import call_command
    from django.db import connection

    from intake.models import Intake

    out = sys.stdout
    call_command("migrate", verbosity=0)
    if args.reseed or Intake.objects.count() != args.intakes:
        out.write(f"Seeding {args.intakes:,} intakes into {DB_NAME}...\n")
        seed(args.intakes, random.Random(args.seed), out)
    with connection.cursor() as cursor:
        # The steady state autovacuum keeps: fresh statistics and visibility map after the bulk
        # load or a migration that rewrote rows.
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    counts = {
        "intakes": Intake.objects.count(),
        "awaiting review": Intake.objects.filter(status="submitted", review__isnull=True).count(),
    }
    connection.close()
    out.write(
        f"Database {DB_NAME}: {counts['intakes']:,} intakes, "
        f"{counts['awaiting review']:,} awaiting review. PostgreSQL on 127.0.0.1, gunicorn "
        f"{args.workers} sync workers, {os.cpu_count()} CPUs (load average "
        f"{os.getloadavg()[0]:.1f} at start: other work on the machine shows in p95), "
        f"{args.requests} timed requests per page after 5 warm-up requests.\n"
    )
    ok = measure(args, out)
    verdict = "met" if ok else "NOT met"
    out.write(f"\nTarget p95 <= {TARGET_P95_MS:.0f} ms (server time) on every page: {verdict}\n")


if __name__ == "__main__":
    main()
