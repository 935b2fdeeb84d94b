"""CLI pieces for Solana: `csm chain deploy --chain solana-devnet --rpc URL` is wired by the `chain`
command to `add_solana_arguments` / `cmd_deploy`, which also writes the deployment record.

One flow: the program built by `make solana` goes on the cluster through BPFLoaderUpgradeable
(buffer, writes, deploy with a maximum data length), then the reward mint and the config are created
and the manufacturers added. The `--keypair` pays, and becomes the program's upgrade authority and
the deployment's authority; since only the upgrade authority may initialise the config, there is no
moment at which someone else could initialise it first.
"""

from __future__ import annotations

import argparse
import sys

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from carbon_smart_meter.chains.networks import Network
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.commands.arguments import whole
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.limits import PARAMS_DELAY_S_DEFAULT
from carbon_smart_meter.rewards.params import PayoutParams

DEFAULT_PROGRAM_KEYPAIR = "csm-solana-program-keypair.json"


def add_solana_arguments(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument("--keypair", default="~/.config/solana/id.json",
                   help="keypair file that pays and becomes upgrade authority and deployment authority "
                        "(or --wallet NAME, a `csm wallet` of kind solana)")
    p.add_argument("--program-keypair", default="",
                   help=f"keypair file of the program's address (default: a new one saved to "
                        f"./{DEFAULT_PROGRAM_KEYPAIR})")
    p.add_argument("--program-id", default="",
                   help="initialise a program already deployed with BPFLoaderUpgradeable (its upgrade authority "
                        "must be --keypair) instead of deploying")
    p.add_argument("--priority-fee", type=whole(minimum=0, maximum=10_000_000, unit="micro-lamports/CU"),
                   default=0, help="priority fee, micro-lamports per compute unit")


def cmd_deploy(args: argparse.Namespace, net: Network, name: str) -> int:
    from solders.keypair import Keypair

    from carbon_smart_meter.chains import deployments
    from carbon_smart_meter.chains.solana.backend import RpcBackend
    from carbon_smart_meter.chains.solana.deploy import deploy_and_initialize
    from carbon_smart_meter.chains.solana.keypair import load_keypair, save_keypair

    elf = require_program_binary().read_bytes()
    payer = _payer(args)
    manufacturers = [_eth(m) for m in args.manufacturer]
    program = program_id = None
    if args.program_id:
        try:
            program_id = Pubkey.from_string(args.program_id)
        except ValueError as exc:
            raise ChainError(f"--program-id {args.program_id!r} is not a base58 public key") from exc
    elif args.program_keypair:
        program = load_keypair(args.program_keypair)
    else:
        program = Keypair()
        try:
            saved = save_keypair(program, DEFAULT_PROGRAM_KEYPAIR)
        except FileExistsError:
            raise ChainError(f"./{DEFAULT_PROGRAM_KEYPAIR} exists already (an earlier deploy?): pass it with "
                             "--program-keypair, or --program-id for a program already deployed") from None
        print(f"saved the program keypair to {saved} (keep it: it is the program's address)")
    deployments.deployments_dir()  # fail on an unusable directory before spending lamports
    backend = RpcBackend(args.rpc, commitment="confirmed")

    def progress(done: int, total: int) -> None:
        print(f"\rdeploying {len(elf)} bytes: transaction {done}/{total}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    price = getattr(args, "price", None)
    params = PayoutParams(prices={0: price}) if price is not None else None
    result = deploy_and_initialize(backend, payer, elf, program=program, program_id=program_id,
                                   manufacturers=manufacturers, params=params,
                                   params_delay_s=getattr(args, "params_delay", PARAMS_DELAY_S_DEFAULT),
                                   priority_fee_micro_lamports=args.priority_fee, progress=progress)
    print(f"program {result.program_id} ({'deployed' if result.deployed else 'already deployed'}; upgrade "
          f"authority {payer.pubkey()})\nreward mint {result.mint}\ndeployment id {result.deployment_id.hex()}")
    record = deployments.DeploymentRecord(
        name=name, network=net.name, kind="solana", deployment_id="0x" + result.deployment_id.hex(),
        address=str(result.program_id), rpc=args.rpc, chain_id=backend.chain_id(), owner=str(payer.pubkey()),
        mint=str(result.mint))
    path = deployments.save(record)
    print(f"recorded as {name!r} in {path}")
    return 0


def _payer(args: argparse.Namespace) -> Keypair:
    """The `--wallet` (a `csm wallet` of kind solana, unlocked with its password) or the `--keypair` file."""
    from carbon_smart_meter.chains.solana.keypair import load_keypair

    wallet = getattr(args, "wallet", "")
    if not wallet:
        return load_keypair(args.keypair)
    import os

    from carbon_smart_meter.chains import wallets

    env_name = getattr(args, "password_env", None)
    env = env_name or ("CSM_KEYSTORE_PASSWORD" if os.environ.get("CSM_KEYSTORE_PASSWORD") else None)
    return wallets.unlock_solana(wallet, wallets.read_password(env, what=f"wallet {wallet}"))


def _eth(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 20:
        raise ChainError(f"--manufacturer {text!r} is not a 20-byte hex address")
    return raw
