"""Network-wide state of onchain/RULES.md: paid energy, the halving era, and the windowed mint limit.

The era is stored, not derived from `energy // era_length`, so that a change of the era length can
never move the halving back: a new length applies from the next era boundary on (RULES.md "Tokens").
The mint window is a decaying sum (like Helium's windowed circuit breaker): what was paid `dt` seconds
ago counts `(window_s - dt) / window_s` of itself, so the network pays at most `window_limit_mwh` in
any span of `window_s` seconds and at most twice that in any two spans, whoever holds which key.
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
    """The window's decayed sum at `now`, floored: nothing of it is left after a whole window."""
    dt = max(0, now - state.window_time)
    if dt >= window_s:
        return 0
    return state.window_used_mwh * (window_s - dt) // window_s
