"""Re-verify a recorded session: replay its raw codes and signed checkpoints through the ledger.

The session stores each block's raw codes and header and each checkpoint's signed bytes, so the
hash chain can be recomputed from the file alone: this is how raw data in HDF5 is proven to be what
the device measured, long after the recording. Records are replayed in arrival order, given by the
`row` each one links to (docs/session-format.md): a block ends at its `row + count`, a checkpoint or
event sits at the rows written when it arrived, a HELLO at the rows written by its host time. The
link's loss reports (frame loss, corrupt frames) go in too, just before a checkpoint at the same row,
so a block lost right before a checkpoint is recognised as a loss, never as a forgery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.energy.findings import Finding
from carbon_smart_meter.energy.ledger import WIRE_LOSS_KINDS, EnergyLedger, SourceToSI
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock
from carbon_smart_meter.storage.reader import Session

BLOCKS_PER_READ = 4096
# Order of records that share a row: blocks that end there, the HELLO, loss reports, then checkpoints.
_BLOCK, _HELLO, _LOSS, _CHECKPOINT = 0, 1, 2, 3


def verify_session(path: str | Path, to_si: SourceToSI | None = None,
                   calibration_uncertainty: float = 0.01,
                   progress: Callable[[int, int], None] | None = None) -> tuple[EnergyLedger, list[Finding]]:
    """Ledger state and findings after replaying the file; the source is named after the file."""
    source = Path(path).name
    ledger = EnergyLedger(to_si, calibration_uncertainty)
    findings: list[Finding] = []
    with Session(path) as session:
        batch: list[Envelope] = []
        for env in replay(session, source, progress):
            batch.append(env)
            if len(batch) >= BLOCKS_PER_READ:
                findings += ledger.feed_many(batch)
                batch = []
        findings += ledger.feed_many(batch)
    findings += ledger.finish(source)
    return ledger, findings


def replay(session: Session, source: str,
           progress: Callable[[int, int], None] | None = None) -> Iterator[Envelope]:
    """The file's records as the hub delivered them, in constant memory (blocks are read in slices)."""
    blocks = session.table("blocks")
    rows = session.rows()
    ends = blocks["row"].astype(np.int64) + blocks["count"].astype(np.int64)
    whole = int(np.searchsorted(np.maximum.accumulate(ends) > rows, True)) if len(ends) else 0
    others: list[tuple[int, int, int, Envelope]] = []
    hellos = session.table("hellos")
    host = blocks["host_monotonic_ns"][:whole].astype(np.int64)
    for j, payload in enumerate(hellos["payload"]):
        t = int(hellos["host_monotonic_ns"][j])
        # before the first block that arrived after it (the first HELLO always comes first: it opens the file)
        k = int(np.searchsorted(host, t, side="right")) if j else 0
        at = int(blocks["row"][k]) if k < whole else rows
        others.append((at, _HELLO, j, Envelope(source, Hello.decode_payload(bytes(payload)))))
    ck = session.table("checkpoints")
    for j in range(len(ck["row"])):
        raw = bytes(ck["message"][j]) + bytes(ck["signature"][j])
        others.append((int(ck["row"][j]), _CHECKPOINT, j, Envelope(source, Checkpoint.decode_payload(raw))))
    ev = session.table("events")
    for j in range(len(ev["row"])):
        kind = ev["kind"][j]
        kind = kind.decode("utf-8", "replace") if isinstance(kind, bytes) else str(kind)
        origin = ev["origin"][j]
        origin = origin.decode() if isinstance(origin, bytes) else str(origin)
        if origin == "host" and kind in WIRE_LOSS_KINDS:
            others.append((int(ev["row"][j]), _LOSS, j, Envelope(source, LinkEvent(kind, "", int(ev["count"][j])))))
    others.sort(key=lambda o: (o[0], o[1], o[2]))
    oi = 0
    for start in range(0, whole, BLOCKS_PER_READ):
        stop = min(whole, start + BLOCKS_PER_READ)
        lo, hi = int(blocks["row"][start]), int(ends[start:stop].max())
        v_codes = session.samples("voltage_code", lo, hi)
        i_codes = session.samples("current_code", lo, hi)
        for j in range(start, stop):
            end = int(ends[j])
            while oi < len(others) and (others[oi][0], others[oi][1]) < (end, _BLOCK):
                yield others[oi][3]
                oi += 1
            r = int(blocks["row"][j]) - lo
            n = int(blocks["count"][j])
            block = SampleBlock.build(int(blocks["first_sample"][j]), int(blocks["t0_us"][j]),
                                      int(blocks["period_ns"][j]), int(blocks["flags"][j]),
                                      v_codes[r:r + n], i_codes[r:r + n])
            yield Envelope(source, block, received_ns=int(blocks["host_monotonic_ns"][j]),
                           received_utc_ns=int(blocks["host_utc_ns"][j]))
        if progress:
            progress(stop, whole)
    yield from (o[3] for o in others[oi:])
