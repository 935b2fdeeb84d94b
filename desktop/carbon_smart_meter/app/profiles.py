"""The three ways the application is used, each as one object that sets every default in one place.

A profile answers four questions for the live session and its views: what is recorded and when,
how files are rotated and how much disk they may use, whether claims are synced and how often, and
what a window shows. `Settings.profile` names one; `csm log --profile` picks one; nothing else
branches on the profile's name.

- logger: recording when the user asks (`csm log` always records); one file per recording, kept
  forever; no sync; plots and every control.
- kiosk: every device recorded from the moment it connects; a file per day, the oldest deleted beyond a
  disk budget; sync every 15 min; fullscreen, no device controls.
- ship: recorded like the kiosk; sync every 10 min, backing off to once an hour while offline; plots,
  controls and the claims state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from carbon_smart_meter.errors import CsmError

GIB = 2**30


class ProfileError(CsmError):
    """An unknown profile name, or a policy value out of range."""


@dataclass(frozen=True)
class RecordingPolicy:
    """What is recorded, and how the files are kept.

    `rotate_daily`, `disk_budget_bytes` and `keep_days` are the recorder's rotation and retention
    (storage.rotation, storage.retention): a new session file per device each UTC day, and the oldest
    complete session files deleted while the data directory holds more than the budget or once they are
    older than `keep_days` (None: never). Every sample of a recorded device is kept in its file until
    then; the profiles differ in when recording starts and how long files stay, not in what a file holds.
    """

    on_connect: bool = False  # record every device from the moment it is connected
    compression: str = "blosc-lz4"
    rotate_daily: bool = False
    disk_budget_bytes: int | None = None
    keep_days: float | None = None

    def __post_init__(self) -> None:
        if self.compression not in ("blosc-lz4", "gzip", "none"):
            raise ProfileError(f"compression {self.compression!r}: choose blosc-lz4, gzip or none")
        if self.disk_budget_bytes is not None and self.disk_budget_bytes < 64 * 2**20:
            raise ProfileError(f"disk budget of {self.disk_budget_bytes} bytes is below 64 MiB: a day of one "
                               "device at 1 kHz alone is about that much")


@dataclass(frozen=True)
class SyncPolicy:
    """Whether claims leave the outbox by themselves, and how often: `interval_s` after a good attempt;
    after failures the wait doubles from `backoff_initial_s` up to `backoff_max_s` (± `jitter`, a
    fraction, so a fleet of ships coming back online does not hit the node at the same second)."""

    enabled: bool = False
    interval_s: float = 900.0
    backoff_initial_s: float = 30.0
    backoff_max_s: float = 3600.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < self.backoff_initial_s <= self.backoff_max_s:
            raise ProfileError("sync backoff: need 0 < initial <= max seconds")
        if self.interval_s <= 0:
            raise ProfileError("sync interval must be positive seconds")
        if not 0.0 <= self.jitter < 1.0:
            raise ProfileError("sync jitter is a fraction of the wait, 0 to below 1")


@dataclass(frozen=True)
class ViewPolicy:
    """What a window attached to the session shows and lets people do."""

    fullscreen: bool = False
    device_controls: bool = True  # connect, disconnect, simulators, record buttons
    sync_status: bool = False     # the claims outbox and sync state in the status bar
    plots: bool = True


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    recording: RecordingPolicy
    sync: SyncPolicy
    view: ViewPolicy

    def with_changes(self, **changes: object) -> Profile:
        return replace(self, **changes)  # type: ignore[arg-type]


LOGGER = Profile(
    "logger", "field scientist on a laptop: every sample kept, recording when asked",
    RecordingPolicy(on_connect=False),
    SyncPolicy(enabled=False),
    ViewPolicy(),
)
KIOSK = Profile(
    "kiosk", "unattended display by a pool: records everything, keeps the disk bounded, syncs by itself",
    RecordingPolicy(on_connect=True, rotate_daily=True, disk_budget_bytes=32 * GIB),
    SyncPolicy(enabled=True, interval_s=900.0, backoff_initial_s=60.0, backoff_max_s=3600.0, jitter=0.1),
    ViewPolicy(fullscreen=True, device_controls=False, sync_status=True),
)
SHIP = Profile(
    "ship", "offline for weeks: records everything, queues claims, syncs whenever a link appears",
    RecordingPolicy(on_connect=True, rotate_daily=True, disk_budget_bytes=64 * GIB),
    SyncPolicy(enabled=True, interval_s=600.0, backoff_initial_s=30.0, backoff_max_s=3600.0, jitter=0.1),
    ViewPolicy(sync_status=True),
)
# Settings validates `profile` against settings.PROFILES (it imports nothing above it); a test keeps the two equal.
PROFILES: dict[str, Profile] = {p.name: p for p in (LOGGER, KIOSK, SHIP)}


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ProfileError(f"profile {name!r} is unknown; choose one of {', '.join(PROFILES)}") from None
