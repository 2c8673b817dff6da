"""`make run` / `make test` install missing system packages when this user may, else name the
command. Nothing here touches the real system: the probes and the runner are fakes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from scripts.check_system import InstallPlan, Probes, install_plan, main

PACKAGES = ("libpango-1.0-0", "libharfbuzz-subset0")
UPDATE = ("apt-get", "update")
INSTALL = ("apt-get", "install", "-y", "--no-install-recommends", *PACKAGES)
MANUAL = "sudo apt-get install libpango-1.0-0 libharfbuzz-subset0"


def _never_asked() -> bool:
    raise AssertionError("sudo must not be probed here")


@pytest.mark.parametrize(
    ("is_root", "has_apt_get", "sudo_works", "commands", "manual"),
    [
        pytest.param(True, True, _never_asked, (UPDATE, INSTALL), MANUAL, id="root"),
        pytest.param(
            False,
            True,
            lambda: True,
            (("sudo", "-n", *UPDATE), ("sudo", "-n", *INSTALL)),
            MANUAL,
            id="sudo without a password",
        ),
        pytest.param(False, True, lambda: False, (), MANUAL, id="neither root nor sudo"),
        pytest.param(
            True,
            False,
            _never_asked,
            (),
            f"your package manager's equivalent of: {MANUAL}",
            id="no apt-get",
        ),
    ],
)
def test_the_plan_installs_with_apt_get_only_when_this_user_may(
    is_root, has_apt_get, sudo_works, commands, manual
) -> None:
    plan = install_plan(PACKAGES, is_root=is_root, has_apt_get=has_apt_get, sudo_works=sudo_works)
    assert plan == InstallPlan(PACKAGES, commands, manual)


def test_the_plan_does_nothing_when_nothing_is_missing() -> None:
    plan = install_plan([], is_root=True, has_apt_get=True, sudo_works=_never_asked)
    assert plan.commands == ()


class FakeSystem:
    """Libraries appear once apt-get install has run (if it succeeds)."""

    def __init__(self, *, missing: set[str], root: bool, sudo: bool, apt_ok: bool = True) -> None:
        self.missing, self.root, self.sudo, self.apt_ok = missing, root, sudo, apt_ok
        self.ran: list[tuple[str, ...]] = []
        self.said: list[str] = []

    def find_library(self, name: str) -> str | None:
        return None if name in self.missing else f"lib{name}.so"

    def run(self, command: Sequence[str]) -> int:
        self.ran.append(tuple(command))
        if "install" in command and self.apt_ok:
            self.missing.clear()
        return 0 if self.apt_ok else 100

    def probes(self) -> Probes:
        return Probes(
            find_library=self.find_library,
            is_root=lambda: self.root,
            has_apt_get=lambda: True,
            sudo_works=lambda: self.sudo,
            run=self.run,
        )

    def check(self) -> int:
        return main(self.probes(), out=self.said.append)

    @property
    def output(self) -> str:
        return "".join(self.said)


def test_it_installs_a_missing_package_as_root_and_says_what_it_installed() -> None:
    system = FakeSystem(missing={"harfbuzz-subset"}, root=True, sudo=False)
    assert system.check() == 0
    assert system.ran == [
        ("apt-get", "update"),
        ("apt-get", "install", "-y", "--no-install-recommends", "libharfbuzz-subset0"),
    ]
    assert "Installed libharfbuzz-subset0." in system.output


def test_it_installs_through_sudo_when_sudo_needs_no_password() -> None:
    system = FakeSystem(missing={"pango-1.0", "pangoft2-1.0"}, root=False, sudo=True)
    assert system.check() == 0
    assert system.ran[-1][:3] == ("sudo", "-n", "apt-get")
    assert "Installed libpango-1.0-0 libpangoft2-1.0-0." in system.output


def test_it_stops_naming_the_command_when_it_may_not_install() -> None:
    system = FakeSystem(missing={"harfbuzz-subset"}, root=False, sudo=False)
    assert system.check() == 1
    assert system.ran == []
    assert "Install with: sudo apt-get install libharfbuzz-subset0" in system.output


def test_it_stops_naming_the_command_when_apt_get_fails() -> None:
    system = FakeSystem(missing={"harfbuzz-subset"}, root=True, sudo=False, apt_ok=False)
    assert system.check() == 1
    assert "install them yourself with: sudo apt-get install libharfbuzz-subset0" in system.output


def test_it_says_nothing_and_installs_nothing_when_every_library_is_there() -> None:
    system = FakeSystem(missing=set(), root=True, sudo=True)
    assert system.check() == 0
    assert (system.ran, system.output) == ([], "")
