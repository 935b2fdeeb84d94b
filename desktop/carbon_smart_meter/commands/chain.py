"""`csm chain deploy --chain evm|solana --rpc URL`: put a rewards deployment on a real network."""

from __future__ import annotations

import argparse
from pathlib import Path

from carbon_smart_meter.errors import CsmError


def register(sub: argparse._SubParsersAction) -> None:
    chain = sub.add_parser("chain", help="deploy and inspect on-chain rewards deployments")
    actions = chain.add_subparsers(dest="chain_action", metavar="ACTION")
    p = actions.add_parser("deploy", help="deploy the rewards program/contract to a network")
    p.add_argument("--chain", choices=["evm", "solana"], required=True)
    p.add_argument("--rpc", required=True, help="RPC URL of the node")
    p.add_argument("--manufacturer", action="append", default=[],
                   help="manufacturer address (hex, 20 bytes) allowed to attest devices; repeatable")
    evm = p.add_argument_group("EVM")
    evm.add_argument("--keystore", type=Path, help="encrypted keystore JSON of the deployer (EVM)")
    evm.add_argument("--password-env", default="CSM_KEYSTORE_PASSWORD",
                     help="environment variable holding the keystore password (asked for if unset)")
    evm.add_argument("--price", type=int, default=150_000, help="region-0 price, micro-USD per kWh")
    evm.add_argument("--params-delay", type=int, default=7 * 86_400,
                     help="seconds every later parameter or price change waits after it is published "
                          "(3600 .. 7776000; default a week)")
    evm.add_argument("--confirmations", default="2", help="blocks before final, or 'finalized'")
    evm.add_argument("--out", type=Path, help="write the deployment record (JSON) here")
    sol = p.add_argument_group("Solana")
    sol.add_argument("--keypair", default="~/.config/solana/id.json", help="payer/authority keypair file")
    sol.add_argument("--program-id", default="", help="id printed by `solana program deploy`")
    sol.add_argument("--priority-fee", type=int, default=0, help="micro-lamports per compute unit")
    p.set_defaults(func=cmd_deploy)
    chain.set_defaults(func=lambda args: chain.print_help() or 2)


def cmd_deploy(args: argparse.Namespace) -> int:
    if args.chain == "evm":
        if args.keystore is None:
            raise CsmError("--keystore FILE is required for --chain evm (an encrypted keystore JSON, e.g. from "
                           "`geth account new` or eth-account's Account.encrypt)")
        from carbon_smart_meter.chains.evm.deploy import run_deploy

        return run_deploy(args)
    from carbon_smart_meter.commands.chain_solana import cmd_deploy as solana_deploy

    return solana_deploy(args)
