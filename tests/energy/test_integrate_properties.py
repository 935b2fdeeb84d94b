"""Integration properties for arbitrary streams: batching never changes the result."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_smart_meter.energy.integrate import block_time_offset_ns, integrate_blocks
from carbon_smart_meter.protocol.messages import SampleBlock


def linear(v_lsb: float, i_lsb: float):
    """A float64 code -> SI converter: the integration is tested exactly, apart from float32 calibration."""
    return lambda block: (block.voltage_codes * v_lsb, block.current_codes * i_lsb)


TO_SI = linear(1e-3, 1e-4)


@st.composite
def streams(draw):
    sizes = draw(st.lists(st.integers(1, 50), min_size=1, max_size=12))
    skips = draw(st.lists(st.integers(0, 3), min_size=len(sizes), max_size=len(sizes)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    blocks, first = [], 0
    for size, skip in zip(sizes, skips, strict=True):
        first += skip
        blocks.append(SampleBlock.build(first, first * 1000, 1_000_000, 4,
                                        rng.integers(-1000, 20_000, size), rng.integers(-1000, 30_000, size)))
        first += size
    split = draw(st.integers(0, len(blocks)))
    return blocks, split


@settings(max_examples=200)
@given(streams())
def test_integrating_in_two_batches_equals_one_call_and_gaps_are_the_same(stream):
    blocks, split = stream
    whole = integrate_blocks(blocks, TO_SI)
    a = integrate_blocks(blocks[:split], TO_SI)
    prev = (blocks[split - 1], a.last_power_w) if split else None
    b = integrate_blocks(blocks[split:], TO_SI, previous=prev)
    assert np.isclose(a.energy_j + b.energy_j, whole.energy_j, rtol=1e-12, atol=1e-15)
    assert [(g.after_sample, g.missing) for g in a.gaps + b.gaps] == \
        [(g.after_sample, g.missing) for g in whole.gaps]
    assert whole.energy_j >= 0 and whole.reverse_energy_j >= 0


@settings(max_examples=100)
@given(streams(), st.floats(0.0, 1e3))
def test_scaling_power_scales_energy(stream, factor):
    blocks, _ = stream
    base = integrate_blocks(blocks, TO_SI).energy_j
    scaled = integrate_blocks(blocks, linear(1e-3 * factor, 1e-4)).energy_j
    assert np.isclose(scaled, base * factor, rtol=1e-9, atol=1e-12)


def test_a_block_before_time_sync_is_anchored_at_its_arrival_time():
    block = SampleBlock.build(0, 5_000_000, 1_000_000, 0, np.ones(10), np.ones(10))  # 5 s after boot, not synced
    arrival = 1_700_000_000 * 10**9
    offset = block_time_offset_ns(block, arrival)
    assert block.t0_us * 1000 + offset + 10 * block.period_ns == arrival
    synced = SampleBlock.build(0, 5_000_000, 1_000_000, 4, np.ones(10), np.ones(10))
    assert block_time_offset_ns(synced, arrival) == 0
