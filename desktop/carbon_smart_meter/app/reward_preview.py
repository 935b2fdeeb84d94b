"""The one reward-preview provider: which payout parameters apply, and what they pay for some energy.

Every place that shows a reward (the logger window, `csm offsets`, `csm inspect`, `csm demo`, later the
kiosk) asks this provider, so for the same energy and region they show the same number. Parameters
come from, in order:

1. the deployment, when a chain is configured (its on-chain parameters, prices and network energy),
2. a price table for the region: the deployment's own CSV when imported, else the shipped table,
3. the defaults of `PayoutParams` (region-0 price `rewards.limits.DEFAULT_PRICE_MICRO_USD_PER_KWH`).

The arithmetic is `rewards.preview` (the mirror of the chain's rules); this module only chooses its
inputs. Reasons travel as codes with their values (`PreviewReason`), so a view can translate them;
the English text is a fallback for the command line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

from carbon_smart_meter.carbon.snapshot import lookup
from carbon_smart_meter.chains.adapter import ChainAdapter
from carbon_smart_meter.errors import ChainError, CsmError, RewardError
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, evaluate_claim
from carbon_smart_meter.rewards.preview import PendingChange, RewardPreview, preview_checkpoint, preview_energy
from carbon_smart_meter.rewards.prices import PriceTable, RegionPrice, shipped_table


class ParamsSource:
    DEPLOYMENT = "deployment"
    PRICE_TABLE = "price-table"
    DEFAULTS = "defaults"


class ReasonCode:
    """Stable keys of preview reasons (views translate by these). Rule refusals use the kebab-case name of
    their RULES.md code (`rewards.params.Code`): "below-threshold", "over-cap", "future-dated"..."""

    ERA = "era"                          # values: network_energy_mwh, era
    BELOW_THRESHOLD = "below-threshold"  # values: energy_mwh, min_claim_mwh
    OVER_CAP = "over-cap"
    CAP = "cap"                          # values: cap_mwh, elapsed_s (a claim within its cap)
    DEPLOYMENT_UNREADABLE = "deployment-unreadable"  # values: problem
    PENDING_CHANGE = "pending-change"    # values: effective_at, tokens_after (new parameters are scheduled)

    @staticmethod
    def of_rule(code: int) -> str:
        return Code.name_of(code).lower().replace("_", "-")


@dataclass(frozen=True)
class PreviewReason:
    code: str
    text: str  # English, for the command line and logs
    rule: int | None = None  # the RULES.md code when a payout rule decided
    values: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class RewardQuote:
    """A preview with where its parameters came from and why it is what it is."""

    preview: RewardPreview
    source: str          # ParamsSource
    source_detail: str   # e.g. the table's path and date, or the deployment id
    price_row: RegionPrice | None
    reasons: tuple[PreviewReason, ...]

    @property
    def tokens(self) -> int:
        return self.preview.tokens

    @property
    def claimable(self) -> bool:
        return self.preview.claimable

    def to_json(self) -> dict[str, object]:
        out = self.preview.to_json()
        out["params_source"] = self.source
        out["params_detail"] = self.source_detail
        out["reasons"] = [{"code": r.code, "rule": r.rule, "values": r.values, "text": r.text} for r in self.reasons]
        return out


def region_number(region: str | int | None) -> int:
    """ISO 3166-1 numeric code of a region given as alpha-2, alpha-3 or number; 0 (the default price) when
    unset or unknown."""
    if region is None or region == "":
        return 0
    if isinstance(region, int):
        return region
    entry = lookup(region)
    return entry.numeric if entry is not None else 0


def kwh_to_mwh(kwh: float) -> int:
    """Energy as the chain counts it: whole mWh, rounded down, without binary-float surprises (0.5 kWh is
    500,000 mWh, never 499,999)."""
    if not kwh >= 0:
        raise CsmError(f"energy must be a non-negative number of kWh, got {kwh}")
    return int(Decimal(repr(float(kwh))) * 1_000_000)


@dataclass(frozen=True)
class PayoutParameters:
    """Parameters chosen for previews, where they came from, and the network energy that sets the era."""

    params: PayoutParams
    source: str
    detail: str
    network: int | NetworkState  # paid network energy (or the chain's whole network state): sets the era
    table: PriceTable | None
    reasons: tuple[PreviewReason, ...] = ()
    pending: PendingChange | None = None  # parameters the deployment has scheduled

    @property
    def network_energy_mwh(self) -> int:
        return self.network.energy_mwh if isinstance(self.network, NetworkState) else self.network


class RewardPreviewer:
    """Chooses payout parameters once and previews any energy with them.

    `chain` is a configured deployment (or None); its parameters are read on first use and again on
    `refresh()` (the sync service calls it after talking to the chain), never on every preview, so a view
    calling this four times a second never waits on the network. `prices` is a deployment's imported
    table; without it the shipped table is used unless `shipped=False`.
    """

    def __init__(self, chain: ChainAdapter | None = None, prices: PriceTable | None = None, *,
                 shipped: bool = True) -> None:
        self.chain = chain
        self._table = prices
        self._shipped = shipped and prices is None
        self._lock = threading.Lock()
        self._deployment: PayoutParameters | None = None
        self._offline: PayoutParameters | None = None

    # ---- parameters ---------------------------------------------------------------------------------
    def refresh(self) -> PayoutParameters:
        """Read the deployment's parameters now (blocking; call it off the UI thread)."""
        if self.chain is None:
            return self._table_parameters()
        chain = self.chain
        try:
            params = chain.params()
            # The chain's whole network state (era, mint window) when it offers one, else its paid energy.
            state = getattr(chain, "network_state", None)
            network: int | NetworkState = state() if callable(state) else chain.network_energy_mwh()
            scheduled = getattr(chain, "pending_change", None)
            pending = scheduled() if callable(scheduled) else None
        except (ChainError, OSError) as exc:
            known = self._deployment
            if known is not None:
                return known  # the last parameters read stay valid while the node is away
            fallback = self._table_parameters()
            reason = PreviewReason(ReasonCode.DEPLOYMENT_UNREADABLE,
                                   f"the deployment's parameters could not be read ({exc}); previewing with "
                                   f"the {fallback.source}", values={"problem": str(exc)})
            return PayoutParameters(fallback.params, fallback.source, fallback.detail, 0, fallback.table,
                               (reason, *fallback.reasons))
        got = PayoutParameters(params, ParamsSource.DEPLOYMENT,
                               f"{getattr(chain, 'name', 'chain')} deployment {chain.deployment_id.hex()[:16]}",
                               network, None, pending=pending if isinstance(pending, PendingChange) else None)
        with self._lock:
            self._deployment = got
        return got

    def parameters(self, block: bool = True) -> PayoutParameters:
        """The parameters previews use. Without `block`, a deployment not read yet is not waited for: the
        price table answers until `refresh()` has run."""
        with self._lock:
            known = self._deployment
        if known is not None:
            return known
        if self.chain is not None and block:
            return self.refresh()
        return self._table_parameters()

    def _table_parameters(self) -> PayoutParameters:
        with self._lock:
            if self._offline is not None:
                return self._offline
        table = self._table
        reasons: tuple[PreviewReason, ...] = ()
        if table is None and self._shipped:
            try:
                table = shipped_table()
            except CsmError as exc:  # a damaged install: say so and use the defaults
                reasons = (PreviewReason("price-table-unreadable", f"shipped price table unreadable: {exc}",
                                         values={"problem": str(exc)}),)
        if table is not None:
            dated = {row.as_of for row in table.rows.values() if row.as_of}
            detail = table.path + (f" (as of {max(dated)})" if dated else "")
            found = PayoutParameters(table.apply_to(PayoutParams()), ParamsSource.PRICE_TABLE, detail, 0, table,
                                     reasons)
        else:
            found = PayoutParameters(PayoutParams(), ParamsSource.DEFAULTS, "PayoutParams defaults", 0, None, reasons)
        with self._lock:
            self._offline = found
        return found

    # ---- previews -----------------------------------------------------------------------------------
    def preview_kwh(self, kwh: float, region: str | int | None, network_energy_mwh: int | None = None,
                    block: bool = True) -> RewardQuote:
        return self.preview_energy(kwh_to_mwh(kwh), region, network_energy_mwh, block)

    def preview_energy(self, energy_mwh: int, region: str | int | None, network_energy_mwh: int | None = None,
                       block: bool = True) -> RewardQuote:
        """Tokens for `energy_mwh` claimed now, without device history (threshold and era, no cap)."""
        p = self.parameters(block)
        numeric = region_number(region)
        network = p.network if network_energy_mwh is None else network_energy_mwh
        preview = preview_energy(p.params, energy_mwh, numeric, network, pending=p.pending)
        energy = network.energy_mwh if isinstance(network, NetworkState) else network
        era = preview.portions[0].era if preview.portions else energy // p.params.era_length_mwh
        reasons = [*p.reasons, PreviewReason(ReasonCode.ERA, f"at network energy {energy} mWh (era {era}); later "
                                             "eras pay less", values={"network_energy_mwh": energy, "era": era})]
        if not preview.claimable:
            reasons.append(PreviewReason(
                ReasonCode.BELOW_THRESHOLD, f"below the minimum claim of {p.params.min_claim_mwh} mWh: it stays "
                "claimable later", Code.BELOW_THRESHOLD,
                {"energy_mwh": energy_mwh, "min_claim_mwh": p.params.min_claim_mwh}))
        return self._quote(preview, p, numeric, reasons + self._pending(p, preview))

    def preview_checkpoint(self, device: DeviceState, now: int, seq: int, energy_mwh: int, device_time: int,
                           network_energy_mwh: int | None = None) -> RewardQuote:
        """Exactly what the chain would do with this checkpoint; a refusal previews 0 with its rule code."""
        p = self.parameters()
        network = p.network if network_energy_mwh is None else network_energy_mwh
        preview = preview_checkpoint(p.params, device, network, now, seq, energy_mwh, device_time, pending=p.pending)
        reasons = list(p.reasons)
        try:
            payout = evaluate_claim(p.params, device, network, now, seq, energy_mwh, device_time)
            reasons.append(PreviewReason(ReasonCode.CAP, f"cap {payout.cap_mwh} mWh for {payout.elapsed_s} s",
                                         values={"cap_mwh": payout.cap_mwh, "elapsed_s": payout.elapsed_s}))
        except RewardError as exc:
            reasons.append(PreviewReason(ReasonCode.of_rule(exc.code), f"{exc.name} ({exc.code}): {exc}", exc.code,
                                         {"energy_mwh": preview.energy_mwh}))
        return self._quote(preview, p, device.region, reasons + self._pending(p, preview))

    @staticmethod
    def _pending(p: PayoutParameters, preview: RewardPreview) -> list[PreviewReason]:
        """The deployment's scheduled change, as the rewards model words it (`preview.warnings`)."""
        if p.pending is None:
            return []
        return [PreviewReason(ReasonCode.PENDING_CHANGE, text, values={"effective_at": p.pending.effective_at})
                for text in preview.warnings]

    @staticmethod
    def _quote(preview: RewardPreview, p: PayoutParameters, numeric: int, reasons: list[PreviewReason]) -> RewardQuote:
        row = p.table.row_for(numeric) if p.table is not None else None
        return RewardQuote(preview, p.source, p.detail, row, tuple(reasons))
