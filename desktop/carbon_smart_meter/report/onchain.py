"""What the chain paid for a device's checkpoints, set beside what its session files prove.

Claims are cumulative (RULES.md): a paid checkpoint is paid for the energy since the device's previous
paid checkpoint, or since its binding. So each paid claim is compared with the span of the files it
covers: the device-signed energy delta over that span (which the chain's delta must equal) and how much
of the span the files verify. The chain is read only: the deployment record names the node, the
adapter's own lookups (`device_state`, `find_paid_claim`) find the transactions, nothing is signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.chains import deployments
from carbon_smart_meter.chains.adapter import ChainAdapter, PaidClaimLookup
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import keccak256
from carbon_smart_meter.report.identity import wallet_text

READ_ONLY_KEY = keccak256(b"csm-report-read-only")  # signs nothing: adapters want an account to exist


@dataclass(frozen=True)
class ChainView:
    """A reachable deployment and a read-only adapter for it."""

    record: deployments.DeploymentRecord
    adapter: ChainAdapter

    def describe(self) -> dict:
        r = self.record
        return {"deployment": r.name, "network": r.network, "kind": r.kind, "chain_id": r.chain_id,
                "address": r.address, "deployment_id": r.deployment_id, "rpc": r.rpc,
                "explorer": r.net.explorer}


def open_chain(name: str, directory: Path | None = None) -> ChainView:
    """The deployment `name` (chains/deployments.py), reached through its RPC URL; ChainError if it cannot be
    reached or is not the contract/program the record names."""
    record = deployments.load(name, directory)
    try:
        return _open(record)
    except ChainError as exc:
        raise ChainError(f"--chain {record.name}: {exc} (leave out --chain to report without the chain)") from exc


def _open(record: deployments.DeploymentRecord) -> ChainView:
    if not record.rpc:
        raise ChainError(f"deployment {record.name!r} has no RPC URL in its record; add one or deploy with "
                         "`csm chain deploy --rpc URL`")
    adapter: ChainAdapter
    if record.kind == "evm":
        from eth_account import Account

        from carbon_smart_meter.chains.evm.adapter import EvmAdapter
        from carbon_smart_meter.chains.evm.deploy import connect

        w3 = connect(record.rpc, timeout_s=10.0)
        adapter = EvmAdapter(w3, record.address, Account.from_key(READ_ONLY_KEY),
                             expected_chain_id=record.chain_id or record.net.chain_id)
    else:
        from solders.keypair import Keypair
        from solders.pubkey import Pubkey

        from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
        from carbon_smart_meter.chains.solana.backend import RpcBackend

        adapter = SolanaAdapter(RpcBackend(record.rpc), Keypair.from_seed(READ_ONLY_KEY),
                                program_id=Pubkey.from_string(record.address))
    if adapter.deployment_id != record.deployment_id_bytes:
        raise ChainError(f"the {record.kind} deployment at {record.address} on {record.rpc} has deployment id "
                         f"0x{adapter.deployment_id.hex()}, not the record's {record.deployment_id}: check the "
                         "record and the RPC URL")
    return ChainView(record, adapter)


def onchain_section(view: ChainView, device: bytes, checkpoints: dict[int, dict], binds: list[dict],
                    intervals: list[dict], progress: Callable[[int, int], None] | None = None) -> dict:
    """`checkpoints`: seq -> {energy_mwh, device_time, deployment_id} from the files; `intervals`: verify's
    intervals of every file (status, seq_from, seq_to, energy_kwh)."""
    adapter = view.adapter
    dep = view.record.deployment_id.lower()
    mine = {s: c for s, c in checkpoints.items() if c["deployment_id"].lower() == dep}
    foreign = sorted({c["deployment_id"] for c in checkpoints.values() if c["deployment_id"].lower() != dep})
    out: dict = {**view.describe(), "registered": False, "bound_wallet": "", "revoked": False, "last_seq": None,
                 "last_energy_mwh": None, "claims": [], "notes": []}
    state = adapter.device_state(device)
    if state is None:
        out["notes"].append("the device is not registered on this deployment: nothing was claimed there")
    else:
        out.update(registered=True, bound_wallet=wallet_text(state.wallet) if state.wallet else "",
                   revoked=state.revoked, last_seq=state.last_seq, last_energy_mwh=state.last_energy_mwh)
    if foreign:
        n = sum(1 for c in checkpoints.values() if c["deployment_id"].lower() != dep)
        out["notes"].append(f"{n} checkpoint(s) in these files were signed for another deployment "
                            f"({', '.join(d[:18] + '…' for d in foreign)}): they can never be claimed on this one")
    if state is None or not mine:
        return _totals(out)
    if not isinstance(adapter, PaidClaimLookup):
        out["notes"].append(f"the {view.record.kind} adapter cannot look up paid claims")
        return _totals(out)
    seqs = [s for s in sorted(mine) if s <= state.last_seq]
    my_binds = sorted((b for b in binds if b["deployment_id"].lower() == dep), key=lambda b: b["seq"])
    previous: tuple[int, int] | None = None  # (seq, energy_mwh) the next claim's delta starts from
    for k, seq in enumerate(seqs):
        if progress:
            progress(k + 1, len(seqs))
        paid = adapter.find_paid_claim(device, seq)
        if paid is None:
            continue
        bind = next((b for b in reversed(my_binds) if b["seq"] < seq), None)
        ref = previous
        if bind is not None and (ref is None or bind["seq"] > ref[0]):
            ref = (bind["seq"], bind["energy_mwh"])
        signed = mine[seq]["energy_mwh"] - ref[1] if ref is not None else None
        span = [i for i in intervals if i["seq_to"] is not None and i["seq_to"] <= seq
                and (ref is None or i["seq_to"] > ref[0])]
        by = {s: sum(i["energy_kwh"] for i in span if i["status"] == s) for s in ("verified", "unverifiable", "failed")}
        if signed is not None and signed != paid.delta_mwh:
            verdict = f"DIFFERS: the chain paid {paid.delta_mwh} mWh, the device signed {signed} mWh for this span"
        elif by["failed"] > 0:
            verdict = "FAILED: part of this span failed verification in the files"
        elif by["unverifiable"] > 1e-9 or ref is None:
            verdict = "partly unverifiable: part of the claimed span is not proven by these files"
        else:
            verdict = "matches the device-signed energy of verified intervals"
        out["claims"].append({
            "seq": seq, "tx_id": paid.tx_id, "explorer_url": view.record.net.explorer_url(paid.tx_id),
            "claimed_mwh": paid.delta_mwh, "tokens": paid.tokens, "from_seq": ref[0] if ref else None,
            "signed_delta_mwh": signed, "verified_kwh": by["verified"], "unverifiable_kwh": by["unverifiable"],
            "failed_kwh": by["failed"], "verdict": verdict})
        previous = (seq, mine[seq]["energy_mwh"])
    if state.last_seq not in mine and state.last_seq:
        out["notes"].append(f"the chain's newest paid checkpoint (seq {state.last_seq}) is not in these files")
    return _totals(out)


def _totals(out: dict) -> dict:
    claims = out["claims"]
    out["claimed_mwh"] = sum(c["claimed_mwh"] for c in claims)
    out["claimed_verified_kwh"] = sum(c["verified_kwh"] for c in claims)
    return out
