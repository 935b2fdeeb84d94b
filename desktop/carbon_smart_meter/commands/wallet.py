"""`csm wallet new|import|show|list`: the accounts that receive rewards and pay fees, encrypted at rest.

Secrets are read from files and passwords from a prompt or a named environment variable, so nothing
secret ever sits on a command line (where `ps` and shell history would keep it) or in output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from carbon_smart_meter.chains import wallets
from carbon_smart_meter.errors import CsmError


def register(sub: argparse._SubParsersAction) -> None:
    wallet = sub.add_parser("wallet", help="create, import and show wallets (EVM keystores, Solana keypairs)",
                            description=f"Wallets live in {wallets.wallets_dir()} (CSM_WALLETS moves them), "
                                        "encrypted with your password (keystore v3, scrypt).")
    actions = wallet.add_subparsers(dest="wallet_action", metavar="ACTION")

    p = actions.add_parser("new", help="create a new random wallet")
    p.add_argument("name", help="a name for it, e.g. resort-rewards")
    p.add_argument("--kind", choices=wallets.KINDS, required=True, help="evm (all EVM chains) or solana")
    _password_option(p)
    p.set_defaults(func=cmd_new)

    p = actions.add_parser("import", help="import an existing key (from a file, never from the command line)")
    p.add_argument("name")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--keystore", type=Path, help="an EVM keystore v3 JSON (geth, Foundry, MetaMask export)")
    src.add_argument("--key-file", type=Path, help="a file holding an EVM private key as 64 hex digits")
    src.add_argument("--solana-keypair", type=Path, help="a Solana CLI keypair file (JSON array of 64 bytes)")
    p.add_argument("--source-password-env", default=None, metavar="VAR",
                   help="environment variable with the password of --keystore (else asked)")
    _password_option(p)
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("show", help="address and file of one wallet (never the key)")
    p.add_argument("name", help="wallet name or path of a wallet file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = actions.add_parser("list", help="every wallet in the wallet directory")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    wallet.set_defaults(func=lambda args: wallet.print_help() or 2)


def _password_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-env", default=None, metavar="VAR",
                   help="read the wallet password from this environment variable (else asked on the terminal)")


def cmd_new(args: argparse.Namespace) -> int:
    password = wallets.read_password(args.password_env, what=f"the new wallet {args.name}", confirm=True)
    info = wallets.create(args.name, args.kind, password)
    print(f"created {info.kind} wallet {info.name}: {info.address}\n  file {info.path} (encrypted; back it up "
          "with its password: without both the rewards it receives cannot be moved)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if args.keystore is not None:
        source_password = wallets.read_password(args.source_password_env, what=str(args.keystore))
        kind, secret = "evm", wallets.read_keystore_secret(args.keystore, source_password)
    elif args.key_file is not None:
        kind, secret = "evm", wallets.read_key_file(args.key_file)
    else:
        kind, secret = "solana", wallets.read_solana_keypair_file(args.solana_keypair)
    password = wallets.read_password(args.password_env, what=f"the wallet {args.name}", confirm=True)
    info = wallets.import_secret(args.name, kind, secret, password)
    print(f"imported {info.kind} wallet {info.name}: {info.address}\n  file {info.path} (encrypted)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    info = wallets.info(args.name)
    if args.json:
        print(json.dumps(info.as_dict(), indent=2))
    else:
        print(f"{info.name}  {info.kind}  {info.address}\n  file {info.path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    found = wallets.list_wallets()
    if args.json:
        print(json.dumps([w.as_dict() for w in found], indent=2))
        return 0
    if not found:
        raise CsmError(f"no wallets in {wallets.wallets_dir()}: create one with `csm wallet new NAME --kind evm`")
    for w in found:
        print(f"{w.name:<24} {w.kind:<7} {w.address}")
    return 0
