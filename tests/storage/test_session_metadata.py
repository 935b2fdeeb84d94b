"""Session details (site, operator, panel) are stored in every session file and read back checked."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from test_rotation_retention import Clock, _interval
from tests.energy.signing_device_stream import DeviceStream

from carbon_smart_meter import cli
from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.metadata import SessionMetadata
from carbon_smart_meter.storage.rotation import DailyRotation

DETAILS = SessionMetadata(site="Lake Tekapo roof", operator="A. Müller", latitude=-44.0, longitude=170.48,
                          panel_tilt_deg=35.0, panel_azimuth_deg=0.0, panel_rated_w=60.0,
                          session_description="east array, cleaned at 09:00")


@pytest.mark.timeout(60)
def test_csm_log_stores_the_session_details_where_any_hdf5_tool_reads_them(no_records, tmp_path: Path, capsys) -> None:
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    with SimulatedAdapter(rate=1000, seed=3) as sim:
        code = cli.main(["log", sim.port, "--out", str(tmp_path), "--duration", "1.5",
                         "--calibrations", str(no_records), "--site", DETAILS.site,
                         "--operator", DETAILS.operator, "--latitude", "-44", "--longitude", "170.48",
                         "--tilt", "35", "--azimuth", "0", "--panel-watts", "60",
                         "--description", DETAILS.session_description])
    assert code == 0
    (path,) = [Path(p) for p in capsys.readouterr().out.split()]
    with h5py.File(path, "r") as h5:  # plain attributes with units beside the numbers
        attrs = h5["metadata"].attrs
        assert attrs["site"] == "Lake Tekapo roof" and attrs["operator"] == "A. Müller"
        assert attrs["panel_tilt"] == 35.0 and attrs["panel_tilt_units"] == "degree"
        assert attrs["panel_azimuth"] == 0.0 and attrs["latitude_units"] == "degree_north"
    with Session(path) as s:
        assert s.metadata() == (DETAILS, [])
    assert cli.main(["inspect", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["metadata"]
    assert shown["site"] == DETAILS.site and shown["panel_rated_power"] == 60.0
    assert cli.main(["inspect", str(path)]) == 0
    text = capsys.readouterr().out
    assert "Lake Tekapo roof" in text and "tilt 35° , " not in text and "tilt 35°" in text
    assert "azimuth 0° from north" in text


def test_every_file_of_a_rotated_session_carries_the_details(tmp_path: Path) -> None:
    clock = Clock()
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, rotate_daily=True, metadata=DETAILS)
    rec.rotation = DailyRotation("UTC", clock)
    rec.start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    hub.publish(dev.checkpoint())
    _interval(hub, dev)
    time.sleep(0.3)
    clock.now += dt.timedelta(minutes=2)
    _interval(hub, dev)
    time.sleep(0.3)
    paths = rec.stop()
    assert len(paths) == 2
    for p in paths:
        with Session(p) as s:
            assert s.complete and s.metadata() == (DETAILS, [])


def test_a_file_without_details_opens_and_says_so(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05).start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    _interval(hub, dev, blocks=1)
    (path,) = rec.stop()
    with Session(path) as s:
        assert s.metadata() == (None, [])
    assert cli.main(["inspect", str(path)]) == 0


def test_details_out_of_range_in_a_file_are_reported_and_left_out(tmp_path: Path) -> None:
    path = tmp_path / "edited.h5"
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, metadata=DETAILS).start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    _interval(hub, dev, blocks=1)
    (written,) = rec.stop()
    written.rename(path)
    with h5py.File(path, "r+") as h5:
        h5["metadata"].attrs["panel_tilt"] = np.float64(135.0)
    with Session(path) as s:
        meta, problems = s.metadata()
    assert meta is not None and meta.panel_tilt_deg is None and meta.site == DETAILS.site
    assert problems == ["/metadata panel_tilt_deg = 135; use 0 to 90 degrees; ignored"]
