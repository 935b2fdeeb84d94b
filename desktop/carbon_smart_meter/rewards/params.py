"""Payout parameters (onchain/RULES.md) as one typed, bounds-checked structure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.limits import (
    DEFAULT_PRICE_MICRO_USD_PER_KWH,
    MAX_ERA,
    MAX_PRICE,
    PRICE_TABLE_CAPACITY,
    U64_MAX,
)

__all__ = ["MAX_ERA", "U64_MAX", "Code", "PayoutParams"]


class Code:
    """Stable error codes shared with the Vyper contract and the Solana program (onchain/vectors/limits.json)."""

    PAUSED = 1
    BAD_SIGNATURE = 2
    UNKNOWN_DEVICE = 3
    NOT_BOUND = 4
    WRONG_DEPLOYMENT = 5
    WRONG_WALLET = 6
    REPLAY = 7
    ENERGY_NOT_INCREASING = 8
    TIME_NOT_INCREASING = 9
    FUTURE_DATED = 10
    OVER_CAP = 11
    BELOW_THRESHOLD = 12
    OVERFLOW = 13
    UNATTESTED = 14
    BAD_PARAMETER = 15
    UNAUTHORIZED = 16
    ALREADY_REGISTERED = 17
    REVOKED = 18
    WINDOW_FULL = 19
    TOO_EARLY = 20
    PRICE_TABLE_FULL = 104

    @classmethod
    def name_of(cls, code: int) -> str:
        for name, value in vars(cls).items():
            if value == code and name.isupper():
                return name
        return f"CODE_{code}"


@dataclass(frozen=True)
class PayoutParams:
    cap_mwh_per_day: int = 9_000_000
    peak_sun_hours: int = 16
    min_claim_mwh: int = 10_000
    max_clock_skew_s: int = 300
    share_bps: int = 2_000
    tokens_per_usd: int = 1_000_000_000
    era_length_mwh: int = 10**12
    prices: dict[int, int] = field(default_factory=lambda: {0: DEFAULT_PRICE_MICRO_USD_PER_KWH})
    window_s: int = 86_400
    window_limit_mwh: int = 10**10

    BOUNDS: ClassVar[dict[str, tuple[int, int]]] = {
        "cap_mwh_per_day": (1, 9_000_000),
        "peak_sun_hours": (1, 24),
        "min_claim_mwh": (0, 10**12),
        "max_clock_skew_s": (0, 86_400),
        "share_bps": (1_000, 3_000),
        "tokens_per_usd": (1, 10**12),
        "era_length_mwh": (1, 2**63),
        "window_s": (3_600, 30 * 86_400),
        "window_limit_mwh": (1, U64_MAX),
    }
    MAX_PRICE: ClassVar[int] = MAX_PRICE

    def __post_init__(self) -> None:
        for name, (lo, hi) in self.BOUNDS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or not lo <= value <= hi:
                raise RewardError(Code.BAD_PARAMETER, "BAD_PARAMETER",
                                  f"payout parameter {name}={value!r} is outside {lo}..{hi}")
        for region, price in self.prices.items():
            if not 0 <= region <= 0xFFFF or not 0 <= price <= self.MAX_PRICE:
                raise RewardError(Code.BAD_PARAMETER, "BAD_PARAMETER",
                                  f"price {price} µUSD/kWh for region {region} is outside 0..{self.MAX_PRICE}")
        if len(self.prices) > PRICE_TABLE_CAPACITY:
            raise RewardError(Code.PRICE_TABLE_FULL, "PRICE_TABLE_FULL",
                              f"{len(self.prices)} regions have a price; a deployment holds at most "
                              f"{PRICE_TABLE_CAPACITY} (region 0 included): merge regions or drop some")

    def price_for(self, region: int) -> int:
        return self.prices.get(region, self.prices.get(0, 0))

    def with_changes(self, **changes: Any) -> PayoutParams:
        return replace(self, **changes)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {name: getattr(self, name) for name in self.BOUNDS}
        out["prices"] = {str(k): v for k, v in sorted(self.prices.items())}
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PayoutParams:
        """Parameters from parsed JSON (numbers may arrive as strings); __post_init__ checks the bounds."""
        kwargs: dict[str, Any] = {name: int(data[name]) for name in cls.BOUNDS if name in data}
        prices = data.get("prices")
        if isinstance(prices, dict):
            kwargs["prices"] = {int(k): int(v) for k, v in prices.items()}
        return cls(**kwargs)
