"""Trapezoid integration against signals whose integral is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from carbon_smart_meter.energy.integrate import integrate_blocks
from carbon_smart_meter.protocol.messages import BLOCK_FLAG_TIME_SYNCED, SampleBlock


def linear(v_lsb: float, i_lsb: float):
    """A float64 code -> SI converter: the integration is tested exactly, apart from float32 calibration."""
    return lambda block: (block.voltage_codes * v_lsb, block.current_codes * i_lsb)


PERIOD_NS = 1_000_000  # 1 kHz
DT = PERIOD_NS * 1e-9
T0_US = 1_700_000_000 * 10**6
VOLT = linear(1e-3, 1e-4)  # 1 mV, 0.1 mA per code


def blocks_of(v: np.ndarray, i: np.ndarray, size: int = 1000, first: int = 0) -> list[SampleBlock]:
    out = []
    for k in range(0, len(v), size):
        n = first + k
        out.append(SampleBlock.build(n, T0_US + n * PERIOD_NS // 1000, PERIOD_NS, BLOCK_FLAG_TIME_SYNCED,
                                     v[k:k + size], i[k:k + size]))
    return out


def test_constant_power_integrates_to_power_times_duration_across_contiguous_blocks():
    n = 5000
    v, i = np.full(n, 12_000), np.full(n, 20_000)  # 12 V, 2 A
    result = integrate_blocks(blocks_of(v, i), VOLT)
    assert result.energy_j == pytest.approx(24.0 * (n - 1) * DT, rel=1e-12)
    assert result.gaps == ()


def test_ramp_is_integrated_exactly_by_the_trapezoid_rule():
    n = 3000
    i = np.arange(n)  # current ramps 0 .. 0.2999 A at 12 V
    v = np.full(n, 12_000)
    result = integrate_blocks(blocks_of(v, i, size=700), VOLT)
    t_end = (n - 1) * DT
    slope = 12.0 * 1e-4 / DT  # W per second
    assert result.energy_j == pytest.approx(0.5 * slope * t_end**2, rel=1e-9)


def test_sine_power_matches_the_analytic_integral_to_second_order():
    n = 10_000
    t = np.arange(n) * DT
    omega = 2 * np.pi * 0.7
    amps = 1.0 + 0.5 * np.sin(omega * t)  # 12 V x (1 + 0.5 sin) A

    def to_si(block: SampleBlock) -> tuple[np.ndarray, np.ndarray]:
        k = block.first_sample + np.arange(block.count)
        return np.full(block.count, 12.0), 1.0 + 0.5 * np.sin(omega * k * DT)

    v_codes = np.zeros(n, dtype=np.int32)
    result = integrate_blocks(blocks_of(v_codes, v_codes), to_si)
    t_end = t[-1]
    exact = 12.0 * (t_end + 0.5 * (1 - np.cos(omega * t_end)) / omega)
    assert result.energy_j == pytest.approx(exact, rel=1e-7)
    assert amps.size == n


def test_a_gap_is_reported_and_never_bridged():
    v, i = np.full(2000, 12_000), np.full(2000, 20_000)
    first = blocks_of(v[:1000], i[:1000])
    second = blocks_of(v[1000:], i[1000:], first=1500)  # 500 samples lost
    result = integrate_blocks(first + second, VOLT)
    assert [(g.after_sample, g.missing) for g in result.gaps] == [(1000, 500)]
    # each block integrates its own 999 intervals; nothing across the gap
    assert result.energy_j == pytest.approx(24.0 * 2 * 999 * DT, rel=1e-12)


def test_negative_power_is_not_counted_as_generation_but_is_reported():
    v = np.full(1001, 12_000)
    i = np.full(1001, -20_000)
    result = integrate_blocks(blocks_of(v, i, size=1001), VOLT)
    assert result.energy_j == 0.0
    assert result.reverse_energy_j == pytest.approx(24.0 * 1000 * DT)


def test_integrating_in_batches_equals_integrating_at_once():
    rng = np.random.default_rng(1)
    v, i = rng.integers(0, 20_000, 6000), rng.integers(0, 30_000, 6000)
    blocks = blocks_of(v, i, size=600)
    whole = integrate_blocks(blocks, VOLT)
    a = integrate_blocks(blocks[:4], VOLT)
    last = blocks[3]
    p_last = float(last.voltage_codes[-1] * 1e-3 * last.current_codes[-1] * 1e-4)
    b = integrate_blocks(blocks[4:], VOLT, previous=(last, p_last))
    assert a.energy_j + b.energy_j == pytest.approx(whole.energy_j, rel=1e-12)
    assert whole.interval_energy_j.sum() == pytest.approx(whole.energy_j, rel=1e-12)


def test_interval_times_are_unix_nanoseconds_of_each_sample():
    blocks = blocks_of(np.full(10, 1000), np.full(10, 1000), size=5)
    result = integrate_blocks(blocks, VOLT)
    assert result.interval_start_ns[0] == T0_US * 1000
    assert np.all(np.diff(result.interval_start_ns) == PERIOD_NS)
    assert result.interval_start_ns.size == 9
