"""The embedded Solana chain for `csm demo --chain solana` and the tests: LiteSVM with the real SBPF
program, deployed through BPFLoaderUpgradeable exactly as on a cluster.

Without the program binary this says exactly what to build (program_binary.require_program_binary).

The cap clock (RULES.md version 2) credits only time the chain has seen pass, so an embedded chain
that runs with an accelerated simulated device must see that device's hours pass too: `chain` moves
LiteSVM's clock (`travel_to`), as the embedded EVM's manual clock does for `csm demo`.
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


class LiteSvmClock:
    """LiteSVM's `Clock` sysvar as a clock that only moves forward (the demo's `travel_to`)."""

    def __init__(self, backend: LiteSvmBackend) -> None:
        self.backend = backend

    def pending_timestamp(self) -> int:
        return self.backend.unix_time()

    def travel_to(self, timestamp: int) -> None:
        if timestamp > self.backend.svm.get_clock().unix_timestamp:
            self.backend.set_unix_time(timestamp)


@dataclass
class LocalSolanaDeployment:
    backend: LiteSvmBackend
    adapter: SolanaAdapter
    authority: SolanaAdapter
    wallet: Pubkey
    manufacturer: DeviceKey
    mint: Pubkey

    @property
    def chain(self) -> LiteSvmClock:
        return LiteSvmClock(self.backend)

    def register_site(self, device: bytes, region: int) -> None:
        """The authority registers the device's site region (the bind's region is only declared)."""
        self.authority.set_device_region(device, region)


def embedded_solana_deployment(*, params: PayoutParams | None = None, follow_wall_clock: bool = True,
                               start_time: int | None = None, program_path: str | None = None,
                               program_keypair: Keypair | None = None,
                               feature_set: FeatureSet | None = None) -> LocalSolanaDeployment:
    """LiteSVM with the program deployed (upgrade authority: `authority`), a reward mint, a config
    and the development manufacturer; `adapter` signs as a funded wallet, `authority` as the
    deployment's authority. `feature_set` is LiteSVM's default unless given (e.g. mainnet's).
    The clock follows the machine's (`follow_wall_clock`), or starts at `start_time` and moves only
    when told (`chain.travel_to`), for a simulated device that runs faster than real time."""
    from solders.litesvm import LiteSVM

    path = program_path or str(require_program_binary())
    svm = LiteSVM() if feature_set is None else LiteSVM().with_feature_set(feature_set)
    backend = LiteSvmBackend(svm, follow_wall_clock=follow_wall_clock)
    if start_time is not None:
        backend.set_unix_time(start_time)
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
