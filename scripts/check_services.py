"""Under CI=true the suite must run against real PostgreSQL and Redis: fail loudly, never skip."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

REQUIRED = {"DATABASE_URL": ("postgres", 5432), "CELERY_BROKER_URL": ("redis", 6379)}


def main() -> int:
    failures = []
    for variable, (scheme, default_port) in REQUIRED.items():
        url = urlsplit(os.environ.get(variable, ""))
        if not url.scheme.startswith(scheme):
            failures.append(
                f"{variable} must point at {scheme} under CI=true (got {url.scheme or 'nothing'})."
            )
            continue
        host, port = url.hostname or "127.0.0.1", url.port or default_port
        try:
            socket.create_connection((host, port), timeout=3).close()
        except OSError as exc:
            failures.append(f"{scheme} at {host}:{port} ({variable}) does not answer: {exc}.")
    for line in failures:
        sys.stderr.write(line + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
