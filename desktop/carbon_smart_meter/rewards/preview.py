"""Reward previews for people: what the chain would pay, computed by the one payout model.

`csm offsets` previews a bare amount of energy (no checkpoint history, so no cap or replay checks, but
the threshold and the era are shown); `csm inspect` and the claim UI preview a real checkpoint against
the device's on-chain state with `preview_checkpoint`, which runs `evaluate_claim` itself.

A deployment publishes parameter and price changes a delay before they apply, and from then on they
apply to every claim processed, also for energy measured before (RULES.md "Owner"). Given the
`PendingChange`, a preview says so in `warnings`, with what the claim would pay under it, so a user
can claim before it applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, EraPortion, evaluate_claim, split_by_era

TOKEN_DECIMALS = 9


@dataclass(frozen=True)
class PendingChange:
    """Parameters (with prices) a deployment has scheduled, and the earliest time they apply."""

    effective_at: int
    params: PayoutParams

    def when(self) -> str:
        return dt.datetime.fromtimestamp(self.effective_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class RewardPreview:
    energy_mwh: int
    region: int
    price_micro_usd_per_kwh: int
    share_bps: int
    value_micro_usd: int
    tokens: int
    portions: tuple[EraPortion, ...]
    claimable: bool
    notes: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def tokens_display(self) -> str:
        whole, frac = divmod(self.tokens, 10**TOKEN_DECIMALS)
        return f"{whole}.{frac:0{TOKEN_DECIMALS}d}".rstrip("0").rstrip(".")

    def to_json(self) -> dict[str, object]:
        return {"energy_mwh": self.energy_mwh, "region": self.region,
                "price_micro_usd_per_kwh": self.price_micro_usd_per_kwh, "share_bps": self.share_bps,
                "value_micro_usd": self.value_micro_usd, "tokens": self.tokens,
                "tokens_display": self.tokens_display,
                "portions": [[p.era, p.energy_mwh, p.tokens] for p in self.portions],
                "claimable": self.claimable, "notes": list(self.notes), "warnings": list(self.warnings)}


def value_micro_usd(params: PayoutParams, region: int, portions: tuple[EraPortion, ...]) -> int:
    """USD value as the chain rounds it: per portion, floor."""
    price = params.price_for(region)
    return sum(p.energy_mwh * price * params.share_bps // 10_000_000_000 for p in portions)


def preview_energy(params: PayoutParams, energy_mwh: int, region: int = 0,
                   network_energy_mwh: int | NetworkState = 0, *, pending: PendingChange | None = None,
                   ) -> RewardPreview:
    """Tokens for `energy_mwh` claimed at `network_energy_mwh` (era), without device history."""
    if energy_mwh < 0:
        raise ValueError("energy must not be negative")
    portions = tuple(split_by_era(params, region, network_energy_mwh, energy_mwh))
    energy = network_energy_mwh.energy_mwh if isinstance(network_energy_mwh, NetworkState) else network_energy_mwh
    era = portions[0].era if portions else energy // params.era_length_mwh
    notes = [f"at network energy {energy} mWh (era {era}); later eras pay less"]
    claimable = energy_mwh >= params.min_claim_mwh
    if not claimable:
        notes.append(f"below the minimum claim of {params.min_claim_mwh} mWh: it stays claimable later")
    warnings: tuple[str, ...] = ()
    if pending is not None:
        later = sum(p.tokens for p in split_by_era(pending.params, region, network_energy_mwh, energy_mwh))
        warnings = (_pending_warning(pending, later),)
    return RewardPreview(energy_mwh, region, params.price_for(region), params.share_bps,
                         value_micro_usd(params, region, portions), sum(p.tokens for p in portions),
                         portions, claimable, tuple(notes), warnings)


def preview_checkpoint(params: PayoutParams, device: DeviceState, network_energy_mwh: int | NetworkState, now: int,
                       seq: int, energy_mwh: int, device_time: int, *,
                       pending: PendingChange | None = None) -> RewardPreview:
    """Exactly what the chain would do with this checkpoint; a refused claim previews 0 with the reason."""
    warnings: tuple[str, ...] = ()
    if pending is not None:
        try:
            later = evaluate_claim(pending.params, device, network_energy_mwh, max(now, pending.effective_at), seq,
                                   energy_mwh, device_time).tokens
        except RewardError:
            later = 0
        warnings = (_pending_warning(pending, later),)
    try:
        payout = evaluate_claim(params, device, network_energy_mwh, now, seq, energy_mwh, device_time)
    except RewardError as exc:
        delta = max(0, energy_mwh - device.last_energy_mwh)
        return RewardPreview(delta, device.region, params.price_for(device.region), params.share_bps, 0, 0, (),
                             False, (f"{exc.name} ({exc.code}): {exc}",), warnings)
    return RewardPreview(payout.delta_mwh, device.region, params.price_for(device.region), params.share_bps,
                         value_micro_usd(params, device.region, payout.portions), payout.tokens,
                         payout.portions, True, (f"cap {payout.cap_mwh} mWh for {payout.elapsed_s} s",), warnings)


def _pending_warning(pending: PendingChange, tokens_after: int) -> str:
    whole, frac = divmod(tokens_after, 10**TOKEN_DECIMALS)
    shown = f"{whole}.{frac:0{TOKEN_DECIMALS}d}".rstrip("0").rstrip(".")
    return (f"the deployment has scheduled new payout parameters from {pending.when()}: claims processed from then "
            f"on are paid under them, also for energy measured before; under them this would pay {shown} tokens. "
            "Claim before then to be paid under today's parameters")
