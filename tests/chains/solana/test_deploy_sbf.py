"""`csm chain deploy --chain solana-localnet` end to end on the real binary: the CLI deploys through
BPFLoaderUpgradeable, initialises in the same flow (the deployer holding both authorities) and
records the deployment. The RPC node is replaced by the embedded LiteSVM (same Backend interface),
which is the only change."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair
from solders.litesvm import LiteSVM

from carbon_smart_meter.chains import deployments
from carbon_smart_meter.chains.solana import accounts, layout, loader
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.deploy import deploy_and_initialize, deploy_program
from carbon_smart_meter.chains.solana.keypair import save_keypair
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import DeviceKey

pytestmark = pytest.mark.sbf


@pytest.fixture
def chain(monkeypatch):  # type: ignore[no-untyped-def]
    svm = LiteSVM()
    backend = LiteSvmBackend(svm)
    monkeypatch.setattr("carbon_smart_meter.chains.solana.backend.RpcBackend",
                        lambda url, commitment="finalized": backend)
    return svm, backend


def test_chain_deploy_puts_the_program_on_chain_initialises_it_for_the_deployer_and_records_it(
        chain, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from carbon_smart_meter.cli import main
    from carbon_smart_meter.commands.chain_solana import DEFAULT_PROGRAM_KEYPAIR

    svm, backend = chain
    payer = Keypair()
    svm.airdrop(payer.pubkey(), 100 * 10**9)
    keyfile = save_keypair(payer, tmp_path / "id.json")
    maker = DeviceKey.from_seed(b"deploy-maker").address
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSM_DEPLOYMENTS", str(tmp_path / "deployments"))
    # When the deploy command runs against the chain
    argv = ["chain", "deploy", "--chain", "solana-localnet", "--rpc", "http://127.0.0.1:8899", "--keypair",
            str(keyfile), "--manufacturer", "0x" + maker.hex(), "--name", "local", "--params-delay", "3600",
            "--price", "200000"]
    assert main(argv) == 0
    out = capsys.readouterr()
    program_id = next(line.split()[1] for line in out.out.splitlines() if line.startswith("program "))
    # Then the program keypair was saved, the program runs from the built ELF with the deployer as
    # upgrade authority, and the deployer is the config's authority with the manufacturer added
    assert (tmp_path / DEFAULT_PROGRAM_KEYPAIR).is_file()
    assert "transaction" in out.err
    pid = layout.Pubkey.from_string(program_id)
    programdata = backend.account_data(loader.programdata_address(pid))
    assert programdata is not None and loader.decode_programdata_authority(programdata) == payer.pubkey()
    elf = require_program_binary().read_bytes()
    assert programdata[loader.PROGRAMDATA_METADATA:loader.PROGRAMDATA_METADATA + len(elf)] == elf
    admin = SolanaAdapter(backend, payer, program_id=pid)
    config = admin._config()
    assert config.authority == payer.pubkey()
    assert (config.params_delay_s, config.params.prices) == (3_600, {0: 200_000})
    manufacturer = backend.account_data(layout.manufacturer_address(maker, pid))
    assert manufacturer is not None and accounts.decode_manufacturer(manufacturer) == accounts.ManufacturerAccount(
        revoked=False, address=maker, index=1)
    assert f"deployment id {admin.deployment_id.hex()}" in out.out
    # And the deployment record names the program, the mint and the deployment id devices bind to
    record = deployments.load("local")
    assert (record.kind, record.network, record.address) == ("solana", "solana-localnet", program_id)
    assert record.deployment_id_bytes == admin.deployment_id and record.mint == str(admin.mint)
    assert record.owner == str(payer.pubkey())


def test_a_program_deployed_by_someone_else_cannot_be_initialised_by_us(chain) -> None:  # type: ignore[no-untyped-def]
    svm, backend = chain
    deployer, we = Keypair(), Keypair()
    for k in (deployer, we):
        svm.airdrop(k.pubkey(), 100 * 10**9)
    elf = require_program_binary().read_bytes()
    program_id = deploy_program(SolanaAdapter(backend, deployer), elf, Keypair())
    with pytest.raises(ChainError, match=f"upgrade authority of {program_id} is {deployer.pubkey()}"):
        deploy_and_initialize(backend, we, elf, program_id=program_id)
    # The deployer can, once; a second run says it is already initialised
    deploy_and_initialize(backend, deployer, elf, program_id=program_id)
    with pytest.raises(ChainError, match="already initialised"):
        deploy_and_initialize(backend, deployer, elf, program_id=program_id)


def test_deploying_onto_an_address_that_is_taken_is_refused_before_any_transaction(chain) -> None:  # type: ignore[no-untyped-def]
    svm, backend = chain
    payer, taken = Keypair(), Keypair()
    svm.airdrop(payer.pubkey(), 100 * 10**9)
    svm.airdrop(taken.pubkey(), 10**9)
    before = svm.get_balance(payer.pubkey())
    with pytest.raises(ChainError, match="already exists"):
        deploy_and_initialize(backend, payer, require_program_binary().read_bytes(), program=taken)
    assert svm.get_balance(payer.pubkey()) == before
