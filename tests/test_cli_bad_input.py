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
