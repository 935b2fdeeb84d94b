"""A real EVM node in its own process: Foundry's anvil, installed from npm by `make tools`.

The embedded chain (eth-tester on py-evm, chains/evm/local.py) is fast and deterministic, but it lives
inside our process, so it cannot show what a real node does to a claim pipeline: a node that is down,
a process killed between sending and the receipt, a reorganisation. anvil speaks JSON-RPC on a port
like any node, can dump and reload its state (a "ship offline for weeks" test stops it and starts it
again later) and can reorganise its chain on request (`anvil_reorg`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from carbon_smart_meter.errors import ChainError

ANVIL_VERSION = "1.7.1"
NPM_PACKAGE = "@foundry-rs/anvil-linux-amd64"
LOCAL_CHAIN_ID = 31337


class AnvilMissingError(ChainError):
    """anvil is not installed where we look for it."""


def tools_dir() -> Path:
    return Path(os.environ.get("CSM_TOOLS", Path.home() / ".cache" / "csm" / "tools"))


def find_anvil() -> Path:
    """`CSM_ANVIL`, else the npm install that `make tools` made, else `anvil` on the PATH."""
    env = os.environ.get("CSM_ANVIL")
    candidates = [Path(env)] if env else []
    candidates.append(tools_dir() / "anvil" / "node_modules" / ".bin" / "anvil")
    on_path = shutil.which("anvil")
    if on_path:
        candidates.append(Path(on_path))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise AnvilMissingError(f"anvil (an EVM node) is not installed: run `make tools` (npm install "
                            f"{NPM_PACKAGE}@{ANVIL_VERSION} into {tools_dir() / 'anvil'}) or set CSM_ANVIL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AnvilNode:
    """Start, stop, kill and restart one anvil process; its state survives a stop when `state` is set."""

    def __init__(self, *, port: int | None = None, chain_id: int = LOCAL_CHAIN_ID, state: Path | None = None,
                 timestamp: int | None = None, binary: Path | None = None, log: Path | None = None) -> None:
        self.binary = binary or find_anvil()
        self.port = port or free_port()
        self.chain_id = chain_id
        self.state = state
        self.timestamp = timestamp
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout_s: float = 30.0) -> AnvilNode:
        if self.running:
            return self
        args = [str(self.binary), "--port", str(self.port), "--chain-id", str(self.chain_id), "--silent"]
        if self.state is not None:
            # --state loads the file when it exists and dumps to it on exit (SIGTERM / SIGINT).
            args += ["--state", str(self.state)]
        if self.timestamp is not None and not (self.state is not None and self.state.exists()):
            args += ["--timestamp", str(self.timestamp)]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ChainError(f"anvil exited at start with code {self.proc.returncode} ({' '.join(args)})")
            with contextlib.suppress(OSError, ChainError):
                if int(self.rpc("eth_chainId"), 16) == self.chain_id:
                    return self
            time.sleep(0.05)
        self.kill()
        raise ChainError(f"anvil did not answer on {self.url} within {timeout_s:g} s")

    def stop(self, timeout_s: float = 30.0) -> None:
        """A clean stop (SIGTERM): anvil writes its state file first when it has one."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: the node vanishes as after a power cut (no state is written)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def rpc(self, method: str, params: list[Any] | None = None, timeout_s: float = 10.0) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
        req = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout_s) as resp:
                reply = json.loads(resp.read())
        except (urllib.error.URLError, TimeoutError) as exc:
            raise OSError(f"anvil at {self.url}: {exc}") from exc
        if "error" in reply:
            raise ChainError(f"anvil {method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result")

    # -- test controls -------------------------------------------------------------------------------
    def mine(self, blocks: int = 1) -> None:
        self.rpc("anvil_mine", [hex(blocks)])

    def set_next_timestamp(self, unix_s: int) -> None:
        self.rpc("evm_setNextBlockTimestamp", [hex(unix_s)])

    def reorg(self, depth: int) -> None:
        """Replace the last `depth` blocks with empty ones: their transactions are gone from the chain."""
        self.rpc("anvil_reorg", [depth, []])

    def snapshot(self) -> str:
        return str(self.rpc("evm_snapshot"))

    def revert(self, snapshot_id: str) -> bool:
        return bool(self.rpc("evm_revert", [snapshot_id]))

    def __enter__(self) -> AnvilNode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def dev_accounts(count: int = 10) -> list[Any]:
    """anvil's funded development accounts (the public "test ... junk" mnemonic): never fund them elsewhere."""
    from eth_account import Account

    from carbon_smart_meter.chains.evm.local import DEV_HD_PATH, DEV_MNEMONIC

    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(DEV_MNEMONIC, account_path=f"{DEV_HD_PATH}/{i}") for i in range(count)]
