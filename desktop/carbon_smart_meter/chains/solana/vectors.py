"""Builds onchain/vectors/solana_instructions.json: instruction, precompile and event bytes made by
this package, which the Rust program's tests decode with its own parsers.

Run `python -m carbon_smart_meter.chains.solana.vectors > onchain/vectors/solana_instructions.json`
after changing a layout; tests on both sides fail until the file and both codecs agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana import layout, precompile
from carbon_smart_meter.protocol.signing import CHAIN_KIND_SOLANA, DeviceKey, deployment_id
from carbon_smart_meter.rewards.params import PayoutParams

REPO = Path(__file__).resolve().parents[4]
MESSAGES = REPO / "onchain" / "vectors" / "messages.json"


# The fields of ParamsV0 (the mint window of RULES.md version 2 is not in the Solana layout yet).
_PARAMS_V0 = ("cap_mwh_per_day", "peak_sun_hours", "min_claim_mwh", "max_clock_skew_s", "share_bps",
              "tokens_per_usd", "era_length_mwh")


def _params_json(p: PayoutParams) -> dict[str, int]:
    return {k: int(getattr(p, k)) for k in _PARAMS_V0}


def build() -> dict[str, object]:
    msgs = json.loads(MESSAGES.read_text())
    keys = msgs["keys"]
    device = bytes.fromhex(keys["device_address"])
    maker = bytes.fromhex(keys["manufacturer_address"])
    default = PayoutParams()
    custom = PayoutParams(cap_mwh_per_day=1_600_000, peak_sun_hours=24, min_claim_mwh=0, max_clock_skew_s=86_400,
                          share_bps=3_000, tokens_per_usd=10**12, era_length_mwh=2**63)
    ixs: list[tuple[str, dict[str, object], bytes]] = [
        ("initialize_config_v0", {"chain_id": 0, "params": _params_json(default), "default_price": 150_000},
         layout.initialize_config_data(0, default, 150_000)),
        ("initialize_config_v0", {"chain_id": 0x5EB5_A0D3_A1B2_C3D4, "params": _params_json(custom),
                                  "default_price": 10**9},
         layout.initialize_config_data(0x5EB5_A0D3_A1B2_C3D4, custom, 10**9)),
        ("add_manufacturer_v0", {"address": maker.hex()}, layout.add_manufacturer_data(maker)),
        ("remove_manufacturer_v0", {"address": maker.hex()}, layout.remove_manufacturer_data(maker)),
        ("register_device_v0", {"attestation_ix": 0}, layout.register_device_data(0)),
        ("bind_wallet_v0", {"bind_ix": 2}, layout.bind_wallet_data(2)),
        ("unbind_wallet_v0", {}, layout.unbind_wallet_data()),
        ("claim_v0", {"checkpoint_ixs": [0]}, layout.claim_data([0])),
        ("claim_v0", {"checkpoint_ixs": [1, 2, 3]}, layout.claim_data([1, 2, 3])),
        ("set_params_v0", {"params": _params_json(custom)}, layout.set_params_data(custom)),
        ("set_region_price_v0", {"region": 554, "price": 300_000}, layout.set_region_price_data(554, 300_000)),
        ("set_region_price_v0", {"region": 276, "price": None}, layout.set_region_price_data(276, None)),
        ("set_paused_v0", {"paused": True}, layout.set_paused_data(True)),
        ("set_paused_v0", {"paused": False}, layout.set_paused_data(False)),
    ]
    invalid = [
        ("", "empty"),
        ("0a", "unknown tag 10"),
        ("0600", "claim with zero claims"),
        ("06" + "11" + "00" * 17, "claim with 17 claims (more than 16)"),
        ("0602" + "00", "claim count 2 but one index"),
        ("0901" + "00", "trailing byte"),
        ("0902", "paused flag 2"),
        ("08140202" + "00" * 8, "region price flag 2"),
        ("08140200" + "01" + "00" * 7, "region price removal with a non-zero price"),
        ("01" + "00" * 19, "short manufacturer address"),
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
    for ev in (layout.ClaimEvent(0, device, 7, 0, 15_000_000, 500_000),
               layout.ClaimEvent(2, device, 8, 11, 0, 0),
               layout.ClaimEvent(15, b"\xff" * 20, 2**32 - 1, 105, 2**64 - 1, 2**64 - 1)):
        fields = {"claim_index": ev.claim_index, "device": ev.device.hex(), "seq": ev.seq, "code": ev.code,
                  "tokens": ev.tokens, "delta_mwh": ev.delta_mwh}
        events.append({"fields": fields, "data": layout.encode_claim_event(ev).hex()})
    program = layout.PROGRAM_ID
    wallet = Pubkey.from_bytes(bytes(range(32)))
    dev = layout.DeviceAccount(bound=True, has_state=True, device=device, manufacturer=maker, rated_w=100, hw_class=1,
                               region=554, serial=42, last_seq=7, last_energy_mwh=1_234_567, last_time=1_700_086_400,
                               chain_head=bytes(range(32, 64)), wallet=wallet, total_tokens=15_000_000)
    cfg = layout.ConfigAccount(paused=True, authority=wallet, mint=program, chain_id=0x0102030405060708,
                               deployment_id=bytes(range(64, 96)), network_energy_mwh=500_000,
                               params=PayoutParams(prices={0: 150_000, 276: 400_000, 554: 300_000}))
    accounts = {
        "device": {"bump": 254, "fields": {
            "bound": True, "has_state": True, "device": device.hex(), "manufacturer": maker.hex(), "rated_w": 100,
            "hw_class": 1, "region": 554, "serial": 42, "last_seq": 7, "last_energy_mwh": 1_234_567,
            "last_time": 1_700_086_400, "chain_head": bytes(range(32, 64)).hex(), "wallet": str(wallet),
            "total_tokens": 15_000_000}, "data": layout.encode_device(dev, bump=254).hex()},
        "config": {"bump": 253, "mint_authority_bump": 252, "fields": {
            "paused": True, "authority": str(wallet), "mint": str(program), "chain_id": 0x0102030405060708,
            "deployment_id": bytes(range(64, 96)).hex(), "network_energy_mwh": 500_000,
            "params": _params_json(cfg.params), "prices": [[0, 150_000], [276, 400_000], [554, 300_000]]},
            "data": layout.encode_config(cfg, bump=253, mint_authority_bump=252).hex()},
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
                   "Instruction data: tag byte then little-endian fields. Precompile data: secp256k1 "
                   "program layout, one signature, all offsets naming own_index. Events: sol_log_data "
                   "payload of ClaimEventV0.",
        "instructions": [{"name": n, "fields": f, "data": d.hex()} for n, f, d in ixs],
        "invalid_instructions": [{"data": d, "why": w} for d, w in invalid],
        "precompile": precompiles,
        "events": events,
        "accounts": accounts,
        "addresses": addresses,
    }


def render() -> str:
    return json.dumps(build(), indent=1) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
