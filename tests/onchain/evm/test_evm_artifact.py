"""The committed ABI and bytecode are exactly what the source compiles to today."""

from __future__ import annotations

import vyper

from carbon_smart_meter.chains.evm.artifact import (
    ARTIFACT_PATH,
    SOURCE_PATH,
    compile_source,
    load_artifact,
    source_sha256,
)


def test_the_committed_artifact_matches_a_fresh_compile() -> None:
    committed = load_artifact(str(ARTIFACT_PATH))
    fresh = compile_source()
    assert committed.source_sha256 == source_sha256(SOURCE_PATH.read_text()), \
        "CsmRewards.vy changed: run .venv/bin/python onchain/evm/build_artifact.py and commit the JSON"
    assert committed.vyper_version == vyper.__version__
    assert committed.abi == fresh.abi
    assert committed.bytecode == fresh.bytecode
    assert committed.bytecode_runtime == fresh.bytecode_runtime


def test_the_runtime_fits_the_eip170_size_limit() -> None:
    assert len(load_artifact().bytecode_runtime) <= 24_576


def test_every_external_function_has_natspec() -> None:
    blocks = SOURCE_PATH.read_text().split("@external")[1:]
    assert len(blocks) >= 14
    for block in blocks:
        name = block.split("def ", 1)[1].split("(", 1)[0]
        docstring = block.split('"""', 2)
        assert len(docstring) == 3 and "@notice" in docstring[1], f"{name} has no NatSpec @notice"
