"""What the clinician reads after asking for a state change: the service's refusal, or the
success message. Shared by the case page's views (review.py) and the letters' (letters.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest

T = TypeVar("T")


def attempt(
    request: HttpRequest,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    *,
    refusal: type[Exception],
) -> T | None:
    """Run one service. A refusal (the service's own error, whose text is for the clinician)
    becomes the error message and gives None; otherwise the success message (or the one made
    from the result) is shown and the result returned."""
    try:
        result = action()
    except refusal as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
