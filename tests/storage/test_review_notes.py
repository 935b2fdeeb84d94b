"""Review notes live in FILE.notes.json: replaced whole, tied to their session file, never its samples."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_rotation_retention import _interval
from tests.energy.signing_device_stream import DeviceStream

from carbon_smart_meter import cli
from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.review_notes import add_review_note, notes_path, read_review_notes, session_notes


def _closed_file(directory: Path, seed: bytes = b"") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    hub = Hub()
    rec = SessionRecorder(hub, directory, flush_interval_s=0.05).start()
    dev = DeviceStream(seed=seed) if seed else DeviceStream()
    hub.publish(dev.hello())
    _interval(hub, dev, blocks=2)
    (path,) = rec.stop()
    return path


def test_notes_are_merged_with_the_files_own_in_time_order(tmp_path: Path) -> None:
    path = _closed_file(tmp_path)
    add_review_note(path, "later", 2_000)
    add_review_note(path, "earlier", 1_000)
    with Session(path) as s:
        notes, problems = session_notes(s)
    assert problems == [] and [n["text"] for n in notes] == ["earlier", "later"]
    assert {n["origin"] for n in notes} == {"review"}


def test_a_sidecar_of_another_file_is_ignored_and_never_overwritten(tmp_path: Path) -> None:
    a = _closed_file(tmp_path / "a")
    b = _closed_file(tmp_path / "b", seed=b"other")
    add_review_note(a, "about a", 1)
    stray = notes_path(b)
    stray.write_bytes(notes_path(a).read_bytes())
    with Session(b) as s:
        notes, problem = read_review_notes(s)
    assert notes == [] and problem is not None and "belong to another session file" in problem
    with pytest.raises(StorageError, match="move it away"):
        add_review_note(b, "about b", 2)
    assert json.loads(stray.read_text("utf-8"))["notes"][0]["text"] == "about a"


def test_a_damaged_sidecar_is_reported_and_the_file_still_opens(tmp_path: Path, capsys) -> None:
    path = _closed_file(tmp_path)
    notes_path(path).write_bytes(b"\x00{garbage")
    assert cli.main(["inspect", str(path)]) == 0
    assert "damaged" in capsys.readouterr().out
    with pytest.raises(StorageError, match="damaged"):
        add_review_note(path, "x", 1)


def test_an_export_never_overwrites_an_existing_description(tmp_path: Path, capsys) -> None:
    path = _closed_file(tmp_path)
    (tmp_path / "out.csv.meta.json").write_text("mine")
    assert cli.main(["export", str(path), "--format", "csv", "-o", str(tmp_path / "out.csv"), "--quiet"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "out.csv.meta.json").read_text() == "mine" and not (tmp_path / "out.csv").exists()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("after", [3, 17, 40])
def test_kill_9_while_adding_a_note_leaves_every_stored_note_and_every_sample(tmp_path: Path, after: int) -> None:
    path = _closed_file(tmp_path)
    with Session(path) as s:
        rows = s.rows()
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("review_note_writer.py")), str(path)],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    stored = 0
    for line in proc.stdout:
        stored = int(line)
        if stored >= after:
            proc.send_signal(signal.SIGKILL)  # most likely in the middle of the next write
            break
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with Session(path) as s:
        notes, problem = read_review_notes(s)
        assert problem is None and s.rows() == rows
    assert [n.text.split()[1] for n in notes] == [str(k) for k in range(len(notes))]
    assert stored <= len(notes) <= stored + 1
    assert path.read_bytes() == before
    add_review_note(path, "after the crash", 1)  # a leftover temporary file does not get in the way
