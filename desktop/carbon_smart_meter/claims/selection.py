"""Which checkpoint of a device to send: the newest one the chain will pay now.

Claims are cumulative, so one checkpoint per device is enough. The newest is the natural choice, but a
ship back online after weeks may hold a newest checkpoint the chain must refuse for now (over the cap,
because the bind landed late; dated ahead of the chain's clock): then an older checkpoint that fits is
paid now and the rest waits. The rules are the Python mirror of the chain's (rewards.payout, held to
the contract and the program by the shared vectors), evaluated with the deployment's parameters, the
network's state and the chain's clock, so a claim the chain would refuse costs no fee.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_smart_meter.chains.adapter import ChainAdapter, DeviceOnChain
from carbon_smart_meter.claims.outbox import QueuedCheckpoint
from carbon_smart_meter.errors import ChainError, RewardError
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, evaluate_claim

# Refusals that a later checkpoint, a later day or a binding can cure: keep the claim for later.
DEFER = {Code.BELOW_THRESHOLD, Code.OVER_CAP, Code.FUTURE_DATED, Code.NOT_BOUND, Code.PAUSED, Code.WINDOW_FULL,
         Code.UNKNOWN_DEVICE}

WORDS = {
    Code.BELOW_THRESHOLD: "below the deployment's minimum claim: waits for more energy",
    Code.OVER_CAP: "over the device's daily cap for the time the chain has seen pass: waits for the cap to grow",
    Code.FUTURE_DATED: "dated ahead of the chain's clock: waits for the chain to catch up",
    Code.NOT_BOUND: "the device is not bound to a wallet on this deployment: bind it with `csm bind`",
    Code.UNKNOWN_DEVICE: "the device is not registered on this deployment: bind it with `csm bind`",
    Code.PAUSED: "the deployment is paused: waits until its owner resumes it",
    Code.WINDOW_FULL: "the network's mint window is full: waits for the next window",
    Code.REVOKED: "the device or its manufacturer was revoked by the deployment: it cannot be paid",
    Code.WRONG_DEPLOYMENT: "made for another deployment (or the chain forked)",
    Code.BAD_SIGNATURE: "the signature does not verify",
    Code.REPLAY: "the chain already holds this checkpoint or a newer one",
}


def words(code: int | None) -> str:
    if code is None:
        return ""
    return WORDS.get(code, Code.name_of(code).lower().replace("_", " "))


@dataclass
class Choice:
    row: QueuedCheckpoint | None  # what to send now (None: nothing for this device)
    code: int | None = None       # why nothing, or why the newest waits


class ClaimPlanner:
    """Evaluates checkpoints with what the chain holds now; without readable parameters it sends the newest."""

    def __init__(self, chain: ChainAdapter) -> None:
        self.chain = chain
        self.params: PayoutParams | None = None
        self.network: NetworkState | int = 0
        self.now = 0
        self.paused = False
        try:
            self.params = chain.params()
            network_state = getattr(chain, "network_state", None)
            self.network = network_state() if network_state is not None else chain.network_energy_mwh()
            chain_time = getattr(chain, "chain_time", None)
            self.now = int(chain_time()) if chain_time is not None else 0
            paused = getattr(chain, "paused", None)
            self.paused = bool(paused()) if paused is not None else False
        except (ChainError, AttributeError, NotImplementedError):
            self.params = None
        if not self.now:
            self.params = None  # without the chain's clock the cap cannot be judged: let the chain decide

    def choose(self, rows: list[QueuedCheckpoint], state: DeviceOnChain | None) -> Choice:
        """`rows` oldest first. Rows the chain itself deferred are not sent again (a newer one will be)."""
        if state is None:
            return Choice(None, Code.UNKNOWN_DEVICE)
        if state.revoked:
            return Choice(None, Code.REVOKED)
        if state.wallet is None:
            return Choice(None, Code.NOT_BOUND)
        fresh = [r for r in rows if r.seq > state.last_seq and not (r.status == "deferred" and r.tx_id)]
        if not fresh:
            return Choice(None, rows[-1].code if rows else None)
        if self.params is None:
            newest = rows[-1]
            return Choice(newest if newest in fresh else None, newest.code)
        if self.paused:
            return Choice(None, Code.PAUSED)
        device = DeviceState(state.rated_w, state.region, state.last_seq, state.last_energy_mwh, state.last_time,
                             bound=True, revoked=state.revoked)
        first_code: int | None = None
        for row in reversed(fresh):
            try:
                payout = evaluate_claim(self.params, device, self.network, self.now, row.seq, row.energy_mwh,
                                        row.device_time)
            except RewardError as exc:
                first_code = exc.code if first_code is None else first_code
                continue
            if payout.network_after is not None and isinstance(self.network, NetworkState):
                self.network = payout.network_after  # the next device of this sync sees this claim's energy
            else:
                self.network = payout.network_energy_after
            return Choice(row, first_code)
        return Choice(None, first_code)
