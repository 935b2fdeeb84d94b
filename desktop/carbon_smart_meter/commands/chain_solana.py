"""CLI pieces for Solana: `csm chain deploy --chain solana --rpc URL` is wired by the `chain` command
(owned by the CLI) to `add_solana_arguments` / `cmd_deploy`.

One flow: the program built by `make solana` goes on the cluster through BPFLoaderUpgradeable
(buffer, writes, deploy with a maximum data length), then the reward mint and the config are created
and the manufacturers added. The `--keypair` pays, and becomes the program's upgrade authority and
the deployment's authority; since only the upgrade authority may initialise the config, there is no
moment at which someone else could initialise it first.
"""

from __future__ import annotations

import argparse
import sys

from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.errors import ChainError

DEFAULT_PROGRAM_KEYPAIR = "csm-solana-program-keypair.json"


def add_solana_arguments(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument("--keypair", default="~/.config/solana/id.json",
                   help="keypair file that pays and becomes upgrade authority and deployment authority")
    p.add_argument("--program-keypair", default="",
                   help=f"keypair file of the program's address (default: a new one saved to "
                        f"./{DEFAULT_PROGRAM_KEYPAIR})")
    p.add_argument("--program-id", default="",
                   help="initialise a program already deployed with BPFLoaderUpgradeable (its upgrade authority "
                        "must be --keypair) instead of deploying")
    p.add_argument("--priority-fee", type=int, default=0, help="priority fee, micro-lamports per compute unit")


def cmd_deploy(args: argparse.Namespace) -> int:
    from solders.keypair import Keypair

    from carbon_smart_meter.chains.solana.backend import RpcBackend
    from carbon_smart_meter.chains.solana.deploy import deploy_and_initialize
    from carbon_smart_meter.chains.solana.keypair import load_keypair, save_keypair

    elf = require_program_binary().read_bytes()
    payer = load_keypair(args.keypair)
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
    backend = RpcBackend(args.rpc, commitment="confirmed")

    def progress(done: int, total: int) -> None:
        print(f"\rdeploying {len(elf)} bytes: transaction {done}/{total}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    result = deploy_and_initialize(backend, payer, elf, program=program, program_id=program_id,
                                   manufacturers=manufacturers, priority_fee_micro_lamports=args.priority_fee,
                                   progress=progress)
    print(f"program {result.program_id} ({'deployed' if result.deployed else 'already deployed'}; upgrade "
          f"authority {payer.pubkey()})\nreward mint {result.mint}\ndeployment id {result.deployment_id.hex()}")
    return 0


def _eth(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 20:
        raise ChainError(f"--manufacturer {text!r} is not a 20-byte hex address")
    return raw
