"""Builds onchain/vectors/solana_instructions.json: instruction, precompile and event bytes made by
this package, which the Rust program's tests decode with its own parsers.

Run `python -m carbon_smart_meter.chains.solana.vectors > onchain/vectors/solana_instructions.json`
after changing a layout; tests on both sides fail until the file and both codecs agree.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana import accounts, layout, precompile
from carbon_smart_meter.protocol.signing import CHAIN_KIND_SOLANA, DeviceKey, deployment_id
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams

REPO = Path(__file__).resolve().parents[4]
MESSAGES = REPO / "onchain" / "vectors" / "messages.json"

# The fields of ParamsV1, in their layout order (RULES.md version 2: the mint window last).
_PARAMS_V1 = ("cap_mwh_per_day", "peak_sun_hours", "min_claim_mwh", "max_clock_skew_s", "share_bps",
              "tokens_per_usd", "era_length_mwh", "window_s", "window_limit_mwh")


def _params_json(p: PayoutParams) -> dict[str, int]:
    return {k: int(getattr(p, k)) for k in _PARAMS_V1}


def _retired() -> list[tuple[str, str]]:
    """The exact bytes the version-1 adapter wrote for the instructions whose tags are retired (the
    program refuses them: they applied changes at once, or let a removed manufacturer back)."""
    return [
        ("00000000000000000040548900000000001000000010270000000000002c01000000000000d00700ca9a3b000000000010"
         "a5d4e8000000f049020000000000", "retired InitializeConfigV0 (tag 0)"),
        ("02f21dee885a2f407c06e2da59810f5527c34a27aa", "retired RemoveManufacturerV0 (tag 2)"),
        ("07006a1800000000001800000000000000000000008051010000000000b80b0010a5d4e80000000000000000000080",
         "retired SetParamsV0 (tag 7)"),
        ("082a0201e093040000000000", "retired SetRegionPriceV0 (tag 8)"),
    ]


def build() -> dict[str, object]:
    msgs = json.loads(MESSAGES.read_text())
    keys = msgs["keys"]
    device = bytes.fromhex(keys["device_address"])
    maker = bytes.fromhex(keys["manufacturer_address"])
    default = PayoutParams()
    custom = PayoutParams(cap_mwh_per_day=1_600_000, peak_sun_hours=24, min_claim_mwh=0, max_clock_skew_s=86_400,
                          share_bps=3_000, tokens_per_usd=10**12, era_length_mwh=2**63,
                          prices={0: 10**9, 554: 300_000, 276: 400_000}, window_s=3_600,
                          window_limit_mwh=2**64 - 1)
    new_authority = Pubkey.from_bytes(bytes(range(100, 132)))

    def prices_json(p: PayoutParams) -> list[list[int]]:
        return [[r, v] for r, v in sorted(p.prices.items())]

    ixs: list[tuple[str, dict[str, object], bytes]] = [
        ("initialize_config_v1", {"chain_id": 0, "params": _params_json(default), "params_delay_s": 604_800,
                                  "prices": prices_json(default)},
         layout.initialize_config_data(0, default, 604_800)),
        ("initialize_config_v1", {"chain_id": 0x5EB5_A0D3_A1B2_C3D4, "params": _params_json(custom),
                                  "params_delay_s": 3_600, "prices": prices_json(custom)},
         layout.initialize_config_data(0x5EB5_A0D3_A1B2_C3D4, custom, 3_600)),
        ("add_manufacturer_v0", {"address": maker.hex()}, layout.add_manufacturer_data(maker)),
        ("revoke_manufacturer_v0", {"address": maker.hex()}, layout.revoke_manufacturer_data(maker)),
        ("register_device_v0", {"attestation_ix": 0}, layout.register_device_data(0)),
        ("bind_wallet_v0", {"bind_ix": 2}, layout.bind_wallet_data(2)),
        ("unbind_wallet_v0", {}, layout.unbind_wallet_data()),
        ("claim_v0", {"checkpoint_ixs": [0]}, layout.claim_data([0])),
        ("claim_v0", {"checkpoint_ixs": [1, 2, 3]}, layout.claim_data([1, 2, 3])),
        ("set_paused_v0", {"paused": True}, layout.set_paused_data(True)),
        ("set_paused_v0", {"paused": False}, layout.set_paused_data(False)),
        ("schedule_params_v0", {"params": _params_json(custom)}, layout.schedule_params_data(custom)),
        ("apply_params_v0", {}, layout.apply_params_data()),
        ("schedule_price_v0", {"region": 554, "price": 300_000}, layout.schedule_price_data(554, 300_000)),
        ("schedule_price_v0", {"region": 276, "price": None}, layout.schedule_price_data(276, None)),
        ("apply_price_v0", {"region": 554}, layout.apply_price_data(554)),
        ("revoke_device_v0", {"device": device.hex()}, layout.revoke_device_data(device)),
        ("reinstate_device_v0", {"device": device.hex()}, layout.reinstate_device_data(device)),
        ("set_device_region_v0", {"device": device.hex(), "region": 554}, layout.set_device_region_data(device, 554)),
        ("propose_authority_v0", {"new_authority": str(new_authority)}, layout.propose_authority_data(new_authority)),
        ("accept_authority_v0", {}, layout.accept_authority_data()),
        ("renounce_authority_v0", {}, layout.renounce_authority_data()),
    ]
    invalid = [
        ("", "empty"),
        ("16", "unknown tag 22"),
        ("0600", "claim with zero claims"),
        ("06" + "11" + "00" * 17, "claim with 17 claims (more than 16)"),
        ("0602" + "00", "claim count 2 but one index"),
        ("0901" + "00", "trailing byte"),
        ("0902", "paused flag 2"),
        ("0d140202" + "00" * 8, "scheduled price flag 2"),
        ("0d140200" + "01" + "00" * 7, "scheduled price removal with a non-zero price"),
        ("01" + "00" * 19, "short manufacturer address"),
        ((layout.initialize_config_data(0, default, 604_800)[:-11] + bytes([33])
          + b"".join(struct.pack("<HQ", r, 1) for r in range(33))).hex(), "initialise with 33 prices"),
        ("0e14", "apply price with a one-byte region"),
        *_retired(),
    ]
    precompiles = []
    for name, kind, index in (("checkpoint", "device", 0), ("bind", "device", 3), ("attestation", "signer", 1)):
        v = msgs[name]
        message, signature = bytes.fromhex(v["message"]), bytes.fromhex(v["signature"])
        if kind == "device":
            signer = message[11:31]
            data = precompile.device_message_data(message, signature, index)
        else:
            signer = maker
            data = precompile.signer_message_data(maker, message, signature, index)
        precompiles.append({"name": name, "kind": kind, "own_index": index, "eth_address": signer.hex(),
                            "message": v["message"], "signature": v["signature"], "data": data.hex()})
    events = []
    for ev in (accounts.ClaimEvent(0, device, 7, 0, 15_000_000, 500_000),
               accounts.ClaimEvent(2, device, 8, 11, 0, 0),
               accounts.ClaimEvent(15, b"\xff" * 20, 2**32 - 1, 105, 2**64 - 1, 2**64 - 1)):
        fields = {"claim_index": ev.claim_index, "device": ev.device.hex(), "seq": ev.seq, "code": ev.code,
                  "tokens": ev.tokens, "delta_mwh": ev.delta_mwh}
        events.append({"fields": fields, "data": accounts.encode_claim_event(ev).hex()})
    program = layout.PROGRAM_ID
    wallet = Pubkey.from_bytes(bytes(range(32)))
    dev = accounts.DeviceAccount(bound=False, has_state=True, device=device, manufacturer=maker, rated_w=100,
                                 hw_class=1, region=554, serial=42, last_seq=7, last_energy_mwh=1_234_567,
                                 last_time=1_700_086_400, chain_head=bytes(range(32, 64)), wallet=wallet,
                                 total_tokens=15_000_000, revoked=True, reinstated=False, manufacturer_index=3)
    network = NetworkState(500_000, 2, 999_999_500_000, 250_000, 1_700_086_400)
    pending_prices = (accounts.PendingPrice(554, 310_000, 1_700_690_000),
                      accounts.PendingPrice(276, None, 1_700_690_001))
    cfg = accounts.ConfigAccount(
        paused=True, authority=wallet, mint=program, chain_id=0x0102030405060708, deployment_id=bytes(range(64, 96)),
        network=network, params=PayoutParams(prices={0: 150_000, 276: 400_000, 554: 300_000}), manufacturer_count=3,
        revoked_manufacturers=bytes([0b1000]) + bytes(15), pending_authority=new_authority, params_delay_s=604_800,
        pending_params_at=1_700_690_000, pending_params=custom.with_changes(prices={0: 150_000, 276: 400_000,
                                                                                    554: 300_000}),
        pending_prices=pending_prices)
    manufacturer = accounts.ManufacturerAccount(revoked=True, address=maker, index=3)
    account_vectors = {
        "device": {"bump": 254, "fields": {
            "bound": False, "has_state": True, "revoked": True, "reinstated": False, "device": device.hex(),
            "manufacturer": maker.hex(), "rated_w": 100, "hw_class": 1, "region": 554, "serial": 42, "last_seq": 7,
            "last_energy_mwh": 1_234_567, "last_time": 1_700_086_400, "chain_head": bytes(range(32, 64)).hex(),
            "wallet": str(wallet), "total_tokens": 15_000_000, "manufacturer_index": 3},
            "data": accounts.encode_device(dev, bump=254).hex()},
        "manufacturer": {"bump": 251, "fields": {"revoked": True, "address": maker.hex(), "index": 3},
                         "data": accounts.encode_manufacturer(manufacturer, bump=251).hex()},
        "config": {"bump": 253, "mint_authority_bump": 252, "fields": {
            "paused": True, "manufacturer_count": 3, "authority": str(wallet), "mint": str(program),
            "chain_id": 0x0102030405060708, "deployment_id": bytes(range(64, 96)).hex(),
            "network": {"energy_mwh": network.energy_mwh, "era": network.era, "era_left_mwh": network.era_left_mwh,
                        "window_used_mwh": network.window_used_mwh, "window_time": network.window_time},
            "revoked_manufacturers": cfg.revoked_manufacturers.hex(),
            "params": _params_json(cfg.params), "prices": [[0, 150_000], [276, 400_000], [554, 300_000]],
            "pending_authority": str(new_authority), "params_delay_s": 604_800, "pending_params_at": 1_700_690_000,
            "pending_params": _params_json(custom),
            "pending_prices": [[p.region, p.price, p.at] for p in pending_prices]},
            "data": accounts.encode_config(cfg, bump=253, mint_authority_bump=252).hex()},
    }
    addresses = {
        "program_id": str(program), "chain_id": 0,
        "deployment_id": deployment_id(CHAIN_KIND_SOLANA, 0, bytes(program)).hex(),
        "config": str(layout.config_address(program)),
        "mint_authority": str(layout.mint_authority_address(program)),
        "device": device.hex(), "device_pda": str(layout.device_address(device, program)),
        "manufacturer": maker.hex(), "manufacturer_pda": str(layout.manufacturer_address(maker, program)),
    }
    assert DeviceKey(bytes.fromhex(keys["device_secret"])).address == device
    return {
        "comment": "Built by carbon_smart_meter.chains.solana.vectors, decoded by onchain/solana tests. "
                   "Instruction data: tag byte then little-endian fields (retired tags are among the invalid "
                   "ones). Precompile data: secp256k1 program layout, one signature, all offsets naming "
                   "own_index. Events: sol_log_data payload of ClaimEventV0. Accounts: version 1 layouts.",
        "instructions": [{"name": n, "fields": f, "data": d.hex()} for n, f, d in ixs],
        "invalid_instructions": [{"data": d, "why": w} for d, w in invalid],
        "precompile": precompiles,
        "events": events,
        "accounts": account_vectors,
        "addresses": addresses,
    }


def render() -> str:
    return json.dumps(build(), indent=1) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
