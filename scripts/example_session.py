"""Record a real session for a report: a simulated adapter (or the firmware in QEMU) through the whole
desktop path, optionally bound to a rewards deployment on a real EVM node (anvil) and claimed there.

Used by `scripts/make_example_report.py` (the README's example report) and by the report tests, so the
example and the tests start from the same kind of recording: a simulator process on a pty, pyserial,
the acquisition hub, the HDF5 recorder with a calibration record, device-signed checkpoints and a
device-signed binding. Nothing here is a mock; only the sun is simulated.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
DEPLOYMENT_NAME = "example-anvil"


def calibration_record_text(device: bytes, v_lsb: float, i_lsb: float, *, record_id: str = "EX-SIM-0001",
                            date: dt.date | None = None, valid_days: int = 365) -> str:
    """A calibration record for a simulated device: its factory scales with small fitted gains and offsets."""
    date = date or dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30)
    return f'''schema = "csm-calibration/1"
id = "{record_id}"
date = {date.isoformat()}
expires = {(date + dt.timedelta(days=valid_days)).isoformat()}
operator = "Example Lab (simulated device)"

[device]
address = "0x{device.hex()}"
sensor_model = "INA228"

[sensor]
shunt = "1 ohm"
shunt_lsb = "{i_lsb!r} V"
voltage_lsb = "{v_lsb!r} V"

[voltage]
gain = "1.0008"
offset = "-0.8 mV"
uncertainty = "0.05 %"

[current]
gain = "0.9991"
offset = "0.2 mA"
uncertainty = "0.1 %"

[reference]
instrument = "Keysight 34465A 6.5-digit DMM"
certificate = "EXAMPLE-CERT-2026-0412 (illustrative)"
'''


@dataclass
class Chain:
    """A rewards contract on a real EVM node in its own process, and its deployment record."""

    node: object            # chains.evm.anvil.AnvilNode
    owner: object           # EvmAdapter of the deployer
    wallet: object          # EvmAdapter of the device owner's wallet
    record_dir: Path
    name: str = DEPLOYMENT_NAME

    @property
    def deployment_id(self) -> bytes:
        return self.wallet.deployment_id  # type: ignore[attr-defined]


@contextmanager
def anvil_chain(record_dir: Path, genesis_unix: int, name: str = DEPLOYMENT_NAME) -> Iterator[Chain]:
    """anvil (chain id 31337) whose clock starts at `genesis_unix`, CsmRewards deployed and recorded as `name`."""
    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.chains.evm.adapter import EvmAdapter
    from carbon_smart_meter.chains.evm.anvil import AnvilNode, dev_accounts
    from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract
    from carbon_smart_meter.chains.evm.local import dev_manufacturer_key
    from carbon_smart_meter.rewards.params import PayoutParams
    from carbon_smart_meter.rewards.prices import shipped_table

    node = AnvilNode(timestamp=genesis_unix).start()
    try:
        owner_account, wallet_account = dev_accounts(2)
        w3 = connect(node.url)
        deployed = deploy_contract(w3, owner_account, params=shipped_table().apply_to(PayoutParams()))
        owner = EvmAdapter(w3, deployed.address, owner_account)
        owner.set_manufacturer(dev_manufacturer_key().address, True)
        wallet = EvmAdapter(w3, deployed.address, wallet_account, expected_chain_id=31337)
        deployments.save(deployments.DeploymentRecord(
            name=name, network="anvil", kind="evm", deployment_id=deployed.deployment_id, address=deployed.address,
            rpc=node.url, chain_id=31337, owner=deployed.owner, tx=deployed.tx_hash, block=deployed.block,
            created_utc="2026-01-01T00:00:00Z"), record_dir)
        yield Chain(node, owner, wallet, record_dir, name)
    finally:
        node.kill()


@dataclass
class Recording:
    files: list[Path]
    device: bytes
    hello: object
    checkpoints: list = field(default_factory=list)   # protocol.messages.Checkpoint, in arrival order
    bind: object | None = None                        # protocol.messages.BindSignature
    claims: list = field(default_factory=list)        # chains.adapter.BatchReceipt


def _wait_for(sub, kind: type, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        env = sub.get(timeout=0.2)
        if env is not None and isinstance(env.record, kind):
            return env.record
    raise RuntimeError(f"the device did not send {kind.__name__} within {timeout:g} s")


def record(port: str, out: Path, *, calibrations: Path | None, region: str, until_unix: float | None = None,
           seconds: float | None = None, checkpoint_every_s: float | None = None, chain: Chain | None = None,
           region_numeric: int = 0, say=print) -> Recording:
    """Record the device on `port` until its clock reaches `until_unix` (or for `seconds`), asking for a
    checkpoint every `checkpoint_every_s` wall seconds and at the end; bind it first when `chain` is given."""
    from carbon_smart_meter.acquisition.session import Acquisition
    from carbon_smart_meter.calibration.store import CalibrationStore
    from carbon_smart_meter.chains.adapter import SignedMessage
    from carbon_smart_meter.protocol import messages as m
    from carbon_smart_meter.protocol.signing import wallet_bytes
    from carbon_smart_meter.storage.recorder import SessionRecorder

    acq = Acquisition()
    blocks = acq.hub.subscribe([m.SampleBlock, m.Checkpoint], maxsize=200_000, name="example-progress")
    replies = acq.hub.subscribe([m.BindSignature], name="example-bind")
    recorder = SessionRecorder(acq.hub, out, CalibrationStore(calibrations) if calibrations else None,
                               profile="logger", region=region).start()
    source = acq.add_device(port, name="sim0", sync_time=until_unix is None)
    deadline = time.monotonic() + 20
    while acq.hello(source) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    hello = acq.hello(source)
    if hello is None:
        acq.stop()
        recorder.stop()
        raise RuntimeError(f"no HELLO from {port} within 20 s")
    result = Recording([], hello.device, hello)
    try:
        if chain is not None:
            wallet = chain.wallet
            wallet.register_device(SignedMessage(hello.attestation, hello.attestation_signature))
            acq.send(source, m.BindRequest(wallet_bytes(bytes.fromhex(wallet.account.address[2:])),
                                           chain.deployment_id, region_numeric))
            bind = _wait_for(replies, m.BindSignature)
            _advance(chain, bind.message.device_time)
            wallet.bind(SignedMessage(bind.message.encode(), bind.signature))
            result.bind = bind
        t0 = time.monotonic()
        last_request = t0
        last_t = 0.0
        while True:
            for env in blocks.drain():
                if isinstance(env.record, m.SampleBlock):
                    last_t = env.record.t0_us / 1e6
                else:
                    result.checkpoints.append(env.record)
            now = time.monotonic()
            if until_unix is not None and last_t >= until_unix:
                break
            if seconds is not None and now - t0 >= seconds:
                break
            if now - t0 > 600:
                raise RuntimeError("the device did not reach the end of the recording within 10 minutes")
            if checkpoint_every_s and now - last_request >= checkpoint_every_s:
                acq.send(source, m.RequestCheckpoint())
                last_request = now
            time.sleep(0.2)
        acq.send(source, m.RequestCheckpoint())  # close the session with a fresh signed checkpoint
        end = time.monotonic() + 3
        while time.monotonic() < end:
            for env in blocks.drain():
                if isinstance(env.record, m.Checkpoint):
                    result.checkpoints.append(env.record)
            if result.checkpoints and result.checkpoints[-1].message.device_time >= last_t - 1:
                break
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        acq.stop()
        time.sleep(0.05)
        result.files = list(recorder.stop())
    say(f"recorded {', '.join(p.name for p in result.files)}: {len(result.checkpoints)} checkpoints")
    return result


def _chain_time(chain: Chain) -> int:
    return int(chain.wallet.w3.eth.get_block("latest")["timestamp"])  # type: ignore[attr-defined]


def _advance(chain: Chain, unix_s: int) -> None:
    """Mine a block dated `unix_s` (or just after the newest), so the next transaction sees that chain time
    from its gas estimate on (anvil estimates against the newest block)."""
    chain.node.set_next_timestamp(max(unix_s, _chain_time(chain) + 1))  # type: ignore[attr-defined]
    chain.node.mine(1)  # type: ignore[attr-defined]


def claim(chain: Chain, checkpoint) -> object:
    """Claim one checkpoint on the node, its block dated just after the checkpoint's device time."""
    from carbon_smart_meter.chains.adapter import SignedMessage

    _advance(chain, checkpoint.message.device_time + 60)
    return chain.wallet.submit_batch([SignedMessage(checkpoint.message.encode(), checkpoint.signature)])


def solar_morning(longitude: float, day: dt.date | None = None, local_hour: float = 5.0) -> float:
    """Unix time of `local_hour` local solar time on `day` (default yesterday) at `longitude` (degrees east)."""
    day = day or dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    midnight = dt.datetime.combine(day, dt.time(), dt.UTC)
    return midnight.timestamp() + (local_hour - longitude / 15.0) * 3600.0


@contextmanager
def simulator(*, start_unix: float, hours: float, seconds: float, rate: int, panel_watts: int, longitude: float,
              checkpoint_interval_s: int, seed: int = 0) -> Iterator[str]:
    """A simulated adapter in its own process (as a real one is), its clock starting at `start_unix` and
    running `hours` of device time in about `seconds` of wall time, then in real time. Yields its pty."""
    speed = hours * 3600.0 / seconds
    sim = subprocess.Popen(
        [sys.executable, __file__, "simulate", str(start_unix), str(hours * 3600.0), str(speed), str(rate),
         str(panel_watts), str(longitude), str(checkpoint_interval_s), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = sim.stdout.readline().strip() if sim.stdout else ""
        if not port:
            raise RuntimeError(f"the simulator did not start: {sim.stderr.read() if sim.stderr else ''}")
        yield port
    finally:
        sim.terminate()
        sim.wait(15)


def _run_simulator(argv: list[str]) -> None:
    """`simulate START FAST_FORWARD_S SPEED RATE WATTS LONGITUDE CHECKPOINT_S SEED`: run until SIGTERM."""
    import signal

    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    start, fast_forward, speed = float(argv[0]), float(argv[1]), float(argv[2])
    rate, watts, longitude, interval, seed = int(argv[3]), int(argv[4]), float(argv[5]), int(argv[6]), int(argv[7])
    sim = SimulatedAdapter(rate=rate, speed=speed, seed=seed, panel_watts=watts, checkpoint_interval_s=interval,
                           start_unix=start, longitude=longitude, fast_forward_s=fast_forward).start()
    print(sim.port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(0.5)
    finally:
        sim.close()


def write_calibration(root: Path, device: bytes, v_lsb: float, i_lsb: float, date: dt.date | None = None,
                      valid_days: int = 365) -> Path:
    folder = root / ("0x" + device.hex())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "calibration.toml"
    path.write_text(calibration_record_text(device, v_lsb, i_lsb, date=date, valid_days=valid_days), encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "simulate":
        _run_simulator(sys.argv[2:])
