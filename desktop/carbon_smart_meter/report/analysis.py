"""Everything a report reads from one session file: `csm verify`'s verdict and the report's own pass.

Verification (energy/verified.py) is the one authority on what is proven; this module only adds what
a report needs around it, from the same file and the same recorded calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carbon_smart_meter.energy.file_checks import first_hello, recorded_conversion
from carbon_smart_meter.energy.trust import ManufacturerTrust
from carbon_smart_meter.energy.verified import FileVerification, verify_file
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol.messages import Hello
from carbon_smart_meter.protocol.signing import CheckpointMessage
from carbon_smart_meter.report.calibration_chain import file_calibration
from carbon_smart_meter.report.completeness import file_completeness
from carbon_smart_meter.report.identity import file_identity
from carbon_smart_meter.report.inputs import InputFile
from carbon_smart_meter.report.sample_pass import SamplePass, sample_pass
from carbon_smart_meter.report.uncertainty import RecordUncertainty
from carbon_smart_meter.storage.reader import Session


@dataclass
class FileAnalysis:
    input: InputFile
    hello: Hello
    verification: FileVerification
    samples: SamplePass
    identity: dict
    calibration: dict
    completeness: dict
    uncertainty: RecordUncertainty | None   # None: the file states none (uncalibrated, or its record failed)
    checkpoints: dict[int, dict]            # seq -> signed fields, for the on-chain comparison
    region: str

    @property
    def name(self) -> str:
        return self.input.path.name


def analyse(item: InputFile, trust: ManufacturerTrust,
            progress: Callable[[str], None] | None = None) -> FileAnalysis:
    if progress:
        progress(f"verifying {item.path.name}")
    verification = verify_file(item.path, trust)
    with Session(item.path) as s:
        hello = first_hello(s)
        conv, _check = recorded_conversion(s, hello)
        if progress:
            progress(f"reading the samples of {item.path.name}")
        sp = sample_pass(s, verification, conv, hello.v_lsb * hello.i_lsb)
        identity = file_identity(s, hello, verification)
        spans = [(a, b) for a, b, _v in sp.coverage.as_list()]
        calibration = file_calibration(s, verification, identity["device"], spans)
        completeness = file_completeness(s, sp)
        region = str(s.attrs.get("region", "") or "")
        ck = s.table("checkpoints")
        checkpoints: dict[int, dict] = {}
        for j in range(len(ck["seq"])):
            try:
                msg = CheckpointMessage.decode(bytes(ck["message"][j]))
            except CsmError:
                continue
            checkpoints.setdefault(msg.seq, {"energy_mwh": msg.energy_mwh, "device_time": msg.device_time,
                                             "deployment_id": "0x" + msg.deployment_id.hex()})
    uncertainty = None
    record = calibration["record"]
    if record is not None and calibration["check"] != "fail":
        uncertainty = RecordUncertainty.from_record(record["uncertainty"])
    return FileAnalysis(item, hello, verification, sp, identity, calibration, completeness, uncertainty,
                        checkpoints, region)
