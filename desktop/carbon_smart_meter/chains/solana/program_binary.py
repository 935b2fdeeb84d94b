"""Where the SBPF build of the rewards program lives, and the message when it does not.

`make solana` builds it from Debian's Rust and crates.io (scripts/build-solana-program.sh) into the
cargo target directory outside the clone. Everything that runs the real program (`csm demo --chain
solana`, `csm chain deploy --chain solana`, the sbf-marked tests) asks here first, so a missing
binary is one clear message.
"""

from __future__ import annotations

import os
from pathlib import Path

from carbon_smart_meter.chains.solana.errors import SolanaProgramMissing

PROGRAM_FILE = "csm_solana_program.so"
ENV_VAR = "CSM_SOLANA_PROGRAM_SO"
DEFAULT_TARGET_DIR = Path.home() / ".cache" / "csm" / "cargo-target"


def candidates() -> list[Path]:
    out = []
    if os.environ.get(ENV_VAR):
        out.append(Path(os.environ[ENV_VAR]).expanduser())
    if os.environ.get("CARGO_TARGET_DIR"):
        out.append(Path(os.environ["CARGO_TARGET_DIR"]).expanduser() / "deploy" / PROGRAM_FILE)
    out.append(DEFAULT_TARGET_DIR / "deploy" / PROGRAM_FILE)
    return list(dict.fromkeys(out))


def find_program_binary() -> Path | None:
    for path in candidates():
        if path.is_file():
            return path
    return None


def missing_binary_message() -> str:
    looked = "\n".join(f"  {p}" for p in candidates())
    return (
        f"The Solana rewards program binary ({PROGRAM_FILE}) was not found. Looked in:\n{looked}\n"
        "Build it with `make solana` in the repository (Debian's rustc-web and crates.io's sbpf-linker; "
        "the first build installs the linker, about 20 minutes on 2 cores), or set "
        f"{ENV_VAR}=/path/to/{PROGRAM_FILE}. Then run the command again. Without the binary, use the "
        "embedded EVM chain: `csm demo` (default) or `--chain evm`."
    )


def require_program_binary() -> Path:
    """The program binary's path, or SolanaProgramMissing saying exactly what to build and how."""
    path = find_program_binary()
    if path is None:
        raise SolanaProgramMissing(missing_binary_message())
    return path
