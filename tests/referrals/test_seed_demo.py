"""`seed_demo`: the whole demo (staff, patients in every state, a directory of services)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command

from intake.models import Intake, Invitation, Patient, TriageRecord
from referrals.models import Destination, DestinationType

VIGNETTES = sorted((Path(__file__).parents[2] / "intake/triage/clinical/vignettes").glob("*.json"))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_demo_holds_every_vignette_in_several_states_and_a_second_run_adds_nothing(
    db, settings
) -> None:
    settings.DEBUG = True
    _run("seed_demo")
    counts = (
        Patient.objects.count(),
        Intake.objects.count(),
        Invitation.objects.count(),
        TriageRecord.objects.count(),
        Destination.objects.count(),
    )
    out = _run("seed_demo")
    assert "Demo patients added: 0" in out
    assert "Demo services added to the referral directory: 0." in out
    assert counts == (
        Patient.objects.count(),
        Intake.objects.count(),
        Invitation.objects.count(),
        TriageRecord.objects.count(),
        Destination.objects.count(),
    )
    # Every kind of referral has a named service to go to.
    assert set(Destination.objects.values_list("destination_type", flat=True)) == set(
        DestinationType.values
    )
    histories = [i.history for i in Intake.objects.filter(status=Intake.Status.SUBMITTED)]
    vignettes = [json.loads(p.read_text())["history"] for p in VIGNETTES]
    assert all(h in vignettes for h in histories)
    assert len(histories) >= 6
    statuses = set(Intake.objects.values_list("status", flat=True))
    assert statuses == {"created", "sent", "opened", "in_progress", "submitted"}
    assert Invitation.objects.filter(revoked_at__isnull=False).exists()


def test_the_demo_keeps_the_staff_logins(db, settings) -> None:
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    _run("seed_demo")
    users = get_user_model().objects
    assert users.get(username="frontdesk").check_password("frontdesk-demo-2026")
    assert users.get(username="clinician").check_password("clinician-demo-2026")
