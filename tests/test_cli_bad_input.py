"""Issue 18: every bad input the issue names gives one line naming what is wrong, a non-zero exit, no
traceback, and changes no file. Parsing-time refusals run in-process (argparse exits with status 2)."""

from __future__ import annotations

import pytest

from carbon_smart_meter import cli


def _refused(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("option, value, words", [
    ("--rate", "0", ["--rate", "outside 1 .. 50000 Hz"]),
    ("--rate", "60000", ["--rate", "outside 1 .. 50000 Hz"]),
    ("--rate", "-5", ["--rate", "outside"]),
    ("--rate", "abc", ["--rate", "'abc' is not a whole number"]),
    ("--panel-watts", "-5", ["--panel-watts", "outside 1 .. 10000 W"]),
    ("--speed", "0", ["--speed", "more than 0"]),
    ("--speed", "nan", ["--speed", "not a finite number"]),
    ("--checkpoint-interval", "0", ["--checkpoint-interval", "outside 1"]),
    ("--duration", "-1", ["--duration", "at least 0"]),
    ("--longitude", "200", ["--longitude", "-180 .. 180"]),
])
def test_simulate_refuses_numbers_that_make_no_sense(capsys, option, value, words):
    line = _refused(capsys, ["simulate", option, value])
    assert line.startswith("csm simulate: argument")
    for w in words:
        assert w in line


def test_simulate_refuses_a_link_in_a_missing_folder(capsys, tmp_path):
    line = _refused(capsys, ["simulate", "--link", str(tmp_path / "nope" / "adapter")])
    assert "folder" in line and "does not exist" in line
    assert not (tmp_path / "nope").exists()


def test_simulate_refuses_to_replace_a_file_with_its_link(capsys, tmp_path):
    keep = tmp_path / "data.txt"
    keep.write_text("precious")
    line = _refused(capsys, ["simulate", "--link", str(keep)])
    assert "is not a link" in line and keep.read_text() == "precious"


@pytest.mark.parametrize("spec", ["drift=nan", "disconnect=-5", "disconnect=5:0", "drift=1e9", "reset=inf"])
def test_simulate_refuses_faults_that_make_no_sense(capsys, spec):
    assert cli.main(["simulate", "--faults", spec, "--duration", "0.1"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("csm simulate: fault") and "not understood" in line


@pytest.mark.parametrize("args, words", [
    (["--simulators", "-1"], ["--simulators", "outside 0 .. 8"]),
    (["--rate", "0"], ["--rate", "outside 1 .. 50000 Hz"]),
    (["--speed", "0"], ["--speed", "more than 0"]),
    (["--longitude", "nan"], ["--longitude", "not a finite number"]),
])
def test_gui_refuses_senseless_simulator_options(capsys, args, words):
    line = _refused(capsys, ["gui", *args])
    for w in words:
        assert w in line


def _fails(capsys, argv: list[str]) -> str:
    """A refusal after parsing: exit 1 and one line naming the command."""
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "this is a bug" not in err, err
    assert lines[0].startswith(f"csm {argv[0]}: ")
    return lines[0]


@pytest.mark.parametrize("args, words", [
    (["--kwh", "inf"], ["--kwh", "not a finite number"]),
    (["--kwh", "1e308"], ["--kwh", "outside 0 .. 1000000000 kWh"]),
    (["--kwh", "1", "--network-energy", "-5"], ["--network-energy", "outside 0"]),
    (["--kwh", "1", "--lat", "91"], ["--lat", "-90 .. 90"]),
    (["--kwh", "1", "--sfc", "0"], ["--sfc", "more than 0"]),
])
def test_offsets_refuses_numbers_that_make_no_sense_while_parsing(capsys, args, words):
    line = _refused(capsys, ["offsets", *args])
    for w in words:
        assert w in line


@pytest.mark.parametrize("args, words", [
    (["--factor", "abc", "kgCO2e/kWh"], ["--factor abc kgCO2e/kWh", "not a number"]),
    (["--factor", "-1", "kgCO2e/kWh"], ["--factor -1", "from 0 to"]),
    (["--factor", "nan", "kgCO2e/kWh"], ["--factor nan", "finite"]),
    (["--factor", "inf", "kgCO2e/kWh"], ["--factor inf", "finite"]),
    (["--method", "cm", "--om", "x", "tCO2/MWh", "--bm", "200", "g/kWh"], ["--om x", "not a number"]),
])
def test_offsets_refuses_factors_that_make_no_sense(capsys, args, words):
    line = _fails(capsys, ["offsets", "--kwh", "1", "--region", "NZ", *args])
    for w in words:
        assert w in line


PRICE_HEADER = "iso_numeric,region,price,unit,as_of,status,source\n"


@pytest.mark.parametrize("option, content, words", [
    ("--prices", bytes(range(250, 256)) * 100, ["not a UTF-8 text CSV"]),
    ("--prices", (PRICE_HEADER + "554,NZ,0.3,USD/kWh,,,\n").encode("utf-16"), ["not a UTF-8 text CSV"]),
    ("--prices", (PRICE_HEADER + "554,NZ,nan,USD/kWh,,,\n").encode(), ["price 'nan' is not a finite number"]),
    ("--prices", (PRICE_HEADER + "554,NZ,inf,USD/kWh,,,\n").encode(), ["price 'inf' is not a finite number"]),
    ("--prices", (PRICE_HEADER + "554,NZ\n").encode(), [":2: the line ends before price, unit"]),
    ("--dataset", bytes(range(250, 256)) * 100, ["not a UTF-8 text CSV"]),
    ("--dataset", b"region,factor,unit\nDE,nan,kgCO2e/kWh\n", ["outside 0..2000"]),
])
def test_offsets_refuses_tables_it_cannot_read_in_one_line(capsys, tmp_path, option, content, words):
    table = tmp_path / "table.csv"
    table.write_bytes(content)
    line = _fails(capsys, ["offsets", "--kwh", "1", "--region", "NZ", option, str(table)])
    for w in words:
        assert w in line
    assert table.read_bytes() == content


def test_offsets_json_is_strict_json(capsys):
    import json

    assert cli.main(["offsets", "--kwh", "1e9", "--region", "NZ", "--json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and "NaN" not in out
    json.loads(out, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


@pytest.mark.parametrize("command", [["log", "--out", "OUT"], ["monitor"]])
@pytest.mark.parametrize("port, words", [
    ("/dev/no-such-adapter", ["does not exist", "csm devices"]),
    ("/dev/null", ["/dev/null is a mem device, not a serial port"]),
    ("FOLDER", ["is a folder, not a serial port"]),
    ("FILE", ["is a file, not a serial port", "replay:"]),
])
def test_a_port_that_is_no_serial_port_is_refused_at_once(capsys, tmp_path, command, port, words):
    if command == ["monitor"] and port.startswith("/dev/no-such"):
        from carbon_smart_meter.commands.arguments import waited_serial_port

        # `csm monitor` shows a missing port as missing until it appears (test_cli_foundation)
        assert waited_serial_port(port) == port
        return
    (tmp_path / "file.bin").write_bytes(b"x")
    port = {"FOLDER": str(tmp_path), "FILE": str(tmp_path / "file.bin")}.get(port, port)
    argv = [c.replace("OUT", str(tmp_path / "out")) for c in command]
    line = _refused(capsys, [argv[0], port, *argv[1:]])
    for w in words:
        assert w in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option, value, words", [
    ("--tilt", "95", ["--tilt", "outside 0 .. 90 degrees"]),
    ("--tilt", "-1", ["--tilt", "outside 0 .. 90"]),
    ("--azimuth", "361", ["--azimuth", "outside 0 .. 360 degrees clockwise from north"]),
    ("--azimuth", "nan", ["--azimuth", "not a finite number"]),
    ("--latitude", "91", ["--latitude", "outside -90 .. 90"]),
    ("--longitude", "east", ["--longitude", "'east' is not a number"]),
    ("--panel-watts", "1e6", ["--panel-watts", "outside 0 .. 10000 W"]),
    ("--site", "x" * 201, ["--site", "too long: use at most 200"]),
    ("--operator", "a\x07b", ["--operator", "control characters"]),
])
def test_log_refuses_session_details_that_make_no_sense_and_writes_nothing(capsys, tmp_path, option, value, words):
    out = tmp_path / "sessions"
    out.mkdir()
    line = _refused(capsys, ["log", "loop://", "--out", str(out), option, value])
    assert line.startswith("csm log: argument")
    for w in words:
        assert w in line
    assert list(out.iterdir()) == []


def test_log_refuses_a_senseless_duration_and_an_output_that_is_a_file(capsys, tmp_path):
    assert "--duration" in _refused(capsys, ["log", "loop://", "--out", str(tmp_path), "--duration", "-3"])
    (tmp_path / "f").write_text("keep")
    assert "is a file; give a folder" in _refused(capsys, ["log", "loop://", "--out", str(tmp_path / "f")])


@pytest.mark.parametrize("command", [["repair"], ["inspect"], ["export", "--format", "csv", "-o", "OUT"]])
@pytest.mark.parametrize("what, words", [("missing", ["does not exist"]), ("folder", ["is a folder; give a file"])])
def test_file_commands_refuse_a_missing_file_or_a_folder(capsys, tmp_path, command, what, words):
    target = tmp_path / "missing.h5" if what == "missing" else tmp_path
    argv = [command[0], str(target), *(c.replace("OUT", str(tmp_path / "out.csv")) for c in command[1:])]
    line = _refused(capsys, argv)
    for w in words:
        assert w in line
    assert "`csm repair`" not in line  # a missing file is not something `csm repair` fixes


@pytest.mark.parametrize("out, words", [("EXISTS", ["already exists", "nothing is overwritten"]),
                                        ("nodir/x.csv", ["the folder", "does not exist"])])
def test_export_refuses_an_output_it_would_overwrite_or_cannot_create(capsys, tmp_path, out, words):
    session = tmp_path / "s.h5"
    session.write_bytes(b"not read")
    keep = tmp_path / "exists.csv"
    keep.write_text("keep")
    target = str(keep) if out == "EXISTS" else str(tmp_path / out)
    line = _refused(capsys, ["export", str(session), "--format", "csv", "-o", target])
    for w in words:
        assert w in line
    assert keep.read_text() == "keep" and not (tmp_path / "nodir").exists()


def test_export_refuses_an_empty_range(capsys, tmp_path):
    from tests.ui.conftest import record_session

    session = record_session(tmp_path, seconds=1.0)
    line = _fails(capsys, ["export", str(session), "--format", "csv", "--from", "3", "--to", "1", "--quiet",
                           "-o", str(tmp_path / "x.csv")])
    assert "--from must be before --to" in line and not (tmp_path / "x.csv").exists()


def test_inspect_into_a_pipe_closed_early_ends_quietly(tmp_path):
    import subprocess
    import sys

    from tests.ui.conftest import record_session

    session = record_session(tmp_path, seconds=1.0)
    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "inspect", str(session)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) in (0, cli.EXIT_PIPE) and "Traceback" not in err and err == ""


def test_simulate_says_how_long_its_buffer_holds_and_when_it_starts_dropping():
    """Issue 18: a host started late saw thousands of lost samples with no word why."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--rate", "20000",
                        "--duration", "4"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "transmit buffer holds about 1.6 s of samples" in r.stderr
    assert "transmit buffer full" in r.stderr and "dropping whole frames" in r.stderr
    assert "samples dropped while nobody read fast enough" in r.stderr.splitlines()[-1]


@pytest.mark.parametrize("argv, words", [
    (["demo", "--seconds", "0"], ["--seconds", "outside 2 .. 3600 s"]),
    (["demo", "--seconds", "-1"], ["--seconds", "outside"]),
    (["demo", "--hours", "nan"], ["--hours", "not a finite number"]),
    (["verify", "missing.h5"], ["missing.h5 does not exist"]),
    (["report", "missing.h5", "--out", "x"], ["missing.h5 does not exist"]),
])
def test_demo_verify_and_report_refuse_senseless_input_while_parsing(capsys, argv, words):
    line = _refused(capsys, argv)
    for w in words:
        assert w in line
    assert "`csm repair` cannot fix" not in line


# The later commands (fleet, serve, kiosk, mqtt, chain, bind) had plain int/float options: `fleet simulate
# --days 0` ended in "unexpected error (ZeroDivisionError)", `--device-days -3` made a fleet anyway.
@pytest.mark.parametrize("argv, words", [
    (["fleet", "simulate", "--out", "OUT", "--days", "0"], ["--days", "outside 1 .. 366"]),
    (["fleet", "simulate", "--out", "OUT", "--device-days", "-3"], ["--device-days", "outside 1 .. 10000000"]),
    (["fleet", "simulate", "--out", "OUT", "--rate", "0"], ["--rate", "outside 1 .. 50000 Hz"]),
    (["fleet", "simulate", "--out", "OUT", "--workers", "0"], ["--workers", "outside 1 .. 1024"]),
    (["fleet", "simulate", "--out", "FILE"], ["--out", "is a file; give a folder"]),
    (["fleet", "ingest", "SESSIONS", "--to", "FILE"], ["--to", "is a file; give a folder"]),
    (["fleet", "ingest", "SESSIONS", "--to", "LAKE", "--sites", "MISSING"], ["--sites", "does not exist"]),
    (["fleet", "report", "MISSING"], ["argument lake", "does not exist"]),
    (["fleet", "report", "FILE"], ["argument lake", "is a file; give a folder"]),
    (["fleet", "export", "LAKE", "--to", "NEW", "--grid", "0"], ["--grid", "more than 0 degrees"]),
    (["fleet", "export", "LAKE", "--to", "NEW", "--grid", "nan"], ["--grid", "not a finite number"]),
    (["fleet", "export", "LAKE", "--to", "NEW", "--min-devices", "0"], ["--min-devices", "outside 1"]),
    (["serve", "--interval", "0"], ["--interval", "outside 0.05 .. 3600 s"]),
    (["serve", "--duration", "-1"], ["--duration", "more than 0 s"]),
    (["kiosk", "--quit-after", "inf"], ["--quit-after", "not a finite number"]),
    (["gui", "--quit-after", "-2"], ["--quit-after", "at least 0"]),
    (["mqtt", "loop://", "--buffer", "0"], ["--buffer", "outside 1 .. 1000000 messages"]),
    (["mqtt", "loop://", "--interval", "nan"], ["--interval", "not a finite number"]),
    (["mqtt", "loop://", "--duration", "0"], ["--duration", "more than 0"]),
    (["chain", "deploy", "--chain", "anvil", "--rpc", "x", "--wallet", "w", "--price", "-1"],
     ["--price", "outside 1 .. 1000000000 micro-USD/kWh"]),
    (["chain", "deploy", "--chain", "anvil", "--rpc", "x", "--wallet", "w", "--params-delay", "5"],
     ["--params-delay", "outside 3600 .. 7776000 s"]),
    (["bind", "loop://", "--wallet", "a", "--chain", "b", "--timeout", "nan"], ["--timeout", "not a finite number"]),
])
def test_fleet_service_and_chain_commands_refuse_senseless_numbers_and_paths(capsys, tmp_path, argv, words):
    (tmp_path / "FILE").write_text("precious")
    for folder in ("SESSIONS", "LAKE"):
        (tmp_path / folder).mkdir()
    argv = [str(tmp_path / a) if a in ("OUT", "FILE", "SESSIONS", "LAKE", "MISSING", "NEW") else a for a in argv]
    before = sorted(p.name for p in tmp_path.iterdir())
    line = _refused(capsys, argv)
    assert line.startswith(f"csm {argv[0]}") and "Traceback" not in line
    for w in words:
        assert w in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == before and (tmp_path / "FILE").read_text() == "precious"


def test_an_unknown_option_of_a_subcommand_names_that_subcommand(capsys, tmp_path):
    line = _refused(capsys, ["fleet", "simulate", "--out", str(tmp_path), "--devices", "3"])
    assert line == "csm fleet simulate: unrecognized arguments: --devices 3 (see `csm fleet simulate --help`)"


def test_fleet_ingest_of_a_folder_without_session_files_says_so(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("no sessions here")
    assert cli.main(["fleet", "ingest", str(tmp_path), "--to", str(tmp_path / "lake")]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("csm fleet: no session files (.h5) in") and not (tmp_path / "lake").exists()


def test_fleet_simulate_refuses_planted_cases_in_one_day(capsys, tmp_path):
    assert cli.main(["fleet", "simulate", "--out", str(tmp_path / "f"), "--days", "1", "--planted"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--planted needs --days 2 or more" in line and not (tmp_path / "f").exists()


# Claims options given to a recorder without --chain were ignored silently: a ship started with
# `--max-fee-gwei 5` but no deployment recorded happily and never used its fee limit or wallet.
@pytest.mark.parametrize("command", [
    ["log", "loop://", "--duration", "1"],
    ["serve", "--no-discover", "--duration", "1"],
])
@pytest.mark.parametrize("given, named", [
    (["--wallet", "ship"], "--wallet"),
    (["--max-fee-gwei", "5"], "--max-fee-gwei"),
    (["--bump-after-blocks", "0"], "--bump-after-blocks"),
    (["--rpc", "http://127.0.0.1:8545", "--password-env", "PW"], "--password-env and --rpc are"),
])
def test_recorders_refuse_claims_options_without_a_chain_and_record_nothing(capsys, tmp_path, command, given,
                                                                            named):
    out = tmp_path / "data"
    where = ["--out", str(out)] if command[0] == "log" else ["--data-dir", str(out), "--socket",
                                                             str(tmp_path / "s.sock")]
    assert cli.main([*command, *where, *given]) == 1
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert named in line and "only used with --chain" in line and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("command", [["log", "loop://", "--out", "OUT"], ["serve"]])
@pytest.mark.parametrize("option, value, words", [
    ("--max-fee-gwei", "0", ["--max-fee-gwei", "more than 0"]),
    ("--bump-after-blocks", "-1", ["--bump-after-blocks", "outside 0 .. 10000"]),
])
def test_recorders_refuse_fee_options_that_make_no_sense(capsys, command, option, value, words):
    line = _refused(capsys, [*command, "--chain", "x", "--wallet", "w", option, value])
    assert all(w in line for w in words), line


# Found by trying every option of every command with nan, -5, abc, a missing path and a binary file:
# these were accepted and only noticed later, if at all (an unknown region stored in every file, a mistyped
# calibration folder read as "no records", so every device logged with factory scales).
@pytest.mark.parametrize("argv", [
    ["log", "loop://", "--out", "{tmp}/out", "--region", "XX"],
    ["serve", "--data-dir", "{tmp}/out", "--region", "nan"],
    ["mqtt", "loop://", "--out", "{tmp}/out", "--region", "abc"],
    ["demo", "--out", "{tmp}/out", "--region", "ZZ"],
    ["bind", "loop://", "--wallet", "0x" + "11" * 20, "--chain", "anvil", "--data-dir", "{tmp}/out",
     "--region", "-5"],
])
def test_an_unknown_region_is_refused_before_anything_starts(capsys, tmp_path, argv):
    line = _refused(capsys, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert "argument --region" in line and "not an ISO 3166-1 country code" in line
    assert not (tmp_path / "out").exists()


def test_a_region_is_stored_as_its_alpha_2_code():
    from carbon_smart_meter.commands.arguments import region_code

    assert [region_code(r) for r in ("de", "DEU", "276", "", " nz ")] == ["DE", "DE", "DE", "", "NZ"]


@pytest.mark.parametrize("command", [["log", "loop://", "--out", "{tmp}/out"], ["serve", "--data-dir", "{tmp}/out"],
                                     ["mqtt", "loop://", "--out", "{tmp}/out"], ["monitor", "loop://"]])
@pytest.mark.parametrize("records, words", [("missing", ["does not exist", "csm calibrate --calibrations"]),
                                            ("a_file", ["is a file", "folder of calibration records"])])
def test_calibration_records_that_are_not_a_folder_are_refused(capsys, tmp_path, command, records, words):
    (tmp_path / "a_file").write_text("not records")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--calibrations", str(tmp_path / records)]
    line = _refused(capsys, argv)
    assert "argument --calibrations" in line
    for w in words:
        assert w in line
    assert not (tmp_path / "out").exists() and (tmp_path / "a_file").read_text() == "not records"


def test_calibrate_refuses_a_file_as_its_record_folder(capsys, tmp_path):
    (tmp_path / "a_file").write_text("x")
    line = _refused(capsys, ["calibrate", "loop://", "--calibrations", str(tmp_path / "a_file")])
    assert "argument --calibrations" in line and "is a file" in line


@pytest.mark.parametrize("argv, words", [
    (["serve", "--data-dir", "{tmp}/a_file"], ["argument --data-dir", "is a file"]),
    (["mqtt", "loop://", "--out", "{tmp}/a_file"], ["argument --out", "is a file"]),
    (["serve", "--settings", "{tmp}/missing.toml"], ["argument --settings", "does not exist"]),
    (["offsets", "--kwh", "1", "--settings", "{tmp}/missing.toml"], ["argument --settings", "does not exist"]),
    (["report", "{tmp}/a_file", "--settings", "{tmp}/missing.toml"], ["argument --settings", "does not exist"]),
])
def test_services_refuse_a_data_folder_that_is_a_file_and_a_settings_file_that_is_not_there(capsys, tmp_path,
                                                                                             argv, words):
    (tmp_path / "a_file").write_text("keep")
    line = _refused(capsys, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    for w in words:
        assert w in line
    assert (tmp_path / "a_file").read_text() == "keep" and not (tmp_path / "missing.toml").exists()


def test_serve_refuses_an_unknown_region_from_its_settings_file(capsys, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'region = "ZZ"\ndata_dir = "{tmp_path / "data"}"\n')
    line = _fails(capsys, ["serve", "--settings", str(settings), "--no-discover", "--socket",
                           str(tmp_path / "s.sock"), "--duration", "1"])
    assert "region 'ZZ'" in line and "--region" in line
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("args, words", [
    (["--review", "{tmp}/missing.h5"], ["argument --review", "does not exist"]),
    (["--review", "{tmp}"], ["argument --review", "is a folder"]),
    (["--port", "{tmp}/a_file"], ["argument --port", "is a file, not a serial port"]),
    (["--port", "{tmp}"], ["argument --port", "is a folder"]),
])
def test_gui_refuses_files_it_cannot_review_or_connect_before_opening_a_window(capsys, tmp_path, args, words):
    (tmp_path / "a_file").write_text("not a port")
    line = _refused(capsys, ["gui", *[a.replace("{tmp}", str(tmp_path)) for a in args]])
    for w in words:
        assert w in line


@pytest.mark.parametrize("command", [["mqtt", "--broker", "127.0.0.1:1"], ["serve", "--no-discover"]])
@pytest.mark.parametrize("port, words", [("{tmp}/a_file", ["is a file, not a serial port", "replay:"]),
                                         ("{tmp}", ["is a folder, not a serial port"])])
def test_services_refuse_a_port_that_is_a_file_or_a_folder(capsys, tmp_path, command, port, words):
    """A missing path is waited for (an adapter may be plugged in later); a file or a folder never becomes
    a serial port, and used to be "recorded" in silence."""
    (tmp_path / "a_file").write_text("not a port")
    line = _refused(capsys, [command[0], port.replace("{tmp}", str(tmp_path)), *command[1:]])
    assert "argument PORT" in line
    for w in words:
        assert w in line


def test_serve_refuses_a_settings_file_it_cannot_read_rather_than_run_on_defaults(capsys, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_bytes(b"\x90\x01 not toml")
    line = _fails(capsys, ["serve", "--settings", str(settings), "--data-dir", str(tmp_path / "data"),
                           "--no-discover", "--socket", str(tmp_path / "s.sock"), "--duration", "1"])
    assert "not valid TOML" in line and "fix or delete it" in line and "using defaults" not in line
    assert not (tmp_path / "data").exists()
