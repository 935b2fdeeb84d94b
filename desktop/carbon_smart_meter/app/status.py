"""What a view sees of a live session: plain, frozen values, copied under short locks.

A view (the logger window, the kiosk, a status line of `csm log`, later a process of its own talking
to a headless session) polls `LiveSession.snapshot()` on its own timer and renders it; it never holds
a reference into the pipeline, so a frozen or killed view can never stall acquisition or recording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.acquisition.link_stats import LinkStats
from carbon_smart_meter.app.energy_report import EnergyReport
from carbon_smart_meter.app.energy_service import DeviceEnergy
from carbon_smart_meter.app.sync_service import SyncStatus
from carbon_smart_meter.calibration.sources import ResolvedConversion
from carbon_smart_meter.protocol.messages import Hello


class LinkState:
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    PORT_MISSING = "port missing"


@dataclass(frozen=True)
class DeviceStatus:
    source: str
    port: str
    link: str                                 # LinkState
    stats: LinkStats                          # a copy of the reader's counters
    hello: Hello | None
    calibration: ResolvedConversion | None    # the conversion its samples go through (None before HELLO)
    recording: bool
    file: Path | None                         # the session file being written, once open
    energy: DeviceEnergy | None


@dataclass(frozen=True)
class RecordingSummary:
    """A finished session file with its report, computed by the same code as `csm offsets FILE`."""

    path: Path
    source: str
    report: EnergyReport | None = None
    problem: str | None = None

    @property
    def ready(self) -> bool:
        return self.report is not None or self.problem is not None


@dataclass(frozen=True)
class SessionSnapshot:
    profile: str
    data_dir: Path
    devices: dict[str, DeviceStatus]
    recording: frozenset[str]
    outbox_path: Path | None
    outbox: dict[str, int] | None             # checkpoints by status; None when the outbox could not open
    sync: SyncStatus | None                   # None when the profile or the missing chain keeps sync off
    sync_note: str = ""                        # why sync is off, in words
    storage_problems: dict[str, str] = field(default_factory=dict)  # source -> why its file stopped
