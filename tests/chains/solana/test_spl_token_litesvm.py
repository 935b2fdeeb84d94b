"""SPL Token and Associated Token Account flows the adapter relies on, against LiteSVM's bundled
programs: reward mint with the program's PDA as sole minter, ATA address derivation, balances."""

from __future__ import annotations

from solders.keypair import Keypair
from solders.transaction_metadata import FailedTransactionMetadata

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.deploy import create_mint_ixs, create_reward_mint, mint_to_ix
from carbon_smart_meter.chains.solana.errors import SolanaTransactionError


def test_the_reward_mint_has_nine_decimals_and_the_program_pda_as_mint_authority(backend, payer) -> None:
    admin = SolanaAdapter(backend, payer)
    mint = create_reward_mint(admin)
    data = backend.account_data(mint)
    assert data is not None and len(data) == 82
    assert data[0:4] == b"\x01\x00\x00\x00" and data[4:36] == bytes(layout.mint_authority_address())
    assert data[44] == 9 and data[45] == 1


def test_nobody_but_the_pda_can_mint_rewards(backend, payer) -> None:
    admin = SolanaAdapter(backend, payer)
    mint = create_reward_mint(admin)
    admin.send([layout.create_ata_idempotent_ix(payer.pubkey(), payer.pubkey(), mint)])
    ata = layout.associated_token_address(payer.pubkey(), mint)
    try:
        admin.send([mint_to_ix(mint, ata, payer.pubkey(), 1)])
    except SolanaTransactionError as exc:
        assert exc.instruction == 0 and exc.code == 4  # SPL Token OwnerMismatch
    else:
        raise AssertionError("the payer minted reward tokens")


def test_the_derived_associated_token_account_is_the_one_the_ata_program_creates_and_mints_land_there(
        backend, payer) -> None:
    # Given a mint the payer controls and a wallet without a token account
    admin = SolanaAdapter(backend, payer)
    mint = Keypair()
    admin.send(create_mint_ixs(payer.pubkey(), mint.pubkey(), payer.pubkey(), backend.rent_exempt(82)), [mint])
    wallet = Keypair().pubkey()
    # When the ATA is created (twice: idempotent) and 7 base units minted to the derived address
    ata = layout.associated_token_address(wallet, mint.pubkey())
    admin.send([layout.create_ata_idempotent_ix(payer.pubkey(), wallet, mint.pubkey())])
    admin.send([layout.create_ata_idempotent_ix(payer.pubkey(), wallet, mint.pubkey()),
                mint_to_ix(mint.pubkey(), ata, payer.pubkey(), 7)])
    # Then the account exists, belongs to the wallet and holds 7
    data = backend.account_data(ata)
    assert data is not None and data[0:32] == bytes(mint.pubkey()) and data[32:64] == bytes(wallet)
    assert int.from_bytes(data[64:72], "little") == 7


def test_a_transaction_failure_surfaces_as_a_typed_error_with_logs(svm, backend, payer) -> None:
    admin = SolanaAdapter(backend, payer)
    mint = Keypair()
    ixs = create_mint_ixs(payer.pubkey(), mint.pubkey(), payer.pubkey(), backend.rent_exempt(82))
    admin.send(ixs, [mint])
    try:
        admin.send(ixs, [mint])  # the account exists already
    except SolanaTransactionError as exc:
        assert exc.instruction == 0 and exc.logs
    else:
        raise AssertionError("creating the same mint twice succeeded")
    assert not isinstance(svm.get_account(mint.pubkey()), FailedTransactionMetadata)
