"""`csm kiosk`: the fullscreen guest view of a session service (placeholder while it is written)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    pass
