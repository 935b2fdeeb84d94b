"""Checks of a session file's copies against what they copy (docs/session-format.md, "Authority").

A session file holds signed bytes (checkpoint messages, the attestation) and raw codes, and, for
convenience, copies derived from them: checkpoint columns decoded from the signed message, `/device`
attributes decoded from the HELLO, calibrated V/A/W computed from the codes through `/calibration`,
whose scales come from the embedded record (or the HELLO's factory scales). Verification trusts only
the authoritative data and checks that every copy still equals it: a copy edited on its own is a
tampered file even where it is not what the energy figures use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.record import parse_record
from carbon_smart_meter.energy.trust import DEVELOPMENT, TRUSTED, ManufacturerTrust
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol.messages import Hello
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    recover_address,
)
from carbon_smart_meter.storage.reader import Session

OK, WARN, FAIL = "ok", "warning", "fail"
SLICE_BLOCKS = 4096


@dataclass(frozen=True)
class Check:
    name: str
    result: str  # OK, WARN or FAIL
    detail: str


def first_hello(session: Session) -> Hello:
    payloads = session.table("hellos")["payload"]
    if not len(payloads):
        raise CsmError(f"{session.path}: no HELLO in the file, so there is no device to verify against")
    return Hello.decode_payload(bytes(payloads[0]))


def check_device(session: Session, hello: Hello) -> Iterator[Check]:
    """Every HELLO names one device, and /device repeats the first HELLO."""
    devices = {bytes(p[:20]) for p in session.table("hellos")["payload"]}
    if len(devices) != 1:
        yield Check("device", FAIL, f"the HELLOs name {len(devices)} devices; a session file holds one")
    attrs = session.device
    expect = {"address": "0x" + hello.device.hex(), "v_lsb": hello.v_lsb, "i_lsb": hello.i_lsb,
              "rated_power_w": hello.rated_power_w, "attestation": hello.attestation.hex(),
              "attestation_signature": hello.attestation_signature.hex()}
    wrong = [k for k, v in expect.items() if attrs.get(k) != v]
    if session.attrs.get("device") != expect["address"]:
        wrong.append("root attribute device")
    if wrong:
        yield Check("device", FAIL, f"/device does not repeat the HELLO it was copied from: {', '.join(wrong)}")
    else:
        yield Check("device", OK, f"device {expect['address']}, every copy equals its HELLO")


def check_attestation(hello: Hello, trust: ManufacturerTrust) -> Check:
    """The manufacturer's signature over the attestation, its device and rated power, and who signed."""
    try:
        att = AttestationMessage.decode(hello.attestation)
        signer = recover_address(hello.attestation, hello.attestation_signature)
    except CsmError as exc:
        return Check("attestation", FAIL, f"the manufacturer attestation does not verify: {exc}")
    if att.device != hello.device:
        return Check("attestation", FAIL, f"the attestation is for device 0x{att.device.hex()}, not this one")
    if att.rated_power_w != hello.rated_power_w or att.hw_class != hello.hw_class:
        return Check("attestation", FAIL, f"the attestation says {att.rated_power_w} W class {att.hw_class}, the "
                                          f"HELLO {hello.rated_power_w} W class {hello.hw_class}")
    verdict = trust.judge(signer)
    if verdict == TRUSTED:
        return Check("attestation", OK, f"attested by trusted manufacturer 0x{signer.hex()} ({trust.source})")
    if verdict == DEVELOPMENT:
        return Check("attestation", WARN, "attested by the public development manufacturer key (a simulator or "
                                          "a test device): proves nothing about real hardware")
    return Check("attestation", FAIL, f"attested by 0x{signer.hex()}, which is not a trusted manufacturer key "
                                      f"(trusted: {trust.source}); a wrong signature recovers to such a key too")


def recorded_conversion(session: Session, hello: Hello) -> tuple[Conversion, Check]:
    """The conversion the file says it used, and whether it is what its record (or the HELLO) gives."""
    cal = session.calibration
    conv = Conversion(float(cal["voltage_scale"]), float(cal["voltage_offset"]), float(cal["current_scale"]),
                      float(cal["current_offset"]), str(cal.get("status", "")))
    status = str(cal.get("status", ""))
    text = str(cal.get("record_toml", "") or "")
    scalars = np.array([conv.v_scale, conv.v_offset, conv.i_scale, conv.i_offset])
    if not np.all(np.isfinite(scalars)):
        return conv, Check("calibration", FAIL, "/calibration holds a scale or offset that is not finite")
    if status != session.attrs.get("calibration_status"):
        return conv, Check("calibration", FAIL, "the root calibration_status differs from /calibration's status")
    if text:
        if hashlib.sha256(text.encode()).hexdigest() != cal.get("record_sha256"):
            return conv, Check("calibration", FAIL, "the embedded calibration record does not hash to its "
                                                    "record_sha256: the record or the hash was edited")
        try:
            rec = parse_record(text, str(cal.get("record_path", "") or "(embedded)"),
                               device="0x" + hello.device.hex(), today=_record_day(text))
            want = Conversion.from_record(rec, factory_v_lsb=hello.v_lsb, factory_i_lsb=hello.i_lsb)
        except CsmError as exc:
            return conv, Check("calibration", FAIL, f"the embedded calibration record is not valid: {exc}")
        expect, label = np.array([want.v_scale, want.v_offset, want.i_scale, want.i_offset]), f"record {rec.id}"
        if status != "calibrated":
            return conv, Check("calibration", FAIL, "a record is embedded but the status is not 'calibrated'")
    else:
        expect, label = np.array([hello.v_lsb, 0.0, hello.i_lsb, 0.0]), "the HELLO's factory scales"
        if status != "uncalibrated":
            return conv, Check("calibration", FAIL, "no record is embedded but the status says calibrated")
    if not np.allclose(scalars, expect, rtol=1e-12, atol=0.0):
        return conv, Check("calibration", FAIL, f"/calibration's scales and offsets are not those of {label}: "
                                                f"edited")
    return conv, Check("calibration", OK if status == "calibrated" else WARN,
                       f"{label}" + ("" if status == "calibrated" else " (uncalibrated)"))


def _record_day(text: str):
    """Check a record as of its own date: an embedded record that has expired since is still the one used."""
    import datetime as dt
    import tomllib

    try:
        date = tomllib.loads(text).get("date")
    except tomllib.TOMLDecodeError:
        return None
    return date if isinstance(date, dt.date) else None


def check_checkpoint_copies(session: Session) -> Check:
    """The checkpoint columns are copies of the signed message: every one must equal it."""
    ck = session.table("checkpoints")
    bad: list[str] = []
    for j in range(len(ck["seq"])):
        try:
            msg = CheckpointMessage.decode(bytes(ck["message"][j]))
        except CsmError as exc:
            bad.append(f"row {j}: message does not decode ({exc})")
            continue
        copies = {"seq": (int(ck["seq"][j]), msg.seq), "energy_mwh": (int(ck["energy_mwh"][j]), msg.energy_mwh),
                  "device_time_s": (int(ck["device_time_s"][j]), msg.device_time),
                  "chain_head": (bytes(ck["chain_head"][j]), msg.chain_head),
                  "deployment_id": (bytes(ck["deployment_id"][j]), msg.deployment_id)}
        bad += [f"row {j} {k}" for k, (copy, signed) in copies.items() if copy != signed]
    if bad:
        return Check("checkpoint columns", FAIL, "columns differ from the signed messages they copy: "
                                                 + "; ".join(bad[:5]) + (" …" if len(bad) > 5 else ""))
    return Check("checkpoint columns", OK, f"{len(ck['seq'])} checkpoint rows equal their signed messages")


def check_binds(session: Session, hello: Hello) -> Check | None:
    """Each binding in the file is signed by the device, and its columns equal the signed message."""
    if "binds" not in session.h5:
        return None  # written before format 2
    t = session.table("binds")
    if not len(t["seq"]):
        return None
    bad: list[str] = []
    for j in range(len(t["seq"])):
        raw = bytes(t["message"][j])
        try:
            msg = BindMessage.decode(raw)
            signer = recover_address(raw, bytes(t["signature"][j]))
        except CsmError as exc:
            bad.append(f"row {j}: {exc}")
            continue
        if signer != hello.device or msg.device != hello.device:
            bad.append(f"row {j}: not signed by the device")
        copies = {"seq": (int(t["seq"][j]), msg.seq), "energy_mwh": (int(t["energy_mwh"][j]), msg.energy_mwh),
                  "device_time_s": (int(t["device_time_s"][j]), msg.device_time),
                  "wallet": (bytes(t["wallet"][j]), msg.wallet), "region": (int(t["region"][j]), msg.region),
                  "deployment_id": (bytes(t["deployment_id"][j]), msg.deployment_id)}
        bad += [f"row {j} {k}" for k, (copy, signed) in copies.items() if copy != signed]
    if bad:
        return Check("bindings", FAIL, "; ".join(bad[:5]))
    return Check("bindings", OK, f"{len(t['seq'])} binding(s) signed by the device, columns equal their messages")


def check_sample_columns(session: Session, conv: Conversion) -> Check:
    """Index, time and V/A/W of every row are what the blocks and the codes through /calibration give."""
    b = session.table("blocks")
    rows = session.rows()
    ends = b["row"].astype(np.int64) + b["count"].astype(np.int64)
    n_blocks = int(np.searchsorted(np.maximum.accumulate(ends) > rows, True)) if len(ends) else 0
    problems: dict[str, list[int]] = {}
    for start in range(0, n_blocks, SLICE_BLOCKS):
        stop = min(n_blocks, start + SLICE_BLOCKS)
        r0, counts = b["row"][start:stop].astype(np.int64), b["count"][start:stop].astype(np.int64)
        lo, hi = int(r0[0]), int((r0 + counts).max())
        cols = {c: session.samples(c, lo, hi) for c in ("sample_index", "device_time_ns", "voltage_code",
                                                        "current_code", "voltage", "current", "power")}
        rel = r0 - lo
        block_of = np.repeat(np.arange(stop - start), counts)
        pos = np.concatenate([np.arange(r, r + c) for r, c in zip(rel, counts, strict=True)])
        k = np.arange(len(pos)) - np.repeat(np.cumsum(counts) - counts, counts)
        firsts = b["first_sample"][start:stop].astype(np.int64)[block_of]
        t0 = b["t0_us"][start:stop].astype(np.int64)[block_of] * 1000
        per = b["period_ns"][start:stop].astype(np.int64)[block_of]
        expect = {"sample_index": firsts + k, "device_time_ns": t0 + k * per}
        v, i, p = conv.convert(cols["voltage_code"][pos], cols["current_code"][pos])
        expect_si = {"voltage": v, "current": i, "power": p}
        for name, want in expect.items():
            bad = np.flatnonzero(cols[name][pos].astype(np.int64) != want)
            if bad.size:
                problems.setdefault(name, []).append(lo + int(pos[bad[0]]))
        for name, want in expect_si.items():
            got = cols[name][pos]
            bad = np.flatnonzero(~np.isclose(got, want, rtol=1e-6, atol=1e-9, equal_nan=False))
            if bad.size:
                problems.setdefault(name, []).append(lo + int(pos[bad[0]]))
    if problems:
        text = "; ".join(f"{k} from row {v[0]:,}" for k, v in problems.items())
        return Check("sample columns", FAIL, f"stored columns differ from what the raw codes and blocks give "
                                             f"({text}): edited")
    return Check("sample columns", OK, f"{rows:,} rows: index, time and V/A/W follow from the codes")
