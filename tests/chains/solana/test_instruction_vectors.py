"""The shared instruction vectors are exactly what this package builds (the Rust tests decode the
same file with the program's parsers), so Python and Rust cannot drift."""

from __future__ import annotations

from pathlib import Path

from carbon_smart_meter.chains.solana import accounts, layout, precompile, vectors
from carbon_smart_meter.chains.solana.accounts import ClaimEvent, decode_claim_event, encode_claim_event
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams

VECTORS = Path(__file__).resolve().parents[3] / "onchain" / "vectors"


def test_the_committed_vector_file_is_what_the_python_encoders_produce_today() -> None:
    assert (VECTORS / "solana_instructions.json").read_text() == vectors.render()


def test_every_instruction_vector_names_a_known_tag_and_the_claim_layout_is_count_then_indices(
        solana_vectors: dict) -> None:
    tags = {"add_manufacturer_v0": 1, "register_device_v0": 3, "bind_wallet_v0": 4, "unbind_wallet_v0": 5,
            "claim_v0": 6, "set_paused_v0": 9, "initialize_config_v1": 10, "schedule_params_v0": 11,
            "apply_params_v0": 12, "schedule_price_v0": 13, "apply_price_v0": 14, "revoke_manufacturer_v0": 15,
            "revoke_device_v0": 16, "reinstate_device_v0": 17, "set_device_region_v0": 18,
            "propose_authority_v0": 19, "accept_authority_v0": 20, "renounce_authority_v0": 21}
    assert {case["name"] for case in solana_vectors["instructions"]} == set(tags)
    for case in solana_vectors["instructions"]:
        data = bytes.fromhex(case["data"])
        assert data[0] == tags[case["name"]] and data[0] not in layout.RETIRED_TAGS
        if case["name"] == "claim_v0":
            assert list(data[2:]) == case["fields"]["checkpoint_ixs"] and data[1] == len(data) - 2


def test_initialize_config_data_is_tag_chain_id_params_delay_and_prices_in_little_endian() -> None:
    data = layout.initialize_config_data(1, PayoutParams(prices={0: 150_000, 554: 7}), 3_600)
    assert len(data) == 1 + 8 + 62 + 8 + 1 + 2 * 10
    assert data[1:9] == (1).to_bytes(8, "little")
    assert data[9:17] == (9_000_000).to_bytes(8, "little")
    assert data[55:71] == (86_400).to_bytes(8, "little") + (10**10).to_bytes(8, "little")
    assert data[71:79] == (3_600).to_bytes(8, "little") and data[79] == 2
    assert data[-10:] == (554).to_bytes(2, "little") + (7).to_bytes(8, "little")


def test_every_retired_tag_is_among_the_invalid_vectors(solana_vectors: dict) -> None:
    firsts = {bytes.fromhex(c["data"])[:1] for c in solana_vectors["invalid_instructions"] if c["data"]}
    assert {bytes([t]) for t in layout.RETIRED_TAGS} <= firsts


def test_precompile_vectors_carry_the_message_vectors_bytes(solana_vectors: dict, messages: dict) -> None:
    for case in solana_vectors["precompile"]:
        data = bytes.fromhex(case["data"])
        assert bytes.fromhex(messages[case["name"]]["message"]) in data
        assert bytes.fromhex(messages[case["name"]]["signature"]) in data
        message, signature = bytes.fromhex(case["message"]), bytes.fromhex(case["signature"])
        if case["kind"] == "device":
            rebuilt = precompile.device_message_data(message, signature, case["own_index"])
        else:
            signer = bytes.fromhex(case["eth_address"])
            rebuilt = precompile.signer_message_data(signer, message, signature, case["own_index"])
        assert rebuilt == data


def test_claim_events_round_trip_and_foreign_payloads_are_ignored(solana_vectors: dict) -> None:
    for case in solana_vectors["events"]:
        data = bytes.fromhex(case["data"])
        event = decode_claim_event(data)
        assert event is not None and encode_claim_event(event) == data
        assert event.code == case["fields"]["code"] and event.tokens == case["fields"]["tokens"]
    assert decode_claim_event(b"\x02" + bytes(44)) is None
    assert decode_claim_event(encode_claim_event(ClaimEvent(0, bytes(20), 1, 0, 1, 1))[:-1]) is None


def test_pdas_and_the_deployment_id_match_the_vectors(solana_vectors: dict) -> None:
    a = solana_vectors["addresses"]
    assert str(layout.config_address()) == a["config"]
    assert str(layout.device_address(bytes.fromhex(a["device"]))) == a["device_pda"]


def test_account_vectors_decode_to_their_fields(solana_vectors: dict) -> None:
    d = solana_vectors["accounts"]["device"]
    device = accounts.decode_device(bytes.fromhex(d["data"]))
    f = d["fields"]
    assert (device.bound, device.has_state, device.revoked, device.reinstated, device.rated_w, device.region,
            device.last_seq, device.manufacturer_index) == (
        f["bound"], f["has_state"], f["revoked"], f["reinstated"], f["rated_w"], f["region"], f["last_seq"],
        f["manufacturer_index"])
    assert str(device.wallet) == f["wallet"] and device.chain_head.hex() == f["chain_head"]
    m = solana_vectors["accounts"]["manufacturer"]
    maker = accounts.decode_manufacturer(bytes.fromhex(m["data"]))
    assert (maker.revoked, maker.address.hex(), maker.index) == (
        m["fields"]["revoked"], m["fields"]["address"], m["fields"]["index"])
    c = solana_vectors["accounts"]["config"]
    f = c["fields"]
    config = accounts.decode_config(bytes.fromhex(c["data"]))
    assert config.paused and config.chain_id == f["chain_id"] and config.manufacturer_count == f["manufacturer_count"]
    assert sorted(config.params.prices.items()) == [tuple(p) for p in f["prices"]]
    assert str(config.authority) == f["authority"] and str(config.pending_authority) == f["pending_authority"]
    assert config.network == NetworkState(**f["network"])
    assert (config.params_delay_s, config.pending_params_at) == (f["params_delay_s"], f["pending_params_at"])
    assert config.pending_params is not None and config.pending_params.window_s == f["pending_params"]["window_s"]
    assert [[p.region, p.price, p.at] for p in config.pending_prices] == f["pending_prices"]
    assert device.is_revoked(config.revoked_manufacturers)
    assert accounts.DeviceAccount(**{**device.__dict__, "revoked": False}).is_revoked(config.revoked_manufacturers)
    assert not accounts.DeviceAccount(**{**device.__dict__, "revoked": False, "reinstated": True}).is_revoked(
        config.revoked_manufacturers)
