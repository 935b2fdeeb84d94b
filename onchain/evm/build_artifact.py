"""Recompile CsmRewards.vy and write build/CsmRewards.json (ABI, bytecode, compiler version, source hash).

Run after every change to the contract: `.venv/bin/python onchain/evm/build_artifact.py`.
tests/onchain/evm/test_evm_artifact.py fails until the committed JSON matches a fresh compile.
"""

from __future__ import annotations

from carbon_smart_meter.chains.evm.artifact import ARTIFACT_PATH, compile_source, write_artifact


def main() -> int:
    artifact = compile_source()
    write_artifact(artifact)
    print(f"wrote {ARTIFACT_PATH}: vyper {artifact.vyper_version}, {len(artifact.bytecode_runtime)} bytes "
          f"runtime, source sha256 {artifact.source_sha256[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
