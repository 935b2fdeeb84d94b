"""`csm chain networks|list|show|deploy`: the networks we know, and our rewards deployments on them.

`deploy` puts the rewards contract (EVM) or the program (Solana, deployed and initialised) on a named network and
writes a deployment record (chains/deployments.py) that `bind`, `claims sync` and the services read
with `--chain NAME`, so the RPC URL, address and deployment id are typed once.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from carbon_smart_meter.chains import deployments
from carbon_smart_meter.chains.networks import Network, network, networks
from carbon_smart_meter.commands.arguments import whole
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.limits import MAX_PRICE

DEFAULT_KEYSTORE_ENV = "CSM_KEYSTORE_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    chain = sub.add_parser("chain", help="networks, rewards deployments, and deploying to a network")
    actions = chain.add_subparsers(dest="chain_action", metavar="ACTION")

    p = actions.add_parser("networks", help="the networks known by name, with chain id and finality rule")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_networks)

    p = actions.add_parser("list", help=f"deployment records (in {deployments.deployments_dir()})")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("show", help="one deployment record")
    p.add_argument("name", help="deployment name or record file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = actions.add_parser("deploy", help="deploy the rewards contract/program to a network and record it")
    p.add_argument("--chain", required=True, metavar="NETWORK",
                   help="network name, e.g. sepolia, base, moonbeam, solana-devnet (`csm chain networks`)")
    p.add_argument("--rpc", required=True, help="RPC URL of a node of that network")
    p.add_argument("--name", default="", help="name of the deployment record (default: the network name)")
    p.add_argument("--manufacturer", action="append", default=[],
                   help="manufacturer address (hex, 20 bytes) allowed to attest devices; repeatable")
    p.add_argument("--price", type=whole(minimum=1, maximum=MAX_PRICE, unit="micro-USD/kWh"),
                   default=None, help="region-0 price, micro-USD per kWh")
    p.add_argument("--params-delay", type=whole(minimum=3600, maximum=7_776_000, unit="s"),
                   default=7 * 86_400, metavar="SECONDS",
                   help="how long every later parameter or price change waits after it is published "
                        "(3600 .. 7776000; default a week)")
    evm = p.add_argument_group("EVM")
    evm.add_argument("--wallet", default="", help="deployer wallet (`csm wallet`), becomes the owner")
    evm.add_argument("--keystore", type=Path, help="or an encrypted keystore JSON of the deployer")
    evm.add_argument("--password-env", default=None, metavar="VAR",
                     help=f"environment variable with the wallet/keystore password (else asked; "
                          f"{DEFAULT_KEYSTORE_ENV} is read when set)")
    from carbon_smart_meter.commands.chain_solana import add_solana_arguments

    add_solana_arguments(p.add_argument_group("Solana"))
    p.set_defaults(func=cmd_deploy)
    chain.set_defaults(func=lambda args: chain.print_help() or 2)


def cmd_networks(args: argparse.Namespace) -> int:
    nets = sorted(networks().values(), key=lambda n: (n.kind, n.testnet, n.name))
    if args.json:
        print(json.dumps([asdict(n) for n in nets], indent=2))
        return 0
    for n in nets:
        print(n.describe())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    records = deployments.list_records()
    if args.json:
        print(json.dumps([asdict(r) for r in records], indent=2))
        return 0
    if not records:
        print(f"no deployments in {deployments.deployments_dir()}: `csm chain deploy --chain NETWORK ...` makes one")
        return 0
    for r in records:
        print(f"{r.name:<20} {r.network:<18} {r.address}  deployment {r.deployment_id[:18]}…")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    r = deployments.load(args.name)
    if args.json:
        print(json.dumps(asdict(r), indent=2))
        return 0
    print(f"{r.name}: {r.net.describe()}\n  address        {r.address}\n  deployment id  {r.deployment_id}\n"
          f"  rpc            {r.rpc or '-'}\n  owner          {r.owner or '-'}\n  deployed       {r.created_utc}"
          + (f" in {r.tx}" if r.tx else ""))
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    net = network(args.chain)
    name = args.name or net.name
    if net.kind == "solana":
        from carbon_smart_meter.commands.chain_solana import cmd_deploy as solana_deploy

        return solana_deploy(args, net, name)
    return _deploy_evm(args, net, name)


def _deploy_evm(args: argparse.Namespace, net: Network, name: str) -> int:
    import os

    from carbon_smart_meter.chains import wallets
    from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract
    from carbon_smart_meter.chains.evm.errors import WrongChainError
    from carbon_smart_meter.rewards.limits import DEFAULT_PRICE_MICRO_USD_PER_KWH

    if bool(args.wallet) == bool(args.keystore):
        raise ChainError("name the deployer with --wallet NAME (see `csm wallet list`) or --keystore FILE")
    env = args.password_env or (DEFAULT_KEYSTORE_ENV if os.environ.get(DEFAULT_KEYSTORE_ENV) else None)
    if args.wallet:
        account = wallets.unlock_evm(args.wallet, wallets.read_password(env, what=f"wallet {args.wallet}"))
    else:
        secret = wallets.read_keystore_secret(args.keystore, wallets.read_password(env, what=str(args.keystore)))
        from eth_account import Account

        account = Account.from_key(secret)
    manufacturers = [_address(m) for m in args.manufacturer]
    w3 = connect(args.rpc)
    served = int(w3.eth.chain_id)
    if served != net.chain_id:
        raise WrongChainError(f"the node at {args.rpc} serves chain id {served}, not {net.name} ({net.chain_id}): "
                              "check --rpc and --chain; nothing was sent")
    deployments.deployments_dir()  # fail on an unusable directory before spending gas
    price = args.price if args.price is not None else DEFAULT_PRICE_MICRO_USD_PER_KWH
    print(f"deploying CsmRewards to {net.name} (chain id {served}) from {account.address}; waiting until "
          f"{'finalized' if net.evm_finality == 'finalized' else 'mined'}…", flush=True)
    deployed = deploy_contract(w3, account, default_price_micro_usd=price, finality=net.evm_finality,
                               params_delay_s=args.params_delay)
    if manufacturers:
        from carbon_smart_meter.chains.evm.adapter import EvmAdapter

        owner = EvmAdapter(w3, deployed.address, account, finality=net.evm_finality)
        for manufacturer in manufacturers:
            owner.set_manufacturer(manufacturer, True)
    record = deployments.DeploymentRecord(
        name=name, network=net.name, kind="evm", deployment_id=deployed.deployment_id, address=deployed.address,
        rpc=args.rpc, chain_id=served, owner=deployed.owner, tx=deployed.tx_hash, block=deployed.block)
    path = deployments.save(record)
    print(record.to_json(), end="")
    link = net.explorer_url(deployed.tx_hash)
    print(f"recorded as {name!r} in {path}" + (f"\n{link}" if link else ""))
    return 0


def _address(text: str) -> bytes:
    raw = text.removeprefix("0x")
    if len(raw) != 40 or not all(c in "0123456789abcdefABCDEF" for c in raw):
        raise ChainError(f"--manufacturer {text!r} is not a 20-byte hex address")
    return bytes.fromhex(raw)
