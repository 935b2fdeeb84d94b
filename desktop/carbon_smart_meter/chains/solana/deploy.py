"""Setting up a deployment: the reward mint, the config and the manufacturer list.

The program itself is put on a cluster by the Solana CLI (`solana program deploy`, part of the same
tool suite as `cargo build-sbf`), or into LiteSVM with `add_program_from_file`; everything after
that is ordinary instructions, done here with the same adapter that claims.
"""

from __future__ import annotations

from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.rewards.params import DEFAULT_PRICE_MICRO_USD, PayoutParams

MINT_LEN = 82
REWARD_DECIMALS = 9
_INITIALIZE_MINT2 = 20
_MINT_TO = 7


def create_mint_ixs(payer: Pubkey, mint: Pubkey, authority: Pubkey, rent: int,
                    decimals: int = REWARD_DECIMALS) -> list[Instruction]:
    """System CreateAccount + SPL Token InitializeMint2 (no freeze authority)."""
    create = create_account(CreateAccountParams(from_pubkey=payer, to_pubkey=mint, lamports=rent, space=MINT_LEN,
                                                owner=layout.TOKEN_PROGRAM))
    data = bytes([_INITIALIZE_MINT2, decimals]) + bytes(authority) + b"\x00"
    init = Instruction(layout.TOKEN_PROGRAM, data, [AccountMeta(mint, is_signer=False, is_writable=True)])
    return [create, init]


def mint_to_ix(mint: Pubkey, destination: Pubkey, authority: Pubkey, amount: int) -> Instruction:
    data = bytes([_MINT_TO]) + amount.to_bytes(8, "little")
    accounts = [AccountMeta(mint, False, True), AccountMeta(destination, False, True),
                AccountMeta(authority, True, False)]
    return Instruction(layout.TOKEN_PROGRAM, data, accounts)


def create_reward_mint(admin: SolanaAdapter) -> Pubkey:
    """A 9-decimal mint whose only minter is the program's mint-authority PDA."""
    mint = Keypair()
    rent = admin.backend.rent_exempt(MINT_LEN)
    authority = layout.mint_authority_address(admin.program_id)
    admin.send(create_mint_ixs(admin.payer.pubkey(), mint.pubkey(), authority, rent), [mint])
    return mint.pubkey()


def initialize_deployment(admin: SolanaAdapter, *, params: PayoutParams | None = None,
                          default_price: int = DEFAULT_PRICE_MICRO_USD,
                          manufacturers: list[bytes] | None = None) -> Pubkey:
    """Creates the reward mint and the config (the payer becomes the authority), adds manufacturers
    and any region prices in `params`. Returns the mint."""
    params = params or PayoutParams()
    mint = create_reward_mint(admin)
    authority = admin.payer.pubkey()
    chain_id = admin.backend.chain_id()
    ixs = [layout.initialize_config_ix(authority, mint, chain_id, params, default_price, admin.program_id)]
    ixs += [layout.add_manufacturer_ix(authority, m, admin.program_id) for m in manufacturers or []]
    admin.send(ixs)
    prices = [layout.admin_ix(authority, layout.set_region_price_data(r, p), admin.program_id)
              for r, p in sorted(params.prices.items()) if r != 0]
    for i in range(0, len(prices), 8):
        admin.send(prices[i:i + 8])
    return mint
