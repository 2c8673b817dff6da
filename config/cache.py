"""The default shared cache: Django's file cache, with counters that stay exact across processes.

Django's FileBasedCache does `add` and `incr` as a read then a write, so three gunicorn workers
counting the same key lose increments (22 of a limit of 20 got through). Here both hold an
exclusive lock on one file in the cache folder while they read and write; Redis (CACHE_URL) is
atomic on its own.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class LockedFileBasedCache(FileBasedCache):
    @contextmanager
    def _counter_lock(self) -> Iterator[None]:
        self._createdir()
        fd = os.open(os.path.join(self._dir, "counters.lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:  # noqa: ANN001
        with self._counter_lock():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None) -> int:  # noqa: ANN001 - Django's API
        with self._counter_lock():
            return super().incr(key, delta, version)
