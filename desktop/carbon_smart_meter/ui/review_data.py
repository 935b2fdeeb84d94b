"""What the review computes from a session file: the whole-file overview (on a thread) and cursor measurements."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6 import QtCore

from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.ui.log_view import readable_error


@dataclass(frozen=True)
class Measurement:
    duration_s: float
    energy_wh: float
    mean_power_w: float
    samples: int


def measure(session: Session, t_a_s: float, t_b_s: float) -> Measurement:
    """Energy (positive power, as the device counts it), mean power and duration between two times."""
    a, b = sorted((t_a_s, t_b_s))
    lo, hi = int(a * 1e9), int(b * 1e9)
    energy_j, psum, n = 0.0, 0.0, 0
    for part in session.iter_blocks(["device_time_ns", "power"], start_ns=lo, stop_ns=hi):
        t, p = part["device_time_ns"], part["power"].astype(np.float64)
        if not len(t):
            continue
        dt = np.diff(t, append=t[-1]).astype(np.float64) * 1e-9
        if len(t) > 1:
            typical = float(np.median(dt[:-1]))
            dt[-1] = typical
            dt[dt > 2.5 * typical] = typical  # a gap holds no known energy: count one period, not the gap
        energy_j += float(np.sum(np.maximum(p, 0.0) * dt))
        psum += float(p.sum())
        n += len(p)
    return Measurement(b - a, energy_j / 3600.0, psum / n if n else 0.0, n)


class OverviewWorker(QtCore.QThread):
    """Whole-file min/max overview and energy on a thread with its own file handle: hours of 10 kHz
    data take seconds to stream, and the window must stay responsive meanwhile."""

    done = QtCore.Signal(object, object, float)  # t (s), min/max pairs, energy (Wh)
    failed = QtCore.Signal(str)

    def __init__(self, path: Path, window_ns: int) -> None:
        super().__init__()
        self.path, self.window_ns = path, window_ns

    def run(self) -> None:
        try:
            with Session(self.path) as s:
                summ = s.summary("power", self.window_ns)
                energy = s.energy_wh()
        except Exception as exc:  # reported in the window as a sentence
            self.failed.emit(readable_error(exc))
            return
        t = np.repeat(summ.t_ns / 1e9, 2)
        y = np.empty(len(t))
        y[0::2], y[1::2] = summ.min, summ.max
        self.done.emit(t, y, energy)
