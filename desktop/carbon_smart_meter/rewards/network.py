"""Network-wide state of onchain/RULES.md: paid energy, the halving era, and the windowed mint limit.

The era is stored, not derived from `energy // era_length`, so that a change of the era length can
never move the halving back: a new length applies from the next era boundary on (RULES.md "Tokens").

The mint limit is a circuit breaker over fixed windows of `window_s` seconds aligned to unix time 0
(UTC days for the default): the network pays at most `window_limit_mwh` per window, so at most twice
that in any span of `window_s` seconds, whoever holds which key. A decaying sum like Helium's was
weighed and not taken: under it a greedy claimer is paid e ≈ 2.7 times the limit within one span and
twice the limit per span sustained (docs/decisions/0007-revocation-and-mint-window.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_smart_meter.rewards.limits import MAX_ERA


@dataclass(frozen=True)
class NetworkState:
    """What the chain stores for the whole deployment; `era_left_mwh` is energy left in `era`."""

    energy_mwh: int = 0
    era: int = 0
    era_left_mwh: int = 0
    window_used_mwh: int = 0
    window_time: int = 0

    @classmethod
    def at_energy(cls, energy_mwh: int, era_length_mwh: int, **window: int) -> NetworkState:
        """The state a history at one constant era length leaves (how RULES.md version 1 derived eras)."""
        era = energy_mwh // era_length_mwh
        if era >= MAX_ERA:
            return cls(energy_mwh, MAX_ERA, 0, **window)
        return cls(energy_mwh, era, (era + 1) * era_length_mwh - energy_mwh, **window)

    @property
    def era_end_mwh(self) -> int:
        """Network energy at which the current era ends (meaningless from era 64 on)."""
        return self.energy_mwh + self.era_left_mwh


def window_used_at(state: NetworkState, window_s: int, now: int) -> int:
    """Energy paid so far in the window holding `now`: what is stored if the last payment fell in it, else 0."""
    if now // window_s != state.window_time // window_s:
        return 0
    return state.window_used_mwh
