"""One function resolves the client's address (audit.request.client_ip), from the socket or, with
TRUSTED_PROXY_COUNT proxies in front, from what the outermost proxy saw; the throttle, the
sign-in lockout and the audit trail all read it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from audit.models import AuditEvent
from audit.request import client_ip
from tests.factories import PASSWORD

WRONG_TOKEN = "x" * 43


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: a forged X-Forwarded-For is ignored.
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # One proxy: the client wrote the first entry itself, the proxy appended the second.
        (1, "10.0.0.2", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        # A request that bypassed one of two proxies keeps the socket's address.
        (2, "10.0.0.2", "203.0.113.9", "10.0.0.2"),
        # A malformed entry falls back to the socket's address.
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
    ids=["forged-header-ignored", "behind-one-proxy", "proxy-bypassed", "malformed-entry"],
)
def test_the_client_address_is_what_the_outermost_trusted_proxy_saw(
    settings, proxies: int, remote: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_reads_the_same_function() -> None:
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "audit.request.client_ip"


def _spend_token_budget(client: Client, **headers: str) -> int:
    return client.get(f"/p/{WRONG_TOKEN}/", **headers).status_code


def _throttled_client(settings, *, proxies: int, remote: str, spent_by: list[str]) -> Client:
    """A browser at `remote` behind `proxies` trusted proxies, after one wrong token from each
    X-Forwarded-For of `spent_by`, with a budget of 2 wrong tokens a minute."""
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.TOKEN_ATTEMPTS_PER_MINUTE = 2
    client = Client(REMOTE_ADDR=remote)
    for forwarded_for in spent_by:
        _spend_token_budget(client, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client


@pytest.mark.django_db
def test_behind_one_proxy_two_patients_get_separate_throttle_buckets(settings) -> None:
    proxy = _throttled_client(
        settings, proxies=1, remote="10.0.0.2", spent_by=["203.0.113.1", "203.0.113.1"]
    )

    assert _spend_token_budget(proxy, HTTP_X_FORWARDED_FOR="203.0.113.1") == 429
    assert _spend_token_budget(proxy, HTTP_X_FORWARDED_FOR="203.0.113.2") != 429


@pytest.mark.django_db
def test_without_the_proxy_setting_a_forged_header_buys_no_new_bucket(settings) -> None:
    client = _throttled_client(
        settings, proxies=0, remote="203.0.113.50", spent_by=["198.51.100.0", "198.51.100.1"]
    )

    assert _spend_token_budget(client, HTTP_X_FORWARDED_FOR="198.51.100.99") == 429


def test_behind_one_proxy_failed_sign_ins_lock_only_their_own_address(settings, front_desk) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(5):
        proxy.post("/accounts/login/", {"username": "desk", "password": "wrong"}, **attacker)
    assert (
        proxy.post("/accounts/login/", {"username": "desk", "password": PASSWORD}, **attacker)
    ).status_code == 429

    response = proxy.post(
        "/accounts/login/",
        {"username": "desk", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert response.status_code == 302


def test_behind_one_proxy_the_audit_trail_records_the_client_address(
    settings, clinician_client
) -> None:
    from tests.referrals.factories import submitted_intake

    settings.TRUSTED_PROXY_COUNT = 1
    intake = submitted_intake()

    clinician_client.get(
        f"/review/case/{intake.pk}/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )

    assert AuditEvent.objects.filter(intake=intake).latest("at").ip_address == "203.0.113.7"
