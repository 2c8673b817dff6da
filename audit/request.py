"""What the trail keeps about a request: the address it came from.

`client_ip` is the one place that resolves a client's address. The patient-link throttle, the
sign-in lockout (django-axes, through AXES_CLIENT_IP_CALLABLE) and the audit trail all call it, so
behind the documented TLS proxy each patient and each workstation keeps its own address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's (REMOTE_ADDR) with no trusted proxy; with
    TRUSTED_PROXY_COUNT = n proxies in front, the n-th address of X-Forwarded-For counted from the
    right, i.e. the one the outermost trusted proxy saw. Entries left of it are whatever the
    client wrote and are never read, so a forged header moves nothing. A header shorter than the
    proxy chain (a request that bypassed a proxy) falls back to the socket's address."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


# The header the pages' htmx polls send (config/middleware.py reads it too: a poll does not
# keep an idle session alive).
BACKGROUND_POLL_HEADER = "X-Background-Poll"


def is_background_poll(request: HttpRequest) -> bool:
    """A page's own background refresh, not a person opening it: the opening was audited."""
    return bool(request.headers.get(BACKGROUND_POLL_HEADER))
