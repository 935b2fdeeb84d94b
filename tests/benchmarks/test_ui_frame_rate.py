"""Logger window under load: three simulated 10 kHz devices recording, V/I/P over a 10-minute window.

Figures (printed and stored in extra_info): frames per second, UI-thread CPU, sample-to-screen latency
p50/p99, lost samples (device gaps, subscriber drops, file contiguity) and startup to first paint.
Targets from issue 5: >= 30 fps, p99 <= 100 ms, zero lost samples, first paint <= 2 s. The machine is
2 shared cores, so each figure is also given as a ratio to a baseline measured in the same run: the
same window with one 1 kHz device, and a frame built the naive way (the whole window handed to
pyqtgraph's own downsampling) against ours (min/max summaries per pixel column from the rings).

The 10-minute window is filled before the run with synthetic samples at 10 kHz (6 M per device) so
frames cost what a full window costs, without waiting ten minutes; live samples append on top.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
import time

import numpy as np
import pytest

from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.reader import Session


@pytest.fixture(autouse=True)
def _qt_garbage_dies_on_the_gui_thread():
    """As in tests/ui/conftest.py: windows in reference cycles must be collected on the GUI thread."""
    import gc

    gc.collect()
    yield
    gc.collect()

WINDOW_S = 600.0
RATE = 10_000
RUN_S = float(os.environ.get("CSM_BENCH_UI_SECONDS", "12"))


def _prefill(ring, rate: int, seconds: float, end: float) -> None:
    n = int(rate * seconds)
    step = 500_000
    t_all = end - seconds + np.arange(n) / rate
    for s in range(0, n, step):
        t = t_all[s:s + step]
        v = (20 + np.sin(t * 0.5)).astype(np.float32)
        i = (1.5 + 0.2 * np.sin(t * 0.05)).astype(np.float32)
        ring.append(t, v, i, v * i)


def _run_window(qtbot, tmp_path, devices: int, rate: int, seconds: float) -> dict:
    from carbon_smart_meter.acquisition.live_buffers import DeviceRing
    from carbon_smart_meter.ui.main_window import MainWindow

    settings = Settings(data_dir=str(tmp_path / f"s{devices}_{rate}"), plot_window_s=WINDOW_S, time_zone="UTC")
    win = MainWindow(settings, settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "cal"), buffer_window_s=WINDOW_S + 30)
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    procs: list[subprocess.Popen] = []
    try:
        sources = []
        for k in range(devices):  # adapters are external devices: simulate them in their own processes
            proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--rate", str(rate),
                                     "--seed", str(k)], stdout=subprocess.PIPE, text=True)
            procs.append(proc)
            sources.append(win.connect_port(proc.stdout.readline().strip()))
        qtbot.waitUntil(lambda: all(win.buffers.ring(s) is not None for s in sources), timeout=5000)
        now = time.time()
        for s in sources:  # history before the live samples, at full rate
            ring = win.buffers.rings[s]
            fresh = DeviceRing(s, ring.capacity, ring.bucket)
            _prefill(fresh, rate, WINDOW_S, now - 1.0)
            with ring.lock:
                live_t, live_ch = ring._raw(ring.first_index, ring.total)
            fresh.append(live_t, live_ch[0], live_ch[1], live_ch[2])
            win.buffers.rings = {**win.buffers.rings, s: fresh}
        win.start_recording()
        qtbot.waitUntil(lambda: len(win.recorder.files) == devices, timeout=10_000)
        qtbot.wait(500)
        win.plots.latencies_ms.clear()
        frames0 = win.plots.frames
        cpu0, pcpu0, t0 = time.thread_time(), time.process_time(), time.monotonic()
        load0 = os.getloadavg()[0]
        samples0 = sum(win.session.acquisition.stats(s).samples for s in sources)
        qtbot.wait(int(seconds * 1000))
        cpu = time.thread_time() - cpu0
        pcpu = time.process_time() - pcpu0
        wall = time.monotonic() - t0
        frames = win.plots.frames - frames0
        lat = np.asarray(win.plots.latencies_ms)
        stats = [win.session.acquisition.stats(s) for s in sources]
        missed_ui = win.buffers.missed
        paths = win.stop_recording()
        lost_in_files, overflow_events = 0, 0
        for p in paths:
            with Session(p) as sess:
                idx = sess.read(["sample_index"])["sample_index"].astype(np.int64)
                lost_in_files += int(np.sum(np.diff(idx) - 1))
                overflow_events += sum(1 for e in sess.events() if e["kind"] == "storage-overflow")
        return {
            "fps": frames / wall,
            "ui_cpu": cpu / wall,
            "process_cpu": pcpu / wall,
            "load_average": max(load0, os.getloadavg()[0]),
            "latency_p50_ms": float(np.percentile(lat, 50)) if len(lat) else float("nan"),
            "latency_p99_ms": float(np.percentile(lat, 99)) if len(lat) else float("nan"),
            "samples_lost_link": sum(st.samples_lost for st in stats),
            "samples_lost_files": lost_in_files,
            "storage_overflow_events": overflow_events,
            "live_buffer_drops": missed_ui,
            "samples_per_s": (sum(st.samples for st in stats) - samples0) / max(wall, 1e-9),
            "ui_cpu_ms_per_frame": 1e3 * cpu / max(frames, 1),
            "files": len(paths),
        }
    finally:
        win.shutdown()
        for proc in procs:
            proc.terminate()
            proc.wait(10)


@pytest.mark.benchmark
@pytest.mark.slow
def test_three_10khz_devices_over_a_10_minute_window(benchmark, qtbot, tmp_path):
    base = _run_window(qtbot, tmp_path, devices=1, rate=1000, seconds=min(RUN_S, 6))
    load = benchmark.pedantic(_run_window, args=(qtbot, tmp_path, 3, RATE, RUN_S), rounds=1, iterations=1)
    benchmark.extra_info.update({f"load_{k}": v for k, v in load.items()})
    benchmark.extra_info.update({f"baseline_{k}": v for k, v in base.items()})
    print(f"\n3 x {RATE} Hz, {WINDOW_S:.0f} s window: {load['fps']:.1f} fps "
          f"(baseline 1 x 1 kHz: {base['fps']:.1f}, ratio {load['fps'] / max(base['fps'], 1e-9):.2f}), "
          f"UI thread CPU {load['ui_cpu']:.0%} of a core, whole process {load['process_cpu']:.0%} "
          f"(baseline {base['ui_cpu']:.0%} / {base['process_cpu']:.0%}), load average {load['load_average']:.1f}, "
          f"UI CPU per frame {load['ui_cpu_ms_per_frame']:.1f} ms (baseline {base['ui_cpu_ms_per_frame']:.1f}), "
          f"latency p50 {load['latency_p50_ms']:.0f} ms p99 {load['latency_p99_ms']:.0f} ms "
          f"(baseline p99 {base['latency_p99_ms']:.0f} ms), {load['samples_per_s']:,.0f} samples/s, "
          f"lost: link {load['samples_lost_link']}, files {load['samples_lost_files']}, "
          f"storage overflow events {load['storage_overflow_events']}, live-buffer drops {load['live_buffer_drops']}")
    # Losses depend on how busy the machine is: reported above against the zero target, not asserted
    # (a frozen UI losing nothing is a test in tests/ui; here every loss is at least counted).
    assert load["files"] == 3


@pytest.mark.benchmark
def test_a_frame_from_ring_summaries_against_naive_full_window_downsampling(benchmark, qtbot):
    """Ours: ring.view (min/max per pixel) into a bare PlotCurveItem, as the live plots do. Naive: the whole
    6 M-sample window to a PlotDataItem with pyqtgraph's own peak downsampling and clip-to-view."""
    import pyqtgraph as pg

    from carbon_smart_meter.acquisition.live_buffers import DeviceRing

    ring = DeviceRing("a", int(RATE * WINDOW_S))
    _prefill(ring, RATE, WINDOW_S, 1.8e9)
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(1200, 300)
    widget.setDownsampling(auto=True, mode="peak")
    widget.setClipToView(True)
    curve = widget.plot()
    ours_widget = pg.PlotWidget()
    qtbot.addWidget(ours_widget)
    ours_widget.resize(1200, 300)
    ours_curve = pg.PlotCurveItem(skipFiniteCheck=True)
    ours_widget.addItem(ours_curve)

    def ours() -> None:
        tr = ring.view(1.8e9 - WINDOW_S, 1.8e9, max_points=1200)
        ours_curve.setData(tr.t, tr.p)
        ours_widget.grab()

    t_full, ch = ring._raw(ring.first_index, ring.total)

    def naive() -> None:
        curve.setData(t_full, ch[2])
        widget.grab()

    naive_s = min(_timed(naive) for _ in range(3))
    benchmark.pedantic(ours, rounds=10, iterations=1)
    ours_s = benchmark.stats.stats.min
    benchmark.extra_info.update({"naive_frame_s": naive_s, "ours_frame_s": ours_s, "speedup": naive_s / ours_s})
    print(f"\nframe over 10 min at 10 kHz: ours {ours_s * 1e3:.1f} ms, naive {naive_s * 1e3:.1f} ms, "
          f"{naive_s / ours_s:.0f}x faster")
    assert ours_s < naive_s


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


@pytest.mark.benchmark
def test_startup_to_first_painted_window(benchmark, tmp_path):
    """A fresh interpreter: imports, settings, window, until the plots have painted once."""
    env = {**os.environ, "CSM_SETTINGS": str(tmp_path / "s.toml")}

    def start() -> float:
        out = subprocess.run([sys.executable, "-m", "carbon_smart_meter.ui.first_paint", repr(time.time())], env=env,
                             capture_output=True, text=True, timeout=60, check=True)
        return float(out.stdout.strip().splitlines()[-1])

    times = benchmark.pedantic(lambda: [start() for _ in range(3)], rounds=1, iterations=1)
    benchmark.extra_info.update({"startup_s": times})
    print(f"\nstartup to first paint: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)}")
    assert min(times) < 10  # the 2 s target is reported, not asserted, on a shared machine
