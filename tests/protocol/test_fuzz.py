"""Mutated streams: every frame the mutation did not touch must come out intact, nothing may raise."""

import contextlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_smart_meter.errors import FrameError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder


def _stream(n_frames: int) -> tuple[bytes, list[tuple[int, int]]]:
    wire, spans = b"", []
    rng = np.random.default_rng(n_frames)
    for seq in range(n_frames):
        n = int(rng.integers(1, 40))
        block = m.SampleBlock.build(seq * 100, seq, 1000, 0, rng.integers(-1000, 1000, n), rng.integers(0, 99, n))
        frame = m.encode_message(block, seq)
        spans.append((len(wire), len(wire) + len(frame)))
        wire += frame
    return wire, spans


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 30), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "drop", "insert"]),
                                              st.integers(1, 255)), max_size=6), st.integers(1, 500))
def test_untouched_frames_survive_any_mutation(n_frames, mutations, chunk):
    wire, spans = _stream(n_frames)
    buf = bytearray(wire)
    touched: set[int] = set()
    # Apply from the end so earlier offsets stay valid; a mutation touches the frame(s) around it.
    # Positions in the original stream, applied from the end so earlier offsets stay valid.
    planned = sorted(((int(f * (len(wire) - 1)), kind, v) for f, kind, v in mutations), key=lambda x: -x[0])
    for pos, kind, value in planned:
        if pos >= len(buf):
            continue  # an earlier drop at the very end removed this byte already
        orig = pos
        for idx, (a, b) in enumerate(spans):
            if a <= orig < b or (kind == "insert" and orig == a):
                touched.add(idx)
                if buf[orig] == 0 or kind != "flip":
                    touched.add(idx + 1)  # a damaged delimiter merges the next frame
        if kind == "flip":
            buf[pos] ^= value
        elif kind == "drop":
            del buf[pos]
        else:
            buf.insert(pos, value)
    dec = FrameDecoder()
    got = []
    for k in range(0, len(buf), chunk):
        for frame in dec.feed(bytes(buf[k:k + chunk])):
            with contextlib.suppress(FrameError):
                got.append(m.decode_message(frame))
    seqs = {b.first_sample // 100 for b in got if isinstance(b, m.SampleBlock)}
    for idx in range(n_frames):
        if idx not in touched:
            assert idx in seqs, f"untouched frame {idx} was lost"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=5000))
def test_random_bytes_never_raise(data):
    dec = FrameDecoder()
    for frame in dec.feed(data):
        with contextlib.suppress(FrameError):
            m.decode_message(frame)
    assert dec.stats.bytes_in == len(data)
