"""`csm claims status|sync|export|import|submit`: the claims outbox of a data directory, by hand.

`status` reads the outbox only (no network). `sync` is what the kiosk and ship services run by
themselves: recover recorded transactions, reconcile with the chain, put offline binds on chain, send
the newest payable checkpoint per device. `export` writes a claim bundle for a machine with a link;
`import` adds one to an outbox; `submit` imports into the relayer's own outbox and syncs it at once
(the relayer pays the fees; rewards go to each device's bound wallet; a second submit pays nothing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from carbon_smart_meter.commands.arguments import claims_chain_options, evm_fees
from carbon_smart_meter.errors import CsmError

OUTBOX_NAME = "claims.sqlite"  # as app/session.py names it beside the recordings


def register(sub: argparse._SubParsersAction) -> None:
    claims = sub.add_parser("claims", help="the claims outbox: status, sync, bundles for another machine")
    actions = claims.add_subparsers(dest="claims_action", metavar="ACTION")

    p = actions.add_parser("status", help="per device: newest checkpoint, pending energy, state, last error")
    _data_dir(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = actions.add_parser("sync", help="reconcile with the chain and send the newest checkpoint per device")
    _data_dir(p)
    _chain_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)

    p = actions.add_parser("export", help="write the unsettled checkpoints and binds to one bundle file")
    _data_dir(p)
    p.add_argument("--out", "-o", type=Path, required=True, help="bundle file to write (never overwritten)")
    p.add_argument("--chain", default="", metavar="DEPLOYMENT",
                   help="only this deployment's claims (needed when the outbox holds several)")
    p.set_defaults(func=cmd_export)

    p = actions.add_parser("import", help="add a bundle's checkpoints and binds to this outbox")
    p.add_argument("bundle", type=Path)
    _data_dir(p)
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("submit", help="import a bundle into the relayer's outbox and sync it now")
    p.add_argument("bundle", type=Path)
    _data_dir(p, default_help="the relayer's outbox (default: a `relay` folder in the user data directory)")
    _chain_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_submit)
    claims.set_defaults(func=lambda args: claims.print_help() or 2)


def _data_dir(p: argparse.ArgumentParser, default_help: str = "") -> None:
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                   help=default_help or "the folder holding claims.sqlite (`csm log --out DIR`; default: the "
                                        "settings' data directory)")


def _chain_options(p: argparse.ArgumentParser) -> None:
    claims_chain_options(p, required=True)


def _outbox_path(args: argparse.Namespace, *, relay: bool = False, must_exist: bool = True) -> Path:
    if args.data_dir is not None:
        folder = Path(args.data_dir).expanduser()
    elif relay:
        from carbon_smart_meter.settings import default_data_dir

        folder = default_data_dir().parent / "relay"
    else:
        from carbon_smart_meter.settings import load_settings

        folder = Path(load_settings()[0].data_dir).expanduser()
    path = folder / OUTBOX_NAME
    if must_exist and not path.is_file():
        raise CsmError(f"no claims outbox at {path}: `csm log --out DIR` (or the window) makes one; name its "
                       "folder with --data-dir DIR")
    return path


def _open(path: Path) -> Any:
    from carbon_smart_meter.claims.outbox import ClaimsOutbox

    return ClaimsOutbox(path)


# ---- status --------------------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace) -> int:
    path = _outbox_path(args)
    outbox = _open(path)
    from carbon_smart_meter.claims.status import status_rows

    rows = status_rows(outbox)
    open_txs = [t for t in outbox.transactions() if t.state == "signed"]
    if args.json:
        print(json.dumps({"outbox": str(path), "counts": outbox.counts(), "devices": rows,
                          "open_transactions": [t.tx_id for t in open_txs],
                          "open_transaction_details": [
                              {"tx": t.tx_id, "nonce": t.nonce, "max_fee_wei": t.max_fee,
                               "priority_fee_wei": t.priority_fee, "sent_block": t.sent_block,
                               "replaces": t.replaces, "state": t.error} for t in open_txs]}, indent=2))
        return 0
    counts = ", ".join(f"{n} {s}" for s, n in outbox.counts().items() if n) or "empty"
    print(f"claims outbox {path}: {counts}")
    if not rows:
        print("no checkpoint yet: connect a device (`csm log`, the window) and let it sign one")
    for r in rows:
        unbound = r["deployment_id"] == "0x" + "00" * 32
        head = f"{r['device']}  seq {r['newest_seq']:<6} {r['newest_energy_wh']:10.3f} Wh  {r['state']:<9}"
        if unbound:
            print(f"{head} not bound: `csm bind PORT --wallet ADDR --chain NAME`")
            continue
        tail = f" pending {r['pending_wh']:.3f} Wh, paid {r['paid_tokens']} base units"
        if r["bind"] == "waiting for a link":
            tail += ", bind waits for a link"
        if r["last_attempt_utc"]:
            tail += f", last attempt {r['last_attempt_utc']}"
        if r["error"]:
            tail += f" — {r['error']}"
        print(head + tail)
    for t in open_txs:
        print(f"transaction {t.tx_id}{_fee_words(t)} sent, its outcome not known yet (the next sync asks the "
              "chain)" + (f": {t.error}" if t.error else ""))
    return 0


def _fee_words(tx: Any) -> str:
    """ " (nonce 4, fee 2.2 gwei, replaces 0xab…)" for an EVM transaction; "" when nothing is known."""
    parts = []
    if tx.nonce is not None and tx.max_fee is not None:
        parts.append(f"nonce {tx.nonce}")
    if tx.max_fee is not None:
        parts.append(f"fee {tx.max_fee / 1e9:.3g} gwei")
    if tx.replaces:
        parts.append(f"replaces {tx.replaces[:10]}…")
    return f" ({', '.join(parts)})" if parts else ""


# ---- sync / submit ---------------------------------------------------------------------------------------

def _sync(path: Path, args: argparse.Namespace) -> int:
    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.chains.connect import adapter_for, unlock_signer
    from carbon_smart_meter.claims.sync import SyncEngine

    record = deployments.load(args.chain)
    signer = unlock_signer(record, args.wallet, args.password_env)
    chain = adapter_for(record, signer, rpc=args.rpc, evm_fees=evm_fees(args))  # (used on EVM chains only)
    report = SyncEngine(_open(path), chain, chain_name=record.name).sync_once()
    if args.json:
        from dataclasses import asdict

        print(json.dumps(asdict(report), indent=2))
    else:
        print(f"{record.name}: {report.paid} paid ({report.tokens} base units), {report.paid_elsewhere} paid by "
              f"another transaction, {report.deferred} waiting, {report.rejected} refused, "
              f"{report.settled_by_chain} settled by the chain, {report.recovered} recovered, {report.bound} bound")
        for tx in report.transactions:
            link = record.net.explorer_url(tx)
            print(f"  transaction {tx}" + (f"  {link}" if link else ""))
    for problem in report.bind_errors:
        print(f"csm claims: bind {problem}", file=sys.stderr)
    if report.error:
        raise CsmError(f"{report.error} (the outbox keeps every claim; sync again later)")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    return _sync(_outbox_path(args), args)


def cmd_submit(args: argparse.Namespace) -> int:
    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.claims.bundle import import_bundle, read_bundle

    record = deployments.load(args.chain)
    read_bundle(args.bundle)  # a damaged bundle is refused before a wallet is unlocked or a node is asked
    path = _outbox_path(args, relay=True, must_exist=False)
    summary = import_bundle(_open(path), args.bundle, record.deployment_id_bytes)
    if not args.json:
        print(f"{args.bundle}: {summary.checkpoints} checkpoints of {summary.devices} devices ({summary.added} new "
              f"here), {summary.binds} binds; relaying from {path}")
    return _sync(path, args)


# ---- bundles ---------------------------------------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    from carbon_smart_meter.claims.bundle import export_bundle

    dep = None
    if args.chain:
        from carbon_smart_meter.chains import deployments

        dep = deployments.load(args.chain).deployment_id_bytes
    summary = export_bundle(_open(_outbox_path(args)), args.out, dep)
    print(f"wrote {summary.path}: {summary.checkpoints} checkpoints of {summary.devices} devices and "
          f"{summary.binds} binds for deployment 0x{summary.deployment_id.hex()[:16]}…; anyone with a link can "
          f"`csm claims submit {summary.path.name} --chain NAME --wallet W`")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from carbon_smart_meter.claims.bundle import import_bundle

    path = _outbox_path(args, must_exist=False)
    summary = import_bundle(_open(path), args.bundle)
    print(f"{args.bundle}: {summary.added} new checkpoints of {summary.devices} devices and {summary.binds} binds "
          f"in {path}")
    return 0
