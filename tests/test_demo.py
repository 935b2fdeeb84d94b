"""`csm demo` end to end, as a new user runs it: device -> serial -> HDF5 -> kWh/CO2 -> chain payout."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest


def test_the_demo_records_verifies_estimates_and_gets_paid_what_it_previewed(tmp_path):
    out = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "demo", "--seconds", "8", "--hours", "3",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert re.search(r"\(0 lost and counted, 0 CRC errors\)", text), text
    verified = int(re.search(r"(\d+) checkpoints verified", text).group(1))
    assert verified >= 5
    assert "0 problems found" in text
    kwh = float(re.search(r"= ([0-9.]+) kWh", text).group(1))
    assert 0.005 < kwh < 0.2  # a 50 W panel behind an 18 W phone charger for three midday hours
    assert "licence CC-BY-4.0" in text and "not an offset" in text
    preview = re.search(r"-> ([0-9.]+) tokens", text)
    assert preview and float(preview.group(1)) > 0
    assert "1 paid" in text and "matches the preview" in text
    files = list(tmp_path.glob("*.h5"))
    assert len(files) == 1
    # The demo previews the recording exactly as `csm offsets FILE` does (one provider, one report).
    session_tokens = int(re.search(r"session reward preview (\d+) base units", text).group(1))
    offsets = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "offsets", str(files[0]), "--json"],
                             capture_output=True, text=True, timeout=120, env={**os.environ, "CSM_SETTINGS":
                                                                                str(tmp_path / "none.toml")})
    assert offsets.returncode == 0, offsets.stderr
    assert json.loads(offsets.stdout)["reward"]["tokens"] == session_tokens > 0
    assert (tmp_path / "claims.sqlite").exists()


def test_the_demo_session_is_readable_by_h5dump_with_units_on_every_dataset(tmp_path):
    assert shutil.which("h5dump"), "h5dump is missing: install Debian's hdf5-tools (make test does)"
    subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "demo", "--seconds", "4", "--hours", "1",
                    "--out", str(tmp_path), "--chain", "none"], check=True, capture_output=True, timeout=300)
    path = next(tmp_path.glob("*.h5"))
    header = subprocess.run(["h5dump", "-H", "-A", str(path)], capture_output=True, text=True, timeout=60)
    assert header.returncode == 0, header.stderr
    datasets = re.findall(r'DATASET "([^"]+)"', header.stdout)
    assert datasets
    blocks = header.stdout.split('DATASET "')[1:]
    for block in blocks:
        name = block.split('"')[0]
        assert 'ATTRIBUTE "units"' in block, f"dataset {name} has no units attribute"


@pytest.mark.sbf
def test_the_solana_demo_claims_on_the_real_program_and_mints_what_it_previewed(tmp_path):
    out = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "demo", "--seconds", "8", "--hours", "3",
                          "--chain", "solana", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "embedded chain: solana" in text
    preview = re.search(r"-> ([0-9.]+) tokens", text)
    assert preview and float(preview.group(1)) > 0
    minted = re.search(r"claimed on solana: 1 paid, 0 deferred, 0 rejected; minted (\d+) base units \(matches the "
                       r"preview\)", text)
    assert minted and int(minted.group(1)) > 0, text


def test_the_demo_runs_against_a_real_node_in_its_own_process(tmp_path):
    """`csm demo --chain evm --node anvil`: the same story over JSON-RPC to anvil (`make tools`)."""
    out = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "demo", "--seconds", "8", "--hours", "3",
                          "--node", "anvil", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "anvil at http://127.0.0.1:" in out.stdout
    assert "1 paid" in out.stdout and "matches the preview" in out.stdout


def _demo_in(tmp_dir, *extra: str) -> subprocess.CompletedProcess:
    """A short chain-less demo whose temporary directory is made under `tmp_dir` (TMPDIR)."""
    return subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "demo", "--seconds", "2", "--hours", "0.5",
                           "--chain", "none", *extra], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TMPDIR": str(tmp_dir)})


def test_the_demo_removes_its_temporary_directory_and_says_so(tmp_path):
    out = _demo_in(tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not list(tmp_path.glob("csm-demo-*"))
    assert re.search(r"removed the temporary directory .*csm-demo-\w+ \([0-9.]+ MB\)", out.stdout), out.stdout


def test_the_demo_keeps_its_temporary_directory_when_asked_and_says_where(tmp_path):
    out = _demo_in(tmp_path, "--keep")
    assert out.returncode == 0, out.stdout + out.stderr
    (kept,) = tmp_path.glob("csm-demo-*")
    assert list(kept.glob("*.h5")) and f"files kept in {kept}" in out.stdout


def test_the_demo_keeps_the_directory_given_with_out(tmp_path):
    out = _demo_in(tmp_path / "tmp", "--out", str(tmp_path / "mine"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert list((tmp_path / "mine").glob("*.h5")) and f"files kept in {tmp_path / 'mine'}" in out.stdout


def test_link_warnings_are_shown_in_words_the_rest_counted():
    from carbon_smart_meter.acquisition.records import LinkEvent
    from carbon_smart_meter.commands.demo import warning_lines

    warnings = [LinkEvent("sample-gap", f"{n} samples missing before sequence {n}", count=n) for n in range(7)]
    lines = warning_lines(warnings, limit=3)
    assert lines[:3] == [f"      ! sample-gap: {n} samples missing before sequence {n}" for n in range(3)]
    assert lines[3:] == ["      ! … and 4 more"]
    assert warning_lines(warnings[:2], limit=3) == [f"      ! sample-gap: {n} samples missing before sequence {n}"
                                                    for n in range(2)]
