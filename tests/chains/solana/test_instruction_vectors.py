"""The shared instruction vectors are exactly what this package builds (the Rust tests decode the
same file with the program's parsers), so Python and Rust cannot drift."""

from __future__ import annotations

from pathlib import Path

from carbon_smart_meter.chains.solana import layout, precompile, vectors
from carbon_smart_meter.chains.solana.layout import ClaimEvent, decode_claim_event
from carbon_smart_meter.rewards.params import PayoutParams

VECTORS = Path(__file__).resolve().parents[3] / "onchain" / "vectors"


def test_the_committed_vector_file_is_what_the_python_encoders_produce_today() -> None:
    assert (VECTORS / "solana_instructions.json").read_text() == vectors.render()


def test_every_instruction_vector_names_a_known_tag_and_the_claim_layout_is_count_then_indices(
        solana_vectors: dict) -> None:
    tags = {"initialize_config_v0": 0, "add_manufacturer_v0": 1, "remove_manufacturer_v0": 2,
            "register_device_v0": 3, "bind_wallet_v0": 4, "unbind_wallet_v0": 5, "claim_v0": 6,
            "set_params_v0": 7, "set_region_price_v0": 8, "set_paused_v0": 9}
    for case in solana_vectors["instructions"]:
        data = bytes.fromhex(case["data"])
        assert data[0] == tags[case["name"]]
        if case["name"] == "claim_v0":
            assert list(data[2:]) == case["fields"]["checkpoint_ixs"] and data[1] == len(data) - 2


def test_initialize_config_data_is_tag_chain_id_params_and_price_in_little_endian() -> None:
    data = layout.initialize_config_data(1, PayoutParams(), 150_000)
    assert len(data) == 1 + 8 + 46 + 8
    assert data[1:9] == (1).to_bytes(8, "little")
    assert data[9:17] == (9_000_000).to_bytes(8, "little")
    assert data[-8:] == (150_000).to_bytes(8, "little")


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
        assert event is not None and layout.encode_claim_event(event) == data
        assert event.code == case["fields"]["code"] and event.tokens == case["fields"]["tokens"]
    assert decode_claim_event(b"\x02" + bytes(44)) is None
    assert decode_claim_event(layout.encode_claim_event(ClaimEvent(0, bytes(20), 1, 0, 1, 1))[:-1]) is None


def test_pdas_and_the_deployment_id_match_the_vectors(solana_vectors: dict) -> None:
    a = solana_vectors["addresses"]
    assert str(layout.config_address()) == a["config"]
    assert str(layout.device_address(bytes.fromhex(a["device"]))) == a["device_pda"]


def test_account_vectors_decode_to_their_fields(solana_vectors: dict) -> None:
    d = solana_vectors["accounts"]["device"]
    device = layout.decode_device(bytes.fromhex(d["data"]))
    f = d["fields"]
    assert (device.bound, device.has_state, device.rated_w, device.region, device.last_seq) == (
        f["bound"], f["has_state"], f["rated_w"], f["region"], f["last_seq"])
    assert str(device.wallet) == f["wallet"] and device.chain_head.hex() == f["chain_head"]
    c = solana_vectors["accounts"]["config"]
    config = layout.decode_config(bytes.fromhex(c["data"]))
    assert config.paused and config.chain_id == c["fields"]["chain_id"]
    assert sorted(config.params.prices.items()) == [tuple(p) for p in c["fields"]["prices"]]
    assert str(config.authority) == c["fields"]["authority"]
