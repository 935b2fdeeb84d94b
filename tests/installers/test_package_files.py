"""The files the Debian package installs: units, udev rule, maintainer scripts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "installers" / "linux"
DEBIAN = ROOT / "installers" / "debian"


def test_the_udev_rule_sorts_before_systemds_seat_rules_when_it_tags_uaccess():
    # systemd applies TAG+="uaccess" in 73-seat-late.rules: a later rule file's tag never gives access.
    for rule in LINUX.glob("*.rules"):
        if "uaccess" in rule.read_text():
            assert int(rule.name.split("-", 1)[0]) < 73, rule.name


def test_every_unit_runs_the_installed_csm_as_the_service_account():
    units = sorted(LINUX.glob("*.service"))
    assert units, "no systemd unit in installers/linux"
    for unit in units:
        text = unit.read_text()
        start = re.search(r"^ExecStart=(.*)$", text, re.M)
        assert start and ("/usr/bin/csm" in start.group(1) or "/usr/bin/cage" in start.group(1)), unit.name
        assert re.search(r"^User=\S+", text, re.M), f"{unit.name} would run as root"


def test_maintainer_scripts_are_valid_sh_and_refuse_unknown_actions():
    for name in ("postinst", "prerm", "postrm"):
        script = DEBIAN / name
        subprocess.run(["sh", "-n", str(script)], check=True)
        r = subprocess.run(["sh", str(script), "no-such-action"], capture_output=True, text=True)
        assert r.returncode == 1 and "unknown argument" in r.stderr, name


def test_purge_never_deletes_recorded_data():
    text = (DEBIAN / "postrm").read_text()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"\brm\b[^\n]*(/var/lib|\$DATA)", code)
    r = subprocess.run(["sh", str(DEBIAN / "postrm"), "purge"], capture_output=True, text=True)
    assert r.returncode == 0
