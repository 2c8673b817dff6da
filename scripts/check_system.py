"""Before `make run` / `make test`: the Python version and the system libraries WeasyPrint needs.

When a library is missing and this user can install it (root, or `sudo -n` works, and apt-get is
there), it is installed with apt-get and named; otherwise the check stops, naming the command to
run. The decision is `install_plan`, a pure function of what the probes found.

Standard library only: it runs before the virtualenv exists.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class InstallPlan:
    """What to do about the missing packages: run `commands`, or stop and show `manual`."""

    packages: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...]
    manual: str


def install_plan(
    packages: Sequence[str], *, is_root: bool, has_apt_get: bool, sudo_works: Callable[[], bool]
) -> InstallPlan:
    """Which commands install `packages`: apt-get as root, `sudo -n apt-get` when sudo needs no
    password, nothing (stop with the manual command) otherwise. `sudo_works` is only asked when
    it matters: it may run `sudo -n true`."""
    names = tuple(dict.fromkeys(packages))
    manual = f"sudo apt-get install {' '.join(names)}" if names else ""
    if not names:
        return InstallPlan(names, (), manual)
    if not has_apt_get:
        return InstallPlan(names, (), f"your package manager's equivalent of: {manual}")
    if is_root:
        prefix: tuple[str, ...] = ()
    elif sudo_works():
        # -n: never prompt; a password prompt inside `make` would hang a script or CI job.
        prefix = ("sudo", "-n")
    else:
        return InstallPlan(names, (), manual)
    return InstallPlan(
        names,
        (
            (*prefix, "apt-get", "update"),
            (*prefix, "apt-get", "install", "-y", "--no-install-recommends", *names),
        ),
        manual,
    )


@dataclass(frozen=True)
class Probes:
    """The real system; tests pass their own."""

    find_library: Callable[[str], str | None] = ctypes.util.find_library
    is_root: Callable[[], bool] = lambda: os.geteuid() == 0
    has_apt_get: Callable[[], bool] = lambda: shutil.which("apt-get") is not None
    sudo_works: Callable[[], bool] = lambda: _sudo_works()
    run: Callable[[Sequence[str]], int] = lambda command: _run(command)


def _sudo_works() -> bool:
    if shutil.which("sudo") is None:
        return False
    result = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)  # noqa: S607
    return result.returncode == 0


def _run(command: Sequence[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(list(command), env=env, check=False).returncode


def missing_packages(find_library: Callable[[str], str | None]) -> list[tuple[str, str]]:
    return [(pkg, why) for lib, (pkg, why) in LIBRARIES.items() if not find_library(lib)]


def main(probes: Probes | None = None, out: Callable[[str], object] = sys.stderr.write) -> int:
    probes = probes or Probes()
    if sys.version_info < MIN_PYTHON:
        out(
            f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; "
            f"this is {sys.version.split()[0]}.\n"
        )
        return 1
    missing = missing_packages(probes.find_library)
    if not missing:
        return 0
    for pkg, why in missing:
        out(f"Missing system package {pkg}: {why}.\n")
    plan = install_plan(
        [pkg for pkg, _ in missing],
        is_root=probes.is_root(),
        has_apt_get=probes.has_apt_get(),
        sudo_works=probes.sudo_works,
    )
    if not plan.commands:
        out(f"Install with: {plan.manual}\n")
        return 1
    out(f"Installing {' '.join(plan.packages)}:\n")
    for command in plan.commands:
        out(f"  {' '.join(command)}\n")
        if probes.run(command) != 0:
            out(f"That failed; install them yourself with: {plan.manual}\n")
            return 1
    still_missing = missing_packages(probes.find_library)
    if still_missing:
        names = " ".join(pkg for pkg, _ in still_missing)
        out(f"Still missing after apt-get install: {names}.\n")
        return 1
    out(f"Installed {' '.join(plan.packages)}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
