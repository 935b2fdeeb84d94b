"""The sbf tests never vanish silently: under `make test` (CSM_REQUIRE_SOLANA_PROGRAM) a missing
program binary stops the run with the build instruction; elsewhere each is skipped with the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TARGET = "tests/onchain/solana/test_solana_admin.py"


def _pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CSM_SOLANA_PROGRAM_SO", "CARGO_TARGET_DIR", "CSM_REQUIRE_SOLANA_PROGRAM")}
    clean.update(HOME=str(tmp_path), CARGO_TARGET_DIR=str(tmp_path / "no-target"), **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", TARGET],
                          cwd=REPO, env=clean, capture_output=True, text=True, timeout=300)


def test_a_missing_binary_fails_the_run_when_the_program_is_required(tmp_path) -> None:
    out = _pytest(tmp_path, CSM_REQUIRE_SOLANA_PROGRAM="1")
    assert out.returncode != 0
    assert "make solana" in out.stdout + out.stderr and "passed" not in out.stdout


def test_a_missing_binary_skips_each_sbf_test_with_the_reason_otherwise(tmp_path) -> None:
    out = _pytest(tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "skipped" in out.stdout and "needs the Solana program binary: run `make solana`" in out.stdout
