"""Patient link tokens: made, hashed, checked for shape, and rate limited per address.

A token is 32 random bytes (256 bits) in URL-safe base64; only its SHA-256 is stored, so a copy
of the database opens no patient's form.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def token_new() -> str:
    """A fresh unguessable token for one invitation link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps: the SHA-256 of the token, as 64 hex digits."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_is_well_formed(token: str) -> bool:
    """Cheap shape check before any database look-up."""
    return _TOKEN_SHAPE.fullmatch(token) is not None


def token_attempt_allowed(*, address: str | None) -> bool:
    """Count one attempt on the token endpoint from `address`; False once the minute's budget
    (TOKEN_ATTEMPTS_PER_MINUTE) is spent.

    A fixed one-minute window in Django's cache: `add` then `incr`, both atomic in every backend
    that can be shared between processes (Redis, Memcached, database), and correct in LocMem for
    one process. A backend that forgets keys (dummy) allows every attempt rather than none.
    """
    window = int(time.time() // 60)
    key = f"intake:token-attempts:{address or 'unknown'}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        attempts = cache.incr(key)
    except ValueError:  # the key expired (or was never kept) between add and incr
        return True
    except Exception as exc:  # noqa: BLE001 - any cache outage (Redis down), see below
        # The shared cache is down (Redis restarting): let the attempt through rather than lock
        # every patient out. A token has 256 bits, so the throttle is defence in depth only.
        logger.warning("Token throttle skipped: the cache is unavailable (%s).", type(exc).__name__)
        return True
    return attempts <= settings.TOKEN_ATTEMPTS_PER_MINUTE
