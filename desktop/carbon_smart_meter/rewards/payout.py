"""The claim rules of onchain/RULES.md in exact integer arithmetic.

This is the one Python implementation; the Vyper contract and the Solana program implement the same
rules and all three pass onchain/vectors/payout.json. Python ints never overflow, so the u64 limits of
the chains are checked explicitly where RULES.md says they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.params import MAX_ERA, U64_MAX, Code, PayoutParams

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class DeviceState:
    rated_w: int
    region: int = 0
    last_seq: int = 0
    last_energy_mwh: int = 0
    last_time: int = 0
    bound: bool = True


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


def split_by_era(params: PayoutParams, region: int, network_energy: int, delta: int) -> list[EraPortion]:
    """Portions of [N, N+delta) per halving era; from era 64 on nothing pays, so at most 65 portions."""
    length = params.era_length_mwh
    out: list[EraPortion] = []
    n, left = network_energy, delta
    while left > 0:
        era = n // length
        if era >= MAX_ERA:
            out.append(EraPortion(era, left, 0))
            break
        portion = min(left, (era + 1) * length - n)
        out.append(EraPortion(era, portion, tokens_for_portion(params, region, portion, era)))
        n += portion
        left -= portion
    return out


def _fail(code: int, message: str) -> RewardError:
    return RewardError(code, Code.name_of(code), message)


def evaluate_claim(params: PayoutParams, device: DeviceState, network_energy: int, now: int,
                   seq: int, energy_mwh: int, device_time: int) -> Payout:
    """Checks 4 and 6-12 of RULES.md in order (signature/registration/deployment are the caller's).

    Raises RewardError with the stable code of the first rule broken.
    """
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
    if network_energy + delta > U64_MAX:
        raise _fail(Code.OVERFLOW, "network energy would overflow u64")
    portions = split_by_era(params, device.region, network_energy, delta)
    tokens = sum(p.tokens for p in portions)
    if tokens > U64_MAX:
        raise _fail(Code.OVERFLOW, f"reward of {tokens} base units does not fit in u64")
    return Payout(delta, elapsed, cap, tokens, tuple(portions), network_energy + delta)


def apply_claim(device: DeviceState, seq: int, energy_mwh: int, device_time: int) -> DeviceState:
    return replace(device, last_seq=seq, last_energy_mwh=energy_mwh, last_time=device_time)
