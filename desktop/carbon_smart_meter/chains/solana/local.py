"""The embedded Solana chain for `csm demo --chain solana` and the tests: LiteSVM with the real SBPF
program, deployed through BPFLoaderUpgradeable exactly as on a cluster.

Without the program binary this says exactly what to build (program_binary.require_program_binary).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.deploy import deploy_program, initialize_deployment
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.devices.identity import DEV_MANUFACTURER
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.params import PayoutParams

if TYPE_CHECKING:
    from solders.litesvm import FeatureSet

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
                               program_path: str | None = None, program_keypair: Keypair | None = None,
                               feature_set: FeatureSet | None = None) -> LocalSolanaDeployment:
    """LiteSVM with the program deployed (upgrade authority: `authority`), a reward mint, a config
    and the development manufacturer; `adapter` signs as a funded wallet, `authority` as the
    deployment's authority. `feature_set` is LiteSVM's default unless given (e.g. mainnet's)."""
    from solders.litesvm import LiteSVM

    path = program_path or str(require_program_binary())
    svm = LiteSVM() if feature_set is None else LiteSVM().with_feature_set(feature_set)
    backend = LiteSvmBackend(svm, follow_wall_clock=follow_wall_clock)
    owner, wallet = Keypair(), Keypair()
    for key in (owner, wallet):
        svm.airdrop(key.pubkey(), FUNDING_LAMPORTS)
    maker = DEV_MANUFACTURER
    deployer = SolanaAdapter(backend, owner)
    program_id = deploy_program(deployer, Path(path).read_bytes(), program_keypair or Keypair())
    authority = SolanaAdapter(backend, owner, program_id=program_id)
    mint = initialize_deployment(authority, params=params, manufacturers=[maker.address])
    adapter = SolanaAdapter(backend, wallet, program_id=program_id)
    return LocalSolanaDeployment(backend, adapter, authority, wallet.pubkey(), maker, mint)
