"""What the trail keeps about a request."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (REMOTE_ADDR; a trusted proxy sets it correctly)."""
    return request.META.get("REMOTE_ADDR") or None
