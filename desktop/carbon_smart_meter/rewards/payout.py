"""The claim rules of onchain/RULES.md in exact integer arithmetic.

This is the one Python implementation; the Vyper contract and the Solana program implement the same
rules and all three pass onchain/vectors/payout.json (and the newer halving.json and guards.json).
Python ints never overflow, so the u64 limits of the chains are checked explicitly where RULES.md says
they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.limits import MAX_ERA, U64_MAX
from carbon_smart_meter.rewards.network import NetworkState, window_used_at
from carbon_smart_meter.rewards.params import Code, PayoutParams

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class DeviceState:
    """A device as the chain stores it.

    `region` prices its energy: the site region the deployment's authority registered (0 until it does;
    a bind's self-declared region never sets it). `last_time` is the cap clock: the cap accrues from it,
    and it never stands behind the chain time of the device's last bind. `revoked` is true when the
    device, or its manufacturer without a reinstatement of the device, has been revoked.
    """

    rated_w: int
    region: int = 0
    last_seq: int = 0
    last_energy_mwh: int = 0
    last_time: int = 0
    bound: bool = True
    revoked: bool = False


@dataclass(frozen=True)
class EraPortion:
    era: int
    energy_mwh: int
    tokens: int


@dataclass(frozen=True)
class Payout:
    delta_mwh: int
    elapsed_s: int
    cap_mwh: int
    tokens: int
    portions: tuple[EraPortion, ...]
    network_energy_after: int
    network_after: NetworkState | None = None


def daily_cap_mwh(params: PayoutParams, rated_w: int) -> int:
    """min(9 kWh, rated W x peak-sun-hours) per day: tighter for small panels."""
    return min(params.cap_mwh_per_day, rated_w * params.peak_sun_hours * 1000)


def cap_for(params: PayoutParams, rated_w: int, elapsed_s: int) -> int:
    return daily_cap_mwh(params, rated_w) * elapsed_s // SECONDS_PER_DAY


def tokens_for_portion(params: PayoutParams, region: int, energy_mwh: int, era: int) -> int:
    if era >= MAX_ERA:
        return 0
    value_micro = energy_mwh * params.price_for(region) * params.share_bps // 10_000_000_000
    return value_micro * params.tokens_per_usd // (1_000_000 << era)


def split_by_era(params: PayoutParams, region: int, network_energy: int | NetworkState,
                 delta: int) -> list[EraPortion]:
    """Portions of [N, N+delta) per halving era; from era 64 on nothing pays, so at most 65 portions.

    With a bare network energy the eras are those of a history at today's era length; with a
    NetworkState the stored era and the energy left in it are used (RULES.md "Tokens").
    """
    return _split(params, region, _network(params, network_energy), delta)[0]


def _network(params: PayoutParams, network: int | NetworkState) -> NetworkState:
    if isinstance(network, NetworkState):
        return network
    return NetworkState.at_energy(network, params.era_length_mwh)


def _split(params: PayoutParams, region: int, network: NetworkState,
           delta: int) -> tuple[list[EraPortion], int, int]:
    """(portions, era after, energy left in that era after): an emptied era moves to the next at once."""
    out: list[EraPortion] = []
    era, era_left, left = network.era, network.era_left_mwh, delta
    while left > 0:
        if era >= MAX_ERA:
            out.append(EraPortion(era, left, 0))
            break
        portion = min(left, era_left)
        out.append(EraPortion(era, portion, tokens_for_portion(params, region, portion, era)))
        left -= portion
        era_left -= portion
        if era_left == 0:
            era += 1
            era_left = params.era_length_mwh if era < MAX_ERA else 0
    return out, era, era_left


def _fail(code: int, message: str) -> RewardError:
    return RewardError(code, Code.name_of(code), message)


def evaluate_claim(params: PayoutParams, device: DeviceState, network_energy: int | NetworkState, now: int,
                   seq: int, energy_mwh: int, device_time: int) -> Payout:
    """Checks 3a, 4 and 6-13 of RULES.md in order (signature/registration/deployment are the caller's).

    `network_energy` is the network's paid energy (eras derived at today's era length, no mint window
    known: a preview) or the full NetworkState the chain stores (stored era, mint window checked).
    Raises RewardError with the stable code of the first rule broken.
    """
    if device.revoked:
        raise _fail(Code.REVOKED, "the device or its manufacturer has been revoked by the deployment: it cannot "
                    "claim; ask the deployment to reinstate it, then bind it again")
    if not device.bound:
        raise _fail(Code.NOT_BOUND, "the device is not bound to a wallet: bind it before claiming")
    if seq <= device.last_seq:
        raise _fail(Code.REPLAY, f"checkpoint seq {seq} is not above the last claimed seq {device.last_seq}")
    if energy_mwh <= device.last_energy_mwh:
        raise _fail(Code.ENERGY_NOT_INCREASING,
                    f"cumulative energy {energy_mwh} mWh is not above the last claimed {device.last_energy_mwh}")
    if device_time <= device.last_time:
        raise _fail(Code.TIME_NOT_INCREASING,
                    f"device time {device_time} is not after the last claimed {device.last_time}")
    if device_time > now + params.max_clock_skew_s:
        raise _fail(Code.FUTURE_DATED, f"device time {device_time} is ahead of chain time {now} by more "
                    f"than {params.max_clock_skew_s} s: sync the device clock")
    delta = energy_mwh - device.last_energy_mwh
    elapsed = device_time - device.last_time
    cap = cap_for(params, device.rated_w, elapsed)
    if delta > cap:
        raise _fail(Code.OVER_CAP, f"{delta} mWh in {elapsed} s exceeds the cap of {cap} mWh for a "
                    f"{device.rated_w} W device")
    if delta < params.min_claim_mwh:
        raise _fail(Code.BELOW_THRESHOLD, f"{delta} mWh is below the minimum claim of "
                    f"{params.min_claim_mwh} mWh; it stays claimable later")
    network = _network(params, network_energy)
    if network.energy_mwh + delta > U64_MAX:
        raise _fail(Code.OVERFLOW, "network energy would overflow u64")
    portions, era, era_left = _split(params, device.region, network, delta)
    tokens = sum(p.tokens for p in portions)
    if tokens > U64_MAX:
        raise _fail(Code.OVERFLOW, f"reward of {tokens} base units does not fit in u64")
    window_used, window_time = network.window_used_mwh, network.window_time
    if isinstance(network_energy, NetworkState):
        window_used = window_used_at(network, params.window_s, now)
        if window_used + delta > params.window_limit_mwh:
            raise _fail(Code.WINDOW_FULL, f"the network has paid {window_used} mWh in its current "
                        f"{params.window_s} s window; {delta} more would pass the limit of "
                        f"{params.window_limit_mwh} mWh: the claim waits for the window to drain")
        window_used, window_time = window_used + delta, now
    after = NetworkState(network.energy_mwh + delta, era, era_left, window_used, window_time)
    return Payout(delta, elapsed, cap, tokens, tuple(portions), after.energy_mwh, after)


def apply_claim(device: DeviceState, seq: int, energy_mwh: int, device_time: int) -> DeviceState:
    return replace(device, last_seq=seq, last_energy_mwh=energy_mwh, last_time=device_time)


def evaluate_bind(params: PayoutParams, device: DeviceState, now: int, seq: int, energy_mwh: int,
                  device_time: int, *, first: bool = False) -> DeviceState:
    """Binding steps 3a and 6-7 of RULES.md; returns the device state the bind leaves.

    `first` is a device with no state yet (never bound). The cap clock after a bind is
    max(device_time, now): a bind never moves a device's time backwards and a device clock behind
    the chain (a stale or boot-time bind, a clock set back with TIME_SYNC) cannot buy cap for time
    the chain has not seen pass. The registered price region is left as it is.
    """
    if device.revoked:
        raise _fail(Code.REVOKED, "the device or its manufacturer has been revoked: it cannot be bound")
    if not first:
        if seq <= device.last_seq:
            raise _fail(Code.REPLAY, f"bind seq {seq} is not above the device's last seq {device.last_seq}")
        if energy_mwh < device.last_energy_mwh:
            raise _fail(Code.ENERGY_NOT_INCREASING, f"bind energy {energy_mwh} mWh is below the device's last "
                        f"{device.last_energy_mwh}")
        if device_time < device.last_time:
            raise _fail(Code.TIME_NOT_INCREASING, f"bind device time {device_time} is before the device's cap "
                        f"clock {device.last_time}: a bind never moves the clock back; sync the device clock")
    if device_time > now + params.max_clock_skew_s:
        raise _fail(Code.FUTURE_DATED, f"bind device time {device_time} is ahead of chain time {now} by more "
                    f"than {params.max_clock_skew_s} s: sync the device clock")
    return replace(device, bound=True, last_seq=seq, last_energy_mwh=energy_mwh,
                   last_time=max(device_time, now))
