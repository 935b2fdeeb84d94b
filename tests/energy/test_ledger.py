"""Checkpoint verification: signer, order, hash chain and energy, against a device model of PROTOCOL.md."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from tests.energy.signing_device_stream import DeviceStream

from carbon_smart_meter.acquisition.records import LinkEventKind
from carbon_smart_meter.energy.findings import (
    CheckpointFinding,
    CheckpointStatus,
    EnergyDivergence,
    GapFinding,
)
from carbon_smart_meter.energy.ledger import EnergyLedger
from carbon_smart_meter.protocol.messages import Checkpoint, SampleBlock
from carbon_smart_meter.protocol.signing import DeviceKey


def statuses(findings: list) -> list[str]:
    return [f.status for f in findings if isinstance(f, CheckpointFinding)]


def started() -> tuple[EnergyLedger, DeviceStream]:
    """A ledger that has seen the device from boot and accepted its first checkpoint."""
    ledger, dev = EnergyLedger(), DeviceStream()
    out = ledger.feed_many([dev.hello(), dev.constant_block(), dev.constant_block(), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.VERIFIED]  # seen from boot: the chain is checked from zeros
    return ledger, dev


def test_honest_checkpoints_are_verified_and_energy_agrees():
    ledger, dev = started()
    for _ in range(3):
        out = ledger.feed_many([dev.constant_block(), dev.constant_block(), dev.checkpoint()])
        assert statuses(out) == [CheckpointStatus.VERIFIED]
        assert not [f for f in out if isinstance(f, EnergyDivergence)]
    assert ledger.tracks["dev0"].totals.session_kwh * 1e6 >= dev.energy_mwh() - 1


def test_a_checkpoint_signed_by_another_key_is_forged():
    ledger, dev = started()
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint(key=DeviceKey.from_seed(b"attacker"))])
    assert statuses(out) == [CheckpointStatus.BAD_SIGNATURE]
    assert out[-1].as_link_event().kind == LinkEventKind.CHECKPOINT_INVALID


def test_a_tampered_checkpoint_message_no_longer_recovers_to_the_device():
    ledger, dev = started()
    env = dev.checkpoint()
    ckpt: Checkpoint = env.record  # type: ignore[assignment]
    forged = Checkpoint(replace(ckpt.message, energy_mwh=ckpt.message.energy_mwh + 10_000), ckpt.signature)
    out = ledger.feed(dev.env(forged))
    assert statuses(out) == [CheckpointStatus.BAD_SIGNATURE]


def test_a_replayed_checkpoint_is_refused():
    ledger, dev = started()
    env = dev.checkpoint()
    assert statuses(ledger.feed(env)) == [CheckpointStatus.VERIFIED]
    assert statuses(ledger.feed(env)) == [CheckpointStatus.REPLAYED]


def test_an_older_checkpoint_arriving_late_is_reordered():
    ledger, dev = started()
    old = dev.checkpoint()
    ledger.feed_many([dev.constant_block(), dev.checkpoint()])
    out = ledger.feed(old)
    assert statuses(out) == [CheckpointStatus.REORDERED]


def test_tampered_sample_blocks_break_the_hash_chain():
    ledger, dev = started()
    env = dev.constant_block()
    block: SampleBlock = env.record  # type: ignore[assignment]
    doubled = SampleBlock.build(block.first_sample, block.t0_us, block.period_ns, block.flags,
                                block.voltage_codes, block.current_codes * 2)
    out = ledger.feed_many([dev.env(doubled), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.CHAIN_MISMATCH]
    assert out[0].invalid


def test_sample_blocks_arriving_out_of_order_are_never_verified():
    ledger, dev = started()
    a, b = dev.constant_block(i_code=1000), dev.constant_block(i_code=2000)
    out = ledger.feed_many([b, a, dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.UNVERIFIABLE_GAP]


def test_block_contents_swapped_under_the_same_sample_numbers_break_the_hash_chain():
    ledger, dev = started()
    a, b = dev.constant_block(i_code=1000).record, dev.constant_block(i_code=2000).record
    swapped = [SampleBlock.build(x.first_sample, x.t0_us, x.period_ns, x.flags,
                                 y.voltage_codes, y.current_codes)
               for x, y in ((a, b), (b, a))]
    out = ledger.feed_many([dev.env(swapped[0]), dev.env(swapped[1]), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.CHAIN_MISMATCH]


def test_a_missing_block_makes_the_interval_unverifiable_not_forged_and_reports_the_gap():
    ledger, dev = started()
    dev.constant_block()  # produced by the device, lost on the link
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint()])
    assert [f.missing for f in out if isinstance(f, GapFinding)] == [1000]
    assert statuses(out) == [CheckpointStatus.UNVERIFIABLE_GAP]
    # the next interval is complete again and verifies from the signed head
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.VERIFIED]


def test_device_energy_beyond_the_calibration_uncertainty_is_a_divergence():
    ledger, dev = started()
    ledger.feed(dev.constant_block(n=2000))
    honest = dev.energy_mwh()
    out = ledger.feed(dev.checkpoint(energy_mwh=honest + 5))  # 2000 samples of 24 W = 13.3 mWh, +5 is 37 %
    kinds = [type(f) for f in out]
    assert kinds == [CheckpointFinding, EnergyDivergence]
    assert out[1].as_link_event().kind == LinkEventKind.DIVERGENCE


def test_energy_within_the_uncertainty_is_not_a_divergence():
    ledger, dev = started()
    ledger.feed(dev.constant_block(n=2000))
    out = ledger.feed(dev.checkpoint(energy_mwh=dev.energy_mwh() + 1))  # one mWh of rounding
    assert [type(f) for f in out] == [CheckpointFinding]


def test_decreasing_energy_is_refused():
    ledger, dev = started()
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint(energy_mwh=0)])
    assert statuses(out) == [CheckpointStatus.ENERGY_DECREASING]


def test_joining_mid_stream_anchors_on_the_first_checkpoint():
    ledger, dev = EnergyLedger(), DeviceStream()
    dev.constant_block()  # before we connected
    out = ledger.feed_many([dev.hello(), dev.constant_block(), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.ANCHORED]
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.VERIFIED]


def test_blocks_before_hello_are_held_until_the_scales_are_known():
    ledger, dev = EnergyLedger(), DeviceStream()
    ledger.feed(dev.constant_block())
    assert ledger.tracks["dev0"].totals.session_j == 0.0
    ledger.feed(dev.hello())
    assert ledger.tracks["dev0"].totals.session_j > 0.0


def test_an_injected_converter_replaces_the_factory_scales():
    calls = []

    def to_si(source: str, block: SampleBlock) -> tuple[np.ndarray, np.ndarray]:
        calls.append(source)
        return np.full(block.count, 10.0), np.full(block.count, 1.0)

    ledger, dev = EnergyLedger(to_si=to_si), DeviceStream()
    ledger.feed_many([dev.constant_block(n=1001), dev.constant_block(n=1000)])
    assert calls and set(calls) == {"dev0"}
    assert ledger.tracks["dev0"].totals.session_j == np.float64(10.0 * 2000 * 1e-3)


def test_a_night_checkpoint_with_no_new_energy_is_valid():
    ledger, dev = started()
    ledger.feed(dev.block(np.full(1000, 12_000), np.zeros(1000, dtype=np.int32)))  # dark: no current
    before = ledger.tracks["dev0"].anchor.energy_mwh
    out = ledger.feed(dev.checkpoint())
    assert statuses(out) == [CheckpointStatus.VERIFIED]
    assert ledger.tracks["dev0"].anchor.energy_mwh == before


def test_after_a_device_reset_the_chain_restarts_from_zeros_and_still_verifies():
    ledger, dev = started()
    dev.next_sample, dev.head = 0, bytes(32)  # reboot: sample counter and chain head restart, seq persists
    out = ledger.feed_many([dev.hello(), dev.constant_block(), dev.constant_block(), dev.checkpoint()])
    assert statuses(out) == [CheckpointStatus.VERIFIED]
    assert not [f for f in out if isinstance(f, GapFinding | EnergyDivergence)]


def test_blocks_dropped_by_the_device_before_sending_still_verify_the_chain_across_the_gap():
    ledger, dev = started()
    # The device's full transmit buffer dropped a block: it was never hashed, but its energy counts.
    head_before = dev.head
    dev.constant_block()
    dev.head = head_before
    out = ledger.feed_many([dev.constant_block(), dev.checkpoint()])
    assert [f.missing for f in out if isinstance(f, GapFinding)] == [1000]
    assert statuses(out) == [CheckpointStatus.VERIFIED]
    assert "dropped by the device before sending" in next(f for f in out if isinstance(f, CheckpointFinding)).message
    assert not [f for f in out if isinstance(f, EnergyDivergence)]  # its count includes what we never saw
