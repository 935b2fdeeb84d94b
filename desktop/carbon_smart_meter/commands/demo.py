"""`csm demo`: the whole path on embedded defaults, with no hardware and no network.

A simulated adapter on a real pseudo-terminal is read through pyserial by the live session (the same
composition as `csm log` and the window: HDF5 recorder, energy ledger, claims outbox). At the end the
demo prints kWh, avoided CO2 with its provenance and the reward preview `csm offsets FILE` would show,
then binds the device on an embedded chain (eth-tester on py-evm by default) and claims its newest
signed checkpoint, so the preview can be compared with what the chain actually minted.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Protocol, SupportsBytes, TypeVar

from carbon_smart_meter.acquisition.hub import Subscription
from carbon_smart_meter.acquisition.records import LinkEvent
from carbon_smart_meter.app.reward_preview import ReasonCode, region_number
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.carbon.resolve import avoided
from carbon_smart_meter.chains.adapter import ChainAdapter, SignedMessage
from carbon_smart_meter.commands.arguments import number, region_code, whole
from carbon_smart_meter.commands.devices import MAX_PANEL_W
from carbon_smart_meter.devices.sim_device import MAX_RATE_HZ
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import wallet_bytes
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState
from carbon_smart_meter.rewards.prices import shipped_table
from carbon_smart_meter.settings import Settings

SHOWN_WARNINGS = 5  # problems and link warnings printed in full; the rest are counted


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on a simulated adapter (no hardware, no network)")
    p.add_argument("--seconds", type=number(minimum=2.0, maximum=3600.0, unit="s"), default=20.0,
                   help="wall-clock length of the demo (2..3600)")
    p.add_argument("--hours", type=number(above=0.0, maximum=24.0, unit="h"), default=6.0,
                   help="simulated hours of sunshine to cover (up to 24)")
    p.add_argument("--rate", type=whole(minimum=1, maximum=MAX_RATE_HZ, unit="Hz"), default=100,
                   help="device sample rate, Hz")
    p.add_argument("--panel-watts", type=whole(minimum=1, maximum=MAX_PANEL_W, unit="W"), default=50)
    p.add_argument("--region", default="NZ", type=region_code,
                   help="ISO 3166-1 alpha-2 country for the CO2 factor and price")
    p.add_argument("--out", default="", help="directory for the HDF5 recording and the claims outbox, kept "
                   "(default: a new temporary directory, removed at the end unless --keep)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (with --out the files are "
                   "always kept)")
    p.add_argument("--chain", choices=["evm", "solana", "none"], default="evm",
                   help="embedded chain to claim on (solana runs the program binary `make solana` builds)")
    p.add_argument("--node", choices=["embedded", "anvil"], default="embedded",
                   help="evm only: the in-process chain (default) or a real node in its own process (anvil, "
                        "installed by `make tools`)")
    p.set_defaults(func=cmd_demo)


class _EmbeddedDeployment(Protocol):
    """What the demo uses of an embedded chain: evm.local.LocalDeployment, solana.local.LocalSolanaDeployment."""

    @property
    def adapter(self) -> ChainAdapter: ...

    @property
    def wallet(self) -> object: ...


_Record = TypeVar("_Record")


def _embedded_chain(kind: str, start: float, node: str = "embedded") -> _EmbeddedDeployment | None:
    if kind == "none":
        return None
    if node == "anvil":
        if kind != "evm":
            raise CsmError("--node anvil runs the EVM contract: use it with --chain evm")
        from carbon_smart_meter.chains.evm.anvil_deployment import anvil_deployment

        return anvil_deployment(params=shipped_table().apply_to(PayoutParams()), genesis_timestamp=int(start) - 60)
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


def warning_lines(warnings: list[LinkEvent], limit: int = SHOWN_WARNINGS) -> list[str]:
    """The link warnings a demo counted, the first `limit` in words and a count of the rest: a number
    alone ("2 link warnings") tells a new user neither what happened nor whether it matters."""
    lines = [f"      ! {w.kind}: {w.message}" for w in warnings[:limit]]
    if len(warnings) > limit:
        lines.append(f"      ! … and {len(warnings) - limit} more")
    return lines


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="csm-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        return _demo(args, out)
    finally:
        # A demo is run again and again: its temporary recordings (36-38 MB each, issue 18) go with it,
        # unless the user asked for the files (--out DIR, --keep); either way the user is told.
        if args.out or args.keep:
            print(f"      files kept in {out}")
        else:
            size = _folder_size(out)
            shutil.rmtree(out, ignore_errors=True)
            print(f"      removed the temporary directory {out} ({size / 1e6:.1f} MB); "
                  "pass --keep or --out DIR to keep the recording and the claims outbox")


def _demo(args: argparse.Namespace, out: Path) -> int:
    region = args.region.upper()
    region_numeric = region_number(region)
    speed = args.hours * 3600.0 / args.seconds
    # Centre the simulated hours on local solar noon, whatever the time of day the demo runs.
    start = time.time() - args.hours * 3600.0
    wanted = (12.0 - args.hours / 2.0) * 3600.0
    longitude = (((wanted - start % 86400.0) + 43200.0) % 86400.0 - 43200.0) / 240.0
    print(f"[1/6] embedded chain: {args.chain}")
    deployment = _embedded_chain(args.chain, start, args.node)
    if deployment is not None and hasattr(deployment, "close"):
        import atexit

        atexit.register(deployment.close)  # the node goes with the demo, however it ends (stopping twice is fine)
        print(f"      a real node in its own process: anvil at {deployment.node.url}")  # type: ignore[attr-defined]
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
    # The same live session `csm log` and the window run: recording, calibration, ledger, claims outbox.
    session = LiveSession(Settings(data_dir=str(out), region=region), "logger", chain=chain)
    replies = session.hub.subscribe([m.BindSignature], name="demo-replies")
    warnings = session.hub.subscribe([LinkEvent], maxsize=100_000, name="demo-warnings")
    session.start()
    try:
        return _run(args, session, sim, port, deployment, chain, replies, warnings, region_numeric)
    finally:
        session.stop()
        if sim.poll() is None:
            sim.terminate()
            sim.wait(10)
        close = getattr(deployment, "close", None)
        if close is not None:
            close()


def _run(args: argparse.Namespace, session: LiveSession, sim: subprocess.Popen[str], port: str,
         deployment: _EmbeddedDeployment | None,
         chain: ChainAdapter | None, replies: Subscription, warnings: Subscription, region_numeric: int) -> int:
    source = session.connect(port, name="sim0", sync_time=False, record=True)
    deadline = time.monotonic() + 10
    while session.acquisition.hello(source) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    hello = session.acquisition.hello(source)
    if hello is None:
        raise CsmError(f"no HELLO from the simulator on {port} within 10 s")
    print(f"[2/6] simulated {args.panel_watts} W adapter 0x{hello.device.hex()} on {port} (pyserial), "
          f"{args.hours:g} h of sun in {args.seconds:g} s at {args.rate} Hz")

    if deployment is not None and chain is not None:
        chain.register_device(SignedMessage(hello.attestation, hello.attestation_signature))
        wallet = wallet_bytes(_wallet_of(deployment))
        session.send(source, m.BindRequest(wallet, chain.deployment_id, region_numeric))
        bind = _wait_for(replies, m.BindSignature)
        _follow_device_clock(deployment, bind.message.device_time)
        chain.bind(SignedMessage(bind.message.encode(), bind.signature))
        register_site = getattr(deployment, "register_site", None)
        if register_site is not None:
            # The bind's region is only declared; the deployment's authority registers the site.
            register_site(hello.device, region_numeric)
        print(f"      registered with its manufacturer attestation and bound to wallet 0x{wallet[-20:].hex()} "
              f"(region {region_numeric}) on deployment {chain.deployment_id.hex()[:16]}…")

    t0 = time.monotonic()
    seen: tuple[float, float] | None = None  # (wall, device time) of the previous look
    # Until the device has caught up with now, i.e. its clock runs at wall speed (or twice the planned time).
    while time.monotonic() - t0 < 2 * args.seconds + 10:
        e = session.energy.energy(source)
        if e is not None and e.last_sample_unix_s:
            if seen is not None and e.last_sample_unix_s - seen[1] <= 1.5 * (time.monotonic() - seen[0]):
                break
            seen = (time.monotonic(), e.last_sample_unix_s)
        time.sleep(1.0)
        st = session.acquisition.stats(source)
        e = session.energy.energy(source)
        power, wh = (e.last_power_w, e.energy_wh) if e is not None else (0.0, 0.0)
        print(f"[3/6] {time.monotonic() - t0:5.1f}s  {st.samples:>9} samples  {power:6.2f} W  {wh:8.2f} Wh  "
              f"checkpoints {st.checkpoints}  lost {st.samples_lost}  crc {st.crc_errors}", flush=True)
    session.send(source, m.RequestCheckpoint())  # close the session with a fresh signed checkpoint
    time.sleep(0.5)
    st = session.acquisition.stats(source)

    def provenance() -> None:  # every sample is integrated now, and the file is still open
        e = session.energy.energy(source)
        kwh = e.energy_wh / 1e3 if e is not None else 0.0
        session.set_provenance({"carbon": avoided(kwh, session.carbon).to_json(), "energy_kwh": kwh})

    paths = session.stop_devices(before_files_close=provenance)
    sim.terminate()
    sim.wait(10)
    e = session.energy.energy(source)
    kwh = e.energy_wh / 1e3 if e is not None else 0.0
    co2 = avoided(kwh, session.carbon)
    prov = co2.provenance
    verified = e.verified_checkpoints if e is not None else 0
    problems = list(session.energy.problems)
    link_warnings = [env.record for env in warnings.drain()
                     if isinstance(env.record, LinkEvent) and env.record.severity >= 1]
    print(f"[4/6] recorded {st.samples} samples ({st.samples_lost} lost and counted, {st.crc_errors} CRC errors) "
          f"to {', '.join(str(p) for p in paths)}")
    print(f"      {verified} checkpoints verified (signature, order, hash chain over the blocks); "
          f"{len(problems)} problems found; {len(link_warnings)} link warnings")
    for text in problems[:SHOWN_WARNINGS]:
        print(f"      ! {text}")
    for line in warning_lines(link_warnings):
        print(line)
    print(f"[5/6] energy {kwh * 1000:.2f} Wh = {kwh:.5f} kWh;  avoided CO2 estimate {co2.co2_kg * 1000:.1f} g "
          f"({co2.label})")
    print(f"      factor {prov.factor:g} {prov.unit}, {prov.method}, {prov.dataset} {prov.version} "
          f"year {prov.year}, region {prov.region}, licence {prov.licence}{' (FLAGGED)' if prov.flagged else ''}")
    if paths:  # what `csm offsets FILE` says about the recording: the same report, the same provider
        quote = session.file_report(paths[0]).reward
        print(f"      session reward preview {quote.tokens} base units ({quote.preview.energy_mwh} mWh, "
              f"parameters from the {quote.source.replace('-', ' ')}: {quote.source_detail})")

    outbox = session.outbox
    if chain is None or outbox is None:
        print("[6/6] no chain (--chain none): claims stay in the outbox", session.outbox_path)
        return 0
    state = chain.device_state(hello.device)
    newest = outbox.newest_claimable(chain.deployment_id)
    if state is None or not newest:
        print("[6/6] nothing to claim: no checkpoint was made after the binding")
        return 1
    ck = newest[0]
    _follow_device_clock(deployment, ck.device_time)
    chain_time = getattr(getattr(deployment, "chain", None), "pending_timestamp", None)
    now = int(chain_time()) if chain_time is not None else int(time.time())
    session.previewer.refresh()  # the deployment's parameters, network state and scheduled changes, now
    quote = session.previewer.preview_checkpoint(
        DeviceState(state.rated_w, state.region, state.last_seq, state.last_energy_mwh, state.last_time,
                    revoked=state.revoked), now, ck.seq, ck.energy_mwh, ck.device_time)
    preview = quote.preview
    notes = [r.text for r in quote.reasons if r.code != ReasonCode.PENDING_CHANGE]
    print(f"      reward preview for checkpoint {ck.seq}: {preview.energy_mwh} mWh -> {preview.tokens_display} "
          f"tokens (value {preview.value_micro_usd / 1e6:.4f} USD at {preview.price_micro_usd_per_kwh / 1e6:.2f} "
          f"USD/kWh x {preview.share_bps / 100:g} %); {'; '.join(notes)}")
    for warning in preview.warnings:
        print(f"      ! {warning}")
    report = session.sync_once()
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
