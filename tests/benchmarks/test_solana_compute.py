"""Compute units per claim of the Solana program's ClaimV0 in batches of 1 to the most one
transaction carries (4, as a v0 transaction with an address lookup table), the transaction sizes,
and the size of the SBPF binary, all from the real binary in LiteSVM.

Compute units are deterministic (no timing here). Baseline measured in the same run: a plain SPL
Token transfer of the token program LiteSVM bundles. Run: .venv/bin/pytest
tests/benchmarks/test_solana_compute.py -s
"""

from __future__ import annotations

import pytest
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.solana import embedded_solana_deployment, layout, packing
from carbon_smart_meter.chains.solana.deploy import create_mint_ixs, mint_to_ix
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.protocol.signing import AttestationMessage, BindMessage, CheckpointMessage, DeviceKey

pytestmark = [pytest.mark.benchmark, pytest.mark.sbf]
T0 = 1_700_000_000
DAY = 86_400


def _bound_devices(dep, n: int) -> list[DeviceKey]:  # type: ignore[no-untyped-def]
    keys = [DeviceKey.from_seed(b"bench-sol-%d" % i) for i in range(n)]
    for key in keys:
        att = AttestationMessage(key.address, 100, 1, 7).encode()
        dep.adapter.register_device(SignedMessage(att, dep.manufacturer.sign(att)))
        bind = BindMessage(key.address, bytes(dep.wallet), dep.adapter.deployment_id, 1, 0, T0, 0).encode()
        dep.adapter.bind(SignedMessage(bind, key.sign(bind)))
    return keys


def _transfer_units(dep) -> int:  # type: ignore[no-untyped-def]
    """SPL Token Transfer of 1 base unit between two token accounts of a fresh mint (baseline)."""
    admin = dep.authority
    mint = Keypair()
    payer = admin.payer.pubkey()
    admin.send(create_mint_ixs(payer, mint.pubkey(), payer, admin.backend.rent_exempt(82)), [mint])
    other = Keypair().pubkey()
    admin.send([layout.create_ata_idempotent_ix(payer, payer, mint.pubkey()),
                layout.create_ata_idempotent_ix(payer, other, mint.pubkey())])
    source = layout.associated_token_address(payer, mint.pubkey())
    admin.send([mint_to_ix(mint.pubkey(), source, payer, 10)])
    dest = layout.associated_token_address(other, mint.pubkey())
    transfer = Instruction(layout.TOKEN_PROGRAM, bytes([3]) + (1).to_bytes(8, "little"),
                           [AccountMeta(source, False, True), AccountMeta(dest, False, True),
                            AccountMeta(payer, True, False)])
    return admin.send([transfer]).units


def test_compute_units_per_claim_fall_with_batch_size_up_to_a_full_transaction() -> None:
    dep = embedded_solana_deployment(follow_wall_clock=False)
    dep.backend.set_unix_time(T0)
    most = dep.adapter.max_claims_per_batch
    keys = _bound_devices(dep, most)
    table: dict[int, tuple[int, int]] = {}
    for n in range(1, most + 1):
        round_ = n
        t = T0 + DAY * round_
        dep.backend.set_unix_time(t)
        claims = []
        for key in keys[:n]:
            m = CheckpointMessage(key.address, dep.adapter.deployment_id, 1 + round_, 10_000 * round_, t,
                                  bytes(32)).encode()
            claims.append(SignedMessage(m, key.sign(m)))
        receipt = dep.adapter.submit_batch(claims)
        assert all(o.paid for o in receipt.outcomes), receipt.outcomes
        ata = layout.associated_token_address(dep.wallet, dep.mint)
        inputs = [packing.ClaimInput(k.address, c.message, c.signature, ata)
                  for k, c in zip(keys, claims, strict=False)]
        ixs = packing.claim_instructions(inputs, dep.mint, program_id=dep.adapter.program_id)
        size = packing.transaction_size(
            ixs, dep.adapter.payer.pubkey(),
            None if packing.fits(ixs, dep.adapter.payer.pubkey(), lookup_table=False)
            else packing.AddressLookupTableAccount(dep.adapter._table.key,
                                                   packing.table_addresses(ixs, dep.adapter.payer.pubkey())))
        table[n] = (receipt.gas_or_compute_units, size)
    transfer = _transfer_units(dep)
    binary = require_program_binary().stat().st_size
    print(f"\nClaimV0 compute units (SBPF v3 binary, {binary:,} bytes; SPL Token transfer baseline {transfer:,} CU)")
    print("| claims in the transaction | compute units | per claim | per claim / transfer | transaction bytes |")
    print("|---:|---:|---:|---:|---:|")
    for n, (units, size) in table.items():
        print(f"| {n} | {units:,} | {units // n:,} | {units / n / transfer:.2f} | {size:,} of 1,232 |")

    assert most >= 4
    per_claim = [units / n for n, (units, _) in table.items()]
    assert per_claim == sorted(per_claim, reverse=True)
    assert all(units <= packing.compute_units(n) for n, (units, _) in table.items())
