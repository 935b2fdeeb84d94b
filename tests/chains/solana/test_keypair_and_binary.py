"""Local keypair files, the missing-binary message, and an unreachable RPC node."""

from __future__ import annotations

import argparse
import json

import pytest
from solders.keypair import Keypair

from carbon_smart_meter.chains.networks import network
from carbon_smart_meter.chains.solana import embedded_solana_deployment
from carbon_smart_meter.chains.solana.backend import RpcBackend
from carbon_smart_meter.chains.solana.errors import SolanaProgramMissing
from carbon_smart_meter.chains.solana.keypair import load_keypair, save_keypair
from carbon_smart_meter.chains.solana.program_binary import ENV_VAR, require_program_binary
from carbon_smart_meter.errors import ChainError, CsmError


def test_a_saved_keypair_loads_back_and_is_private_to_its_owner(tmp_path) -> None:
    kp = Keypair()
    path = save_keypair(kp, tmp_path / "id.json")
    assert load_keypair(path).pubkey() == kp.pubkey()
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(FileExistsError):
        save_keypair(Keypair(), path)


@pytest.mark.parametrize("content, why", [("[1, 2, 3]", "64 integers"), ("not json", "JSON array"),
                                          (json.dumps([300] * 64), "64 integers")])
def test_a_malformed_keypair_file_is_a_chain_error_naming_the_file(tmp_path, content, why) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ChainError, match=why) as info:
        load_keypair(path)
    assert str(path) in str(info.value)


def test_a_missing_keypair_file_says_how_to_create_one(tmp_path) -> None:
    with pytest.raises(ChainError, match="solana-keygen new"):
        load_keypair(tmp_path / "none.json")


def test_without_the_program_binary_the_error_says_what_to_build_and_how(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "absent.so"))
    monkeypatch.setattr("carbon_smart_meter.chains.solana.program_binary.candidates",
                        lambda: [tmp_path / "absent.so"])
    with pytest.raises(SolanaProgramMissing) as info:
        require_program_binary()
    text = str(info.value)
    assert isinstance(info.value, CsmError)
    for needed in ("csm_solana_program.so", "make solana", ENV_VAR, "--chain evm"):
        assert needed in text
    with pytest.raises(SolanaProgramMissing):
        embedded_solana_deployment()


def test_an_env_var_pointing_at_a_file_is_used(tmp_path, monkeypatch) -> None:
    so = tmp_path / "csm_solana_program.so"
    so.write_bytes(b"\x7fELF")
    monkeypatch.setenv(ENV_VAR, str(so))
    assert require_program_binary() == so


def test_an_unreachable_rpc_node_is_a_chain_error_that_names_it() -> None:
    backend = RpcBackend("http://127.0.0.1:9", timeout_s=2.0)
    with pytest.raises(ChainError, match=r"127\.0\.0\.1:9"):
        backend.latest_blockhash()


def _deploy_args(*argv: str) -> argparse.Namespace:
    from carbon_smart_meter.commands.chain_solana import add_solana_arguments

    parser = argparse.ArgumentParser()
    parser.add_argument("--rpc", default="http://127.0.0.1:9")
    parser.add_argument("--manufacturer", action="append", default=[])
    add_solana_arguments(parser)
    return parser.parse_args(list(argv))


def test_chain_deploy_without_the_binary_says_what_to_build(tmp_path, monkeypatch) -> None:
    from carbon_smart_meter.commands.chain_solana import cmd_deploy

    monkeypatch.setattr("carbon_smart_meter.chains.solana.program_binary.candidates",
                        lambda: [tmp_path / "absent.so"])
    with pytest.raises(SolanaProgramMissing, match="make solana"):
        cmd_deploy(_deploy_args(), network("solana-localnet"), "local")


def test_chain_deploy_refuses_a_malformed_manufacturer_or_program_id_before_touching_the_network(
        tmp_path, monkeypatch) -> None:
    from carbon_smart_meter.commands.chain_solana import cmd_deploy

    so = tmp_path / "csm_solana_program.so"
    so.write_bytes(b"\x7fELF")
    monkeypatch.setenv(ENV_VAR, str(so))
    keypair = save_keypair(Keypair(), tmp_path / "id.json")
    with pytest.raises(ChainError, match="20-byte hex address"):
        cmd_deploy(_deploy_args("--keypair", str(keypair), "--manufacturer", "0x1234"), network("solana-localnet"),
                   "local")
    with pytest.raises(ChainError, match="not a base58 public key"):
        cmd_deploy(_deploy_args("--keypair", str(keypair), "--program-id", "nope"), network("solana-localnet"),
                   "local")


def test_a_transaction_sent_to_an_unreachable_rpc_node_is_a_chain_error_that_names_it() -> None:
    from solders.hash import Hash
    from solders.transaction import Transaction

    payer = Keypair()
    tx = Transaction.new_signed_with_payer([], payer.pubkey(), [payer], Hash.default())
    backend = RpcBackend("http://127.0.0.1:9", timeout_s=2.0)
    with pytest.raises(ChainError, match=r"127\.0\.0\.1:9"):
        backend.send_and_confirm(tx, last_valid_block_height=1)
