"""Live ring buffers keep the newest samples in bounded memory and summarise long windows faithfully."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.live_buffers import DeviceRing, LiveBuffers
from carbon_smart_meter.acquisition.records import Envelope, Missed
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.protocol.messages import SampleBlock


def _feed(ring: DeviceRing, n: int, block: int, t0: float = 1000.0, rate: float = 1000.0) -> np.ndarray:
    values = np.sin(np.arange(n) * 0.01).astype(np.float32) * 10
    for s in range(0, n, block):
        e = min(n, s + block)
        t = t0 + np.arange(s, e) / rate
        ring.append(t, values[s:e], -values[s:e], values[s:e] * 2, received_ns=time.monotonic_ns())
    return values


def test_ring_keeps_exactly_the_newest_samples_after_wrapping():
    ring = DeviceRing("a", capacity=1000, bucket=8)
    values = _feed(ring, 2537, block=97)
    tr = ring.view()
    assert not tr.decimated and len(tr) == 1000
    np.testing.assert_array_equal(tr.v, values[-1000:])
    np.testing.assert_allclose(tr.t, 1000.0 + np.arange(1537, 2537) / 1000.0)
    assert np.all(np.diff(tr.t) > 0)


def test_time_range_view_returns_only_samples_inside_the_range_across_the_wrap():
    ring = DeviceRing("a", capacity=1000, bucket=8)
    _feed(ring, 1700, block=130)
    tr = ring.view(1001.5, 1001.6)  # samples 1500..1600, which straddle the ring's wrap point
    assert tr.t[0] == pytest.approx(1001.5) and tr.t[-1] == pytest.approx(1001.6)
    assert len(tr) == 101


def test_long_window_is_summarised_with_the_true_extremes():
    ring = DeviceRing("a", capacity=400_000, bucket=16)
    n = 300_000
    t = 1000.0 + np.arange(n) / 1e4
    v = np.zeros(n, np.float32)
    v[123_457] = 99.0  # one spike must survive decimation
    v[250_001] = -42.0
    ring.append(t, v, v, v)
    tr = ring.view(max_points=1000)
    assert tr.decimated and len(tr) <= 2000
    assert tr.v.max() == 99.0 and tr.v.min() == -42.0
    assert tr.t[0] >= t[0] and tr.t[-1] <= t[-1]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 300), min_size=1, max_size=40), st.integers(1, 40))
def test_bucket_summaries_equal_min_and_max_of_the_raw_samples(blocks, bucket):
    ring = DeviceRing("a", capacity=5000, bucket=bucket)
    rng = np.random.default_rng(len(blocks))
    total = sum(blocks)
    vals = rng.normal(size=total).astype(np.float32)
    s = 0
    for n in blocks:
        ring.append(np.arange(s, s + n, dtype=np.float64), vals[s:s + n], vals[s:s + n], vals[s:s + n])
        s += n
    for bi in range(max(0, (total - 5000) // bucket + 1), total // bucket):
        seg = vals[bi * bucket:(bi + 1) * bucket]
        slot = bi % ring.n_buckets
        assert ring.b_min[0, slot] == seg.min() and ring.b_max[0, slot] == seg.max()
        assert ring.b_t[slot] == bi * bucket


def test_memory_is_fixed_by_the_budget_not_by_the_window():
    lb = LiveBuffers(Hub(), window_s=3600 * 10, max_bytes_per_device=2 * 2**20)
    assert lb.capacity_for(10_000) == 2 * 2**20 // 20
    assert lb.capacity_for(1) == 36_000  # a slow device gets its whole window


def test_arrivals_are_handed_out_once_for_latency_measurement():
    ring = DeviceRing("a", capacity=100)
    _feed(ring, 50, block=10)
    assert len(ring.take_arrivals()) == 5
    assert len(ring.take_arrivals()) == 0


def test_buffers_fill_from_a_simulator_through_the_hub_in_si_units():
    from carbon_smart_meter.acquisition.session import Acquisition

    sim = SimulatedAdapter(rate=2000, seed=3, panel_watts=50).open()
    acq = Acquisition()
    lb = LiveBuffers(acq.hub, window_s=5,
                     converter_for=lambda _source, hello: Conversion.factory(hello.v_lsb, hello.i_lsb).convert).start()
    try:
        acq.add_device(sim.port, name="sim3")
        sim.start()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (lb.ring("sim3") is None or lb.ring("sim3").total < 4000):
            time.sleep(0.02)
        ring = lb.ring("sim3")
        assert ring is not None and ring.total >= 4000
        tr = ring.view(max_points=None)
        # Samples are in order; the only step back allowed is the device clock's own, when the reader's
        # TIME_SYNC on connect moves it by the few milliseconds it was off (PROTOCOL.md 3.7).
        steps = np.diff(tr.t)
        back = steps[steps <= 0]
        assert len(back) <= 1 and np.all(back > -0.05)
        assert abs(tr.t[-1] - time.time()) < 5  # device time is unix time
        np.testing.assert_allclose(tr.p, tr.v * tr.i, rtol=1e-5)
        assert 0 < float(np.median(tr.v)) < 60  # volts, not codes
    finally:
        acq.stop()
        lb.stop()
        sim.close()


def test_blocks_before_any_hello_are_skipped_not_misconverted():
    hub = Hub()
    lb = LiveBuffers(hub)
    blk = SampleBlock.build(0, 1_000_000, 1_000_000, 0, np.ones(10, np.int32), np.ones(10, np.int32))
    lb.feed(Envelope("x", blk))
    assert lb.ring("x") is None
    lb.set_converter("x", Conversion.factory(0.5, 0.25).convert)
    lb.feed(Envelope("x", blk))
    tr = lb.ring("x").view()
    assert tr.v[0] == 0.5 and tr.i[0] == 0.25 and tr.p[0] == 0.125
    assert tr.t[0] == pytest.approx(1.0) and tr.t[1] == pytest.approx(1.001)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 700), min_size=1, max_size=30), st.integers(1, 6))
def test_second_level_summaries_equal_min_and_max_of_their_samples(blocks, bucket):
    from carbon_smart_meter.acquisition.live_buffers import FANOUT

    ring = DeviceRing("a", capacity=6000, bucket=bucket)
    total = sum(blocks)
    vals = np.random.default_rng(total).normal(size=total).astype(np.float32)
    s = 0
    for n in blocks:
        ring.append(np.arange(s, s + n, dtype=np.float64), vals[s:s + n], vals[s:s + n], vals[s:s + n])
        s += n
    size = bucket * FANOUT
    first_kept = total - min(total, 6000)
    for k in range(-(-first_kept // size), total // size):
        seg = vals[k * size:(k + 1) * size]
        slot = k % ring.n_buckets2
        assert ring.b2_min[0, slot] == seg.min() and ring.b2_max[0, slot] == seg.max()
        assert ring.b2_t[slot] == k * size


def test_a_view_of_hours_uses_the_second_level_and_keeps_the_extremes():
    ring = DeviceRing("a", capacity=3_000_000, bucket=64)
    n = 3_000_000
    t = np.arange(n) / 1000.0
    v = np.zeros(n, np.float32)
    v[1_234_567] = 7.0
    ring.append(t, v, v, v)
    tr = ring.view(max_points=500)
    assert tr.decimated and len(tr) <= 1000 and tr.v.max() == 7.0


def test_a_batch_of_blocks_lands_in_the_ring_exactly_as_block_by_block_with_every_arrival_kept():
    rng = np.random.default_rng(7)
    envs = []
    for k in range(12):
        src = "a" if k % 3 else "b"
        n = int(rng.integers(1, 90))
        codes = rng.integers(0, 4000, (2, n)).astype(np.int32)
        envs.append(Envelope(src, SampleBlock.build(100 * k, 1_000_000 + 10_000 * k, 100_000, 0, codes[0], codes[1]),
                             received_ns=1000 + k))
    one_by_one, batched = LiveBuffers(Hub()), LiveBuffers(Hub())
    for lb in (one_by_one, batched):
        lb.set_converter("a", Conversion.factory(0.5, 0.25).convert)
        lb.set_converter("b", Conversion.factory(0.1, 0.2).convert)
    for env in envs:
        one_by_one.feed(env)
    batched.feed_many([envs[0], Envelope("a", Missed(3, {"SampleBlock": 3})), *envs[1:]])
    assert batched.missed == 3
    for src in ("a", "b"):
        want, got = one_by_one.ring(src), batched.ring(src)
        assert got.total == want.total and got.blocks == want.blocks
        a, b = want.view(), got.view()
        for name in ("t", "v", "i", "p"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        np.testing.assert_array_equal(got.take_arrivals(), want.take_arrivals())


@pytest.mark.parametrize("span", [3_000, 60_000, 2_000_000])  # raw groups, first level, second level
def test_a_scrolling_window_changes_only_at_its_ends_and_shows_the_newest_samples_at_once(span):
    """Groups are aligned to absolute indices: as a fixed-length window scrolls over arriving samples the
    pairs in between stay put (a live trace does not shimmer), and the samples that just arrived are in
    the view at once (the partial newest group is shown)."""
    ring = DeviceRing("a", capacity=2_500_000, bucket=16)
    rate = 1000.0
    vals = np.random.default_rng(1).normal(size=span + 5_000).astype(np.float32)
    t = np.arange(len(vals)) / rate
    ring.append(t[:span], vals[:span], vals[:span], vals[:span])
    width = (span - 1) / rate
    before = ring.view(t[span - 1] - width, t[span - 1], max_points=500)
    ring.append(t[span:span + 7], vals[span:span + 7], vals[span:span + 7], vals[span:span + 7])
    after = ring.view(t[span + 6] - width, t[span + 6], max_points=500)
    assert before.decimated and after.decimated
    inner = (before.t > after.t[1]) & (before.t < before.t[-1])  # pairs away from both ends
    assert inner.sum() > 300
    common = np.isin(after.t, before.t[inner])
    np.testing.assert_array_equal(after.t[common], before.t[inner])
    np.testing.assert_array_equal(after.v[common], before.v[inner])
    assert after.t[-1] <= t[span + 6]
    assert after.v[-2] <= vals[span + 6] <= after.v[-1]  # the newest sample is drawn
    shown = vals[(t >= t[span + 6] - width) & (t <= t[span + 6])]
    assert after.v.max() == shown.max() and after.v.min() == shown.min()


def test_a_short_span_with_more_raw_samples_than_pixels_is_decimated_with_its_extremes():
    ring = DeviceRing("a", capacity=100_000, bucket=64)
    n = 50_000
    v = np.zeros(n, np.float32)
    v[17], v[40_001] = 5.0, -3.0
    ring.append(np.arange(n) / 1e4, v, v, v)
    tr = ring.view(max_points=400)  # 50 000 samples < 400 buckets of 64: from the raw samples
    assert tr.decimated and len(tr) <= 2 * 401 and tr.v.max() == 5.0 and tr.v.min() == -3.0
    assert not ring.view(max_points=None).decimated
