"""Fault injection for the simulator: `--faults corrupt=0.01,drop=0.005,disconnect=20:2,reset=60,drift=50`.

Every fault is counted on the simulator side so tests can check that the host counted the same loss.
Line noise (corrupt, drop) damages frames on their way out of the transport; the schedule says when
the cable is pulled and when the device resets; drift is handed to the device model's clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.errors import CsmError

MAX_DRIFT_PPM = 100_000.0  # a clock 10 % off is broken, not drifting


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
                if not _sensible(values):
                    raise ValueError
            except (ValueError, KeyError):
                raise CsmError(
                    f"fault '{item}' not understood: use corrupt=P, drop=P (0..1 per frame), "
                    "disconnect=EVERY_S[:DOWN_S] (seconds, DOWN_S more than 0), reset=EVERY_S, "
                    f"drift=PPM (-{MAX_DRIFT_PPM:g} .. {MAX_DRIFT_PPM:g}), comma-separated") from None
        return cls(**values)


def _sensible(values: dict[str, float]) -> bool:
    """Finite, no negative times, a cable that stays out for some time, a drift a clock can have."""
    if not all(math.isfinite(v) for v in values.values()):
        return False
    if any(values.get(k, 0.0) < 0 for k in ("disconnect_every", "reset_every")):
        return False
    return values.get("disconnect_for", 1.0) > 0 and abs(values.get("drift_ppm", 0.0)) <= MAX_DRIFT_PPM


class LineNoise:
    """Flips a byte (corrupt) or loses a run of bytes (drop) of a frame already framed and hashed."""

    def __init__(self, spec: FaultSpec, seed: int) -> None:
        self.spec = spec
        self.enabled = True
        self.corrupted = 0
        self.damaged_by_drop = 0
        self._rng = np.random.default_rng(seed)

    def apply(self, wire: bytes) -> bytes:
        f = self.spec
        if not self.enabled or not (f.corrupt or f.drop):
            return wire
        if f.corrupt and self._rng.random() < f.corrupt:
            self.corrupted += 1
            buf = bytearray(wire)
            pos = int(self._rng.integers(0, len(buf) - 1))
            buf[pos] ^= int(self._rng.integers(1, 256))
            wire = bytes(buf)
        if f.drop and self._rng.random() < f.drop:
            self.damaged_by_drop += 1
            start = int(self._rng.integers(0, len(wire)))
            length = int(self._rng.integers(1, max(2, len(wire) - start + 1)))
            wire = wire[:start] + wire[start + length:]
        return wire


class FaultSchedule:
    """When the next cable pull and the next reset are due, on the wall clock from `t0`."""

    def __init__(self, spec: FaultSpec, t0: float) -> None:
        self.spec = spec
        self._next_disconnect = t0 + spec.disconnect_every if spec.disconnect_every else None
        self._next_reset = t0 + spec.reset_every if spec.reset_every else None

    def reset_due(self, wall: float) -> bool:
        if self._next_reset is None or wall < self._next_reset:
            return False
        self._next_reset += self.spec.reset_every
        return True

    def disconnect_due(self, wall: float) -> float | None:
        """Seconds the cable stays out when a pull is due now, else None."""
        if self._next_disconnect is None or wall < self._next_disconnect:
            return None
        self._next_disconnect += self.spec.disconnect_every
        return self.spec.disconnect_for
