"""Framing: round trips, resynchronisation and exact accounting of every byte."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import REPO

from carbon_smart_meter.errors import FrameError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import MAX_FRAME, FrameDecoder, encode_frame

VECTORS = json.loads((REPO / "firmware/vectors/frames.json").read_text())


@given(st.integers(0, 255), st.integers(0, 2**32 - 1), st.binary(max_size=2000))
def test_any_frame_survives_encode_then_decode(msg_type, seq, payload):
    dec = FrameDecoder()
    frames = dec.feed(encode_frame(msg_type, seq, payload))
    assert [(f.msg_type, f.seq, f.payload) for f in frames] == [(msg_type, seq, payload)]
    assert dec.stats.bytes_discarded == 0


@given(st.lists(st.binary(max_size=300), min_size=1, max_size=20), st.integers(1, 64))
def test_frames_split_across_arbitrary_reads_are_reassembled(payloads, chunk):
    wire = b"".join(encode_frame(0x42, i, p) for i, p in enumerate(payloads))
    dec = FrameDecoder()
    got = []
    for k in range(0, len(wire), chunk):
        got += dec.feed(wire[k:k + chunk])
    assert [f.payload for f in got] == payloads
    assert dec.stats.frames_lost == 0


@settings(max_examples=200)
@given(st.integers(1, 2000), st.integers(0, 2**64 - 1), st.integers(1, 2**32 - 1), st.data())
def test_sample_blocks_round_trip_with_numpy_codes(count, t0, period, data):
    codes = st.lists(st.integers(-(2**31), 2**31 - 1), min_size=count, max_size=count)
    v = np.array(data.draw(codes), dtype=np.int32)
    i = np.array(data.draw(codes), dtype=np.int32)
    block = m.SampleBlock.build(123, t0, period, 5, v, i)
    frame = FrameDecoder().feed(m.encode_message(block, 9))[0]
    back = m.decode_message(frame)
    assert isinstance(back, m.SampleBlock)
    assert (back.first_sample, back.t0_us, back.period_ns, back.flags) == (123, t0, period, 5)
    np.testing.assert_array_equal(back.voltage_codes, v)
    np.testing.assert_array_equal(back.current_codes, i)


def test_garbage_before_a_frame_is_counted_with_its_delimiter_and_the_frame_kept():
    dec = FrameDecoder()
    dec.feed(b"\x00")  # already synchronised
    wire = b"\x13\x37\xff\x00" + encode_frame(4, 1, bytes(24))
    frames = dec.feed(wire)
    assert len(frames) == 1
    assert dec.stats.bytes_discarded == 4 and dec.stats.bad_frames == 1  # 3 garbage bytes and their 0x00
    # PROTOCOL.md 1: every byte is in a good frame (with its delimiter), discarded, or pending
    assert dec.stats.bytes_in - 1 == dec.stats.bytes_discarded + len(encode_frame(4, 1, bytes(24)))


def test_the_first_chunk_is_kept_when_it_is_a_whole_frame():
    dec = FrameDecoder()
    assert len(dec.feed(encode_frame(4, 0, bytes(24)))) == 1
    assert dec.stats.bytes_discarded == 0


def test_a_partial_frame_before_the_first_delimiter_is_discarded_not_an_error():
    dec = FrameDecoder()
    wire = encode_frame(4, 0, bytes(24))
    frames = dec.feed(wire[5:] + encode_frame(4, 1, bytes(24)))
    assert [f.seq for f in frames] == [1]
    assert dec.stats.bytes_discarded == len(wire) - 5
    assert dec.stats.crc_errors == 0


def test_endless_garbage_without_delimiters_does_not_grow_memory():
    dec = FrameDecoder()
    for _ in range(100):
        dec.feed(b"\x01" * 10_000)
    assert len(dec._pending) <= MAX_FRAME + 100
    assert dec.stats.too_long > 0


def test_sequence_gaps_count_missing_frames_and_restarts_do_not():
    dec = FrameDecoder()
    wire = b"".join(encode_frame(4, s, bytes(24)) for s in (0, 1, 5, 6, 0, 1))
    dec.feed(wire)
    assert dec.stats.frames_lost == 3
    assert dec.stats.seq_restarts == 1


def test_sequence_numbers_wrap_without_a_gap():
    dec = FrameDecoder()
    dec.feed(encode_frame(4, 2**32 - 1, b"") + encode_frame(4, 0, b""))
    assert dec.stats.frames_lost == 0 and dec.stats.seq_restarts == 0


@pytest.mark.parametrize("vector", VECTORS["frames"], ids=lambda v: v["name"])
def test_vector_frames_decode_to_their_fields(vector):
    frames = FrameDecoder().feed(bytes.fromhex(vector["wire"]))
    assert len(frames) == 1
    frame = frames[0]
    assert (frame.msg_type, frame.seq, frame.payload.hex()) == (vector["type"], vector["seq"], vector["payload"])
    msg = m.decode_message(frame)
    assert m.encode_message(msg, vector["seq"]).hex() == vector["wire"]
    for key, want in vector["fields"].items():
        if key == "chain_head_after_from_zero" or key == "signer":
            continue
        got = getattr(msg, key, None)
        if got is None and hasattr(msg, "message"):
            got = getattr(msg.message, key)
        if isinstance(got, bytes):
            got = got.hex()
        elif isinstance(got, np.ndarray):
            got = got.tolist()
        elif isinstance(got, tuple):
            got = list(got)
        assert got == want, key


@pytest.mark.parametrize("vector", VECTORS["malformed"], ids=lambda v: v["name"])
def test_malformed_vectors_are_counted_and_never_raise(vector):
    dec = FrameDecoder()
    dec.feed(b"\x00")
    frames = dec.feed(bytes.fromhex(vector["wire"]))
    counted = {"crc_errors": dec.stats.crc_errors, "too_short": dec.stats.too_short,
               "unsupported_version": dec.stats.unsupported_version}
    expect = vector["expect"]
    if expect in counted:
        assert counted[expect] == 1 and frames == []
    elif expect == "crc_errors_or_cobs":
        assert dec.stats.crc_errors + dec.stats.cobs_errors == 1 and frames == []
    elif expect in ("unknown_type", "malformed"):
        assert len(frames) == 1
        with pytest.raises(FrameError) as err:
            m.decode_message(frames[0])
        assert err.value.kind == expect
    else:
        assert len(frames) == 1 and dec.stats.bytes_discarded == vector["bytes_discarded"] == 4


def test_hash_chain_vector_matches_keccak_of_zero_head_and_payload():
    from carbon_smart_meter.protocol.signing import keccak256

    vec = next(v for v in VECTORS["frames"] if v["name"] == "sample_block")
    head = keccak256(bytes(32) + bytes.fromhex(vec["payload"]))
    assert head.hex() == vec["fields"]["chain_head_after_from_zero"]
