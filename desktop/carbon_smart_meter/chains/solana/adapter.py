"""`SolanaAdapter`: the ChainAdapter protocol over the rewards program of onchain/solana/.

Every device signature travels in a secp256k1 precompile instruction of the same transaction; the
runtime verifies it and the program reads it back. A bad signature would fail the whole
transaction, so signatures are checked here first and a forged claim is reported (BAD_SIGNATURE)
without being sent. Per-claim results come from the program's ClaimEventV0 log events.

A batch that fits a legacy transaction (up to 3 claims) is sent as one; a larger one (4) goes as a
v0 transaction through the payer's address lookup table (lookup.py), which the adapter creates and
extends as needed.

Beyond the ChainAdapter protocol it offers what the EVM adapter offers, so the claims sync and the
tools work the same on both chains: the network state, a paid claim found by device and seq (another
relayer's transaction), and the authority's operations (schedule/apply parameters and prices after
the published delay, revoke and reinstate devices and manufacturers, register a device's site region,
pause, move or renounce the authority).
"""

from __future__ import annotations

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.transaction import Transaction, VersionedTransaction

from carbon_smart_meter.chains.adapter import (
    BatchReceipt,
    BeforeSend,
    ClaimOutcome,
    DeviceOnChain,
    FeeEstimate,
    PaidClaim,
    SignedMessage,
    SignedTransaction,
    TransactionLookup,
    TxState,
)
from carbon_smart_meter.chains.solana import accounts, layout, packing, precompile
from carbon_smart_meter.chains.solana.backend import AnyTransaction, Backend, SendResult
from carbon_smart_meter.chains.solana.errors import BlockhashExpired, SolanaTransactionError, code_name
from carbon_smart_meter.chains.solana.lookup import LookupTable
from carbon_smart_meter.chains.solana.outcomes import claim_events, transaction_error
from carbon_smart_meter.errors import ChainError, SignatureError
from carbon_smart_meter.protocol.signing import (
    CHAIN_KIND_SOLANA,
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    deployment_id,
    recover_address,
)
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.preview import PendingChange

# How many of a device account's latest transactions `find_paid_claim` reads for its claim event.
PAID_CLAIM_LOOKBACK = 200


class SolanaAdapter:
    """Register, bind, claim and read state on one deployment of the Solana rewards program."""

    name = "solana"

    def __init__(self, backend: Backend, payer: Keypair, *, program_id: Pubkey = layout.PROGRAM_ID,
                 priority_fee_micro_lamports: int = 0, max_send_attempts: int = 3,
                 lookup_table: bool = True) -> None:
        self.backend = backend
        self.payer = payer
        self.program_id = program_id
        self.priority_fee_micro_lamports = priority_fee_micro_lamports
        self.max_send_attempts = max_send_attempts
        self.use_lookup_table = lookup_table
        self._table = LookupTable(self)
        self._max_claims: int | None = None
        self._deployment_id: bytes | None = None

    # ---- reads ------------------------------------------------------------------------------------

    def _config(self) -> accounts.ConfigAccount:
        data = self.backend.account_data(layout.config_address(self.program_id))
        if data is None:
            raise ChainError(f"no CSM config at program {self.program_id}: is the program deployed and "
                             "initialised on this cluster?")
        return accounts.decode_config(data)

    @property
    def deployment_id(self) -> bytes:
        """Derived from the cluster's genesis hash (the chain id) and the program id; once the config
        exists it must hold the same chain id and deployment id (`verify_deployment`)."""
        if self._deployment_id is None:
            derived = deployment_id(CHAIN_KIND_SOLANA, self.backend.chain_id(), bytes(self.program_id))
            if self.backend.account_data(layout.config_address(self.program_id)) is not None:
                self.verify_deployment(derived)
            self._deployment_id = derived
        return self._deployment_id

    def verify_deployment(self, derived: bytes | None = None) -> None:
        """A program cannot read the genesis hash, so the chain id it was initialised with is the
        client's word: refuse (ChainError) a config whose chain id or deployment id is not this
        cluster's, whether a wrong RPC URL or a program initialised for another cluster."""
        chain_id = self.backend.chain_id()
        derived = derived or deployment_id(CHAIN_KIND_SOLANA, chain_id, bytes(self.program_id))
        cfg = self._config()
        if cfg.chain_id != chain_id or cfg.deployment_id != derived:
            raise ChainError(
                f"the config of program {self.program_id} was initialised for chain id {cfg.chain_id} (deployment "
                f"{cfg.deployment_id.hex()[:16]}…), but this cluster's genesis hash gives chain id {chain_id} "
                f"(deployment {derived.hex()[:16]}…): check the RPC URL; a program initialised for another "
                "cluster must be deployed again on this one")

    @property
    def mint(self) -> Pubkey:
        return self._config().mint

    @property
    def max_claims_per_batch(self) -> int:
        if self._max_claims is None:
            self._max_claims = packing.claims_per_transaction(
                distinct_wallets=True, priority_fee=self.priority_fee_micro_lamports > 0,
                lookup_table=self.use_lookup_table)
        return self._max_claims

    def device_account(self, device: bytes) -> accounts.DeviceAccount | None:
        data = self.backend.account_data(layout.device_address(device, self.program_id))
        return None if data is None else accounts.decode_device(data)

    def device_state(self, device: bytes) -> DeviceOnChain | None:
        """`revoked` is the effective status: the device's own, or its manufacturer's without a reinstatement."""
        d = self.device_account(device)
        if d is None:
            return None
        revoked = d.is_revoked(self._config().revoked_manufacturers)
        return DeviceOnChain(device=d.device, rated_w=d.rated_w, hw_class=d.hw_class,
                             wallet=bytes(d.wallet) if d.bound else None, region=d.region, last_seq=d.last_seq,
                             last_energy_mwh=d.last_energy_mwh, last_time=d.last_time, chain_head=d.chain_head,
                             revoked=revoked, manufacturer=d.manufacturer)

    def network_energy_mwh(self) -> int:
        return self._config().network_energy_mwh

    def network_state(self) -> NetworkState:
        """Paid energy, halving era and energy left in it, and the mint window as stored."""
        return self._config().network

    def params(self) -> PayoutParams:
        return self._config().params

    def params_delay_s(self) -> int:
        return self._config().params_delay_s

    def paused(self) -> bool:
        return self._config().paused

    def manufacturer_account(self, address: bytes) -> accounts.ManufacturerAccount | None:
        data = self.backend.account_data(layout.manufacturer_address(address, self.program_id))
        return None if data is None else accounts.decode_manufacturer(data)

    def pending_change(self) -> PendingChange | None:
        """Scheduled parameter and price changes merged into the parameters they will make, if any."""
        cfg = self._config()
        params, times = cfg.params, []
        if cfg.pending_params is not None:
            params, times = cfg.pending_params, [cfg.pending_params_at]
        prices = dict(cfg.params.prices)
        for change in cfg.pending_prices:
            times.append(change.at)
            if change.price is None:
                prices.pop(change.region, None)
            else:
                prices[change.region] = change.price
        if not times:
            return None
        return PendingChange(effective_at=min(times), params=params.with_changes(prices=prices))

    def chain_time(self) -> int:
        """The chain's clock (what the program reads as `Clock::unix_timestamp`)."""
        return self.backend.unix_time()

    def find_paid_claim(self, device: bytes, seq: int) -> PaidClaim | None:
        """The transaction that paid (device, seq), found by its ClaimEventV0 among the device account's
        latest PAID_CLAIM_LOOKBACK transactions: a claim someone else relayed is paid, not rejected."""
        key = layout.device_address(device, self.program_id)
        for signature in self.backend.signatures_for_address(key, PAID_CLAIM_LOOKBACK):
            for event in claim_events(self.backend.transaction_logs(signature) or []):
                if event.device == device and event.seq == seq and event.code == 0:
                    return PaidClaim(tx_id=signature, tokens=event.tokens, delta_mwh=event.delta_mwh)
        return None

    def token_balance(self, wallet: Pubkey) -> int:
        data = self.backend.account_data(layout.associated_token_address(wallet, self.mint))
        return 0 if data is None else int.from_bytes(data[64:72], "little")

    def estimate_fees(self, claims: int) -> FeeEstimate:
        """Base fee per signature (the payer's plus one per secp256k1 signature) plus priority fee."""
        units = packing.compute_units(claims)
        base = self.backend.lamports_per_signature() * (1 + claims)
        priority = (units * self.priority_fee_micro_lamports + 999_999) // 1_000_000
        return FeeEstimate(claims=claims, fee=base + priority, units=units, unit_name="lamports")

    # ---- writes -----------------------------------------------------------------------------------

    def send(self, ixs: list[Instruction], signers: list[Keypair] | None = None,
             table: AddressLookupTableAccount | None = None, before_send: BeforeSend | None = None) -> SendResult:
        """Signs with the payer (and `signers`), sends, waits for finality; re-sends with a fresh
        blockhash when the old one expired (safe: an expired transaction can never land). With
        `table`, a v0 transaction loading accounts from that lookup table. `before_send` gets every
        signed transaction (signature, last valid block height, bytes) before it is sent."""
        keys = [self.payer, *(signers or [])]
        last: Exception | None = None
        for _ in range(self.max_send_attempts):
            blockhash, last_valid = self.backend.latest_blockhash()
            tx: AnyTransaction
            if table is None:
                tx = Transaction(keys, Message.new_with_blockhash(ixs, self.payer.pubkey(), blockhash), blockhash)
            else:
                tx = VersionedTransaction(MessageV0.try_compile(self.payer.pubkey(), ixs, [table], blockhash), keys)
            if before_send is not None:
                before_send(SignedTransaction(tx_id=str(tx.signatures[0]), sender=str(self.payer.pubkey()),
                                              raw=bytes(tx), expires=int(last_valid)))
            try:
                result = self.backend.send_and_confirm(tx, last_valid)
            except BlockhashExpired as exc:
                last = exc
                continue
            if result.error is not None:
                raise transaction_error(result, str(self.program_id))
            return result
        raise BlockhashExpired(f"gave up after {self.max_send_attempts} attempts: {last}")

    def register_device(self, attestation: SignedMessage) -> str:
        att = AttestationMessage.decode(attestation.message)
        maker = recover_address(attestation.message, attestation.signature)
        ixs = [precompile.signer_message_ix(maker, attestation.message, attestation.signature, 0),
               layout.register_device_ix(self.payer.pubkey(), maker, att.device, 0, self.program_id)]
        return self.send(ixs).signature

    def bind(self, bind: SignedMessage) -> str:
        """The payer keypair is the wallet: it must be the wallet the device signed for."""
        msg = BindMessage.decode(bind.message)
        _ = self.deployment_id  # refuses a config initialised for another cluster (verify_deployment)
        if msg.wallet != bytes(self.payer.pubkey()):
            raise ChainError(f"the bind message names wallet {Pubkey(msg.wallet)} but this adapter signs as "
                             f"{self.payer.pubkey()}: request a new bind from the device for this wallet")
        ixs = [layout.create_ata_idempotent_ix(self.payer.pubkey(), self.payer.pubkey(), self.mint),
               precompile.device_message_ix(bind.message, bind.signature, 1),
               layout.bind_wallet_ix(self.payer.pubkey(), msg.device, 1, self.program_id)]
        return self.send(ixs).signature

    def unbind(self, device: bytes) -> str:
        return self.send([layout.unbind_wallet_ix(self.payer.pubkey(), device, self.program_id)]).signature

    def submit_batch(self, claims: list[SignedMessage], *, before_send: BeforeSend | None = None) -> BatchReceipt:
        """One transaction for up to `max_claims_per_batch` checkpoints; outcomes in input order."""
        if len(claims) > self.max_claims_per_batch:
            raise ChainError(f"{len(claims)} claims do not fit one Solana transaction "
                             f"(at most {self.max_claims_per_batch}); split the batch")
        refused, checked = _check_claims(claims)
        if not checked:
            return BatchReceipt(tx_id="", outcomes=tuple(refused[i] for i in range(len(claims))))
        _ = self.deployment_id  # refuses a config initialised for another cluster (verify_deployment)
        mint = self.mint
        to_send = [packing.ClaimInput(ck.device, c.message, c.signature, self._destination(ck.device, mint))
                   for _, c, ck in checked]
        ixs = packing.claim_instructions(to_send, mint, priority_fee_micro_lamports=self.priority_fee_micro_lamports,
                                         program_id=self.program_id)
        table = None
        if not packing.fits(ixs, self.payer.pubkey(), lookup_table=False):
            if not self.use_lookup_table:
                raise ChainError(f"{len(to_send)} claims do not fit a legacy transaction; enable the lookup table")
            table = self._table.ensure(packing.table_addresses(ixs, self.payer.pubkey()))
        result = self.send(ixs, table=table, before_send=before_send)
        return self._receipt(result, len(claims), refused, checked)

    def _receipt(self, result: SendResult, count: int, refused: dict[int, ClaimOutcome],
                 checked: list[tuple[int, SignedMessage, CheckpointMessage]]) -> BatchReceipt:
        events = {e.claim_index: e for e in claim_events(result.logs)}
        outcomes: dict[int, ClaimOutcome] = dict(refused)
        for k, (i, _, ck) in enumerate(checked):
            ev = events.get(k)
            if ev is None:
                raise ChainError(f"transaction {result.signature} has no event for claim {k}: the program "
                                 "at this address is not the CSM rewards program this app expects")
            outcomes[i] = ClaimOutcome(device=ck.device, seq=ck.seq, code=ev.code, tokens=ev.tokens,
                                       delta_mwh=ev.delta_mwh)
        return BatchReceipt(tx_id=result.signature, outcomes=tuple(outcomes[i] for i in range(count)),
                            fee_paid=result.fee, gas_or_compute_units=result.units, block_or_slot=result.slot,
                            extra={"codes": {i: code_name(o.code) for i, o in outcomes.items() if o.code}})

    def submit_batch_recorded(self, claims: list[SignedMessage], before_send: BeforeSend) -> BatchReceipt:
        return self.submit_batch(claims, before_send=before_send)

    def lookup_transaction(self, tx: SignedTransaction, claims: list[SignedMessage]) -> TransactionLookup:
        """A recorded claim transaction: final when the node has its logs; else pending while its blockhash
        is valid, dropped once it expired (an expired transaction can never land)."""
        logs = self.backend.transaction_logs(tx.tx_id)
        if logs is not None:
            refused, checked = _check_claims(claims)
            result = SendResult(tx.tx_id, None, list(logs))
            return TransactionLookup(TxState.FINAL, self._receipt(result, len(claims), refused, checked))
        height = getattr(self.backend, "block_height", None)
        if height is not None and tx.expires is not None and int(height()) <= tx.expires:
            return TransactionLookup(TxState.PENDING, None, f"its blockhash is valid until block {tx.expires}")
        return TransactionLookup(TxState.DROPPED, None, "not on the chain, and its blockhash has expired")

    def rebroadcast(self, tx: SignedTransaction, claims: list[SignedMessage]) -> BatchReceipt:
        raise ChainError(f"Solana transaction {tx.tx_id} is never sent again: once its blockhash expires it "
                         "is dropped and its claims go into a new transaction")

    # ---- the authority's operations (the payer must be the deployment's authority) ----------------

    def _admin(self, data: bytes) -> str:
        return self.send([layout.admin_ix(self.payer.pubkey(), data, self.program_id)]).signature

    def _device_admin(self, device: bytes, data: bytes) -> str:
        return self.send([layout.device_admin_ix(self.payer.pubkey(), device, data, self.program_id)]).signature

    def schedule_params(self, params: PayoutParams) -> int | None:
        """Publish the changes that make the chain's parameters and prices equal to `params`.

        Nothing changes at once: each change may be applied (`apply_pending`, by anyone) once the
        deployment's published delay has passed. Returns the earliest time all of them apply, None if
        nothing differs.
        """
        current = self.params()
        data = []
        if accounts.pack_params(params) != accounts.pack_params(current):
            data.append(layout.schedule_params_data(params))
        data += [layout.schedule_price_data(r, p) for r, p in sorted(params.prices.items())
                 if current.prices.get(r) != p]
        data += [layout.schedule_price_data(r, None) for r in sorted(set(current.prices) - set(params.prices))]
        if not data:
            return None
        for i in range(0, len(data), 8):
            self.send([layout.admin_ix(self.payer.pubkey(), d, self.program_id) for d in data[i:i + 8]])
        cfg = self._config()
        return max([cfg.pending_params_at, *(p.at for p in cfg.pending_prices)])

    def apply_pending(self) -> list[str]:
        """Apply every scheduled change whose delay has passed (anyone may); returns the transactions.
        Price removals go first, so that a full table can take the regions that replace them."""
        cfg = self._config()
        now = self.backend.unix_time()
        due = []
        if cfg.pending_params is not None and now >= cfg.pending_params_at:
            due.append(layout.apply_params_data())
        ready = [p for p in cfg.pending_prices if now >= p.at]
        due += [layout.apply_price_data(p.region) for p in sorted(ready, key=lambda p: p.price is not None)]
        return [self.send([layout.apply_ix(d, self.program_id)]).signature for d in due]

    def set_paused(self, paused: bool) -> str:
        return self._admin(layout.set_paused_data(paused))

    def set_manufacturer(self, manufacturer: bytes, allowed: bool) -> str:
        """Accept a manufacturer key, or revoke it for good (as the EVM adapter's `set_manufacturer`)."""
        if allowed:
            ix = layout.add_manufacturer_ix(self.payer.pubkey(), manufacturer, self.program_id)
        else:
            ix = layout.revoke_manufacturer_ix(self.payer.pubkey(), manufacturer, self.program_id)
        return self.send([ix]).signature

    def revoke_device(self, device: bytes) -> str:
        return self._device_admin(device, layout.revoke_device_data(device))

    def reinstate_device(self, device: bytes) -> str:
        return self._device_admin(device, layout.reinstate_device_data(device))

    def set_device_region(self, device: bytes, region: int) -> str:
        """Register the site region a device is paid at (the bind's region is only declared)."""
        return self._device_admin(device, layout.set_device_region_data(device, region))

    def propose_authority(self, new_authority: Pubkey) -> str:
        return self._admin(layout.propose_authority_data(new_authority))

    def accept_authority(self) -> str:
        """Signed by the payer, which must be the proposed authority."""
        return self._admin(layout.accept_authority_data())

    def renounce_authority(self) -> str:
        return self._admin(layout.renounce_authority_data())

    def _destination(self, device: bytes, mint: Pubkey) -> Pubkey:
        """The bound wallet's token account; for an unknown or unbound device any account does (the
        program refuses it before looking), so the config address is reused at no byte cost."""
        state = self.device_account(device)
        if state is None or not state.bound:
            return layout.config_address(self.program_id)
        return layout.associated_token_address(state.wallet, mint)


__all__ = ["SolanaAdapter", "SolanaTransactionError"]


def _check_claims(claims: list[SignedMessage]) -> tuple[dict[int, ClaimOutcome],
                                                        list[tuple[int, SignedMessage, CheckpointMessage]]]:
    """Claims refused here (BAD_SIGNATURE, never sent) and the ones a transaction carries, in batch order."""
    refused: dict[int, ClaimOutcome] = {}
    checked: list[tuple[int, SignedMessage, CheckpointMessage]] = []
    for i, claim in enumerate(claims):
        try:
            ck = CheckpointMessage.decode(claim.message)
            signer = recover_address(claim.message, claim.signature)
        except SignatureError:
            device = claim.message[11:31] if len(claim.message) >= 31 else b""
            refused[i] = ClaimOutcome(device=device, seq=0, code=Code.BAD_SIGNATURE)
            continue
        if signer != ck.device:
            refused[i] = ClaimOutcome(device=ck.device, seq=ck.seq, code=Code.BAD_SIGNATURE)
            continue
        checked.append((i, claim, ck))
    return refused, checked
