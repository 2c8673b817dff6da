"""Stop early, naming the Debian package, when a system library WeasyPrint needs is missing.

Standard library only: it runs before the virtualenv exists.
"""

from __future__ import annotations

import ctypes.util
import sys

MIN_PYTHON = (3, 11)

# library name for ctypes -> (Debian package, why)
LIBRARIES = {
    "pango-1.0": ("libpango-1.0-0", "WeasyPrint lays out letters with Pango"),
    "pangoft2-1.0": ("libpangoft2-1.0-0", "WeasyPrint loads fonts through PangoFT2"),
    "harfbuzz-subset": (
        "libharfbuzz-subset0",
        "WeasyPrint subsets fonts with it (without it a 2.6x slower fallback is used)",
    ),
}


def main() -> int:
    problems = []
    if sys.version_info < MIN_PYTHON:
        problems.append(
            f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is {sys.version.split()[0]}."
        )
    missing = [
        (pkg, why) for lib, (pkg, why) in LIBRARIES.items() if not ctypes.util.find_library(lib)
    ]
    for pkg, why in missing:
        problems.append(f"Missing system package {pkg}: {why}.")
    if missing:
        names = " ".join(pkg for pkg, _ in missing)
        problems.append(f"Install with: sudo apt-get install {names}")
    for line in problems:
        sys.stderr.write(line + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
