"""Notes added in the review of a closed session file, kept in a sidecar `FILE.notes.json`.

Why not in the HDF5 file (docs/decisions/0019-review-notes-in-a-sidecar.md): a closed session file is
never opened for writing again. Appending a row to its /annotations table would reopen it read-write,
grow datasets and rewrite HDF5 metadata in place; a power loss during that can leave the superblock,
the B-trees or the free-space records half-written, and then every sample of the file is at stake for
a note. The sidecar is replaced whole (temporary file, fsync, rename, fsync of the folder), so a kill
at any instant leaves the old notes or the new ones, and never touches the samples.

The sidecar names the session it belongs to (creation time and device of the file): a sidecar copied
or renamed next to another file is reported and ignored, not merged. Notes taken while recording stay
in the file's own /annotations table; readers merge both (`session_notes`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from carbon_smart_meter.durable import write_atomically
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage.reader import Session

SUFFIX = ".notes.json"
FORMAT = "csm-review-notes"
VERSION = 1
MAX_NOTE_CHARS = 1000  # as the file's own annotation column (1024 UTF-8 bytes) holds about


@dataclass(frozen=True)
class ReviewNote:
    t_utc_ns: int  # the time the note is about (same clock as the samples' device_time_ns once synced)
    text: str
    added_utc: str  # when it was written, ISO 8601


def notes_path(session_path: Path | str) -> Path:
    p = Path(session_path)
    return p.with_name(p.name + SUFFIX)


def _identity(s: Session) -> dict[str, str]:
    attrs = s.attrs
    return {"created_utc": str(attrs.get("created_utc", "")), "device": str(attrs.get("device", ""))}


def read_review_notes(s: Session) -> tuple[list[ReviewNote], str | None]:
    """The review notes of the open session `s` and a problem with its sidecar (None when fine or absent)."""
    path = notes_path(s.path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        return [], f"review notes {path.name} cannot be read: {exc}"
    try:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(f"format is {doc.get('format')!r}, not {FORMAT}")
        if doc.get("session") != _identity(s):
            return [], (f"review notes {path.name} belong to another session file (created "
                        f"{doc.get('session', {}).get('created_utc')}); ignored")
        notes = [ReviewNote(int(n["t_utc_ns"]), str(n["text"]), str(n.get("added_utc", "")))
                 for n in doc.get("notes", [])]
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        return [], f"review notes {path.name} are damaged ({exc}); ignored"
    return notes, None


def add_review_note(session_path: Path | str, text: str, t_utc_ns: int) -> ReviewNote:
    """Add a note about time `t_utc_ns` to the review notes of a closed session file.

    Refused (StorageError, with what to do) for an empty or long text, a file still being written, and
    a sidecar that is damaged or belongs to another file (it is never overwritten then).
    """
    text = text.strip()
    if not text:
        raise StorageError("the note is empty")
    if len(text) > MAX_NOTE_CHARS:
        raise StorageError(f"the note has {len(text)} characters; use at most {MAX_NOTE_CHARS}")
    path = Path(session_path)
    with Session(path) as s:
        if s.swmr or not s.complete:
            raise StorageError(f"{path.name} is still being recorded (or was not closed): add notes in the "
                               "logger window while recording, or here once it is closed")
        notes, problem = read_review_notes(s)
        if problem:
            raise StorageError(f"{problem}: move it away to add new notes")
        identity = _identity(s)
    note = ReviewNote(int(t_utc_ns), text, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    doc = {"format": FORMAT, "version": VERSION, "session_file": path.name, "session": identity,
           "time_basis": "t_utc_ns: ns since 1970-01-01 UTC, the clock of /samples/device_time_ns",
           "notes": [asdict(n) for n in [*notes, note]]}
    _replace_atomically(notes_path(path), json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8"))
    return note


def session_notes(s: Session) -> tuple[list[dict], list[str]]:
    """Every note of a session, oldest first: the file's own (taken while recording) and the review's."""
    notes = [{"t_utc_ns": n["t_utc_ns"], "text": n["text"], "origin": "recording"} for n in s.annotations()]
    review, problem = read_review_notes(s)
    notes += [{"t_utc_ns": n.t_utc_ns, "text": n.text, "origin": "review", "added_utc": n.added_utc}
              for n in review]
    notes.sort(key=lambda n: n["t_utc_ns"])
    return notes, [problem] if problem else []


def _replace_atomically(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise StorageError(f"cannot write the review notes {path}: {exc}") from exc
