"""Local keypair files in the Solana CLI format (a JSON array of the 64 secret-key bytes)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from solders.keypair import Keypair

from carbon_smart_meter.errors import ChainError


def load_keypair(path: str | os.PathLike[str]) -> Keypair:
    """Reads a keypair file; errors say which file and what is wrong, never print the secret."""
    p = Path(path).expanduser()
    try:
        raw = json.loads(p.read_text())
    except FileNotFoundError:
        raise ChainError(f"keypair file {p} does not exist: create one with `solana-keygen new -o {p}` "
                         "or pass another with --keypair") from None
    except (OSError, ValueError) as exc:
        raise ChainError(f"keypair file {p} is not a JSON array of 64 bytes: {exc}") from None
    if not isinstance(raw, list) or len(raw) != 64 or not all(isinstance(b, int) and 0 <= b <= 255 for b in raw):
        raise ChainError(f"keypair file {p} must hold a JSON array of 64 integers 0..255")
    try:
        return Keypair.from_bytes(bytes(raw))
    except ValueError as exc:
        raise ChainError(f"keypair file {p} does not hold a valid ed25519 keypair: {exc}") from None


def save_keypair(keypair: Keypair, path: str | os.PathLike[str]) -> Path:
    """Writes a keypair file readable only by its owner (created exclusively: never overwrites)."""
    p = Path(path).expanduser()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(list(bytes(keypair)), f)
    return p
