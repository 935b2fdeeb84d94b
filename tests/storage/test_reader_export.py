"""Reading ranges and summaries without loading the file, exports that round-trip, and the CLI tools."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.commands import session_files as storage_commands
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.export import export, parse_duration_ns

T0 = 1_700_000_000_000_000_000  # device time of sample 0 in session_records.block, ns
PERIOD = 100_000  # ns (10 kHz)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """35 s at 10 kHz = 350,000 samples in blocks of 1000."""
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path_factory.mktemp("s")).start()
    hub.publish(Envelope("dev", hello()))
    for k in range(350):
        hub.publish(Envelope("dev", block(k * 1000, 1000)))
    time.sleep(0.5)
    return rec.stop()[0]


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    storage_commands.register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_a_time_range_reads_exactly_the_samples_inside_it(session: Path) -> None:
    with Session(session) as s:
        start, stop = T0 + 10 * 10**9 + 12_345, T0 + 12 * 10**9
        r = s.read(["sample_index", "voltage"], start_ns=start, stop_ns=stop)
        first = -(-(start - T0) // PERIOD)
        assert r["sample_index"][0] == first
        assert r["sample_index"][-1] == (stop - T0) // PERIOD - 1
        lo, hi = s.row_range(start, stop)
        assert hi - lo < 25_000  # only the overlapping blocks were read, not 350,000 rows


def test_block_iteration_covers_every_row_once(session: Path) -> None:
    with Session(session) as s:
        parts = list(s.iter_blocks(["sample_index"], rows=65_536))
        assert len(parts) == 6
        assert np.array_equal(np.concatenate([p["sample_index"] for p in parts]), np.arange(350_000))


def test_window_summaries_match_numpy_on_the_whole_array(session: Path) -> None:
    with Session(session) as s:
        summary = s.summary("power", 10**9)
        p = s.h5["samples"]["power"][:].astype(np.float64).reshape(35, 10_000)
    assert summary.units == "W" and len(summary.t_ns) == 35
    assert np.allclose(summary.min, p.min(axis=1)) and np.allclose(summary.max, p.max(axis=1))
    assert np.allclose(summary.mean, p.mean(axis=1))
    assert summary.t_ns[0] == T0


def test_csv_export_round_trips_the_samples_with_units_in_the_header(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    seen: list[tuple[int, int]] = []
    n = export(session, out, "csv", start="1", stop="3", progress=lambda d, t: seen.append((d, t)))
    df = pd.read_csv(out)
    assert n == len(df) == 20_000
    assert "voltage [V] (uncalibrated)" in df.columns and "device_time_ns [ns]" in df.columns
    with Session(session) as s:
        ref = s.read(start_ns=T0 + 10**9, stop_ns=T0 + 3 * 10**9)
    assert np.array_equal(df["sample_index [1]"].to_numpy(), ref["sample_index"])
    assert np.array_equal(df["voltage_code [count]"].to_numpy(), ref["voltage_code"])
    assert np.allclose(df["voltage [V] (uncalibrated)"].to_numpy(), ref["voltage"], rtol=1e-7)
    assert seen and seen[-1][0] == seen[-1][1]


def test_parquet_export_resamples_to_window_means_with_units_in_the_schema(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    export(session, out, "parquet", resample="1s", chunk_rows=65_536)  # chunks straddle windows
    table = pq.read_table(out)
    assert table.schema.field("power").metadata[b"units"] == b"W"
    assert table.schema.metadata[b"calibration_status"] == b"uncalibrated"
    df = table.to_pandas()
    with Session(session) as s:
        p = s.h5["samples"]["power"][:].astype(np.float64).reshape(35, 10_000)
    assert len(df) == 35 and (df["samples"] == 10_000).all()
    assert np.allclose(df["power"].to_numpy(), p.mean(axis=1))
    assert df["device_time_ns"].iloc[1] - df["device_time_ns"].iloc[0] == 10**9


def test_a_resample_window_must_be_a_time(session: Path, tmp_path: Path) -> None:
    assert parse_duration_ns("500 ms") == 500_000_000
    with pytest.raises(StorageError, match="not a unit of time"):
        export(session, tmp_path / "y.csv", "csv", resample="1 V")


def test_exports_never_overwrite(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "z.csv"
    out.write_text("keep")
    with pytest.raises(FileExistsError):
        export(session, out, "csv")
    assert out.read_text() == "keep"


def test_csm_inspect_json_reports_samples_gaps_and_calibration(session: Path, capsys) -> None:
    assert cli("inspect", str(session), "--json") == 0
    info = json.loads(capsys.readouterr().out)
    assert info["samples"] == 350_000 and info["gaps"] == 0 and info["state"] == "complete"
    assert info["calibration"]["status"] == "uncalibrated"
    assert info["duration_s"] == pytest.approx(34.9999, abs=1e-3)
    # no signed checkpoint in this file: nothing is verified, everything is shown as unverifiable
    assert info["energy_wh"] == 0 and info["energy_unverifiable_wh"] > 0


def test_csm_inspect_text_flags_an_uncalibrated_device(session: Path, capsys) -> None:
    assert cli("inspect", str(session)) == 0
    assert "UNCALIBRATED" in capsys.readouterr().out


def test_csm_export_and_repair_run_from_the_command_line(session: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli.csv"
    assert cli("export", str(session), "--format", "csv", "--resample", "5s", "-o", str(out)) == 0
    assert len(pd.read_csv(out)) == 7
    assert "100.0 %" in capsys.readouterr().err
    assert cli("repair", str(session)) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_exports_start_with_an_iso_8601_utc_time(session: Path, tmp_path: Path) -> None:
    """Issue 18: a spreadsheet user needs the time of each row, not only device_time_ns integers."""
    out = tmp_path / "t.csv"
    export(session, out, "csv", start="1", stop="1.001")
    df = pd.read_csv(out)
    assert df.columns[0] == "time_utc [ISO 8601]"
    first = pd.Timestamp(df["time_utc [ISO 8601]"].iloc[0])
    assert first.tz is not None and first.value // 1000 == df["device_time_ns [ns]"].iloc[0] // 1000
    table = pq.read_table(_parquet(session, tmp_path))
    assert str(table.schema.field("time_utc").type) == "timestamp[ns, tz=UTC]"
    assert table.column("time_utc")[0].value == table.column("device_time_ns")[0].as_py()


def _parquet(session: Path, tmp_path: Path) -> Path:
    out = tmp_path / "t.parquet"
    export(session, out, "parquet", resample="10s")
    return out


def test_a_range_that_ends_before_it_starts_is_refused_and_nothing_is_written(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    with pytest.raises(StorageError, match="--from must be before --to"):
        export(session, out, "csv", start="3", stop="1")
    assert not out.exists()
