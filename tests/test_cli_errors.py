"""Whatever goes wrong, `csm` answers with one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from carbon_smart_meter import cli

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CSM, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, words", [
    (("simulate", "--rate", "abc"), ["csm simulate", "--rate", "not a whole number", "--help"]),
    (("no-such-command",), ["invalid choice", "csm --help"]),
    (("inspect",), ["csm inspect", "required", "file"]),
])
def test_a_usage_error_is_one_line_naming_the_command(args, words):
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    for w in words:
        assert w in lines[0]


def test_output_into_a_closed_pipe_ends_quietly():
    """`csm chain networks | head -1`: the reader leaves before we write; no BrokenPipeError traceback."""
    proc = subprocess.Popen([*CSM, "chain", "networks"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the interpreter has even started writing
    err = proc.stderr.read().decode()
    assert proc.wait(60) == cli.EXIT_PIPE
    assert err == ""


def test_a_system_refusal_is_one_line_with_the_file(monkeypatch, capsys, tmp_path):
    def refuse(_args):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.h5"))

    monkeypatch.setattr(cli, "build_parser", _parser_with(refuse))
    assert cli.main(["boom"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"csm boom: Permission denied ({tmp_path / 'x.h5'})"]


def test_a_bug_is_reported_in_one_line_and_the_traceback_is_one_variable_away(monkeypatch, capsys):
    def bug(_args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "build_parser", _parser_with(bug))
    monkeypatch.delenv("CSM_DEBUG", raising=False)
    assert cli.main(["boom"]) == cli.EXIT_BUG
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "ZeroDivisionError" in line and "CSM_DEBUG=1" in line
    monkeypatch.setenv("CSM_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["boom"])


def _parser_with(func):
    def build():
        parser = cli.CsmArgumentParser(prog="csm")
        sub = parser.add_subparsers(dest="command", parser_class=cli.CsmArgumentParser)
        sub.add_parser("boom").set_defaults(func=func)
        return parser
    return build
