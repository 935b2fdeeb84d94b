"""Setting up a deployment: the program, the reward mint, the config and the manufacturer list.

The program goes on the chain through BPFLoaderUpgradeable (buffer, writes, deploy with a maximum
data length: `loader.py`), the same way into the embedded LiteSVM and onto a cluster. The deployer
becomes the upgrade authority, and only the upgrade authority may initialise the config (the program
reads its program-data account), so there is no window in which someone else could initialise it and
become the deployment's authority. Everything after the deploy is ordinary instructions, sent with
the same adapter that claims.

A program cannot read the cluster's genesis hash, so the chain id the config is initialised with
(from which the deployment id is derived) is this client's: it is taken from `getGenesisHash` before
the authority signs, and the config is read back afterwards and compared with the cluster's again;
a mismatch stops the deploy with the reason (RULES.md "Chain-specific rules").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account

from carbon_smart_meter.chains.solana import layout, loader
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import Backend
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.limits import PARAMS_DELAY_S_DEFAULT
from carbon_smart_meter.rewards.params import PayoutParams

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


def deploy_program(admin: SolanaAdapter, elf: bytes, program: Keypair,
                   progress: Callable[[int, int], None] | None = None) -> Pubkey:
    """Deploys `elf` at `program`'s address with `admin.payer` as payer and upgrade authority.
    `progress(done, total)` is called after every transaction (a 100 kB program takes ~110)."""
    plan = loader.plan_deploy(elf, admin.payer.pubkey(), admin.backend.rent_exempt, program=program)
    for done, (ixs, signers) in enumerate(plan.steps, start=1):
        admin.send(ixs, signers)
        if progress is not None:
            progress(done, len(plan.steps))
    return plan.program_id


def initialize_deployment(admin: SolanaAdapter, *, params: PayoutParams | None = None,
                          params_delay_s: int = PARAMS_DELAY_S_DEFAULT,
                          manufacturers: list[bytes] | None = None) -> Pubkey:
    """Creates the reward mint and the config in one transaction (the payer, which must be the
    program's upgrade authority, becomes the deployment's authority) with the first parameters and
    every price of `params` (they apply at once; later changes wait `params_delay_s`), adds the
    manufacturers, then reads the config back and checks it is this cluster's. Returns the mint."""
    params = params or PayoutParams()
    mint = Keypair()
    authority = admin.payer.pubkey()
    rent = admin.backend.rent_exempt(MINT_LEN)
    chain_id = admin.backend.chain_id()
    ixs = create_mint_ixs(authority, mint.pubkey(), layout.mint_authority_address(admin.program_id), rent)
    ixs.append(layout.initialize_config_ix(authority, mint.pubkey(), chain_id, params, params_delay_s,
                                           admin.program_id))
    admin.send(ixs, [mint])
    makers = [layout.add_manufacturer_ix(authority, m, admin.program_id) for m in manufacturers or []]
    for i in range(0, len(makers), 8):
        admin.send(makers[i:i + 8])
    admin.verify_deployment()
    return mint.pubkey()


@dataclass(frozen=True)
class Deployment:
    program_id: Pubkey
    mint: Pubkey
    deployment_id: bytes
    deployed: bool


def deploy_and_initialize(backend: Backend, payer: Keypair, elf: bytes, *, program: Keypair | None = None,
                          program_id: Pubkey | None = None, manufacturers: list[bytes] | None = None,
                          params: PayoutParams | None = None, params_delay_s: int = PARAMS_DELAY_S_DEFAULT,
                          priority_fee_micro_lamports: int = 0,
                          progress: Callable[[int, int], None] | None = None) -> Deployment:
    """`csm chain deploy --chain solana`: deploys `elf` at `program`'s address (or takes the program
    already at `program_id`, whose upgrade authority must be `payer`), then creates the reward mint
    and the config. `payer` becomes upgrade authority and deployment authority; because only the
    upgrade authority may initialise, nobody can initialise in between."""
    if (program is None) == (program_id is None):
        raise ChainError("give either a program keypair to deploy or the id of a deployed program")
    admin = SolanaAdapter(backend, payer, priority_fee_micro_lamports=priority_fee_micro_lamports)
    deployed = program is not None
    if program is not None:
        if backend.account_data(program.pubkey()) is not None:
            raise ChainError(f"an account already exists at {program.pubkey()}: to initialise a program that "
                             "is already deployed, pass --program-id instead of a program keypair")
        program_id = deploy_program(admin, elf, program, progress)
    assert program_id is not None
    _require_upgrade_authority(backend, program_id, payer.pubkey())
    authority = SolanaAdapter(backend, payer, program_id=program_id,
                              priority_fee_micro_lamports=priority_fee_micro_lamports)
    if backend.account_data(layout.config_address(program_id)) is not None:
        raise ChainError(f"the program at {program_id} is already initialised (config "
                         f"{layout.config_address(program_id)}); nothing to do")
    mint = initialize_deployment(authority, params=params, params_delay_s=params_delay_s,
                                 manufacturers=manufacturers)
    return Deployment(program_id, mint, authority.deployment_id, deployed)


def _require_upgrade_authority(backend: Backend, program_id: Pubkey, payer: Pubkey) -> None:
    programdata = backend.account_data(loader.programdata_address(program_id))
    if programdata is None:
        raise ChainError(f"no upgradeable program at {program_id}: deploy it with this command (without "
                         "--program-id), which uses BPFLoaderUpgradeable")
    authority = loader.decode_programdata_authority(programdata)
    if authority != payer:
        raise ChainError(f"the upgrade authority of {program_id} is {authority or 'none (immutable)'}, not "
                         f"{payer}: only the upgrade authority can initialise it; use its keypair with --keypair")
