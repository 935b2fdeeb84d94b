"""One version: pyproject.toml's, read back from package metadata by `csm --version` and the files."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, check=True)
    return out.stdout.strip()


def test_csm_version_is_the_pyproject_version():
    out = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "--version"], capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.strip() == f"csm {pyproject_version()}", (
        "the installed metadata is stale: reinstall the package (make venv) after changing the version")


def test_no_second_copy_of_the_version_in_the_code():
    hard_coded = [str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py")
                  if re.search(r"__version__\s*=\s*['\"]\d", p.read_text())]
    assert hard_coded == []


def test_without_package_metadata_the_version_says_unknown_instead_of_a_guess():
    code = (
        "import importlib.metadata as md\n"
        "def missing(name):\n"
        "    raise md.PackageNotFoundError(name)\n"
        "md.version = missing\n"
        "import carbon_smart_meter\n"
        "print(carbon_smart_meter.__version__)\n"
    )
    assert run_python(code) == "0+unknown"


def test_the_changelog_has_the_current_version_or_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{pyproject_version()}]" in text or "## [Unreleased]" in text
