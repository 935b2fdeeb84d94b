//! onchain/vectors/solana_instructions.json is written by the Python adapter
//! (`python -m carbon_smart_meter.chains.solana.vectors`); here the program's own decoders read
//! every byte string back, and the interface's encoders must rebuild it exactly, so Python and Rust
//! cannot drift apart.

use csm_solana_interface::event::ClaimEventV0;
use csm_solana_interface::instruction::CsmInstruction;
use csm_solana_interface::message::{deployment_id, EthAddress};
use csm_solana_interface::params::ParamsV0;
use csm_solana_interface::state::PriceTable;
use csm_solana_interface::{pda, secp, Address, ID as PROGRAM_ID};
use serde_json::Value;
use std::str::FromStr;

const VECTORS: &str = include_str!("../../../vectors/solana_instructions.json");

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

fn bytes(v: &Value) -> Vec<u8> {
    hex(v.as_str().unwrap())
}

fn eth(v: &Value) -> EthAddress {
    bytes(v).try_into().unwrap()
}

fn params(p: &Value) -> ParamsV0 {
    ParamsV0 {
        cap_mwh_per_day: u(&p["cap_mwh_per_day"]),
        peak_sun_hours: u(&p["peak_sun_hours"]) as u32,
        min_claim_mwh: u(&p["min_claim_mwh"]),
        max_clock_skew_s: u(&p["max_clock_skew_s"]),
        share_bps: u(&p["share_bps"]) as u16,
        tokens_per_usd: u(&p["tokens_per_usd"]),
        era_length_mwh: u(&p["era_length_mwh"]),
    }
}

fn expected<'a>(name: &str, f: &Value, data: &'a [u8]) -> CsmInstruction<'a> {
    match name {
        "initialize_config_v0" => CsmInstruction::InitializeConfigV0 {
            chain_id: u(&f["chain_id"]),
            params: params(&f["params"]),
            default_price: u(&f["default_price"]),
        },
        "add_manufacturer_v0" => CsmInstruction::AddManufacturerV0 { address: eth(&f["address"]) },
        "remove_manufacturer_v0" => CsmInstruction::RemoveManufacturerV0 { address: eth(&f["address"]) },
        "register_device_v0" => CsmInstruction::RegisterDeviceV0 { attestation_ix: u(&f["attestation_ix"]) as u8 },
        "bind_wallet_v0" => CsmInstruction::BindWalletV0 { bind_ix: u(&f["bind_ix"]) as u8 },
        "unbind_wallet_v0" => CsmInstruction::UnbindWalletV0,
        "claim_v0" => CsmInstruction::ClaimV0 {
            checkpoint_ixs: {
                let want: Vec<u8> = f["checkpoint_ixs"].as_array().unwrap().iter().map(|x| u(x) as u8).collect();
                assert_eq!(data.get(2..), Some(&want[..]), "claim indices follow the tag and count");
                &data[2..]
            },
        },
        "set_params_v0" => CsmInstruction::SetParamsV0 { params: params(&f["params"]) },
        "set_region_price_v0" => CsmInstruction::SetRegionPriceV0 { region: u(&f["region"]) as u16, price: f["price"].as_u64() },
        "set_paused_v0" => CsmInstruction::SetPausedV0 { paused: f["paused"].as_bool().unwrap() },
        other => panic!("vector names an unknown instruction {other}"),
    }
}

#[test]
fn every_instruction_vector_decodes_to_its_fields_and_re_encodes_byte_for_byte() {
    // Given the Python-built instruction vectors
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = doc["instructions"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let data = bytes(&case["data"]);
        // When the program decodes the bytes, Then it finds the fields; re-encoding gives the bytes
        let want = expected(name, &case["fields"], &data);
        assert_eq!(CsmInstruction::unpack(&data).unwrap(), want, "{name}");
        assert_eq!(want.pack(), data, "{name}");
    }
}

#[test]
fn malformed_instruction_vectors_are_refused() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    for case in doc["invalid_instructions"].as_array().unwrap() {
        let data = bytes(&case["data"]);
        assert!(CsmInstruction::unpack(&data).is_err(), "{}", case["why"]);
    }
}

#[test]
fn every_precompile_vector_yields_its_signer_and_message_and_rebuilds_exactly() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    for case in doc["precompile"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let data = bytes(&case["data"]);
        let index = u(&case["own_index"]) as u8;
        let message = bytes(&case["message"]);
        let signature: [u8; 65] = bytes(&case["signature"]).try_into().unwrap();
        let signer = eth(&case["eth_address"]);
        // When the program's parser reads it at its own index
        let v = secp::parse_single(&data, index).unwrap_or_else(|| panic!("{name} does not parse"));
        // Then signer, message and signature are the vector's
        assert_eq!((v.eth_address, v.message, v.signature), (signer, &message[..], &signature[..]), "{name}");
        // And the interface builds the same bytes
        let rebuilt = if case["kind"] == "device" {
            secp::device_message_data(&message, &signature, index)
        } else {
            secp::signer_message_data(&signer, &message, &signature, index)
        };
        assert_eq!(rebuilt, data, "{name}");
        // And read at any other index it is refused (it names its own index)
        assert!(secp::parse_single(&data, index.wrapping_add(1)).is_none(), "{name}");
    }
}

#[test]
fn claim_event_vectors_decode() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    for case in doc["events"].as_array().unwrap() {
        let f = &case["fields"];
        let want = ClaimEventV0 {
            claim_index: u(&f["claim_index"]) as u8,
            device: eth(&f["device"]),
            seq: u(&f["seq"]) as u32,
            code: u(&f["code"]) as u16,
            tokens: u(&f["tokens"]),
            delta_mwh: u(&f["delta_mwh"]),
        };
        assert_eq!(ClaimEventV0::unpack(&bytes(&case["data"])), Some(want));
        assert_eq!(want.pack().to_vec(), bytes(&case["data"]));
    }
}

#[test]
fn addresses_and_the_deployment_id_agree() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let a = &doc["addresses"];
    let program = Address::from_str(a["program_id"].as_str().unwrap()).unwrap();
    assert_eq!(program, PROGRAM_ID);
    let pk = |k: &str| Address::from_str(a[k].as_str().unwrap()).unwrap();
    assert_eq!(pda::config_address(&program).0, pk("config"));
    assert_eq!(pda::mint_authority_address(&program).0, pk("mint_authority"));
    assert_eq!(pda::device_address(&program, &eth(&a["device"])).0, pk("device_pda"));
    assert_eq!(pda::manufacturer_address(&program, &eth(&a["manufacturer"])).0, pk("manufacturer_pda"));
    assert_eq!(deployment_id(u(&a["chain_id"]), &program).to_vec(), bytes(&a["deployment_id"]));
}

#[test]
fn account_vectors_written_by_python_are_the_programs_layouts() {
    use csm_solana_interface::state::{ConfigV0, DeviceV0};
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let pk = |v: &Value| Address::from_str(v.as_str().unwrap()).unwrap();
    // Given the device account vector, When the program unpacks it, Then it has the listed fields
    let d = &doc["accounts"]["device"];
    let f = &d["fields"];
    let device = DeviceV0 {
        bump: u(&d["bump"]) as u8,
        flags: f["bound"].as_bool().unwrap() as u8 | (f["has_state"].as_bool().unwrap() as u8) << 1,
        device: eth(&f["device"]),
        manufacturer: eth(&f["manufacturer"]),
        rated_w: u(&f["rated_w"]) as u32,
        hw_class: u(&f["hw_class"]) as u16,
        region: u(&f["region"]) as u16,
        serial: u(&f["serial"]),
        last_seq: u(&f["last_seq"]) as u32,
        last_energy_mwh: u(&f["last_energy_mwh"]),
        last_time: u(&f["last_time"]),
        chain_head: bytes(&f["chain_head"]).try_into().unwrap(),
        wallet: pk(&f["wallet"]),
        total_tokens: u(&f["total_tokens"]),
    };
    let data = bytes(&d["data"]);
    assert_eq!(DeviceV0::unpack(&data).unwrap(), device);
    let mut packed = vec![0u8; DeviceV0::LEN];
    device.pack(&mut packed).unwrap();
    assert_eq!(packed, data);
    // And the same for the config account
    let c = &doc["accounts"]["config"];
    let f = &c["fields"];
    let config = ConfigV0 {
        bump: u(&c["bump"]) as u8,
        mint_authority_bump: u(&c["mint_authority_bump"]) as u8,
        paused: f["paused"].as_bool().unwrap(),
        authority: pk(&f["authority"]),
        mint: pk(&f["mint"]),
        chain_id: u(&f["chain_id"]),
        deployment_id: bytes(&f["deployment_id"]).try_into().unwrap(),
        network_energy_mwh: u(&f["network_energy_mwh"]),
        params: params(&f["params"]),
        prices: PriceTable::from_slice(
            &f["prices"].as_array().unwrap().iter().map(|p| (u(&p[0]) as u16, u(&p[1]))).collect::<Vec<_>>(),
        )
        .unwrap(),
    };
    let data = bytes(&c["data"]);
    assert_eq!(ConfigV0::unpack(&data).unwrap(), config);
    let mut packed = vec![0u8; ConfigV0::LEN];
    config.pack(&mut packed).unwrap();
    assert_eq!(packed, data);
}
