"""Live-session tests never read or write the user's real settings file."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "settings.toml"))


from tests.app.served import served  # noqa: E402, F401  (the fixture: csm serve on a simulator)
