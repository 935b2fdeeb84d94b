"""docs/threat-model.md and onchain/RULES.md cite tests and vector files: every one of them exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / "threat-model.md", ROOT / "onchain" / "RULES.md"]


def _test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^def (test_\w+)", path.read_text(), re.MULTILINE))
    return names


def test_every_test_the_threat_model_cites_exists():
    cited = set(re.findall(r"`(test_\w+)`", (ROOT / "docs" / "threat-model.md").read_text()))
    assert len(cited) >= 15
    assert cited - _test_names() == set()


def test_every_vector_file_and_path_the_documents_cite_exists():
    for doc in DOCS:
        text = doc.read_text()
        for name in re.findall(r"`(?:onchain/vectors/)?(\w+\.json)`", text):
            assert (ROOT / "onchain" / "vectors" / name).is_file(), (doc.name, name)
        for path in re.findall(r"`((?:tests|docs|onchain|desktop)/[\w./-]+)`", text):
            assert (ROOT / path).exists(), (doc.name, path)
