"""`csm demo`: the whole path on embedded defaults, with no hardware and no network.

A simulated adapter on a real pseudo-terminal is read through pyserial by the acquisition; the hub
feeds the HDF5 recorder, the energy ledger and the claims outbox; at the end the demo prints kWh,
avoided CO2 with its provenance and the reward preview, then binds the device on an embedded chain
(eth-tester on py-evm by default) and claims its newest signed checkpoint, so the preview can be
compared with what the chain actually minted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Protocol, SupportsBytes, TypeVar

from carbon_smart_meter.acquisition.hub import Subscription
from carbon_smart_meter.acquisition.records import LinkEvent
from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.carbon.resolve import CarbonSettings, avoided
from carbon_smart_meter.chains.adapter import ChainAdapter, SignedMessage
from carbon_smart_meter.claims.collector import CheckpointCollector
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine
from carbon_smart_meter.energy.findings import CheckpointFinding
from carbon_smart_meter.energy.ledger import EnergyLedger
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import wallet_bytes
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState
from carbon_smart_meter.rewards.preview import preview_checkpoint
from carbon_smart_meter.rewards.prices import shipped_table
from carbon_smart_meter.storage.recorder import SessionRecorder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on a simulated adapter (no hardware, no network)")
    p.add_argument("--seconds", type=float, default=20.0, help="wall-clock length of the demo")
    p.add_argument("--hours", type=float, default=6.0, help="simulated hours of sunshine to cover")
    p.add_argument("--rate", type=int, default=100, help="device sample rate, Hz")
    p.add_argument("--panel-watts", type=int, default=50)
    p.add_argument("--region", default="NZ", help="ISO 3166-1 alpha-2 country for the CO2 factor and price")
    p.add_argument("--out", default="", help="directory for the HDF5 recording and the claims outbox "
                   "(default: a new temporary directory)")
    p.add_argument("--chain", choices=["evm", "solana", "none"], default="evm",
                   help="embedded chain to claim on (solana runs the program binary `make solana` builds)")
    p.set_defaults(func=cmd_demo)


class _EmbeddedDeployment(Protocol):
    """What the demo uses of an embedded chain: evm.local.LocalDeployment, solana.local.LocalSolanaDeployment."""

    @property
    def adapter(self) -> ChainAdapter: ...

    @property
    def wallet(self) -> object: ...


_Record = TypeVar("_Record")


def _embedded_chain(kind: str, start: float) -> _EmbeddedDeployment | None:
    if kind == "none":
        return None
    if kind == "solana":
        from carbon_smart_meter.chains.solana import embedded_solana_deployment

        # The program is deployed through BPFLoaderUpgradeable, then the deployer publishes the shipped
        # (illustrative) regional price table with the config, as the EVM deployment does below. LiteSVM's
        # clock follows the accelerated device (see _follow_device_clock), as the EVM's does.
        return embedded_solana_deployment(params=shipped_table().apply_to(PayoutParams()), follow_wall_clock=False,
                                          start_time=int(start) - 60)
    from carbon_smart_meter.chains.evm.local import local_evm_deployment

    # The deployment starts with the shipped (illustrative) regional price table. Its clock is a
    # simulated one that follows the accelerated device (see _follow_device_clock): the chain sees
    # the simulated hours pass, so the cap accrues over them as RULES.md requires.
    return local_evm_deployment(params=shipped_table().apply_to(PayoutParams()), manual_clock=True,
                                genesis_timestamp=int(start) - 60)


def _follow_device_clock(deployment: object, device_time: int) -> None:
    """Move an embedded chain with a simulated clock to the device's time (never backwards)."""
    chain = getattr(deployment, "chain", None)
    if chain is not None and hasattr(chain, "travel_to"):
        chain.travel_to(max(chain.pending_timestamp(), device_time))


def _wait_for(sub: Subscription, kind: type[_Record], timeout: float = 10.0) -> _Record:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        env = sub.get(timeout=0.2)
        if env is not None and isinstance(env.record, kind):
            return env.record
    raise CsmError(f"the simulated device did not answer with {kind.__name__} within {timeout:g} s")


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="csm-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    price_row = next((r for r in shipped_table().rows.values() if r.region == args.region.upper()), None)
    region_numeric = price_row.iso_numeric if price_row else 0
    speed = args.hours * 3600.0 / args.seconds
    # Centre the simulated hours on local solar noon, whatever the time of day the demo runs.
    start = time.time() - args.hours * 3600.0
    wanted = (12.0 - args.hours / 2.0) * 3600.0
    longitude = (((wanted - start % 86400.0) + 43200.0) % 86400.0 - 43200.0) / 240.0
    print(f"[1/6] embedded chain: {args.chain}")
    deployment = _embedded_chain(args.chain, start)
    chain = deployment.adapter if deployment is not None else None

    # The adapter is another process, as a real one would be: it shares nothing with us but the pty.
    sim = subprocess.Popen(
        [sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--rate", str(args.rate), "--speed",
         f"{speed:.3f}", "--panel-watts", str(args.panel_watts), "--catch-up-hours", f"{args.hours:.6f}",
         "--longitude", f"{longitude:.4f}", "--checkpoint-interval", "900"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = sim.stdout.readline().strip() if sim.stdout else ""
    if not port:
        raise CsmError(f"the simulator did not start: {sim.stderr.read() if sim.stderr else ''}")
    acq = Acquisition()
    replies = acq.hub.subscribe([m.BindSignature], name="demo-replies")
    everything = acq.hub.subscribe(maxsize=2_000_000, name="demo-ledger")
    recorder = SessionRecorder(acq.hub, out, profile="logger", region=args.region.upper()).start()
    outbox = ClaimsOutbox(out / "claims.sqlite")
    collector = CheckpointCollector(acq.hub, outbox).start()
    source = acq.add_device(port, name="sim0", sync_time=False)
    deadline = time.monotonic() + 10
    while acq.hello(source) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    hello = acq.hello(source)
    if hello is None:
        sim.terminate()
        acq.stop()
        raise CsmError(f"no HELLO from the simulator on {port} within 10 s")
    print(f"[2/6] simulated {args.panel_watts} W adapter 0x{hello.device.hex()} on {port} (pyserial), "
          f"{args.hours:g} h of sun in {args.seconds:g} s at {args.rate} Hz")

    if deployment is not None and chain is not None:
        chain.register_device(SignedMessage(hello.attestation, hello.attestation_signature))
        wallet = wallet_bytes(_wallet_of(deployment))
        acq.send(source, m.BindRequest(wallet, chain.deployment_id, region_numeric))
        bind = _wait_for(replies, m.BindSignature)
        _follow_device_clock(deployment, bind.message.device_time)
        chain.bind(SignedMessage(bind.message.encode(), bind.signature))
        register_site = getattr(deployment, "register_site", None)
        if register_site is not None:
            # The bind's region is only declared; the deployment's authority registers the site.
            register_site(hello.device, region_numeric)
        print(f"      registered with its manufacturer attestation and bound to wallet 0x{wallet[-20:].hex()} "
              f"(region {region_numeric}) on deployment {chain.deployment_id.hex()[:16]}…")

    ledger = EnergyLedger()
    findings = []
    events: list[LinkEvent] = []
    t0 = time.monotonic()
    try:
        # Until the device has caught up with now (or twice the planned time has passed).
        while time.monotonic() - t0 < 2 * args.seconds + 10:
            last = ledger.track(source).last_block
            if last is not None and last.t0_us / 1e6 >= time.time() - 5:
                break
            time.sleep(1.0)
            batch = everything.drain()
            findings += ledger.feed_many(batch)
            events += [e.record for e in batch if isinstance(e.record, LinkEvent) and e.record.severity >= 1]
            st = acq.stats(source)
            track = ledger.track(source)
            print(f"[3/6] {time.monotonic() - t0:5.1f}s  {st.samples:>9} samples  {track.last_power_w:6.2f} W  "
                  f"{track.totals.session_kwh * 1000:8.2f} Wh  checkpoints {st.checkpoints}  "
                  f"lost {st.samples_lost}  crc {st.crc_errors}", flush=True)
        acq.send(source, m.RequestCheckpoint())  # close the session with a fresh signed checkpoint
        time.sleep(0.5)
    finally:
        findings += ledger.feed_many(everything.drain())
        st = acq.stats(source)
        acq.stop()
        sim.terminate()
        sim.wait(10)
        collector.stop()

    track = ledger.track(source)
    kwh = track.totals.session_kwh
    co2 = avoided(kwh, CarbonSettings(region=args.region.upper()))
    prov = co2.provenance
    recorder.set_provenance({"carbon": co2.to_json(), "energy_kwh": kwh})
    paths = recorder.stop()
    verified = sum(1 for f in findings if isinstance(f, CheckpointFinding) and f.status == "verified")
    problems = [f for f in findings if f.as_link_event() is not None]
    print(f"[4/6] recorded {st.samples} samples ({st.samples_lost} lost and counted, {st.crc_errors} CRC errors) "
          f"to {', '.join(str(p) for p in paths)}")
    print(f"      {verified} checkpoints verified (signature, order, hash chain over the blocks); "
          f"{len(problems)} problems found; {len(events)} link warnings")
    for event in [e for e in (f.as_link_event() for f in problems[:5]) if e is not None]:
        print(f"      ! {event.message}")
    print(f"[5/6] energy {kwh * 1000:.2f} Wh = {kwh:.5f} kWh;  avoided CO2 estimate {co2.co2_kg * 1000:.1f} g "
          f"({co2.label})")
    print(f"      factor {prov.factor:g} {prov.unit}, {prov.method}, {prov.dataset} {prov.version} "
          f"year {prov.year}, region {prov.region}, licence {prov.licence}{' (FLAGGED)' if prov.flagged else ''}")

    if chain is None:
        print("[6/6] no chain (--chain none): claims stay in the outbox", out / "claims.sqlite")
        return 0
    state = chain.device_state(hello.device)
    newest = outbox.newest_claimable(chain.deployment_id)
    if state is None or not newest:
        print("[6/6] nothing to claim: no checkpoint was made after the binding")
        return 1
    ck = newest[0]
    _follow_device_clock(deployment, ck.device_time)
    params = chain.params()
    chain_time = getattr(getattr(deployment, "chain", None), "pending_timestamp", None)
    now = int(chain_time()) if chain_time is not None else int(time.time())
    network = chain.network_state() if hasattr(chain, "network_state") else chain.network_energy_mwh()
    pending = chain.pending_change() if hasattr(chain, "pending_change") else None
    preview = preview_checkpoint(params, DeviceState(state.rated_w, state.region, state.last_seq,
                                                     state.last_energy_mwh, state.last_time, revoked=state.revoked),
                                 network, now, ck.seq, ck.energy_mwh, ck.device_time, pending=pending)
    print(f"      reward preview for checkpoint {ck.seq}: {preview.energy_mwh} mWh -> {preview.tokens_display} "
          f"tokens (value {preview.value_micro_usd / 1e6:.4f} USD at {preview.price_micro_usd_per_kwh / 1e6:.2f} "
          f"USD/kWh x {preview.share_bps / 100:g} %); {'; '.join(preview.notes)}")
    for warning in preview.warnings:
        print(f"      ! {warning}")
    report = SyncEngine(outbox, chain).sync_once()
    if not report.ok:
        print(f"[6/6] chain unreachable, claims kept in the outbox: {report.error}")
        return 1
    match = "matches the preview" if report.tokens == preview.tokens else "DIFFERS from the preview"
    print(f"[6/6] claimed on {args.chain}: {report.paid} paid, {report.deferred} deferred, {report.rejected} "
          f"rejected; minted {report.tokens} base units ({match}); tx {', '.join(report.transactions)}")
    return 0 if report.tokens == preview.tokens else 1


def _wallet_of(deployment: _EmbeddedDeployment) -> bytes:
    wallet = deployment.wallet
    if hasattr(wallet, "pubkey"):  # a Solana keypair: the wallet is its public key
        return bytes(wallet.pubkey())
    address = getattr(wallet, "address", wallet)
    if isinstance(address, str):
        return bytes.fromhex(address.removeprefix("0x"))
    if isinstance(address, bytes | SupportsBytes):  # a Solana Pubkey
        return bytes(address)
    raise CsmError(f"the embedded deployment's wallet {wallet!r} has no address")
