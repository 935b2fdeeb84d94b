"""A harness for the rewards program's own tests: the real SBPF binary deployed through
BPFLoaderUpgradeable into LiteSVM, driven instruction by instruction.

Unlike the adapter (which raises on a failed transaction and checks signatures before sending), this
sends exactly what a test builds and returns what happened, so every rejection the program makes can
be asserted where it happens. Keys are the message vectors' device and manufacturer keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from solders.account import Account
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from carbon_smart_meter.chains.solana import accounts, layout, precompile
from carbon_smart_meter.chains.solana.accounts import ClaimEvent
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.deploy import create_mint_ixs, deploy_program
from carbon_smart_meter.chains.solana.outcomes import claim_events, custom_code
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.protocol.signing import (
    CHAIN_KIND_SOLANA,
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    deployment_id,
    keccak256,
)
from carbon_smart_meter.rewards.params import PayoutParams

REPO = Path(__file__).resolve().parents[3]
MESSAGES = json.loads((REPO / "onchain" / "vectors" / "messages.json").read_text())
PAYOUT = json.loads((REPO / "onchain" / "vectors" / "payout.json").read_text())
LIMITS = json.loads((REPO / "onchain" / "vectors" / "limits.json").read_text())
SOLANA_VECTORS = json.loads((REPO / "onchain" / "vectors" / "solana_instructions.json").read_text())
T0 = 1_700_000_000
#: The published delay test deployments use (the shortest RULES.md allows).
DELAY = 3_600
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
DAY = 86_400
EVM_DEPLOYMENT = bytes.fromhex("05da9a24999d80f6fe2907e6ad7e39690e465804521067c042c26d4bbc3db70d")
FUNDS = 100 * 10**9


def unchecked_params(**changes: int) -> PayoutParams:
    """Parameters with values PayoutParams itself refuses, to see the program refuse them too."""
    params = PayoutParams()
    for name, value in changes.items():
        object.__setattr__(params, name, value)
    return params


def vector_keys() -> tuple[DeviceKey, DeviceKey]:
    """(device, manufacturer) of onchain/vectors/messages.json."""
    k = MESSAGES["keys"]
    return DeviceKey(bytes.fromhex(k["device_secret"])), DeviceKey(bytes.fromhex(k["manufacturer_secret"]))


def key(seed: int) -> DeviceKey:
    return DeviceKey.from_seed(b"program-test-%d" % seed)


@dataclass
class Sent:
    """What a transaction did: its error (None on success), logs and compute units."""

    error: object | None
    logs: list[str] = field(default_factory=list)
    units: int = 0

    def ok(self) -> Sent:
        assert self.error is None, f"transaction failed: {self.error}\n" + "\n".join(self.logs)
        return self

    def custom(self) -> tuple[int, int] | None:
        """(instruction index, custom error code) of an InstructionError(i, Custom(c))."""
        index, code = custom_code(self.error)
        return None if code is None else (index, code)  # type: ignore[return-value]

    def claim_events(self) -> list[ClaimEvent]:
        return claim_events(self.logs)


class ProgramEnv:
    """A fresh LiteSVM with the program deployed; `authority` deployed it (upgrade authority)."""

    def __init__(self, *, feature_set: object | None = None) -> None:
        self.svm = LiteSVM() if feature_set is None else LiteSVM().with_feature_set(feature_set)
        self.backend = LiteSvmBackend(self.svm)
        self.authority = Keypair()
        self.wallet = Keypair()
        for kp in (self.authority, self.wallet):
            self.svm.airdrop(kp.pubkey(), FUNDS)
        self.device, self.maker = vector_keys()
        admin = SolanaAdapter(self.backend, self.authority)
        elf = require_program_binary().read_bytes()
        self.program_id = deploy_program(admin, elf, Keypair())
        self.mint = Pubkey.default()

    # ---- sending ---------------------------------------------------------------------------------

    def send(self, ixs: list[Instruction], extra: list[Keypair] | tuple[Keypair, ...] = ()) -> Sent:
        signers = [self.authority, *extra]
        blockhash = self.svm.latest_blockhash()
        tx = Transaction(signers, Message.new_with_blockhash(ixs, self.authority.pubkey(), blockhash), blockhash)
        result = self.backend.send_and_confirm(tx, 0)
        return Sent(result.error, result.logs, result.units)

    def fund(self, who: Pubkey, lamports: int = 10**9) -> None:
        self.send([transfer(TransferParams(from_pubkey=self.authority.pubkey(), to_pubkey=who,
                                           lamports=lamports))]).ok()

    def set_time(self, unix: int) -> None:
        self.backend.set_unix_time(unix)

    # ---- reading ---------------------------------------------------------------------------------

    def account(self, address: Pubkey) -> bytes | None:
        return self.backend.account_data(address)

    def config(self) -> accounts.ConfigAccount:
        data = self.account(layout.config_address(self.program_id))
        assert data is not None, "no config account"
        return accounts.decode_config(data)

    def device_state(self, device: bytes) -> accounts.DeviceAccount | None:
        data = self.account(layout.device_address(device, self.program_id))
        return None if data is None else accounts.decode_device(data)

    def manufacturer(self, address: bytes) -> accounts.ManufacturerAccount:
        data = self.account(layout.manufacturer_address(address, self.program_id))
        assert data is not None, "no manufacturer account"
        return accounts.decode_manufacturer(data)

    def now(self) -> int:
        return int(self.svm.get_clock().unix_timestamp)

    # ---- writing accounts directly (states only a long history would reach) ---------------------

    def write(self, address: Pubkey, data: bytes, owner: Pubkey | None = None) -> None:
        rent = self.svm.minimum_balance_for_rent_exemption(len(data))
        self.svm.set_account(address, Account(rent, data, owner or self.program_id, False, 0))

    def write_config(self, config: accounts.ConfigAccount) -> None:
        bump = layout.config_address_and_bump(self.program_id)[1]
        authority_bump = layout.mint_authority_address_and_bump(self.program_id)[1]
        self.write(layout.config_address(self.program_id),
                   accounts.encode_config(config, bump=bump, mint_authority_bump=authority_bump))

    def write_device(self, state: accounts.DeviceAccount) -> None:
        key, bump = layout.device_address_and_bump(state.device, self.program_id)
        self.write(key, accounts.encode_device(state, bump=bump))

    def write_token_account(self, address: Pubkey, *, amount: int | None = None, state: int | None = None) -> None:
        """Changes a token account's balance or state (1 initialised, 2 frozen) in place."""
        acc = self.svm.get_account(address)
        assert acc is not None, f"no token account {address}"
        data = bytearray(bytes(acc.data))
        if amount is not None:
            data[64:72] = amount.to_bytes(8, "little")
        if state is not None:
            data[108] = state
        self.svm.set_account(address, Account(acc.lamports, bytes(data), acc.owner, acc.executable, acc.rent_epoch))

    def token_balance(self, token_account: Pubkey) -> int:
        data = self.account(token_account)
        assert data is not None, f"no token account {token_account}"
        return int.from_bytes(data[64:72], "little")

    # ---- building --------------------------------------------------------------------------------

    @property
    def deployment(self) -> bytes:
        return deployment_id(CHAIN_KIND_SOLANA, 0, bytes(self.program_id))

    def checkpoint(self, device: DeviceKey, seq: int, energy_mwh: int, device_time: int, *,
                   deployment: bytes | None = None) -> bytes:
        head = keccak256(seq.to_bytes(4, "big"))
        return CheckpointMessage(device.address, deployment or self.deployment, seq, energy_mwh, device_time,
                                 head).encode()

    def bind_message(self, device: DeviceKey, wallet: Pubkey, seq: int, energy_mwh: int, device_time: int,
                     region: int = 0, *, deployment: bytes | None = None) -> bytes:
        return BindMessage(device.address, bytes(wallet), deployment or self.deployment, seq, energy_mwh,
                           device_time, region).encode()

    def create_mint(self, authority: Pubkey | None = None, decimals: int = 9) -> Pubkey:
        mint = Keypair()
        authority = authority or layout.mint_authority_address(self.program_id)
        rent = self.svm.minimum_balance_for_rent_exemption(82)
        self.send(create_mint_ixs(self.authority.pubkey(), mint.pubkey(), authority, rent, decimals), [mint]).ok()
        return mint.pubkey()

    def initialize_ix(self, mint: Pubkey, *, params: PayoutParams | None = None, params_delay_s: int = DELAY,
                      authority: Pubkey | None = None) -> Instruction:
        return layout.initialize_config_ix(authority or self.authority.pubkey(), mint, 0, params or PayoutParams(),
                                           params_delay_s, self.program_id)

    def ata(self, wallet: Pubkey) -> Pubkey:
        return layout.associated_token_address(wallet, self.mint)

    def create_ata(self, wallet: Pubkey) -> Pubkey:
        self.send([layout.create_ata_idempotent_ix(self.authority.pubkey(), wallet, self.mint)]).ok()
        return self.ata(wallet)

    def admin(self, data: bytes, signer: Keypair | None = None) -> Sent:
        who = signer or self.authority
        return self.send([layout.admin_ix(who.pubkey(), data, self.program_id)], [who] if signer else [])

    def device_admin(self, device: bytes, data: bytes, signer: Keypair | None = None) -> Sent:
        who = signer or self.authority
        return self.send([layout.device_admin_ix(who.pubkey(), device, data, self.program_id)],
                         [who] if signer else [])

    def apply(self, data: bytes) -> Sent:
        """ApplyParams / ApplyPrice, sent (and paid) by the wallet: anyone may."""
        ix = layout.apply_ix(data, self.program_id)
        blockhash = self.svm.latest_blockhash()
        tx = Transaction([self.wallet], Message.new_with_blockhash([ix], self.wallet.pubkey(), blockhash), blockhash)
        result = self.backend.send_and_confirm(tx, 0)
        return Sent(result.error, result.logs, result.units)

    def after_delay(self, *changes: bytes) -> None:
        """Schedules `changes` (ScheduleParams / SchedulePrice data), lets the published delay pass, applies them."""
        for data in changes:
            self.admin(data).ok()
        self.set_time(self.now() + self.config().params_delay_s)
        for data in changes:
            if data[0] == layout.TAG_SCHEDULE_PARAMS_V0:
                self.apply(layout.apply_params_data()).ok()
            else:
                self.apply(layout.apply_price_data(int.from_bytes(data[1:3], "little"))).ok()

    def register(self, device: DeviceKey, rated_w: int = 100, *, maker: DeviceKey | None = None) -> Sent:
        maker = maker or self.maker
        att = AttestationMessage(device.address, rated_w, 1, 42).encode()
        ixs = [precompile.signer_message_ix(maker.address, att, maker.sign(att), 0),
               layout.register_device_ix(self.authority.pubkey(), maker.address, device.address, 0, self.program_id)]
        return self.send(ixs)

    def bind(self, device: DeviceKey, wallet: Keypair, message: bytes, signature: bytes | None = None) -> Sent:
        ixs = [precompile.device_message_ix(message, signature or device.sign(message), 0),
               layout.bind_wallet_ix(wallet.pubkey(), device.address, 0, self.program_id)]
        return self.send(ixs, [wallet])

    def claim_ixs(self, claims: list[tuple[DeviceKey, bytes]], destination: Pubkey) -> list[Instruction]:
        ixs = [precompile.device_message_ix(m, k.sign(m), i) for i, (k, m) in enumerate(claims)]
        refs = [(CheckpointMessage.decode(m).device, destination, i) for i, (_, m) in enumerate(claims)]
        return [*ixs, layout.claim_ix(self.mint, refs, self.program_id)]

    def claim(self, claims: list[tuple[DeviceKey, bytes]], destination: Pubkey) -> Sent:
        return self.send(self.claim_ixs(claims, destination))

    def claim_ixs_per_destination(self, claims: list[tuple[DeviceKey, bytes]], destinations: list[Pubkey]) -> Sent:
        """One transaction, claim i paying `destinations[i]`."""
        ixs = [precompile.device_message_ix(m, k.sign(m), i) for i, (k, m) in enumerate(claims)]
        pairs = zip(claims, destinations, strict=True)
        refs = [(CheckpointMessage.decode(m).device, dest, i) for i, ((_, m), dest) in enumerate(pairs)]
        return self.send([*ixs, layout.claim_ix(self.mint, refs, self.program_id)])

    # ---- standard states -------------------------------------------------------------------------

    def configure(self) -> ProgramEnv:
        """Config with default parameters, region 0 at 150 000 µUSD/kWh, the vector manufacturer
        added; chain time T0; nothing registered."""
        self.mint = self.create_mint()
        add = layout.add_manufacturer_ix(self.authority.pubkey(), self.maker.address, self.program_id)
        self.send([self.initialize_ix(self.mint), add]).ok()
        self.set_time(T0)
        return self

    def bind_device(self, device: DeviceKey, wallet: Keypair | None = None, *, rated_w: int = 100) -> Pubkey:
        """Registers `device` and binds it to `wallet` at seq 1, 0 mWh, T0, region 0; returns the
        wallet's token account (created)."""
        wallet = wallet or self.wallet
        if wallet is not self.wallet:
            self.fund(wallet.pubkey())
        self.register(device, rated_w).ok()
        ata = self.create_ata(wallet.pubkey())
        self.bind(device, wallet, self.bind_message(device, wallet.pubkey(), 1, 0, T0)).ok()
        return ata


def high_s(signature: bytes) -> bytes:
    """The malleable twin of a signature: (r, n - s, v ^ 1) recovers the same key, and the precompile accepts it."""
    s = int.from_bytes(signature[32:64], "big")
    return signature[:32] + (SECP256K1_ORDER - s).to_bytes(32, "big") + bytes([signature[64] ^ 1])


def configured() -> ProgramEnv:
    return ProgramEnv().configure()


def bound() -> tuple[ProgramEnv, Pubkey]:
    """`configured()` plus the vector device (100 W) bound to `env.wallet`; returns its token account."""
    env = configured()
    return env, env.bind_device(env.device)
