"""Patient link tokens: made, hashed, checked for shape, and rate limited per address.

A token is 32 random bytes (256 bits) in URL-safe base64; only its SHA-256 is stored, so a copy
of the database opens no patient's form.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

# Made, hashed and shape-checked the same way as every link's token (accounts is the floor below).
from accounts.tokens import token_hash as token_hash
from accounts.tokens import token_is_well_formed as token_is_well_formed
from accounts.tokens import token_new as token_new

logger = logging.getLogger(__name__)


def token_attempt_allowed(*, address: str | None) -> bool:
    """Count one attempt on the token endpoint from `address`; False once the minute's budget
    (TOKEN_ATTEMPTS_PER_MINUTE) is spent.

    A fixed one-minute window in the shared cache (config/cache.py): `add` then `incr`, atomic in
    Redis and under a file lock in the default file cache, so every web worker counts into one
    budget. A backend that forgets keys (dummy) allows every attempt rather than none.
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
