"""The compiled CsmRewards contract: the committed JSON the app loads, and the in-process compile.

The desktop app never needs a compiler: it loads `onchain/evm/build/CsmRewards.json` (ABI, creation
and runtime bytecode, compiler version, source hash). Tests and `onchain/evm/build_artifact.py`
recompile the Vyper source in-process with the same settings and check that nothing drifted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from carbon_smart_meter.errors import ChainError

CONTRACT_NAME = "CsmRewards"
EVM_VERSION = "cancun"
ARTIFACT_ENV = "CSM_EVM_ARTIFACT"

_REPO_ROOT = Path(__file__).resolve().parents[4]
SOURCE_PATH = _REPO_ROOT / "onchain" / "evm" / f"{CONTRACT_NAME}.vy"
ARTIFACT_PATH = _REPO_ROOT / "onchain" / "evm" / "build" / f"{CONTRACT_NAME}.json"


@dataclass(frozen=True)
class ContractArtifact:
    abi: list[dict[str, object]]
    bytecode: bytes
    bytecode_runtime: bytes
    vyper_version: str
    evm_version: str
    source_sha256: str
    storage_layout: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return {
            "contractName": CONTRACT_NAME,
            "vyper_version": self.vyper_version,
            "evm_version": self.evm_version,
            "source": "onchain/evm/CsmRewards.vy",
            "source_sha256": self.source_sha256,
            "abi": self.abi,
            "bytecode": "0x" + self.bytecode.hex(),
            "bytecode_runtime": "0x" + self.bytecode_runtime.hex(),
            "storage_layout": self.storage_layout,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContractArtifact:
        return cls(
            abi=data["abi"],
            bytecode=bytes.fromhex(str(data["bytecode"]).removeprefix("0x")),
            bytecode_runtime=bytes.fromhex(str(data["bytecode_runtime"]).removeprefix("0x")),
            vyper_version=str(data["vyper_version"]),
            evm_version=str(data["evm_version"]),
            source_sha256=str(data["source_sha256"]),
            storage_layout=data.get("storage_layout", {}),
        )


def source_sha256(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def compile_source(source_path: Path = SOURCE_PATH) -> ContractArtifact:
    """Compile the contract in-process with Vyper (imports snekmate from the installed packages)."""
    import vyper
    from vyper.compiler.input_bundle import FilesystemInputBundle
    from vyper.compiler.settings import Settings

    source = source_path.read_text()
    search = [source_path.parent] + [Path(p) for p in sys.path if p and Path(p).is_dir()]
    out = vyper.compile_code(
        source, contract_path=source_path.name, input_bundle=FilesystemInputBundle(search),
        output_formats=["abi", "bytecode", "bytecode_runtime", "layout"],
        settings=Settings(evm_version=EVM_VERSION))
    return ContractArtifact(
        abi=out["abi"], bytecode=bytes.fromhex(out["bytecode"].removeprefix("0x")),
        bytecode_runtime=bytes.fromhex(out["bytecode_runtime"].removeprefix("0x")),
        vyper_version=vyper.__version__, evm_version=EVM_VERSION, source_sha256=source_sha256(source),
        storage_layout=out["layout"]["storage_layout"])


@lru_cache(maxsize=4)
def load_artifact(path: str | None = None) -> ContractArtifact:
    """The committed artifact (or the file named by $CSM_EVM_ARTIFACT for a packaged app)."""
    where = Path(path or os.environ.get(ARTIFACT_ENV) or ARTIFACT_PATH)
    try:
        return ContractArtifact.from_json(json.loads(where.read_text()))
    except (OSError, ValueError, KeyError) as exc:
        raise ChainError(f"cannot load the EVM contract artifact {where}: {exc}; rebuild it with "
                         "`python onchain/evm/build_artifact.py` or set $" + ARTIFACT_ENV) from exc


def write_artifact(artifact: ContractArtifact, path: Path = ARTIFACT_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(artifact.to_json(), indent=1, sort_keys=False) + "\n")
