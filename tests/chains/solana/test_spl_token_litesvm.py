"""SPL Token and Associated Token Account flows the adapter relies on, against LiteSVM's bundled
programs: reward mint with the program's PDA as sole minter, ATA address derivation, balances."""

from __future__ import annotations

import pytest
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
    with pytest.raises(SolanaTransactionError) as err:
        admin.send([mint_to_ix(mint, ata, payer.pubkey(), 1)])
    # SPL Token's OwnerMismatch (4), which is the token program's code, not this program's NOT_BOUND (4)
    assert (err.value.instruction, err.value.program, err.value.program_code) == (0, str(layout.TOKEN_PROGRAM), 4)
    assert err.value.code is None and "OwnerMismatch (4)" in str(err.value)


def test_a_token_program_overflow_is_named_as_the_token_programs_not_as_unattested(backend, payer) -> None:
    # Given a mint the payer controls whose supply is at u64::MAX
    admin = SolanaAdapter(backend, payer)
    mint = Keypair()
    admin.send(create_mint_ixs(payer.pubkey(), mint.pubkey(), payer.pubkey(), backend.rent_exempt(82)), [mint])
    admin.send([layout.create_ata_idempotent_ix(payer.pubkey(), payer.pubkey(), mint.pubkey())])
    ata = layout.associated_token_address(payer.pubkey(), mint.pubkey())
    admin.send([mint_to_ix(mint.pubkey(), ata, payer.pubkey(), 2**64 - 1)])
    # When one more base unit is minted, Then SPL Token refuses with its Custom(14) Overflow, which the
    # adapter names as the token program's, never as this program's 14 UNATTESTED
    with pytest.raises(SolanaTransactionError) as err:
        admin.send([mint_to_ix(mint.pubkey(), ata, payer.pubkey(), 1)])
    assert (err.value.program, err.value.program_code, err.value.code) == (str(layout.TOKEN_PROGRAM), 14, None)
    assert "Overflow (14)" in str(err.value) and "UNATTESTED" not in str(err.value)


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
