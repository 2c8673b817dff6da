"""Server time of the review dashboard at 100,000 to 1,000,000 intakes on PostgreSQL.

    BENCH_DASHBOARD_DB=w14_dash .venv/bin/python bench/dashboard.py --intakes 1000000 \
        [--requests 50] [--page-seconds 60] [--reseed]

1. Creates (once) the database `bench_dashboard` (or $BENCH_DASHBOARD_DB) on 127.0.0.1:5432 as
   user postgres (never the `test` database), migrates it, and grows it to --intakes inside
   PostgreSQL (INSERT ... SELECT over generate_series; see `seed`): patients, intakes with
   schema-valid histories triaged by the real engine, their triage records, reviews for most of
   them (every review state) and two audit events each. Seeding is skipped when the database
   already holds that many intakes; a larger size adds rows, a smaller one (or --reseed) starts
   again.
2. Serves the app with gunicorn (2 sync workers, DEBUG=true, CONN_MAX_AGE=60) on a free loopback
   port, signs in through the login form as a clinician.
3. Times a bounded loop of requests for each page: the queue's first page, a filtered page, a
   name/MRN search, the background poll, and case pages. Server time is gunicorn's own request
   duration (%(D)s in its access log); client time (loopback, connection included) is shown
   next to it. Target: p95 <= 100 ms. Each page is bounded by --requests and --page-seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
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

# Your own database name on a shared server: BENCH_DASHBOARD_DB=w14_dash.
DB_NAME = os.environ.get("BENCH_DASHBOARD_DB", "bench_dashboard")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
TARGET_P95_MS = 100.0
BATCH = 5000
USERNAME = "bench-clinician"
PASSWORD = "bench-clinician-password-2026"  # noqa: S105 - a local benchmark account
# Clinicians sign in with a second factor: bench accounts get an authenticator with this key,
# and the client answers with its current code (a local benchmark account, never a real one).
TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


def bench_authenticator(user) -> None:
    """Give a bench account the confirmed authenticator the client computes codes for."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update_or_create(
        user=user, name="bench", defaults={"key": TOTP_KEY_HEX, "confirmed": True}
    )


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


POOL = 2000  # distinct histories, each triaged once by the real engine, shared by all rows
STATES = ["reviewed"] * 2 + ["referral_signed"] + ["letter_ready"] + ["sent"] * 6


def _seeded() -> int:
    from intake.models import Intake

    return Intake.objects.order_by("-id").values_list("id", flat=True).first() or 0


def seed(n: int, rng: random.Random, out, *, reseed: bool) -> None:  # noqa: ANN001 - a stream
    """Grow the database to `n` intakes, generating rows inside PostgreSQL.

    Python triages a pool of POOL random histories once; each intake takes one of them at
    random, so a million rows cost a few INSERT ... SELECT FROM generate_series statements
    instead of a million engine runs and round trips. Intake ids are assigned here (so that a
    submitted intake's triage record can take the same id and current_triage points at it with
    no UPDATE of a million rows). Growing from 100,000 to 400,000 to 1,000,000 adds rows: the
    three measurements share their first rows, as a clinic's table grows.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from accounts.models import StaffProfile
    from intake import triage as engine

    started = time.perf_counter()
    have = _seeded()
    if reseed or have > n:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE audit_auditevent, referrals_casereview, intake_triagerecord, "
                "intake_intake, intake_patient RESTART IDENTITY CASCADE"
            )
        have = 0
    users = get_user_model()
    clinician, _ = users.objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Dr Bench", "last_name": "Marker"}
    )
    clinician.set_password(PASSWORD)
    clinician.save()
    clinician.groups.add(Group.objects.get(name="Clinician"))
    StaffProfile.objects.get_or_create(user=clinician)
    bench_authenticator(clinician)

    priority = {d.code: d.priority for d in engine.DISPOSITIONS}
    pool = []
    for k in range(POOL):
        history = random_history(rng, SEED_MIX)
        result = engine.triage(history).to_dict()
        pool.append(
            (
                k,
                json.dumps(history),
                result["rules_version"],
                result["disposition"],
                priority[result["disposition"]],
                json.dumps(result["actions"]),
                json.dumps(result["red_flags"]),
                json.dumps(result["advice"]),
                json.dumps(result["consider"]),
                json.dumps(result["reasons"]),
            )
        )
    first, last = have + 1, n
    patients_from, patients_to = int(have * 0.8) + 1, int(n * 0.8)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT setseed({(rng.random() * 2) - 1})")
        # Django's foreign keys are checked at COMMIT, one trigger call per row and key: millions
        # here, minutes of COMMIT. The rows are made consistent by construction, so the load skips
        # the triggers (the bench connects as the superuser postgres).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "CREATE TEMP TABLE pool (k int PRIMARY KEY, history jsonb, rules_version text, "
            "disposition text, priority smallint, actions jsonb, red_flags jsonb, advice jsonb, "
            "consider jsonb, reasons jsonb) ON COMMIT DROP"
        )
        with cursor.connection.cursor().copy("COPY pool FROM STDIN") as copy:
            for row in pool:
                copy.write_row(row)
        cursor.execute(
            """
            INSERT INTO intake_patient (id, mrn, first_name, last_name, date_of_birth, email,
                                        mobile, created_at)
            SELECT g, substr('ABCDEFGHJK', 1 + floor(random() * 10)::int, 1) || (1000000 + g),
                   (%(first)s::text[])[1 + floor(random() * cardinality(%(first)s::text[]))],
                   (%(stems)s::text[])[1 + floor(random() * cardinality(%(stems)s::text[]))]
                   || (%(suffixes)s::text[])[1 + floor(random() * cardinality(%(suffixes)s::text[]))],
                   DATE '1950-01-01' + floor(random() * 20000)::int, '', '', now()
            FROM generate_series(%(a)s::bigint, %(b)s::bigint) g
            """,
            {
                "first": list(FIRST_NAMES),
                "stems": list(LAST_NAMES_STEMS),
                "suffixes": list(SUFFIXES),
                "a": patients_from,
                "b": patients_to,
            },
        )
        out.write(f"  patients: {patients_to:,} ({time.perf_counter() - started:.0f} s)\n")
        # One draw per new intake: its history, visit, submission and review.
        cursor.execute(
            """
            CREATE TEMP TABLE draw ON COMMIT DROP AS
            SELECT g AS id, floor(random() * %(pool)s)::int AS k,
                   1 + floor(random() * %(patients)s)::bigint AS patient_id,
                   current_date + (floor(random() * 731)::int - 700) AS visit,
                   random() < 0.97 AS submitted, random() AS wait, random() AS skip,
                   floor(random() * 6)::int AS days_before, random() AS clock,
                   floor(random() * 48)::int AS review_hours,
                   (%(states)s::text[])[1 + floor(random() * cardinality(%(states)s::text[]))]
                       AS state
            FROM generate_series(%(a)s::bigint, %(b)s::bigint) g
            """,
            {"pool": POOL, "patients": patients_to, "states": STATES, "a": first, "b": last},
        )
        cursor.execute(
            """
            INSERT INTO intake_intake (id, visit_date, status, answers, steps_completed, history,
                submitted_at, triage_priority, triage_disposition, created_at, updated_at,
                patient_id, current_triage_id, reviewed_at, review_state)
            SELECT d.id, d.visit, CASE WHEN d.submitted THEN 'submitted' ELSE 'in_progress' END,
                   CASE WHEN d.submitted THEN p.history ELSE '{}' END, '[]',
                   CASE WHEN d.submitted THEN p.history END, s.at,
                   CASE WHEN d.submitted THEN p.priority END,
                   CASE WHEN d.submitted THEN p.disposition ELSE '' END, now(), now(),
                   d.patient_id, CASE WHEN d.submitted THEN d.id END,
                   CASE WHEN d.submitted
                         AND NOT (d.visit > current_date - 30 AND d.wait < 0.7)
                         AND d.skip >= 0.1
                        THEN s.at + make_interval(hours => 1 + d.review_hours) END,
                   CASE WHEN d.submitted
                         AND NOT (d.visit > current_date - 30 AND d.wait < 0.7)
                         AND d.skip >= 0.1
                        THEN d.state ELSE '' END
            FROM draw d JOIN pool p USING (k)
            CROSS JOIN LATERAL (
                SELECT CASE WHEN d.submitted THEN least(
                    ((d.visit - 1 - d.days_before) + make_interval(secs => 21600 + d.clock * 59999))
                    AT TIME ZONE 'UTC', now()) END AS at
            ) s
            """
        )
        out.write(f"  intakes: {n:,} ({time.perf_counter() - started:.0f} s)\n")
        cursor.execute(
            """
            INSERT INTO intake_triagerecord (id, intake_id, rules_version, disposition, actions,
                red_flags, advice, consider, reasons, created_at)
            SELECT i.id, i.id, p.rules_version, p.disposition, p.actions, p.red_flags, p.advice,
                   p.consider, p.reasons, i.submitted_at
            FROM intake_intake i JOIN draw d USING (id) JOIN pool p USING (k)
            WHERE i.status = 'submitted'
            """
        )
        cursor.execute(
            """
            INSERT INTO referrals_casereview (intake_id, triage_record_id, decision, disposition,
                actions, override_reason, notes, state, reviewed_by_id, reviewed_at)
            SELECT i.id, i.id, 'accepted', p.disposition, p.actions, '', '', d.state,
                   %(clinician)s, i.reviewed_at
            FROM intake_intake i JOIN draw d USING (id) JOIN pool p USING (k)
            WHERE i.reviewed_at IS NOT NULL
            """,
            {"clinician": clinician.pk},
        )
        cursor.execute(
            """
            INSERT INTO audit_auditevent (action, object_type, object_id, detail, ip_address,
                                          at, actor_id, intake_id)
            SELECT a.action, '', '', '', '10.0.0.1', i.reviewed_at, %(clinician)s, i.id
            FROM intake_intake i JOIN draw d USING (id)
            CROSS JOIN (VALUES ('case.viewed'), ('review.accepted')) a(action)
            WHERE i.reviewed_at IS NOT NULL
            """,
            {"clinician": clinician.pk},
        )
        for table in ("intake_patient", "intake_intake", "intake_triagerecord"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our tables
                f"(SELECT max(id) FROM {table}))"
            )
    out.write(f"  triage records, reviews, audit events ({time.perf_counter() - started:.0f} s)\n")


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

    def login(self, username: str = USERNAME, password: str = PASSWORD) -> None:
        status, _, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, headers, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Login failed ({status}).")
        # The second factor: the code the bench authenticator shows now.
        from django_otp.oath import TOTP

        _, _, page, _ = self.request("GET", "/accounts/two-factor/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        code = f"{TOTP(bytes.fromhex(TOTP_KEY_HEX)).token():06d}"
        form = urlencode({"csrfmiddlewaretoken": token, "code": code})
        status, _, _, _ = self.request("POST", "/accounts/two-factor/", form)
        if status != 302:
            raise SystemExit(f"Second factor refused ({status}).")


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
            deadline = time.monotonic() + args.page_seconds
            for i in range(args.requests):
                if time.monotonic() > deadline:  # a shared machine: bounded in time too
                    out.write(f"  ({label}: stopped after {i} requests, {args.page_seconds} s)\n")
                    break
                headers = {"X-Background-Poll": "1"} if "poll" in label else None
                status, _, _, elapsed = client.request("GET", path_for(i), headers=headers)
                if status != 200:
                    raise SystemExit(f"{label}: HTTP {status}")
                client_times.append(elapsed)
            time.sleep(0.2)  # let the access log flush
            server_times, offset = _server_times(log, offset)
            s50, s95 = _cut(server_times[-len(client_times) :])
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
    parser.add_argument("--page-seconds", type=int, default=60, help="time bound per page")
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
    if args.reseed or _seeded() != args.intakes:
        out.write(f"Seeding {args.intakes:,} intakes into {DB_NAME}...\n")
        seed(args.intakes, random.Random(args.seed), out, reseed=args.reseed)
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
