"""The real adapter firmware (firmware/) running in QEMU as a device on a pseudo-terminal.

`start_emulated_adapter()` boots the Cortex-M3 build on QEMU's `lm3s6965evb` machine with UART0 on a
pty, so every desktop feature (reader, recorder, ledger, claims) can run against the C code that
ships on the adapter, not a Python model of it. The firmware keeps its wear-levelled flash (checkpoint
seq, boot count, energy, binding) in `csm-flash.bin` inside `state_dir` through ARM semihosting, so an
emulated adapter keeps its counters across runs like hardware does.

The emulated adapter signs with a DEVELOPMENT key that is public (firmware/src/board/dev_identity.h):
its checkpoints prove the code path, never real energy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from carbon_smart_meter.errors import DeviceError

REPO_ROOT = Path(__file__).resolve().parents[3]
FIRMWARE_DIR = REPO_ROOT / "firmware"
DEFAULT_ELF = FIRMWARE_DIR / "build" / "csm-fw.elf"
FAST_LINK_ELF = FIRMWARE_DIR / "build" / "csm-fw-fast.elf"
QEMU = "qemu-system-arm"
INSTALL_QEMU = "apt-get install --no-install-recommends qemu-system-arm"
BUILD_FIRMWARE = "make -C firmware deps qemu"
_PTY_LINE = re.compile(rb"char device redirected to (\S+)")


class EmulatorError(DeviceError):
    """QEMU or the firmware image is missing, or QEMU did not come up."""


def default_state_dir() -> Path:
    """Where the emulated adapter's flash image lives between runs (per user)."""
    import platformdirs

    return Path(platformdirs.user_state_dir("carbon-smart-meter")) / "firmware-emulator"


class EmulatedAdapter:
    """A QEMU process running the firmware; use as a context manager or call start()/stop().

    `paused=True` starts QEMU with its CPU halted so a reader can open the port before the first
    byte (the pty drops output nobody reads); call `resume()` then. `icount` runs QEMU with
    `-icount shift=N`: virtual time advances 2^N ns per instruction, deterministic and independent
    of host load (N=4 is ~62 MIPS, near the real part's 50 MHz).
    """

    def __init__(self, elf_path: str | Path | None = None, icount: int | None = None,
                 state_dir: str | Path | None = None, paused: bool = False, qemu: str = QEMU) -> None:
        self.elf_path = Path(elf_path or os.environ.get("CSM_FIRMWARE_ELF") or DEFAULT_ELF).resolve()
        self.icount = icount
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.state_dir = Path(state_dir) if state_dir is not None else default_state_dir()
        self.paused = paused
        self.qemu = qemu
        self.port: str | None = None
        self.output: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._qmp_path: str | None = None
        self._drain: threading.Thread | None = None
        self.command_extra: list[str] = []  # extra -icount options, e.g. ["sleep=off"]

    # ---- lifecycle -----------------------------------------------------------------------------
    def command(self) -> list[str]:
        cmd = [self.qemu, "-M", "lm3s6965evb", "-display", "none", "-monitor", "none",
               "-serial", "pty", "-kernel", str(self.elf_path),
               "-semihosting-config", "enable=on,target=native"]
        if self.icount is not None:
            cmd += ["-icount", ",".join([f"shift={self.icount}", *self.command_extra])]
        if self.paused:
            cmd += ["-S", "-qmp", f"unix:{self._qmp_path},server=on,wait=off"]
        return cmd

    def start(self, timeout: float = 10.0) -> EmulatedAdapter:
        exe = shutil.which(self.qemu)
        if exe is None:
            raise EmulatorError(f"{self.qemu} is not installed; install it with `{INSTALL_QEMU}` "
                                f"(or run `{BUILD_FIRMWARE}` as root)")
        if not self.elf_path.is_file():
            raise EmulatorError(f"firmware image {self.elf_path} does not exist; build it with "
                                f"`{BUILD_FIRMWARE}` from the repository root")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if self.paused:
            self._tmp = tempfile.TemporaryDirectory(prefix="csm-qmp-")
            self._qmp_path = os.path.join(self._tmp.name, "qmp.sock")
        self._proc = subprocess.Popen(self.command(), cwd=self.state_dir, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.port = self._read_pty_path(timeout)
        # Keep draining QEMU's output so it can never block on a full pipe.
        self._drain = threading.Thread(target=self._drain_output, name="qemu-output", daemon=True)
        self._drain.start()
        return self

    def resume(self, timeout: float = 5.0) -> None:
        """Start the CPU of an adapter created with paused=True."""
        if not self.paused or self._qmp_path is None:
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._qmp(("qmp_capabilities", "cont"))
                break
            except (OSError, ValueError) as exc:  # socket not up yet, or reset while QEMU starts
                if self._proc is None or self._proc.poll() is not None:
                    raise EmulatorError("QEMU exited before it could be resumed: "
                                        + " | ".join(self.output[-5:])) from exc
                if time.monotonic() > deadline:
                    raise EmulatorError(f"QEMU's control socket did not answer: {exc}") from exc
                time.sleep(0.05)
        self.paused = False

    def _qmp(self, commands: tuple[str, ...]) -> None:
        assert self._qmp_path is not None
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5.0)
            sock.connect(self._qmp_path)
            with sock.makefile("rwb") as f:
                json.loads(f.readline())  # greeting
                for cmd in commands:
                    f.write(json.dumps({"execute": cmd}).encode() + b"\n")
                    f.flush()
                    reply = json.loads(f.readline())
                    while "event" in reply:
                        reply = json.loads(f.readline())
                    if "error" in reply:
                        raise EmulatorError(f"QEMU refused {cmd}: {reply['error']}")

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> EmulatedAdapter:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- internals -----------------------------------------------------------------------------
    def _read_pty_path(self, timeout: float) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        found: list[str] = []

        def scan() -> None:
            assert self._proc is not None and self._proc.stdout is not None
            for line in iter(self._proc.stdout.readline, b""):
                self.output.append(line.decode(errors="replace").rstrip())
                match = _PTY_LINE.search(line)
                if match:
                    found.append(match.group(1).decode())
                    return

        reader = threading.Thread(target=scan, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            self.stop()
            raise EmulatorError("QEMU did not report its serial pty: " + " | ".join(self.output[-5:]))
        return found[0]

    def _drain_output(self) -> None:
        proc = self._proc
        if proc is None or proc.stdout is None:
            return
        try:
            for line in iter(proc.stdout.readline, b""):
                self.output.append(line.decode(errors="replace").rstrip())
                del self.output[:-100]
        except (OSError, ValueError):
            return


def start_emulated_adapter(elf_path: str | Path | None = None, icount: int | None = None,
                           state_dir: str | Path | None = None, paused: bool = False) -> EmulatedAdapter:
    """Boot the firmware in QEMU and return the running adapter; `.port` is its serial device."""
    return EmulatedAdapter(elf_path, icount, state_dir, paused).start()


def main(argv: list[str] | None = None) -> int:
    """`python -m carbon_smart_meter.devices.firmware_emulator`: run the emulated adapter until Ctrl-C."""
    import argparse
    import signal

    ap = argparse.ArgumentParser(description="Boot the adapter firmware in QEMU on a pseudo-terminal.")
    ap.add_argument("--elf", help=f"firmware image (default {DEFAULT_ELF})")
    ap.add_argument("--fast-link", action="store_true", help="the 1.2 MB/s link build instead of 115200 baud")
    ap.add_argument("--icount", type=int, help="QEMU -icount shift (deterministic virtual time)")
    ap.add_argument("--state-dir", help=f"where csm-flash.bin is kept (default {default_state_dir()})")
    args = ap.parse_args(argv)
    elf = args.elf or (FAST_LINK_ELF if args.fast_link else None)
    try:
        emu = start_emulated_adapter(elf, args.icount, args.state_dir)
    except EmulatorError as exc:
        print(f"error: {exc}")
        return 2
    print(f"emulated adapter on {emu.port} (firmware {emu.elf_path}, flash in {emu.state_dir})", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while emu.running and not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0


__all__ = ["DEFAULT_ELF", "FAST_LINK_ELF", "EmulatedAdapter", "EmulatorError", "default_state_dir",
           "start_emulated_adapter"]


if __name__ == "__main__":
    raise SystemExit(main())
