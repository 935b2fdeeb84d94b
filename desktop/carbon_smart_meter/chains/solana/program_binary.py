"""Where the SBF build of the rewards program lives, and the message when it does not.

`cargo build-sbf` needs the Solana platform tools, which are not on every machine (nor in this
project's CI). Everything that runs the real program (`csm demo --chain solana`, `csm chain deploy
--chain solana`, the sbf-marked tests) asks here first, so a missing binary is one clear message.
"""

from __future__ import annotations

import os
from pathlib import Path

from carbon_smart_meter.chains.solana.errors import SolanaProgramMissing

PROGRAM_FILE = "csm_solana_program.so"
ENV_VAR = "CSM_SOLANA_PROGRAM_SO"
REPO = Path(__file__).resolve().parents[4]
SOLANA_DIR = REPO / "onchain" / "solana"


def candidates() -> list[Path]:
    out = []
    if os.environ.get(ENV_VAR):
        out.append(Path(os.environ[ENV_VAR]).expanduser())
    out.append(SOLANA_DIR / "target" / "deploy" / PROGRAM_FILE)
    out.append(Path.home() / ".cache" / "csm" / "cargo-target" / "deploy" / PROGRAM_FILE)
    return out


def find_program_binary() -> Path | None:
    for path in candidates():
        if path.is_file():
            return path
    return None


def missing_binary_message() -> str:
    looked = "\n".join(f"  {p}" for p in candidates())
    return (
        f"The Solana rewards program binary ({PROGRAM_FILE}) was not found. Looked in:\n{looked}\n"
        "Build it on a machine with the Agave (Solana) command-line tools, which provide `cargo build-sbf`:\n"
        "  make -C onchain/solana sbf\n"
        "(that runs `cargo build-sbf --manifest-path program/Cargo.toml --sbf-out-dir target/deploy` in "
        "onchain/solana), or set "
        f"{ENV_VAR}=/path/to/{PROGRAM_FILE}. Then run the command again. Without the binary, use the "
        "embedded EVM chain: `csm demo` (default) or `--chain evm`."
    )


def require_program_binary() -> Path:
    """The program binary's path, or SolanaProgramMissing saying exactly what to build and how."""
    path = find_program_binary()
    if path is None:
        raise SolanaProgramMissing(missing_binary_message())
    return path
