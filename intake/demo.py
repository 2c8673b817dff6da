"""Demo data for `make run`: staff accounts with known passwords (DEBUG only), and patients whose
histories are the shared clinical vignettes, with visits in each state a link can be in.

Idempotent: running it again finds what it made and adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import StaffProfile
from accounts.roles import CLINICIAN, FRONT_DESK
from intake import services
from intake.models import Invitation, Patient
from intake.questions import STEPS


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_LOGINS = (
    DemoLogin("frontdesk", "frontdesk-demo-2026", FRONT_DESK),
    DemoLogin("clinician", "clinician-demo-2026", CLINICIAN),
    DemoLogin("clinician2", "clinician-demo-2026", CLINICIAN),
    DemoLogin("admin", "admin-demo-2026", "Administrator"),
)

_NAMES = {
    "frontdesk": ("Fran", "Desk", ""),
    "clinician": ("Dr Sam", "Okafor", "Sports physician"),
    "clinician2": ("Dr Lee", "Marsh", "Sports physician"),
    "admin": ("Alex", "Admin", ""),
}


@transaction.atomic
def demo_staff_seed() -> list[DemoLogin]:
    """Create (or refresh) the demo staff accounts and return their logins."""
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        first, last, title = _NAMES[login.username]
        user, _ = user_model.objects.get_or_create(
            username=login.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{login.username}@example.org",
            },
        )
        user.set_password(login.password)
        user.is_staff = user.is_superuser = login.role == "Administrator"
        user.save()
        if login.role != "Administrator":
            user.groups.add(Group.objects.get(name=login.role))
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "job_title": title,
                "registration_number": f"GMC {7000000 + user.pk}" if title else "",
            },
        )
    return list(DEMO_LOGINS)


# Demo patients --------------------------------------------------------------------------------

VIGNETTE_DIR = Path(__file__).parent / "triage" / "clinical" / "vignettes"


@dataclass(frozen=True)
class DemoPatient:
    mrn: str
    first_name: str
    last_name: str
    born: dt.date
    vignette: str  # file stem in VIGNETTE_DIR, or "" for a visit with no answers yet
    state: str  # submitted | in_progress | opened | sent | expired | revoked | not_sent
    visit_in_days: int


# Every shared vignette is a patient; most are submitted (the clinicians' queue), the rest show
# the front desk each state a link can be in. A table, one row per patient: its rows are alike
# on purpose, and each changes on its own.
DEMO_PATIENTS = (
    DemoPatient(
        "DEMO0001", "Alex", "Morgan", dt.date(1979, 3, 14), "cauda-equina-red-flag", "submitted", 0
    ),
    DemoPatient(
        "DEMO0002", "Bea", "Patel", dt.date(1962, 11, 2), "diabetic-both-feet", "submitted", 0
    ),
    DemoPatient("DEMO0003", "Chris", "Okoro", dt.date(1991, 7, 21), "flat-feet", "submitted", 1),
    DemoPatient(
        "DEMO0004", "Dana", "Fischer", dt.date(1988, 1, 30), "marathon-build-up", "submitted", 1
    ),
    DemoPatient(
        "DEMO0005",
        "Eli",
        "Novak",
        dt.date(1984, 5, 9),
        "mortons-neuroma-first-visit",
        "submitted",
        2,
    ),
    DemoPatient(
        "DEMO0006",
        "Fay",
        "Lindqvist",
        dt.date(1975, 9, 17),
        "neuroma-after-injection",
        "submitted",
        2,
    ),
    DemoPatient(
        "DEMO0007", "Gus", "Romano", dt.date(1996, 12, 5), "neuroma-after-inserts", "submitted", 3
    ),
    DemoPatient(
        "DEMO0008", "Hana", "Sato", dt.date(2000, 4, 23), "ottawa-positive", "submitted", 3
    ),
    DemoPatient(
        "DEMO0009", "Ivo", "Kowalski", dt.date(1970, 8, 11), "sciatic-heel", "in_progress", 0
    ),
    DemoPatient("DEMO0010", "Jo", "Mensah", dt.date(1993, 2, 27), "self-help-failed", "opened", 1),
    DemoPatient(
        "DEMO0011", "Kit", "Byrne", dt.date(1986, 6, 3), "tight-laces-thick-socks", "sent", 4
    ),
    DemoPatient(
        "DEMO0012", "Lou", "Almeida", dt.date(1990, 10, 19), "nothing-to-fix", "expired", 5
    ),
    DemoPatient("DEMO0013", "Max", "Dubois", dt.date(1981, 12, 12), "", "revoked", 2),
    DemoPatient("DEMO0014", "Nia", "Evans", dt.date(1999, 1, 8), "", "not_sent", 0),
)


def _vignette_history(name: str) -> dict:
    return json.loads((VIGNETTE_DIR / f"{name}.json").read_text(encoding="utf-8"))["history"]


@transaction.atomic
def demo_patients_seed(*, now: dt.datetime | None = None) -> int:
    """Create the demo patients and their visits; returns how many patients were added. A
    patient whose clinic number exists is left as it is, so a second run adds nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    desk = get_user_model().objects.filter(username="frontdesk").first()
    added = 0
    for demo in DEMO_PATIENTS:
        if Patient.objects.filter(mrn=demo.mrn).exists():
            continue
        patient = services.patient_register(
            mrn=demo.mrn,
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=demo.born,
            email=f"{demo.first_name.lower()}.{demo.last_name.lower()}@example.org",
            mobile="07700 900" + demo.mrn[-3:],
            created_by=desk,
        )
        _demo_visit(
            demo, patient, desk, visit_date=today + dt.timedelta(days=demo.visit_in_days), now=now
        )
        added += 1
    return added


def _demo_visit(demo: DemoPatient, patient: Patient, desk, *, visit_date: dt.date, now) -> None:
    if demo.state == "submitted":
        services.history_import(
            patient=patient,
            history=_vignette_history(demo.vignette),
            visit_date=visit_date,
            actor=desk,
            now=now,
        )
        return
    intake = services.intake_create(patient=patient, visit_date=visit_date, created_by=desk)
    if demo.state == "not_sent":
        return
    sent_at = now - dt.timedelta(days=8 if demo.state == "expired" else 1)
    link = services.invitation_create(
        intake=intake, channel=Invitation.Channel.EMAIL, created_by=desk, now=sent_at
    )
    if demo.state == "revoked":
        services.invitation_revoke(intake=intake, actor=desk, now=now)
    if demo.state in ("opened", "in_progress"):
        services.invitation_open(invitation=link.record, now=now)
    if demo.state == "in_progress":
        # The first two pages of the vignette's history: where and when it goes numb.
        symptoms = _vignette_history(demo.vignette).get("symptoms", {})
        for step in STEPS[:2]:
            keys = {q.key for q in step.questions if q.section == "symptoms"}
            values = {"symptoms": {k: v for k, v in symptoms.items() if k in keys}}
            services.intake_save_step(intake=intake, step=step, values=values, complete=True)
