"""`ChainAdapter` for EVM chains: CsmRewards through web3.py, signed locally with eth-account.

One adapter = one deployment (contract address on one chain id) and one signing account. The
account is the wallet for `bind`/`unbind` (the contract binds the device to the sender) and pays the
fees of `submit_batch`, which anyone may relay. Every write returns only once its receipt is final.
"""

from __future__ import annotations

from typing import Any, cast

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract import Contract
from web3.types import TxParams

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
from carbon_smart_meter.chains.evm.artifact import load_artifact
from carbon_smart_meter.chains.evm.codec import (
    attestation_args,
    bind_args,
    checkpoint_args,
    device_from_view,
    network_from_view,
    params_from_view,
    params_struct,
)
from carbon_smart_meter.chains.evm.errors import WrongChainError
from carbon_smart_meter.chains.evm.transactions import GAS_MARGIN, TransactionSender, rpc_errors
from carbon_smart_meter.errors import ChainError, SignatureError
from carbon_smart_meter.protocol.signing import CheckpointMessage
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.preview import PendingChange

# Gas model measured by tests/benchmarks/test_evm_gas.py (claims of distinct devices and wallets):
# transaction base plus batch overhead and one more steady-state claim for fee estimates; and the
# worst case of one claim as the floor of a batch's gas limit, so a claim that turns from rejected
# (at estimate time) to paid (when mined) cannot run out of gas. The worst case is a device's first
# claim to a fresh wallet split over all 64 paying eras, which moves the era (a limits-word write):
# tests/onchain/evm/test_evm_gas_limits.py measures it and fails if it ever exceeds WORST_CLAIM_GAS.
BATCH_BASE_GAS = 43_000
CLAIM_GAS = 30_000
WORST_CLAIM_GAS = 200_000
DEFAULT_MAX_CLAIMS = 50
# How far back `find_paid_claim` searches for the ClaimPaid event of a claim someone else relayed.
PAID_CLAIM_LOOKBACK_BLOCKS = 50_000


class EvmAdapter:
    """Register, bind and claim on one CsmRewards deployment."""

    name = "evm"

    def __init__(self, w3: Web3, address: str | bytes, account: LocalAccount, *, finality: int | str = 0,
                 expected_chain_id: int | None = None, max_claims: int = DEFAULT_MAX_CLAIMS,
                 **sender_options: Any) -> None:
        self.w3 = w3
        self.address = to_checksum_address(address)
        self.account = account
        self.contract: Contract = w3.eth.contract(address=self.address, abi=load_artifact().abi)
        self.sender = TransactionSender(w3, account, finality=finality, **sender_options)
        if expected_chain_id is not None and self.sender.chain_id != expected_chain_id:
            raise WrongChainError(f"the node at this RPC URL serves chain {self.sender.chain_id}, but the "
                                  f"deployment is on chain {expected_chain_id}: check the RPC URL")
        self._max_claims = max_claims
        self._deployment_id: bytes | None = None

    # -- ChainAdapter: properties -------------------------------------------------------------------

    @property
    def deployment_id(self) -> bytes:
        if self._deployment_id is None:
            with rpc_errors("reading the deployment id"):
                self._deployment_id = bytes(self.contract.functions.DEPLOYMENT_ID().call())
        return self._deployment_id

    @property
    def max_claims_per_batch(self) -> int:
        return self._max_claims

    # -- ChainAdapter: writes -----------------------------------------------------------------------

    def _transact(self, function: str, args: list[Any], what: str, gas_floor: int = 0,
                  before_send: BeforeSend | None = None) -> dict[str, Any]:
        tx: dict[str, Any] = {"to": self.address, "data": self.contract.encode_abi(function, args=args)}
        if gas_floor:
            with rpc_errors(what):
                estimate = self.w3.eth.estimate_gas(cast(TxParams, {**tx, "from": self.account.address}))
            tx["gas"] = max(int(estimate * GAS_MARGIN), gas_floor)
        return self.sender.send(tx, what, before_send=before_send)

    def register_device(self, attestation: SignedMessage) -> str:
        receipt = self._transact("register_device", attestation_args(attestation), "registering the device")
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def bind(self, bind: SignedMessage) -> str:
        receipt = self._transact("bind", bind_args(bind), "binding the device")
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def unbind(self, device: bytes) -> str:
        receipt = self._transact("unbind", [to_checksum_address(device)], "unbinding the device")
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def submit_batch(self, claims: list[SignedMessage], *, before_send: BeforeSend | None = None) -> BatchReceipt:
        """Claim a batch; malformed messages are refused locally (BAD_SIGNATURE) and never sent.

        `before_send` receives the signed transaction before it is sent (see RecordedSubmit)."""
        structs: list[tuple[Any, ...]] = []
        local: dict[int, ClaimOutcome] = {}
        for i, claim in enumerate(claims):
            try:
                structs.append(checkpoint_args(claim))
            except SignatureError:
                device, seq = _best_effort_identity(claim.message)
                local[i] = ClaimOutcome(device=device, seq=seq, code=Code.BAD_SIGNATURE)
        if len(structs) > self._max_claims:
            raise ValueError(f"a batch holds at most {self._max_claims} claims, got {len(structs)}")
        if not structs:
            return BatchReceipt(tx_id="", outcomes=tuple(local[i] for i in sorted(local)))
        receipt = self._transact("claim_batch", [structs], f"claiming a batch of {len(structs)}",
                                 gas_floor=BATCH_BASE_GAS + WORST_CLAIM_GAS * len(structs), before_send=before_send)
        return self._batch_receipt(receipt, claims, local)

    def submit_batch_recorded(self, claims: list[SignedMessage], before_send: BeforeSend) -> BatchReceipt:
        return self.submit_batch(claims, before_send=before_send)

    def lookup_transaction(self, tx: SignedTransaction, claims: list[SignedMessage]) -> TransactionLookup:
        """What became of a claim transaction recorded before it was sent (RecordedSubmit)."""
        state, receipt, detail = self.sender.lookup(tx, "looking up a claim transaction")
        if state == TxState.FINAL and receipt is not None:
            return TransactionLookup(state, self._batch_receipt(receipt, claims, _refused_locally(claims)), detail)
        return TransactionLookup(state, None, detail)

    def rebroadcast(self, tx: SignedTransaction, claims: list[SignedMessage]) -> BatchReceipt:
        """Send the recorded bytes again (same hash and nonce: it can land at most once) and wait for them."""
        what = f"sending claim transaction {tx.tx_id} again"
        self.sender.broadcast(tx, what)
        receipt = self.sender.finish(bytes.fromhex(tx.tx_id.removeprefix("0x")), what)
        return self._batch_receipt(receipt, claims, _refused_locally(claims))

    def settle_recorded(self, candidates: list[SignedTransaction], claims: list[SignedMessage],
                        before_send: BeforeSend) -> BatchReceipt:
        """Wait for a recorded claim transaction or one of its replacements (FeeBumping).

        Unless one is mined already, the newest the node will take is handed to it again (an older one is
        tried only when the node refuses the newer: one nonce, so sending any of them can pay at most once);
        while it waits unmined, replacements at a higher fee are recorded and sent."""
        what = f"waiting for claim transaction {candidates[-1].tx_id}"
        if not any(self.sender.mined(c, what) for c in candidates):
            refusal: ChainError | None = None
            for c in reversed(candidates):
                try:
                    self.sender.broadcast(c, what)
                except ChainError as exc:
                    refusal = refusal or exc
                    continue
                refusal = None
                break
            if refusal is not None:
                raise refusal
        receipt = self.sender.settle(candidates, what, before_send)
        return self._batch_receipt(receipt, claims, _refused_locally(claims))

    def _batch_receipt(self, receipt: dict[str, Any], claims: list[SignedMessage],
                       local: dict[int, ClaimOutcome]) -> BatchReceipt:
        sent = iter(self._outcomes(receipt))
        outcomes = tuple(local[i] if i in local else next(sent) for i in range(len(claims)))
        return BatchReceipt(
            tx_id="0x" + bytes(receipt["transactionHash"]).hex(), outcomes=outcomes,
            fee_paid=int(receipt["gasUsed"]) * int(receipt.get("effectiveGasPrice", 0)),
            gas_or_compute_units=int(receipt["gasUsed"]), block_or_slot=int(receipt["blockNumber"]),
            extra={"block_hash": "0x" + bytes(receipt["blockHash"]).hex(), "refused_locally": sorted(local)})

    def _outcomes(self, receipt: dict[str, Any]) -> list[ClaimOutcome]:
        """ClaimPaid/ClaimRejected events in log order: one per sent checkpoint, in batch order."""
        paid_topic = self._topic("ClaimPaid")
        rejected_topic = self._topic("ClaimRejected")
        out: list[ClaimOutcome] = []
        for log in receipt["logs"]:
            if to_checksum_address(log["address"]) != self.address or not log["topics"]:
                continue
            topic = bytes(log["topics"][0])
            if topic == paid_topic:
                args = self.contract.events.ClaimPaid().process_log(log)["args"]
                out.append(ClaimOutcome(device=bytes.fromhex(args["device"][2:]), seq=args["seq"], code=0,
                                        tokens=args["tokens"], delta_mwh=args["delta_mwh"]))
            elif topic == rejected_topic:
                args = self.contract.events.ClaimRejected().process_log(log)["args"]
                out.append(ClaimOutcome(device=bytes.fromhex(args["device"][2:]), seq=args["seq"],
                                        code=args["code"]))
        return out

    def _topic(self, event: str) -> bytes:
        abi = next(e for e in self.contract.abi if e["type"] == "event" and e["name"] == event)
        signature = f"{event}({','.join(i['type'] for i in abi['inputs'])})"
        return bytes(Web3.keccak(text=signature))

    # -- ChainAdapter: reads ------------------------------------------------------------------------

    def device_state(self, device: bytes) -> DeviceOnChain | None:
        with rpc_errors("reading the device state"):
            view = self.contract.functions.device_state(to_checksum_address(device)).call()
        return device_from_view(device, view)

    def network_energy_mwh(self) -> int:
        with rpc_errors("reading the network energy"):
            return int(self.contract.functions.network_energy_mwh().call())

    def network_state(self) -> NetworkState:
        """Paid energy, halving era and energy left in it, and the mint window as stored."""
        with rpc_errors("reading the network state"):
            return network_from_view(self.contract.functions.network_state().call())

    def chain_time(self) -> int:
        """The timestamp of the newest block: the `now` the next claim is judged at, or slightly before it."""
        with rpc_errors("reading the chain time"):
            return int(self.w3.eth.get_block("latest")["timestamp"])

    def find_paid_claim(self, device: bytes, seq: int) -> PaidClaim | None:
        """The ClaimPaid event of (device, seq) within the last PAID_CLAIM_LOOKBACK_BLOCKS blocks, if any."""
        with rpc_errors("looking up a paid claim"):
            latest = int(self.w3.eth.block_number)
            logs = self.contract.events.ClaimPaid().get_logs(
                argument_filters={"device": to_checksum_address(device)},
                from_block=max(0, latest - PAID_CLAIM_LOOKBACK_BLOCKS), to_block=latest)
        for log in logs:
            if int(log["args"]["seq"]) == seq:
                return PaidClaim(tx_id="0x" + bytes(log["transactionHash"]).hex(), tokens=int(log["args"]["tokens"]),
                                 delta_mwh=int(log["args"]["delta_mwh"]))
        return None

    def params(self) -> PayoutParams:
        with rpc_errors("reading the payout parameters"):
            view = self.contract.functions.payout_params().call()
            prices: dict[int, int] = {}
            for region in self.contract.functions.price_regions().call():
                price, is_set = self.contract.functions.price_of(region).call()
                if is_set:
                    prices[int(region)] = int(price)
        return params_from_view(view, prices)

    def estimate_fees(self, claims: int) -> FeeEstimate:
        units = BATCH_BASE_GAS + CLAIM_GAS * claims
        return FeeEstimate(claims=claims, fee=units * self.sender.gas_price_estimate(), units=units,
                           unit_name="gas")

    # -- beyond the protocol: owner operations and token reads --------------------------------------

    def set_manufacturer(self, manufacturer: bytes, allowed: bool) -> str:
        receipt = self._transact("set_manufacturer", [to_checksum_address(manufacturer), allowed],
                                 "changing a manufacturer")
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def schedule_params(self, params: PayoutParams) -> int | None:
        """Publish the changes that make the chain's parameters and prices equal to `params` (owner only).

        Nothing changes at once: each change may be applied (`apply_pending`) once the deployment's
        published delay has passed. Returns the earliest time all of them apply, None if nothing differs.
        """
        current = self.params()
        receipts = []
        if params_struct(params) != params_struct(current):
            receipts.append(self._transact("schedule_params", [params_struct(params)],
                                           "scheduling new payout parameters"))
        for region, price in sorted(params.prices.items()):
            if current.prices.get(region) != price:
                receipts.append(self._transact("schedule_price", [region, price],
                                               f"scheduling the price of region {region}"))
        for region in sorted(set(current.prices) - set(params.prices)):
            receipts.append(self._transact("schedule_clear_price", [region],
                                           f"scheduling the removal of region {region}'s price"))
        if not receipts:
            return None
        block = self.w3.eth.get_block(receipts[-1]["blockNumber"])
        return int(block["timestamp"]) + self.params_delay_s()

    def params_delay_s(self) -> int:
        with rpc_errors("reading the parameter delay"):
            return int(self.contract.functions.PARAMS_DELAY_S().call())

    def pending_change(self) -> PendingChange | None:
        """Scheduled parameter and price changes merged into the parameters they will make, if any."""
        with rpc_errors("reading scheduled changes"):
            view, at = self.contract.functions.pending_params().call()
            current = self.params()
            params, times = current, []
            if at:
                params, times = params_from_view(view, current.prices), [int(at)]
            prices = dict(current.prices)
            for region in self.contract.functions.pending_price_regions().call():
                price, is_set, region_at = self.contract.functions.pending_price(region).call()
                times.append(int(region_at))
                if is_set:
                    prices[int(region)] = int(price)
                else:
                    prices.pop(int(region), None)
        if not times:
            return None
        return PendingChange(effective_at=min(times), params=params.with_changes(prices=prices))

    def apply_pending(self) -> list[str]:
        """Apply every scheduled change whose delay has passed (anyone may); returns the transactions."""
        done: list[str] = []
        now = int(self.w3.eth.get_block("pending")["timestamp"])
        with rpc_errors("reading scheduled changes"):
            _, at = self.contract.functions.pending_params().call()
        if at and now >= at:
            done.append(self._hash(self._transact("apply_params", [], "applying the scheduled parameters")))
        with rpc_errors("reading scheduled prices"):
            regions = self.contract.functions.pending_price_regions().call()
            due = [(region, *self.contract.functions.pending_price(region).call()[1:]) for region in regions]
        # Removals first, so that a table at its capacity can take the new regions that replace them.
        for region, _is_set, region_at in sorted(due, key=lambda d: d[1]):
            if region_at and now >= region_at:
                done.append(self._hash(self._transact("apply_price", [region],
                                                      f"applying region {region}'s scheduled price")))
        return done

    def set_paused(self, paused: bool) -> str:
        receipt = self._transact("set_paused", [paused], "pausing" if paused else "unpausing")
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def revoke_device(self, device: bytes) -> str:
        return self._hash(self._transact("revoke_device", [to_checksum_address(device)], "revoking a device"))

    def reinstate_device(self, device: bytes) -> str:
        return self._hash(self._transact("reinstate_device", [to_checksum_address(device)],
                                         "reinstating a device"))

    def set_device_region(self, device: bytes, region: int) -> str:
        """Register the site region a device is paid at (owner only; the bind's region is only declared)."""
        return self._hash(self._transact("set_device_region", [to_checksum_address(device), region],
                                         "registering the device's site region"))

    @staticmethod
    def _hash(receipt: dict[str, Any]) -> str:
        return "0x" + bytes(receipt["transactionHash"]).hex()

    def paused(self) -> bool:
        with rpc_errors("reading the pause flag"):
            return bool(self.contract.functions.paused().call())

    def token_balance(self, wallet: bytes | str) -> int:
        with rpc_errors("reading a token balance"):
            return int(self.contract.functions.balanceOf(to_checksum_address(wallet)).call())


def _refused_locally(claims: list[SignedMessage]) -> dict[int, ClaimOutcome]:
    """The claims of a batch that `submit_batch` never put into the transaction (malformed bytes)."""
    local: dict[int, ClaimOutcome] = {}
    for i, claim in enumerate(claims):
        try:
            checkpoint_args(claim)
        except SignatureError:
            device, seq = _best_effort_identity(claim.message)
            local[i] = ClaimOutcome(device=device, seq=seq, code=Code.BAD_SIGNATURE)
    return local


def _best_effort_identity(message: bytes) -> tuple[bytes, int]:
    """Device and seq of a malformed checkpoint, as far as its bytes allow (for the outcome record)."""
    try:
        m = CheckpointMessage.decode(message)
        return m.device, m.seq
    except SignatureError:
        device = message[11:31] if len(message) >= 31 else b""
        seq = int.from_bytes(message[63:67], "big") if len(message) >= 67 else 0
        return device, seq
