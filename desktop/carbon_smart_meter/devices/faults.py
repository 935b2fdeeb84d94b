"""Fault injection for the simulator: `--faults corrupt=0.01,drop=0.005,disconnect=20:2,reset=60,drift=50`.

Every fault is counted on the simulator side so tests can check that the host counted the same loss.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_smart_meter.errors import CsmError


@dataclass(frozen=True)
class FaultSpec:
    corrupt: float = 0.0          # probability per frame of one flipped byte
    drop: float = 0.0             # probability per frame of a run of bytes going missing
    disconnect_every: float = 0.0  # wall seconds between cable pulls (0: never)
    disconnect_for: float = 1.0   # wall seconds the cable stays out
    reset_every: float = 0.0      # wall seconds between device resets (0: never)
    drift_ppm: float = 0.0        # device clock runs fast (+) or slow (-) by this much

    @property
    def any(self) -> bool:
        return bool(self.corrupt or self.drop or self.disconnect_every or self.reset_every or self.drift_ppm)

    @classmethod
    def parse(cls, spec: str | None) -> FaultSpec:
        if not spec:
            return cls()
        values: dict[str, float] = {}
        for item in spec.split(","):
            key, sep, raw = item.strip().partition("=")
            try:
                if not sep:
                    raise ValueError
                if key == "disconnect":
                    every, _, down = raw.partition(":")
                    values["disconnect_every"] = float(every)
                    values["disconnect_for"] = float(down or 1.0)
                elif key in ("corrupt", "drop"):
                    values[key] = float(raw)
                    if not 0.0 <= values[key] <= 1.0:
                        raise ValueError
                elif key == "reset":
                    values["reset_every"] = float(raw)
                elif key == "drift":
                    values["drift_ppm"] = float(raw.removesuffix("ppm"))
                else:
                    raise KeyError(key)
            except (ValueError, KeyError):
                raise CsmError(
                    f"fault '{item}' not understood: use corrupt=P, drop=P (0..1 per frame), "
                    "disconnect=EVERY_S[:DOWN_S], reset=EVERY_S, drift=PPM, comma-separated") from None
        return cls(**values)
