"""The import contracts fail closed: a module planted anywhere outside ui/ that imports Qt, or a domain
module that imports a layer above it, breaks `lint-imports` with the repository's own configuration.

The package is copied to a temporary directory (Python sources only) and checked there, so the test
proves what the contracts catch without touching the real tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "desktop" / "carbon_smart_meter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
QT_CONTRACT = "Qt and pyqtgraph only under carbon_smart_meter.ui"
LAYERS_CONTRACT = "Layers import downward only; sibling domain packages are independent"


def _python_only(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or (not n.endswith(".py") and not Path(directory, n).is_dir())]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "carbon_smart_meter", ignore=_python_only)
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    (tmp_path / "pyproject.toml").write_text(tomli_w.dumps({"tool": {"importlinter": config["tool"]["importlinter"]}}))
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(root), "PATH": ""})


def test_the_copied_package_keeps_both_contracts(package_copy: Path) -> None:
    result = lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{QT_CONTRACT} KEPT" in result.stdout and f"{LAYERS_CONTRACT} KEPT" in result.stdout


def test_qt_outside_ui_and_an_upward_domain_import_each_break_their_contract(package_copy: Path) -> None:
    pkg = package_copy / "carbon_smart_meter"
    (pkg / "storage" / "quick_plot.py").write_text('"""Planted: storage must not draw."""\n\nimport PySide6\n')
    (pkg / "energy" / "pays_out.py").write_text(
        '"""Planted: energy sits below claims."""\n\nfrom carbon_smart_meter.claims import outbox\n')
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert f"{QT_CONTRACT} BROKEN" in result.stdout and f"{LAYERS_CONTRACT} BROKEN" in result.stdout
    assert "carbon_smart_meter.storage.quick_plot -> PySide6" in result.stdout
    assert "carbon_smart_meter.energy.pays_out -> carbon_smart_meter.claims" in result.stdout


def test_a_new_top_level_module_must_be_placed_in_a_layer(package_copy: Path) -> None:
    (package_copy / "carbon_smart_meter" / "helpers.py").write_text('"""Planted: belongs to no layer."""\n')
    result = lint_imports(package_copy)
    assert result.returncode != 0 and f"{LAYERS_CONTRACT} BROKEN" in result.stdout
    assert "carbon_smart_meter.helpers" in result.stdout + result.stderr
