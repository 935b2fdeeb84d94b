"""A new session file enters SWMR mode with none of its objects open.

H5Fstart_swmr_write closes every open group and dataset of the file, evicts the metadata cache and
reopens them under the same identifiers; a segmentation fault was seen inside it while a new file was
started with its datasets open (README, Known limits). Starting SWMR on the file reopened with nothing
open never takes that path, and it is what these tests hold the writer to.
"""

from __future__ import annotations

import time

import h5py
import numpy as np
import pytest
from session_records import I_LSB, V_LSB, block, hello

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.storage.session_file import SessionFile, create_atomically

OPEN_OBJECTS = h5py.h5f.OBJ_DATASET | h5py.h5f.OBJ_GROUP | h5py.h5f.OBJ_DATATYPE | h5py.h5f.OBJ_ATTR


@pytest.fixture
def open_at_swmr_start(monkeypatch) -> list[int]:
    """How many objects of the file were open each time a file was put in SWMR mode."""
    seen: list[int] = []
    prop = h5py.File.swmr_mode

    def setter(self: h5py.File, value: bool) -> None:
        seen.append(h5py.h5f.get_obj_count(self.id, OPEN_OBJECTS | h5py.h5f.OBJ_LOCAL))
        prop.fset(self, value)

    monkeypatch.setattr(h5py.File, "swmr_mode", property(prop.fget, setter))
    return seen


def test_a_session_file_starts_swmr_with_none_of_its_objects_open(tmp_path, open_at_swmr_start):
    f = SessionFile(tmp_path / "s.h5", source="test", hello=hello(), conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="NZ")
    f.add_block(block(0), time.monotonic_ns(), time.time_ns())
    f.add_event("host", "note", "written after SWMR started")
    f.close()
    assert open_at_swmr_start == [0]
    with Session(tmp_path / "s.h5") as s:
        assert s.complete and s.rows() == 1000
        idx = s.read(["sample_index"])["sample_index"]
        assert np.array_equal(idx, np.arange(1000))


def test_objects_the_build_leaves_open_do_not_stop_swmr_from_starting(tmp_path, open_at_swmr_start):
    left: list[object] = []

    def build(h5: h5py.File) -> None:
        h5.create_dataset("d", shape=(0,), maxshape=(None,), dtype="f8", chunks=(16,))
        h5["kind"] = np.dtype("f8")  # a named datatype: HDF5 refuses SWMR while one is open
        left.extend([h5["d"], h5["kind"]])

    h5 = create_atomically(tmp_path / "x.h5", build)
    try:
        assert h5.swmr_mode and open_at_swmr_start == [0]
        d = h5["d"]
        d.resize((3,))
        d[:] = [1.0, 2.0, 3.0]
        h5.flush()
    finally:
        h5.close()
    with h5py.File(tmp_path / "x.h5", "r") as r:
        assert list(r["d"][:]) == [1.0, 2.0, 3.0]
