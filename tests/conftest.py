"""Shared test setup: Qt runs offscreen everywhere (pytest-qt has no ini option for the platform)."""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
