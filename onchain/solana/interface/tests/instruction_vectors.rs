//! onchain/vectors/solana_instructions.json is written by the Python adapter
//! (`python -m carbon_smart_meter.chains.solana.vectors`); here the program's own decoders read
//! every byte string back, and the interface's encoders must rebuild it exactly, so Python and Rust
//! cannot drift apart.

mod common;

use csm_solana_interface::event::ClaimEventV0;
use csm_solana_interface::instruction::{tag, CsmInstruction, PRICE_ENTRY_LEN};
use csm_solana_interface::message::{deployment_id, EthAddress};
use csm_solana_interface::params::ParamsV1;
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

fn params(p: &Value) -> ParamsV1 {
    // Every field is given in the instruction vectors (no defaults).
    assert!(p.get("window_s").is_some() && p.get("window_limit_mwh").is_some());
    common::params_of(p)
}

fn pk(v: &Value) -> Address {
    Address::from_str(v.as_str().unwrap()).unwrap()
}

fn expected<'a>(name: &str, f: &Value, data: &'a [u8]) -> CsmInstruction<'a> {
    match name {
        "initialize_config_v1" => CsmInstruction::InitializeConfigV1 {
            chain_id: u(&f["chain_id"]),
            params: params(&f["params"]),
            params_delay_s: u(&f["params_delay_s"]),
            prices: {
                let want: Vec<u8> = f["prices"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|e| [(u(&e[0]) as u16).to_le_bytes().to_vec(), u(&e[1]).to_le_bytes().to_vec()].concat())
                    .collect();
                let start = data.len() - want.len();
                assert_eq!(&data[start..], &want[..], "the prices close the instruction");
                assert_eq!(data[start - 1] as usize * PRICE_ENTRY_LEN, want.len(), "a count byte precedes them");
                &data[start..]
            },
        },
        "add_manufacturer_v0" => CsmInstruction::AddManufacturerV0 { address: eth(&f["address"]) },
        "revoke_manufacturer_v0" => CsmInstruction::RevokeManufacturerV0 { address: eth(&f["address"]) },
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
        "set_paused_v0" => CsmInstruction::SetPausedV0 { paused: f["paused"].as_bool().unwrap() },
        "schedule_params_v0" => CsmInstruction::ScheduleParamsV0 { params: params(&f["params"]) },
        "apply_params_v0" => CsmInstruction::ApplyParamsV0,
        "schedule_price_v0" => CsmInstruction::SchedulePriceV0 { region: u(&f["region"]) as u16, price: f["price"].as_u64() },
        "apply_price_v0" => CsmInstruction::ApplyPriceV0 { region: u(&f["region"]) as u16 },
        "revoke_device_v0" => CsmInstruction::RevokeDeviceV0 { device: eth(&f["device"]) },
        "reinstate_device_v0" => CsmInstruction::ReinstateDeviceV0 { device: eth(&f["device"]) },
        "set_device_region_v0" => CsmInstruction::SetDeviceRegionV0 { device: eth(&f["device"]), region: u(&f["region"]) as u16 },
        "propose_authority_v0" => CsmInstruction::ProposeAuthorityV0 { new_authority: pk(&f["new_authority"]) },
        "accept_authority_v0" => CsmInstruction::AcceptAuthorityV0,
        "renounce_authority_v0" => CsmInstruction::RenounceAuthorityV0,
        other => panic!("vector names an unknown instruction {other}"),
    }
}

#[test]
fn every_instruction_vector_decodes_to_its_fields_and_re_encodes_byte_for_byte() {
    // Given the Python-built instruction vectors
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = doc["instructions"].as_array().unwrap();
    assert!(cases.len() >= 20);
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
fn every_retired_tag_has_a_vector_and_is_refused() {
    // The version-1 instructions that applied changes at once (or undid a revocation) are retired:
    // their exact old bytes no longer decode.
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let invalid: Vec<Vec<u8>> = doc["invalid_instructions"].as_array().unwrap().iter().map(|c| bytes(&c["data"])).collect();
    for retired in tag::RETIRED {
        let old = invalid.iter().filter(|d| d.first() == Some(&retired) && d.len() > 1).count();
        assert!(old > 0, "no vector of the retired tag {retired}");
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
    use csm_solana_interface::payout::NetworkState;
    use csm_solana_interface::state::{
        ConfigAdminV1, ConfigV1, DeviceV1, ManufacturerV1, PendingPrice, PendingPrices, DEVICE_FLAG_BOUND,
        DEVICE_FLAG_HAS_STATE, DEVICE_FLAG_REINSTATED, DEVICE_FLAG_REVOKED,
    };
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let flag = |f: &Value, name: &str, bit: u8| if f[name].as_bool().unwrap() { bit } else { 0 };
    // Given the device account vector, When the program unpacks it, Then it has the listed fields
    let d = &doc["accounts"]["device"];
    let f = &d["fields"];
    let device = DeviceV1 {
        bump: u(&d["bump"]) as u8,
        flags: flag(f, "bound", DEVICE_FLAG_BOUND)
            | flag(f, "has_state", DEVICE_FLAG_HAS_STATE)
            | flag(f, "revoked", DEVICE_FLAG_REVOKED)
            | flag(f, "reinstated", DEVICE_FLAG_REINSTATED),
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
        manufacturer_index: u(&f["manufacturer_index"]) as u8,
    };
    let data = bytes(&d["data"]);
    assert_eq!(DeviceV1::unpack(&data).unwrap(), device);
    let mut packed = vec![0u8; DeviceV1::LEN];
    device.pack(&mut packed).unwrap();
    assert_eq!(packed, data);
    // And the same for the manufacturer account
    let m = &doc["accounts"]["manufacturer"];
    let f = &m["fields"];
    let maker = ManufacturerV1 {
        bump: u(&m["bump"]) as u8,
        revoked: f["revoked"].as_bool().unwrap(),
        address: eth(&f["address"]),
        index: u(&f["index"]) as u8,
    };
    let data = bytes(&m["data"]);
    assert_eq!(ManufacturerV1::unpack(&data).unwrap(), maker);
    let mut packed = vec![0u8; ManufacturerV1::LEN];
    maker.pack(&mut packed).unwrap();
    assert_eq!(packed, data);
    // And the config account: its claim part, its admin part and the scheduled prices
    let c = &doc["accounts"]["config"];
    let f = &c["fields"];
    let n = &f["network"];
    let config = ConfigV1 {
        bump: u(&c["bump"]) as u8,
        mint_authority_bump: u(&c["mint_authority_bump"]) as u8,
        paused: f["paused"].as_bool().unwrap(),
        manufacturer_count: u(&f["manufacturer_count"]) as u8,
        authority: pk(&f["authority"]),
        mint: pk(&f["mint"]),
        chain_id: u(&f["chain_id"]),
        deployment_id: bytes(&f["deployment_id"]).try_into().unwrap(),
        network: NetworkState {
            energy_mwh: u(&n["energy_mwh"]),
            era: u(&n["era"]) as u8,
            era_left_mwh: u(&n["era_left_mwh"]),
            window_used_mwh: u(&n["window_used_mwh"]),
            window_time: u(&n["window_time"]),
        },
        revoked_manufacturers: bytes(&f["revoked_manufacturers"]).try_into().unwrap(),
        params: params(&f["params"]),
        prices: PriceTable::from_slice(
            &f["prices"].as_array().unwrap().iter().map(|p| (u(&p[0]) as u16, u(&p[1]))).collect::<Vec<_>>(),
        )
        .unwrap(),
    };
    let admin = ConfigAdminV1 {
        pending_authority: pk(&f["pending_authority"]),
        params_delay_s: u(&f["params_delay_s"]),
        pending_params_at: u(&f["pending_params_at"]),
        pending_params: params(&f["pending_params"]),
    };
    let pending: Vec<PendingPrice> = f["pending_prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| PendingPrice { region: u(&p[0]) as u16, price: p[1].as_u64(), at: u(&p[2]) })
        .collect();
    let mut data = bytes(&c["data"]);
    assert_eq!(data.len(), ConfigV1::LEN);
    assert_eq!(ConfigV1::unpack(&data).unwrap(), config);
    assert_eq!(ConfigAdminV1::unpack(&data).unwrap(), admin);
    {
        let list = PendingPrices::of(&mut data).unwrap();
        let have: Vec<PendingPrice> = (0..list.len()).map(|i| list.get(i).unwrap()).collect();
        assert_eq!(have, pending);
    }
    let mut packed = vec![0u8; ConfigV1::LEN];
    packed[..2].copy_from_slice(&[1, 1]);
    config.pack(&mut packed).unwrap();
    admin.pack(&mut packed).unwrap();
    {
        let mut list = PendingPrices::of(&mut packed).unwrap();
        for p in &pending {
            list.upsert(p).unwrap();
        }
    }
    assert_eq!(packed, bytes(&c["data"]));
}
