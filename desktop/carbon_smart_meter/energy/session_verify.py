"""Re-verify a recorded session: replay its raw codes and signed checkpoints through the ledger.

The session stores each block's raw codes and header and each checkpoint's signed bytes, so the
hash chain can be recomputed from the file alone: this is how raw data in HDF5 is proven to be what
the device measured, long after the recording. Records are replayed in arrival order, using the
sample row count written when each checkpoint arrived.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.energy.findings import Finding
from carbon_smart_meter.energy.ledger import EnergyLedger, SourceToSI
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock
from carbon_smart_meter.storage.reader import Session


def verify_session(path: str | Path, to_si: SourceToSI | None = None,
                   calibration_uncertainty: float = 0.01) -> tuple[EnergyLedger, list[Finding]]:
    """Ledger state and findings after replaying the file; the source is named after the file."""
    source = Path(path).name
    ledger = EnergyLedger(to_si, calibration_uncertainty)
    with Session(path) as session:
        hellos = session.table("hellos")
        blocks = session.table("blocks")
        ckpts = session.table("checkpoints")
        rows = session.rows()
        envelopes: list[tuple[int, int, Envelope]] = []
        for payload in hellos["payload"][:1]:
            envelopes.append((-1, 0, Envelope(source, Hello.decode_payload(bytes(payload)))))
        v_codes = session.h5["samples"]["voltage_code"]
        i_codes = session.h5["samples"]["current_code"]
        for j in range(len(blocks["row"])):
            lo = int(blocks["row"][j])
            hi = lo + int(blocks["count"][j])
            if hi > rows:
                break  # the writer died mid-block: the tail is not evidence
            block = SampleBlock.build(int(blocks["first_sample"][j]), int(blocks["t0_us"][j]),
                                      int(blocks["period_ns"][j]), int(blocks["flags"][j]),
                                      np.asarray(v_codes[lo:hi]), np.asarray(i_codes[lo:hi]))
            envelopes.append((hi, 0, Envelope(source, block, received_utc_ns=int(blocks["host_utc_ns"][j]))))
        for j in range(len(ckpts["row"])):
            raw = bytes(ckpts["message"][j]) + bytes(ckpts["signature"][j])
            envelopes.append((int(ckpts["row"][j]), 1, Envelope(source, Checkpoint.decode_payload(raw))))
    envelopes.sort(key=lambda e: (e[0], e[1]))
    findings = ledger.feed_many(env for _, _, env in envelopes)
    return ledger, findings
