"""Development keys come from one place (devices/identity.py), so the simulator, the emulated firmware
and the embedded chains can never disagree on which manufacturer attests a development device."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ["desktop", "tests", "scripts", "firmware/tools", "onchain"]


@pytest.mark.parametrize("seed", ["csm-dev-manufacturer", "csm-fw-device-0", "csm-sim-device-"])
def test_each_development_seed_is_written_once_in_the_python_sources(seed: str) -> None:
    found = [path.relative_to(REPO) for top in SOURCES for path in (REPO / top).rglob("*.py")
             if seed in path.read_text(encoding="utf-8") and path != Path(__file__)]
    assert found == [Path("desktop/carbon_smart_meter/devices/identity.py")]
