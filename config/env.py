"""Strict readers for settings taken from the environment.

Each reader refuses a malformed value with an ImproperlyConfigured error naming the variable, so
a typo in a deployment fails at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import environ
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def _parse(name: str, parser: Callable[[str], T], default: T, expected: str) -> T:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        return parser(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not valid: expected {expected}."
        ) from exc


def _to_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(raw)


def env_bool(name: str, default: bool) -> bool:
    return _parse(name, _to_bool, default, "true or false")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    def to_int(raw: str) -> int:
        value = int(raw)
        if value < minimum:
            raise ValueError(raw)
        return value

    return _parse(name, to_int, default, f"a whole number >= {minimum}")


def env_str(name: str, default: str) -> str:
    return _parse(name, str, default, "a string")


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    def to_choice(raw: str) -> str:
        if raw not in choices:
            raise ValueError(raw)
        return raw

    return _parse(name, to_choice, default, "one of " + ", ".join(choices))


def env_list(name: str, default: list[str]) -> list[str]:
    return _parse(
        name,
        lambda raw: [item.strip() for item in raw.split(",") if item.strip()],
        default,
        "a comma-separated list",
    )


def env_required(name: str, *, default_when: bool, default: str) -> str:
    """A secret: it has a default only when `default_when` (local development) holds."""
    raw = _raw(name)
    if raw is not None:
        return raw
    if default_when:
        return default
    raise ImproperlyConfigured(f"Environment variable {name} must be set when DEBUG is false.")


def env_database(name: str, default: str) -> dict:
    def to_db(raw: str) -> dict:
        if "://" not in raw:
            raise ValueError(raw)
        config = environ.Env.db_url_config(raw)
        if not config.get("ENGINE"):
            raise ValueError(raw)
        return config

    return _parse(name, to_db, to_db(default), "a database URL like postgres://user@host:5432/db")


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    def to_url(raw: str) -> str:
        scheme, sep, _rest = raw.partition("://")
        if not sep or scheme not in schemes:
            raise ValueError(raw)
        return raw.rstrip("/") if scheme in ("http", "https") else raw

    return _parse(name, to_url, default, "a URL starting with " + " or ".join(schemes) + "://")
