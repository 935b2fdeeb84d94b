"""CLI pieces for Solana: `csm chain deploy --chain solana --rpc URL` is wired by the `chain` command
(owned by the CLI) to `add_deploy_arguments` / `cmd_deploy`.

Deployment has two steps. The program binary is put on the cluster by the Solana CLI (`solana program
deploy`, from the same tool suite as `cargo build-sbf`); this command checks that both the binary and
the deployed program exist, saying exactly what to run when either is missing, then creates the reward
mint and the config and adds manufacturers.
"""

from __future__ import annotations

import argparse

from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.errors import ChainError


def add_deploy_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--keypair", default="~/.config/solana/id.json",
                   help="Solana keypair file that pays and becomes the deployment's authority")
    p.add_argument("--program-id", default="", help="id printed by `solana program deploy`")
    p.add_argument("--manufacturer", action="append", default=[],
                   help="manufacturer address (hex, 20 bytes) allowed to attest devices; repeatable")
    p.add_argument("--priority-fee", type=int, default=0, help="priority fee, micro-lamports per compute unit")


def cmd_deploy(args: argparse.Namespace) -> int:
    from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
    from carbon_smart_meter.chains.solana.backend import RpcBackend
    from carbon_smart_meter.chains.solana.deploy import initialize_deployment
    from carbon_smart_meter.chains.solana.keypair import load_keypair

    binary = require_program_binary()
    deploy_cmd = f"solana program deploy {binary} --url {args.rpc} --keypair {args.keypair}"
    if not args.program_id:
        raise ChainError(f"deploy the program first with:\n  {deploy_cmd}\nthen run this command again with "
                         "--program-id <the id it printed>")
    try:
        program_id = Pubkey.from_string(args.program_id)
    except ValueError as exc:
        raise ChainError(f"--program-id {args.program_id!r} is not a base58 public key") from exc
    backend = RpcBackend(args.rpc, commitment="confirmed")
    if backend.account_data(program_id) is None:
        raise ChainError(f"no program at {program_id} on {args.rpc}: deploy it with\n  {deploy_cmd}")
    admin = SolanaAdapter(backend, load_keypair(args.keypair), program_id=program_id,
                          priority_fee_micro_lamports=args.priority_fee)
    manufacturers = [bytes.fromhex(m.removeprefix("0x")) for m in args.manufacturer]
    mint = initialize_deployment(admin, manufacturers=manufacturers)
    print(f"program {program_id}\nreward mint {mint}\ndeployment id {admin.deployment_id.hex()}")
    return 0
