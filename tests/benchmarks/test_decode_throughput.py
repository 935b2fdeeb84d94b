"""Decode throughput: COBS + CRC-32C + typed decode, as a ratio to bare np.frombuffer on the payloads.

Run with `make bench` (prints the figures). Targets from the foundation issue: >= 5 M samples/s
through the full decoder on one core (100x a 50 kHz device), reader CPU at 50 kHz < 10 % of a core.
"""

import os
import subprocess
import sys
import time

import numpy as np

from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder

BLOCK = 2000
BLOCKS = 500


def _stream():
    rng = np.random.default_rng(0)
    payloads, wire = [], []
    for k in range(BLOCKS):
        block = m.SampleBlock.build(k * BLOCK, k, 20_000, 0, rng.integers(-2**19, 2**19, BLOCK),
                                    rng.integers(-2**19, 2**19, BLOCK))
        payloads.append(block.payload)
        wire.append(m.encode_message(block, k))
    return payloads, b"".join(wire)


def _decode_all(wire: bytes) -> int:
    dec = FrameDecoder()
    total = 0
    for k in range(0, len(wire), 1 << 16):  # reads as the reader thread does them
        for frame in dec.feed(wire[k:k + (1 << 16)]):
            total += m.decode_message(frame).count
    return total


def _baseline(payloads: list[bytes]) -> int:
    total = 0
    for p in payloads:
        total += len(np.frombuffer(p, dtype="<i4", offset=24)) // 2
    return total


def _best_of(fn, arg, rounds=5) -> float:
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t)
    return best


def test_decoder_throughput_against_bare_frombuffer(benchmark):
    payloads, wire = _stream()
    samples = BLOCKS * BLOCK
    assert _decode_all(wire) == samples == _baseline(payloads)
    base = _best_of(_baseline, payloads)
    full = benchmark.pedantic(_decode_all, args=(wire,), rounds=5, iterations=1)
    assert full == samples
    full_s = benchmark.stats.stats.min if benchmark.stats else _best_of(_decode_all, wire)
    rate = samples / full_s
    benchmark.extra_info.update({"samples_per_s": rate, "baseline_samples_per_s": samples / base,
                                 "ratio_to_frombuffer": base / full_s})
    print(f"\ndecode: {rate / 1e6:.1f} M samples/s through COBS+CRC+decode; bare frombuffer "
          f"{samples / base / 1e6:.0f} M samples/s; ratio {base / full_s:.3f}; "
          f"{rate / 50_000:.0f}x a 50 kHz device (target >= 100x)")


def test_reader_cpu_at_50_khz(benchmark):
    """Simulator in another process at 50 kHz; this process only reads, so its CPU time is the reader's."""
    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--rate", "50000"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = proc.stdout.readline().strip()
        acq = Acquisition()
        source = acq.add_device(port, sync_time=False)
        time.sleep(1.0)

        def measure():
            c0, w0, s0 = time.process_time(), time.perf_counter(), acq.stats(source).samples
            time.sleep(3.0)
            c1, w1, s1 = time.process_time(), time.perf_counter(), acq.stats(source).samples
            return (c1 - c0) / (w1 - w0), (s1 - s0) / (w1 - w0)

        cpu, rate = benchmark.pedantic(measure, rounds=1, iterations=1)
        st = acq.stats(source)
        acq.stop()
    finally:
        proc.terminate()
        proc.wait(5)
    benchmark.extra_info.update({"reader_cpu_fraction": cpu, "samples_per_s": rate})
    print(f"\nreader at 50 kHz: {cpu * 100:.1f} % of one core (target < 10 %), {rate:.0f} samples/s received, "
          f"losses {st.samples_lost}, crc {st.crc_errors}; cpus={os.cpu_count()}")
    assert st.crc_errors == 0
