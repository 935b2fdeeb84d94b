"""A CsmRewards deployment on a real anvil node in its own process, for the claims tests.

The deployment's owner is anvil's account 0, the relayer (who pays gas) account 1 and each device's
bound wallet its own account, so "the rewards go to the bound wallet" is checked by balances.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.anvil import AnvilNode, dev_accounts
from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract
from carbon_smart_meter.chains.evm.local import dev_manufacturer_key
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    wallet_bytes,
)

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("sync_worker.py")
HOUR = 3_600
DAY = 86_400


@dataclass
class World:
    node: AnvilNode
    address: str
    accounts: list
    devices: dict[bytes, DeviceKey] = field(default_factory=dict)

    def adapter(self, account_index: int = 1, **options) -> EvmAdapter:
        return EvmAdapter(connect(self.node.url), self.address, self.accounts[account_index],
                          poll_s=options.pop("poll_s", 0.05), **options)

    @property
    def relayer(self):
        return self.accounts[1]

    def chain_time(self) -> int:
        return int(connect(self.node.url).eth.get_block("latest")["timestamp"])

    def advance_to(self, unix_s: int) -> None:
        """The node's clock jumps to `unix_s` (the ship's weeks pass for the chain too)."""
        if unix_s > self.chain_time():
            self.node.set_next_timestamp(unix_s)
            self.node.mine()

    @contextlib.contextmanager
    def following(self, device_time: Callable[[], float], lead_s: int = 120) -> Iterator[None]:
        """While inside, the node's clock keeps `lead_s` ahead of an accelerated device's (as a real chain's
        clock and a real device's run together), however slowly the machine runs the test."""
        stop = threading.Event()

        def run() -> None:
            while not stop.is_set():
                with contextlib.suppress(Exception):  # a block mined meanwhile at that second: next round
                    self.advance_to(int(device_time()) + lead_s)
                stop.wait(0.2)

        thread = threading.Thread(target=run, name="anvil-follows-device", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(5)

    def bind(self, seed: bytes, wallet_index: int, rated_w: int = 100, energy_mwh: int = 0) -> DeviceKey:
        """Register (manufacturer attestation) and bind a device to account `wallet_index`; relayed by the
        owner, as `csm bind` does from the user's wallet."""
        a = self.adapter(wallet_index)
        key = DeviceKey.from_seed(seed)
        attest = AttestationMessage(key.address, rated_w, 1, 7).encode()
        a.register_device(SignedMessage(attest, dev_manufacturer_key().sign(attest)))
        bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(self.accounts[wallet_index].address[2:])),
                           a.deployment_id, 1, energy_mwh, self.chain_time(), 554).encode()
        a.bind(SignedMessage(bind, key.sign(bind)))
        self.devices[key.address] = key
        return key

    def checkpoint(self, key: DeviceKey, seq: int, energy_mwh: int, device_time: int) -> tuple[bytes, bytes]:
        dep = self.adapter().deployment_id
        msg = CheckpointMessage(key.address, dep, seq, energy_mwh, device_time, bytes([seq % 256]) * 32).encode()
        return msg, key.sign(msg)

    def balance(self, account_index: int) -> int:
        return self.adapter().token_balance(self.accounts[account_index].address)

    def nonce(self, account_index: int = 1) -> int:
        return int(connect(self.node.url).eth.get_transaction_count(self.accounts[account_index].address))

    def worker(self, outbox: Path, *extra: str) -> subprocess.Popen[str]:
        """A sync in its own process, relaying from account 1."""
        return subprocess.Popen(
            [sys.executable, str(WORKER), str(outbox), self.node.url, self.address,
             self.relayer.key.hex(), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=REPO)

    def run_worker(self, outbox: Path, *extra: str, timeout: float = 120) -> tuple[int, dict | None, str]:
        proc = self.worker(outbox, *extra)
        out, err = proc.communicate(timeout=timeout)
        last = out.strip().splitlines()[-1] if out.strip() else ""
        report = json.loads(last) if last.startswith("{") else None
        return proc.returncode, report, err


def start_world(tmp_path: Path, *, timestamp: int | None = None) -> World:
    node = AnvilNode(state=tmp_path / "anvil-state.json", timestamp=timestamp or int(time.time()) - 2 * HOUR,
                     log=tmp_path / "anvil.log").start()
    accounts = dev_accounts(6)
    w3 = connect(node.url)
    address = deploy_contract(w3, accounts[0]).address
    EvmAdapter(w3, address, accounts[0]).set_manufacturer(dev_manufacturer_key().address, True)
    return World(node, address, accounts)
