"""The audit tests' shared row: one case-view event by a clinician."""

from __future__ import annotations

import pytest

from audit.actions import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from tests.referrals.factories import submitted_intake


@pytest.fixture
def event(clinician) -> AuditEvent:
    return audit_record(
        actor=clinician,
        action=AuditAction.CASE_VIEWED,
        intake=submitted_intake(),
        ip_address="10.0.0.1",
    )
