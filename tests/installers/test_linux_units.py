"""The systemd units in installers/linux: valid for systemd, and saying what docs/kiosk.md promises.

`systemd-analyze verify` checks syntax, keys and executables (the units name /usr/bin/csm, where the
package installs it; the copy verified here points at this checkout's csm instead). Warnings count as
failures: systemd ignores an unknown key, so a typo in `WatchdogSec` would silently turn the watchdog off.
The command lines are parsed by csm's own argument parser, so an option renamed in the code fails here.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from carbon_smart_meter.cli import build_parser

UNITS = Path(__file__).resolve().parents[2] / "installers" / "linux"
CSM = str(Path(sys.executable).with_name("csm"))


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file as section -> key -> values (systemd keys may repeat, e.g. Environment, After)."""
    out: dict[str, dict[str, list[str]]] = {}
    section = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            out.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        out[section].setdefault(key.strip(), []).append(value.strip())
    return out


def one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    [value] = unit[section][key]
    return value


def environment(unit: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    env = {}
    for line in unit["Service"].get("Environment", []):
        for item in shlex.split(line):
            k, _, v = item.partition("=")
            env[k] = v
    return env


@pytest.fixture(scope="module")
def logger():
    return parse(UNITS / "csm-logger.service")


@pytest.fixture(scope="module")
def kiosk():
    return parse(UNITS / "csm-kiosk.service")


def test_systemd_accepts_both_units_without_a_warning(tmp_path):
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze (package systemd) is needed to check the units"
    for name in ("csm-logger.service", "csm-kiosk.service"):
        (tmp_path / name).write_text((UNITS / name).read_text().replace("/usr/bin/csm", CSM))
    done = subprocess.run([tool, "verify", str(tmp_path / "csm-logger.service"), str(tmp_path / "csm-kiosk.service")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip() and not done.stdout.strip(), done.stderr + done.stdout


def test_the_logger_is_a_watched_notify_service_that_always_comes_back(logger):
    assert one(logger, "Service", "Type") == "notify"
    assert one(logger, "Service", "Restart") == "always"
    assert int(one(logger, "Service", "WatchdogSec")) >= 10
    assert one(logger, "Service", "RuntimeDirectoryMode") == "0700"
    argv = shlex.split(one(logger, "Service", "ExecStart"))
    assert argv[0] == "/usr/bin/csm" and argv[-1] == "$CSM_SERVE_EXTRA_ARGS"  # systemd splits it on spaces
    args = build_parser().parse_args(argv[1:-1])
    assert args.ports == [] and args.profile == "kiosk" and not args.no_discover
    assert one(logger, "Service", "EnvironmentFile") == "-/etc/default/carbon-smart-meter"
    synced = build_parser().parse_args([*argv[1:-1], "--chain", "resort", "--wallet", "pool", "--password-env", "PW"])
    assert (synced.chain, synced.wallet, synced.password_env) == ("resort", "pool", "PW")
    assert str(args.socket) == "/run/csm/session.sock"
    assert str(args.data_dir).startswith("/var/lib/carbon-smart-meter/")
    assert "multi-user.target" in one(logger, "Install", "WantedBy")


def test_the_kiosk_runs_cage_on_tty1_with_a_watchdog_fed_by_the_view(kiosk, logger):
    s = kiosk["Service"]
    assert one(kiosk, "Service", "Type") == "notify" and one(kiosk, "Service", "NotifyAccess") == "all"
    assert one(kiosk, "Service", "Restart") == "always" and int(one(kiosk, "Service", "WatchdogSec")) >= 10
    assert one(kiosk, "Unit", "StartLimitIntervalSec") == "0"
    assert one(kiosk, "Service", "TTYPath") == "/dev/tty1" and one(kiosk, "Service", "PAMName") == "login"
    assert "getty@tty1.service" in one(kiosk, "Unit", "Conflicts")
    assert one(kiosk, "Service", "User") == one(logger, "Service", "User")  # the socket is owner-only
    argv = shlex.split(one(kiosk, "Service", "ExecStart"))
    assert argv[0] == "/usr/bin/cage" and "--" in argv
    view = argv[argv.index("--") + 1:]
    assert view[0] == "/usr/bin/csm"
    args = build_parser().parse_args(view[1:])
    assert args.func.__name__ == "cmd_kiosk" and args.windowed is None and not args.set_pin
    env = environment(kiosk)
    assert env["CSM_SOCKET"] == "/run/csm/session.sock" and env["QT_QPA_PLATFORM"] == "wayland"
    assert env["XDG_CONFIG_HOME"] == environment(logger)["XDG_CONFIG_HOME"]  # one config directory for both
    assert any("setterm --blank 0 --powerdown 0" in line for line in s["ExecStartPre"])
    assert "csm-logger.service" in " ".join(kiosk["Unit"]["Wants"])


@pytest.mark.parametrize("name", ["csm-logger.service", "csm-ship.service"])
def test_both_recorder_units_start_again_after_the_exit_that_asks_for_a_clean_process(name):
    # `csm serve` and `csm log` end with RESTART_STATUS after a write error left HDF5 unsafe in their process
    # (tests/app/test_restart_after_a_write_error.py); only a restart records the failed device again.
    from carbon_smart_meter.app.headless import RESTART_STATUS

    unit = parse(UNITS / name)
    assert one(unit, "Service", "Restart") in ("always", "on-failure")
    for key in ("SuccessExitStatus", "RestartPreventExitStatus"):
        assert str(RESTART_STATUS) not in " ".join(unit["Service"].get(key, [])).split()
