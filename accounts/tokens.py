"""Tokens of e-mailed links (a patient's form, a staff invitation): made, hashed, checked for
shape. Here on the bottom floor so that every app's links share them.

A token is 32 random bytes (256 bits) in URL-safe base64; only its SHA-256 is stored, so a copy
of the database opens no link.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def token_new() -> str:
    """A fresh unguessable token for one link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps: the SHA-256 of the token, as 64 hex digits."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_is_well_formed(token: str) -> bool:
    """Cheap shape check before any database look-up."""
    return _TOKEN_SHAPE.fullmatch(token) is not None
