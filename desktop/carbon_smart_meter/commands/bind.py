"""`csm bind PORT --wallet NAME|ADDR --chain DEPLOYMENT`: bind an adapter to a wallet on a deployment.

The adapter signs the bind over USB (BIND_REQUEST -> BIND_SIGNATURE: a physical connection is needed,
RULES.md); the bind and the adapter's manufacturer attestation are kept in the data directory's claims
outbox first, then put on chain: the device registered (attestation) and bound. The chain takes a bind
only from the wallet it names, so `--wallet` is a `csm wallet` (unlocked with its password). With
`--offline` (a ship at sea) or an address instead of a wallet name, the signed bind waits in the outbox
and goes on chain with that wallet's next `csm claims sync`, the ship service's sync, or a bundle
submitted with that wallet.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from carbon_smart_meter.commands.arguments import number, region_code
from carbon_smart_meter.errors import CsmError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bind", help="bind an adapter to a wallet on a deployment (the adapter signs over USB)")
    p.add_argument("port", help="serial port, simulator pty or pyserial URL of the adapter")
    p.add_argument("--wallet", required=True,
                   help="the wallet rewards go to: a `csm wallet` name (it also sends the bind), or an address "
                        "(then the bind waits for that wallet's sync)")
    p.add_argument("--chain", required=True, metavar="DEPLOYMENT", help="deployment record (`csm chain list`)")
    p.add_argument("--region", default="", type=region_code, help="site region the device declares (ISO code, e.g. NZ)")
    p.add_argument("--password-env", default=None, metavar="VAR",
                   help="environment variable holding the wallet password (else asked)")
    p.add_argument("--rpc", default="", help="RPC URL (default: the deployment record's)")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                   help="folder of the claims outbox that keeps the bind (default: the settings' data directory)")
    p.add_argument("--offline", action="store_true",
                   help="only have the adapter sign the bind; it goes on chain with the next sync")
    p.add_argument("--timeout", type=number(above=0, maximum=3600, unit="s"),
                   default=15.0, help="seconds to wait for the adapter (default 15)")
    p.set_defaults(func=cmd_bind)


def _wallet(text: str, kind: str) -> tuple[bytes, str | None]:
    """(the wallet's raw bytes, the `csm wallet` name when one was given)."""
    from carbon_smart_meter.chains import wallets

    raw = text.removeprefix("0x")
    if kind == "evm" and len(raw) == 40:
        try:
            return bytes.fromhex(raw), None
        except ValueError:
            pass
    if kind == "solana" and 32 <= len(text) <= 44:
        from solders.pubkey import Pubkey

        try:
            return bytes(Pubkey.from_string(text)), None
        except ValueError:
            pass
    w = wallets.info(text)
    if w.kind != kind:
        raise CsmError(f"wallet {w.name} is a {w.kind} wallet; this deployment is on a {kind} chain")
    if kind == "evm":
        return bytes.fromhex(w.address.removeprefix("0x")), w.name
    from solders.pubkey import Pubkey

    return bytes(Pubkey.from_string(w.address)), w.name


def cmd_bind(args: argparse.Namespace) -> int:
    from carbon_smart_meter.app.reward_preview import region_number
    from carbon_smart_meter.app.session import OUTBOX_NAME, LiveSession
    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.chains.adapter import SignedMessage
    from carbon_smart_meter.protocol import messages as m
    from carbon_smart_meter.protocol.signing import wallet_bytes
    from carbon_smart_meter.settings import Settings, load_settings

    record = deployments.load(args.chain)
    wallet, wallet_name = _wallet(args.wallet, record.kind)
    region = region_number(args.region) if args.region else 0
    signer = None
    if wallet_name is not None and not args.offline:
        from carbon_smart_meter.chains.connect import unlock_signer

        signer = unlock_signer(record, wallet_name, args.password_env)  # a wrong password fails before the device
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else Path(load_settings()[0].data_dir).expanduser()
    session = LiveSession(Settings(data_dir=str(data_dir)), "logger")
    replies = session.hub.subscribe([m.BindSignature], name="bind-replies")
    session.start()
    try:
        source = session.connect(args.port, name="bind", sync_time=True, record=False)
        deadline = time.monotonic() + args.timeout
        while session.acquisition.hello(source) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        hello = session.acquisition.hello(source)
        if hello is None:
            raise CsmError(f"no adapter answered on {args.port} within {args.timeout:g} s: check the cable and "
                           "the port (`csm devices`)")
        session.send(source, m.BindRequest(wallet_bytes(wallet), record.deployment_id_bytes, region))
        bind = None
        while bind is None and time.monotonic() < deadline + args.timeout:
            env = replies.get(timeout=0.2)
            if env is not None and isinstance(env.record, m.BindSignature):
                bind = env.record
        if bind is None:
            raise CsmError(f"the adapter 0x{hello.device.hex()} did not sign the bind within {args.timeout:g} s; "
                           "nothing was bound")
        if bind.message.wallet != wallet_bytes(wallet) or bind.message.deployment_id != record.deployment_id_bytes:
            raise CsmError("the adapter signed a bind for another wallet or deployment than requested: refused")
        assert session.outbox is not None, "the session opens the outbox at start"
        binding = session.outbox.add_binding(
            bind.message.encode(), bind.signature, deployment=record.name,
            attestation=SignedMessage(hello.attestation, hello.attestation_signature))
    finally:
        session.stop()
    print(f"adapter 0x{binding.device.hex()} signed bind seq {binding.seq} for wallet 0x{wallet.hex()} on "
          f"{record.name} (kept in {data_dir / OUTBOX_NAME})")
    if signer is None:
        print("the bind goes on chain with that wallet's next `csm claims sync` (or the ship service's sync)")
        return 0
    from carbon_smart_meter.chains.connect import adapter_for
    from carbon_smart_meter.claims.outbox import ClaimsOutbox
    from carbon_smart_meter.claims.sync import SyncEngine, SyncReport
    from carbon_smart_meter.errors import ChainError

    report = SyncReport()
    try:
        chain = adapter_for(record, signer, rpc=args.rpc)
        SyncEngine(ClaimsOutbox(data_dir / OUTBOX_NAME), chain, chain_name=record.name).push_bindings(report)
    except ChainError as exc:
        raise CsmError(f"{exc} — the adapter's signed bind is kept in the outbox and goes on chain with the "
                       "next `csm claims sync`") from exc
    if report.bind_errors:
        raise CsmError(f"the chain did not take the bind: {report.bind_errors[0]}")
    state = chain.device_state(binding.device)
    if state is None or state.wallet is None or wallet_bytes(state.wallet) != wallet_bytes(wallet):
        raise CsmError(f"the bind of 0x{binding.device.hex()} is not on chain after sending it; run "
                       "`csm claims sync` to retry")
    print(f"registered and bound on {record.name}: device 0x{binding.device.hex()} pays wallet 0x{wallet.hex()}")
    return 0
