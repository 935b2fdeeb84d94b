"""The local protocol between a session service and its views: JSON lines over a Unix domain socket.

Why this shape: a view (the kiosk) must be able to die, hang or be restarted without the recording
noticing, so it lives in another process and only reads. One JSON object per line is enough for a few
state updates a second, can be read with `socat - UNIX-CONNECT:PATH` when something is wrong, and needs
no dependency. Every message carries its type; the first one names the protocol and its version, so
a view built for another version says so instead of misreading figures.

Versions: `version` changes only when a field changes meaning or disappears (a view refuses another
one). Fields added to the state raise `revision` instead, and both sides stay compatible: an older view
ignores what it does not know, a newer view shows nothing where an older service sent nothing (it reads
every field with a default, never by indexing). Revisions: 1 the first release (no `revision` in its
hello); 2 each station's `claims` (app.station_claims) and `claims.sync.last_attempt_utc`.

    service -> view   {"type": "hello", "protocol": "csm-session-view", "version": 1, "revision": 2, "profile": ...,
                       "pid": ...}
    view -> service   {"op": "subscribe", "interval_s": 0.5}     the service pushes "state" messages
                      {"op": "state", "id": 7}                   one reply with the newest state
                      {"op": "ping", "id": 9}
    service -> view   {"type": "state", "seq": n, "t_utc": ..., "state": {...}}  (station_figures)
                      {"type": "reply", "id": 7, "result": ...}
                      {"type": "error", "id": 7, "error": "what is wrong"}

Bounds: a request line is at most MAX_REQUEST bytes, a message at most MAX_MESSAGE bytes; the service
keeps at most MAX_CLIENTS views and never more than MAX_PENDING bytes queued for one (a view that
does not read gets the newest state when it reads again, older ones are skipped; one that falls
MAX_BACKLOG behind is disconnected). The service answers from the state it computed last and never
computes on a view's behalf, so neither many views nor a stuck one can slow the session.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from carbon_smart_meter.errors import CsmError

PROTOCOL = "csm-session-view"
VERSION = 1
REVISION = 2   # additive changes within VERSION (see above)
MAX_REQUEST = 16 * 1024
MAX_MESSAGE = 1024 * 1024
MAX_PENDING = 256 * 1024        # above this, state updates are skipped for that view until it reads
MAX_BACKLOG = 4 * 1024 * 1024   # above this, the view is disconnected (replies are never dropped)
MAX_CLIENTS = 16
MIN_INTERVAL_S = 0.1
MAX_INTERVAL_S = 60.0
SOCKET_NAME = "session.sock"


class ViewProtocolError(CsmError):
    """A message that is not this protocol, a different version, or a service that is not there."""


def default_socket_path() -> Path:
    """`$XDG_RUNTIME_DIR/csm/session.sock` (owned by the user, mode 0700, gone at logout); a systemd
    unit passes `--socket /run/csm/session.sock` (its RuntimeDirectory). `CSM_SOCKET` overrides both."""
    env = os.environ.get("CSM_SOCKET")
    if env:
        return Path(env)
    if os.environ.get("XDG_RUNTIME_DIR"):
        return Path(platformdirs.user_runtime_dir("csm")) / SOCKET_NAME
    return Path(f"/tmp/csm-{os.getuid()}") / SOCKET_NAME


def encode(message: dict[str, object]) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=False, default=str).encode() + b"\n"
    if len(data) > MAX_MESSAGE:
        raise ViewProtocolError(f"message of {len(data)} bytes is over the {MAX_MESSAGE}-byte limit")
    return data


def decode(line: bytes) -> dict[str, object]:
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ViewProtocolError(f"not a JSON line: {exc}") from exc
    if not isinstance(message, dict):
        raise ViewProtocolError("a message must be a JSON object")
    return message


def hello(profile: str, pid: int, started_utc: float) -> dict[str, object]:
    return {"type": "hello", "protocol": PROTOCOL, "version": VERSION, "revision": REVISION, "profile": profile,
            "pid": pid, "started_utc": started_utc}


def check_hello(message: dict[str, object], path: Path | str) -> None:
    if message.get("type") != "hello" or message.get("protocol") != PROTOCOL:
        raise ViewProtocolError(f"{path} is not a Carbon Smart Meter session service (got {message!r:.80})")
    if message.get("version") != VERSION:
        raise ViewProtocolError(f"the service on {path} speaks {PROTOCOL} version {message.get('version')}, this "
                                f"view version {VERSION}: update both to the same release")
