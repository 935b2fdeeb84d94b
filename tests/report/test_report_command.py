"""`csm report` on a recorded multi-hour simulated session: every section, the numbers of `csm verify` and
of the chain, page images from pdftoppm, the same bytes twice, and a tampered input said and refused.

Text is read back from the PDF with pdftotext (poppler-utils), as an auditor's tools would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import pytest
from tests.report.conftest import LATITUDE, LONGITUDE, TZ, RecordedSession

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
pytestmark = pytest.mark.slow  # a multi-hour recording (about 20 s) and a dozen reports
SECTIONS = ("Monitoring report", "1. Identity", "2. Calibration", "3. Completeness", "4. Verification",
            "5. Energy", "6. Avoided emissions (estimate)", "7. Plausibility", "8. On-chain claims",
            "9. Double counting", "10. Typical day and coverage", "Appendix: inputs")


def csm(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CSM, *args], capture_output=True, text=True, timeout=timeout, env=env)


def report(session: Path, out: Path, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return csm("report", str(session), "--out", str(out), "--tz", TZ, "--lat", str(LATITUDE), "--lon", str(LONGITUDE),
               *extra, env=env)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def outputs(out: Path) -> tuple[Path, Path, Path]:
    (pdf,) = out.glob("*.pdf")
    (manifest,) = out.glob("*.manifest.json")
    (doc,) = [p for p in out.glob("*.json") if p != manifest]
    return pdf, doc, manifest


@pytest.fixture(scope="module")
def made(recorded: RecordedSession, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The report of the recorded session with the chain read, made twice into two directories."""
    import os

    env = dict(os.environ, CSM_DEPLOYMENTS=str(recorded.deployments), CSM_SETTINGS=str(recorded.path.parent / "no"))
    dirs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        r = report(recorded.path, out, "--chain", recorded.deployment, "--confirm-no-double-counting", env=env)
        assert r.returncode == 0, r.stderr
        dirs.append(out)
    return dirs[0], dirs[1]


def test_the_report_has_every_section_and_the_verified_energy_of_csm_verify(recorded: RecordedSession,
                                                                            made: tuple[Path, Path]) -> None:
    pdf, doc_path, _ = outputs(made[0])
    text = flat(pdf_text(pdf))
    for title in SECTIONS:
        assert title in text, title
    verify = json.loads(csm("verify", str(recorded.path), "--json").stdout)["files"][0]
    kwh = verify["energy"]["verified_kwh"]
    assert kwh > 0.01  # a solar morning of a 50 W panel
    doc = json.loads(doc_path.read_text())
    assert doc["energy"]["verified_kwh"] == pytest.approx(kwh, rel=1e-12)
    assert doc["energy"]["pass_verified_kwh"] == pytest.approx(kwh, rel=1e-9)  # the report's own pass agrees
    assert f"Verified energy in the period: {kwh:.6f} kWh" in text
    assert f"Verified energy {kwh:.6f} kWh ± {doc['energy']['uncertainty_kwh']:.6f} kWh (k = 2)" in text
    # the uncertainty follows from the record's 0.05 % and 0.1 % (plus the tiny absolute parts: none here)
    assert doc["energy"]["uncertainty_kwh"] == pytest.approx(kwh * (0.0005**2 + 0.001**2) ** 0.5, rel=1e-9)
    assert f"{doc['energy']['device_rule_kwh']:.6f}" in text  # raw codes beside the calibrated figure
    assert recorded.device in text and doc["identity"]["public_key"][:40] in text.replace(" ", "")
    assert "DEVELOPMENT key" in text and "SIMULATED DEVICE" in text
    assert "EX-SIM-0001" in text and "Keysight 34465A" in text
    assert "Every recorded stretch of the period is covered by a valid calibration record." in text
    assert "Gaps are never filled" in text
    em = doc["emissions"]
    assert em["factor"]["region"] == "IN" and em["factor"]["licence"].startswith("CC-BY-4.0")
    assert em["conservative_kwh"] == pytest.approx(kwh - doc["energy"]["uncertainty_kwh"], rel=1e-12)
    assert em["co2_kg"] == pytest.approx(em["conservative_kwh"] * em["factor"]["factor"] / 1000, rel=1e-12)
    assert f"{em['co2_kg']:.6f} kg CO2e" in text and "not an offset" in text
    assert "Rated 50 W, at 12.9700, 77.5900" in text and "Flagged days: none." in text
    assert "Confirmed." in text and "NOT CONFIRMED" not in text


def test_the_claims_paid_on_chain_are_listed_with_their_transactions_and_match_the_file(
        recorded: RecordedSession, made: tuple[Path, Path]) -> None:
    pdf, doc_path, _ = outputs(made[0])
    doc = json.loads(doc_path.read_text())
    chain = doc["onchain"]
    paid = [(o.seq, c.tx_id, o.delta_mwh) for c in recorded.claims for o in c.outcomes]
    assert [(c["seq"], c["tx_id"], c["claimed_mwh"]) for c in chain["claims"]] == paid
    assert all(c["claimed_mwh"] == c["signed_delta_mwh"] for c in chain["claims"])  # the chain paid what was signed
    first, second = chain["claims"]
    # The first claim pays from the binding, whose energy no hash chain anchors: the file cannot prove the
    # stretch from the binding to the first checkpoint after it, and the report says so.
    assert first["from_seq"] == recorded.recording.bind.message.seq
    assert first["verdict"].startswith("partly unverifiable") and first["unverifiable_kwh"] > 0
    assert first["verified_kwh"] * 1e6 < first["claimed_mwh"]
    # The second pays from the first: every interval of its span is verified, to the device rule's rounding.
    assert second["from_seq"] == first["seq"] and second["verdict"].startswith("matches"), second
    assert second["verified_kwh"] * 1e6 == pytest.approx(second["claimed_mwh"], rel=0.01)
    text = flat(pdf_text(pdf))
    for _seq, tx, _mwh in paid:
        assert f"transaction {tx}" in text
    assert f"Claimed {sum(m for _s, _t, m in paid)} mWh in {len(paid)} claim(s)" in text


def test_pages_render_to_images_and_the_same_inputs_give_the_same_bytes(made: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    first, second = (outputs(d) for d in made)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(first[0]), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 2 <= len(pages) <= 8
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5_000 for p in pages)


def test_the_manifest_holds_the_sha256_of_every_input_and_of_both_outputs(recorded: RecordedSession,
                                                                           made: tuple[Path, Path]) -> None:
    pdf, doc, manifest_path = outputs(made[0])
    manifest = json.loads(manifest_path.read_text())

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    assert [i["sha256"] for i in manifest["inputs"]] == [sha(recorded.path)]
    assert {o["file"]: o["sha256"] for o in manifest["outputs"]} == {pdf.name: sha(pdf), doc.name: sha(doc)}
    assert f"SHA-256 {sha(recorded.path)}" in flat(pdf_text(pdf))


def _tamper(recorded: RecordedSession, tmp_path: Path) -> Path:
    copy = tmp_path / recorded.path.name
    shutil.copy(recorded.path, copy)
    with h5py.File(copy, "r+") as f:
        f["checkpoints"]["energy_mwh"][5] = f["checkpoints"]["energy_mwh"][5] + 500  # a copy edited on its own
    return copy


def test_a_tampered_input_is_said_in_the_report_and_fails_the_command_unless_allowed(
        recorded: RecordedSession, tmp_path: Path, deployments_env: dict[str, str]) -> None:
    copy = _tamper(recorded, tmp_path)
    refused = report(copy, tmp_path / "refused", env=deployments_env)
    assert refused.returncode == 1
    assert "failed verification" in refused.stderr and "--allow-unverified" in refused.stderr
    pdf, doc_path, _ = outputs(tmp_path / "refused")  # written all the same: the report says what is wrong
    text = flat(pdf_text(pdf))
    assert "FAILED VERIFICATION" in text and "FAIL " + copy.name in text.replace("FAIL  ", "FAIL ")
    doc = json.loads(doc_path.read_text())
    assert not doc["report"]["verified"] and doc["energy"]["verified_kwh"] == 0.0  # a failed file proves nothing
    allowed = report(copy, tmp_path / "allowed", "--allow-unverified", env=deployments_env)
    assert allowed.returncode == 0, allowed.stderr
    assert "FAILED VERIFICATION" in flat(pdf_text(outputs(tmp_path / "allowed")[0]))


def test_a_report_never_replaces_an_existing_one(recorded: RecordedSession, made: tuple[Path, Path],
                                                 deployments_env: dict[str, str]) -> None:
    before = {p.name: p.read_bytes() for p in made[1].iterdir()}
    r = report(recorded.path, made[1], env=deployments_env)
    assert r.returncode == 1 and "never overwritten" in r.stderr
    assert {p.name: p.read_bytes() for p in made[1].iterdir()} == before


def _one_line_error(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode != 0
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in r.stderr


def test_bad_inputs_get_one_clear_line_and_no_output(recorded: RecordedSession, tmp_path: Path,
                                                     deployments_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    env = deployments_env
    _one_line_error(report(tmp_path / "missing.h5", out, "--quiet", env=env), "missing.h5", "does not exist")
    not_hdf5 = tmp_path / "notes.h5"
    not_hdf5.write_text("not a session\n")
    _one_line_error(report(not_hdf5, out, "--quiet", env=env), "notes.h5", "not an HDF5 file")
    _one_line_error(report(recorded.path, out, "--quiet", "--device", "0xdeadbeef", env=env), "--device 0xdeadbeef",
                    recorded.device)
    _one_line_error(report(recorded.path, out, "--quiet", "--from", "2026-03-02", "--to", "2026-03-01", env=env),
                    "--from 2026-03-02 is after --to 2026-03-01")
    _one_line_error(report(recorded.path, out, "--quiet", "--from", "yesterday", env=env), "YYYY-MM-DD")
    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.chains.evm.anvil import free_port

    record = deployments.load(recorded.deployment, recorded.deployments)
    dead = tmp_path / "dead"
    deployments.save(deployments.DeploymentRecord(**{**record.__dict__, "name": "dead",
                                                     "rpc": f"http://127.0.0.1:{free_port()}"}), dead)
    _one_line_error(report(recorded.path, out, "--quiet", "--chain", "dead", env=dict(env, CSM_DEPLOYMENTS=str(dead))),
                    "127.0.0.1")
    _one_line_error(report(recorded.path, out, "--quiet", "--chain", "nowhere", env=env), "no deployment named")
    assert not out.exists() or not any(out.iterdir())


def test_a_period_cut_counts_only_its_days(recorded: RecordedSession, made: tuple[Path, Path], tmp_path: Path,
                                           deployments_env: dict[str, str]) -> None:
    doc = json.loads(outputs(made[0])[1].read_text())
    day = doc["energy"]["per_day"][0]["day"]
    r = report(recorded.path, tmp_path, "--from", "2001-01-01", "--to", "2001-01-02", env=deployments_env)
    assert r.returncode == 0, r.stderr
    empty = json.loads(outputs(tmp_path)[1].read_text())
    assert empty["energy"]["verified_kwh"] == 0.0 and empty["energy"]["per_day"] == []
    assert empty["completeness"]["recorded_s"] == 0.0
    assert re.search(r"mrv-0x[0-9a-f]{8}_2001-01-01_2001-01-02\.pdf", r.stdout)
    assert doc["report"]["period"]["first_day"] <= day <= doc["report"]["period"]["last_day"]


def test_flagged_days_are_called_out_on_the_first_page_and_in_the_plausibility_table(made: tuple[Path, Path],
                                                                                      tmp_path: Path) -> None:
    from carbon_smart_meter.report.pdf import render_pdf

    doc = json.loads(outputs(made[0])[1].read_text())
    day = doc["plausibility"]["days"][0]
    day.update(verdict="review", message=f"{day['day']}: flagged for review")
    doc["plausibility"]["flagged"] = [day["day"]]
    pdf = tmp_path / "flagged.pdf"
    pdf.write_bytes(render_pdf(doc))
    text = flat(pdf_text(pdf))
    assert f"1 day(s) checked, flagged: {day['day']}" in text
    assert "REVIEW" in text and f"Flagged days: {day['day']}." in text

