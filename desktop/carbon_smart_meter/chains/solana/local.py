"""The embedded Solana chain for `csm demo --chain solana`: LiteSVM with the real SBF program.

Without the program binary this says exactly what to build (program_binary.require_program_binary).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.deploy import initialize_deployment
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.devices.identity import DEV_MANUFACTURER
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.params import PayoutParams

FUNDING_LAMPORTS = 100 * 10**9


@dataclass
class LocalSolanaDeployment:
    backend: LiteSvmBackend
    adapter: SolanaAdapter
    authority: SolanaAdapter
    wallet: Pubkey
    manufacturer: DeviceKey
    mint: Pubkey


def embedded_solana_deployment(*, params: PayoutParams | None = None, follow_wall_clock: bool = True,
                               program_path: str | None = None) -> LocalSolanaDeployment:
    """LiteSVM with the program loaded, a reward mint, a config and the development manufacturer;
    `adapter` signs as a funded wallet, `authority` as the deployment's authority."""
    from solders.litesvm import LiteSVM

    path = program_path or str(require_program_binary())
    svm = LiteSVM()
    svm.add_program_from_file(layout.PROGRAM_ID, Path(path))
    backend = LiteSvmBackend(svm, follow_wall_clock=follow_wall_clock)
    owner, wallet = Keypair(), Keypair()
    for key in (owner, wallet):
        svm.airdrop(key.pubkey(), FUNDING_LAMPORTS)
    maker = DEV_MANUFACTURER
    authority = SolanaAdapter(backend, owner)
    mint = initialize_deployment(authority, params=params, manufacturers=[maker.address])
    return LocalSolanaDeployment(backend, SolanaAdapter(backend, wallet), authority, wallet.pubkey(), maker, mint)
