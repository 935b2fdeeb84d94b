"""Regression: rendering must not drain the refcount of None (PySide6 6.12.0 on CPython 3.11).

On that combination every void Qt call drops a reference to None and a long plotting run ends in
`Fatal Python error: none_dealloc`; see docs/reference-data.md. We pin 6.11.x on 3.11; this test fails
loudly if a broken build sneaks back in. On 3.12+ None is immortal and the count does not move at all.
"""

from __future__ import annotations

import gc
import sys

import numpy as np
import pyqtgraph as pg

FRAMES = 3000


def test_rendering_a_plot_thousands_of_times_keeps_none_alive(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    curve = widget.plot(pen=pg.mkPen("b"))
    x = np.arange(2000, dtype=float)
    gc.collect()  # garbage from earlier tests holds references to None too: free it first
    before = sys.getrefcount(None)
    for frame in range(FRAMES):
        curve.setData(x, np.sin(x * 0.01 + frame * 0.1))
        widget.grab()  # a full paint through QPainter: the calls that leaked
    gc.collect()
    after = sys.getrefcount(None)
    # Unrelated objects come and go; the bug loses one per void Qt call, dozens per frame (and aborts
    # the interpreter long before 3000 frames), so less than one per frame is a pass.
    assert after >= before - FRAMES, f"None lost {before - after} references in {FRAMES} frames"
