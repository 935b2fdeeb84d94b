"""Code on the paths a Windows bundle takes must import and run without POSIX-only modules."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_session_files_work_without_the_resource_module(tmp_path):
    # sys.modules[name] = None makes `import resource` raise ImportError, as on Windows.
    out = run(f"""
        import sys
        sys.modules["resource"] = None
        from pathlib import Path
        from carbon_smart_meter.storage import session_file
        print(session_file.file_size_limit())
        path = Path({str(tmp_path / "probe.bin")!r})
        path.write_bytes(b"x")

        class Probe:
            space_margin = 0
            rows_flushed = 0

        Probe.path = path
        session_file.SessionFile.check_space(Probe(), 1)
        print("ok")
    """)
    assert out.splitlines() == ["None", "ok"]


def test_the_file_size_limit_is_read_where_there_is_one():
    out = run("""
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        from carbon_smart_meter.storage.session_file import file_size_limit
        print(file_size_limit())
    """)
    assert out == str(1 << 30)


def test_the_window_imports_without_pseudo_terminals_and_a_simulator_says_why_it_cannot_start():
    # Windows has no tty module (nor os.openpty): the logger window must still import (it offers
    # simulators), and starting one must be one clear error instead of an ImportError at startup.
    # (termios stays: pyserial's POSIX back end needs it here; on Windows pyserial uses win32 instead.)
    out = run("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.modules["tty"] = None
        import carbon_smart_meter.ui.main_window
        from carbon_smart_meter.devices.pty_link import PtyPair
        from carbon_smart_meter.errors import DeviceError
        try:
            PtyPair()
        except DeviceError as exc:
            print("refused:", exc)
    """)
    assert out.startswith("refused: simulated adapters run on pseudo-terminals")
