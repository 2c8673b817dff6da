"""What the trail keeps about a request."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (REMOTE_ADDR; a trusted proxy sets it correctly)."""
    return request.META.get("REMOTE_ADDR") or None


# The header the pages' htmx polls send (config/middleware.py reads it too: a poll does not
# keep an idle session alive).
BACKGROUND_POLL_HEADER = "X-Background-Poll"


def is_background_poll(request: HttpRequest) -> bool:
    """A page's own background refresh, not a person opening it: the opening was audited."""
    return bool(request.headers.get(BACKGROUND_POLL_HEADER))
