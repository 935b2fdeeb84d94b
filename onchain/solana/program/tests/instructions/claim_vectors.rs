//! Every case of onchain/vectors/payout.json through the real runtime: config and device accounts
//! are preset to the case's state, the clock is set to its `now`, and one device-signed checkpoint
//! is claimed through the secp256k1 precompile and the SPL Token program.

use csm_solana_interface::params::ParamsV0;
use csm_solana_interface::pda;
use csm_solana_interface::state::{ConfigV0, DeviceV0, DEVICE_FLAG_BOUND, DEVICE_FLAG_HAS_STATE};
use csm_solana_interface::instruction::ids;
use serde_json::Value;
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

fn mint_data(authority: &Pubkey) -> Vec<u8> {
    let mut d = vec![0u8; 82];
    d[0] = 1;
    d[4..36].copy_from_slice(authority.as_ref());
    d[44] = 9;
    d[45] = 1;
    d
}

fn account(data: Vec<u8>, owner: Pubkey) -> Account {
    Account { lamports: rent_exempt(data.len()), data, owner, executable: false, rent_epoch: 0 }
}

#[tokio::test]
async fn every_payout_vector_pays_or_refuses_exactly_as_written() {
    let doc: Value = serde_json::from_str(PAYOUT).unwrap();
    let (device, _) = vector_keys();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        // Given the case's parameters, network energy and device state preset on a fresh chain
        let p = case.get("params").unwrap_or(&doc["params"]);
        let params = ParamsV0 {
            cap_mwh_per_day: u(&p["cap_mwh_per_day"]),
            peak_sun_hours: u(&p["peak_sun_hours"]) as u32,
            min_claim_mwh: u(&p["min_claim_mwh"]),
            max_clock_skew_s: u(&p["max_clock_skew_s"]),
            share_bps: u(&p["share_bps"]) as u16,
            tokens_per_usd: u(&p["tokens_per_usd"]),
            era_length_mwh: u(&p["era_length_mwh"]),
        };
        let prices = p["prices"].as_object().unwrap().iter().map(|(k, v)| (k.parse().unwrap(), u(v))).collect();
        let mint = Pubkey::new_unique();
        let wallet = Keypair::new();
        let (mint_authority, mint_authority_bump) = pda::mint_authority_address(&program_id());
        let (config_key, bump) = pda::config_address(&program_id());
        let config = ConfigV0 {
            bump,
            mint_authority_bump,
            paused: false,
            authority: Pubkey::new_unique(),
            mint,
            chain_id: 0,
            deployment_id: this_deployment(),
            network_energy_mwh: u(&case["network_energy_mwh"]),
            params,
            prices,
        };
        let d = &case["device"];
        let (device_key, device_bump) = pda::device_address(&program_id(), &device.address());
        let mut flags = DEVICE_FLAG_HAS_STATE;
        if d["bound"].as_bool().unwrap() {
            flags |= DEVICE_FLAG_BOUND;
        }
        let state = DeviceV0 {
            bump: device_bump,
            flags,
            device: device.address(),
            manufacturer: [0; 20],
            rated_w: u(&d["rated_w"]) as u32,
            hw_class: 1,
            region: u(&d["region"]) as u16,
            serial: 1,
            last_seq: u(&d["last_seq"]) as u32,
            last_energy_mwh: u(&d["last_energy_mwh"]),
            last_time: u(&d["last_time"]),
            chain_head: [0; 32],
            wallet: wallet.pubkey(),
            total_tokens: 0,
        };
        let mut pt = program_test();
        let mut config_data = vec![0u8; ConfigV0::LEN];
        config.pack(&mut config_data).unwrap();
        pt.add_account(config_key, account(config_data, program_id()));
        let mut device_data = vec![0u8; DeviceV0::LEN];
        state.pack(&mut device_data).unwrap();
        pt.add_account(device_key, account(device_data, program_id()));
        pt.add_account(mint, account(mint_data(&mint_authority), ids::TOKEN_PROGRAM));
        let ata = Pubkey::new_unique();
        pt.add_account(ata, account(token_account_data(&mint, &wallet.pubkey()), ids::TOKEN_PROGRAM));
        let ctx = start(pt).await;
        let (_, maker) = vector_keys();
        let mut env = Env { ctx, mint, wallet, device: device.clone(), maker };
        env.set_time(u(&case["now"])).await;

        // When the case's checkpoint is claimed
        let c = &case["checkpoint"];
        let message = checkpoint(&device, u(&c["seq"]) as u32, u(&c["energy_mwh"]), u(&c["device_time"]));
        let sent = env.claim(&[(&device, message)], &ata).await;
        assert!(sent.result.is_ok(), "{name}: {:?}\n{}", sent.result, sent.logs.join("\n"));
        let ev = sent.claim_events();
        assert_eq!(ev.len(), 1, "{name}");

        // Then the event, the minted amount, the device and the network total match the vector
        let e = &case["expect"];
        let after = env.device_state(&device.address()).await.unwrap();
        if e["ok"].as_bool().unwrap() {
            assert_eq!(ev[0].code, 0, "{name}: refused with code {}", ev[0].code);
            assert_eq!(ev[0].tokens, u(&e["tokens"]), "{name}: tokens");
            assert_eq!(ev[0].delta_mwh, u(&e["delta_mwh"]), "{name}: delta");
            assert_eq!(env.token_balance(&ata).await, u(&e["tokens"]), "{name}: balance");
            assert_eq!(env.config().await.network_energy_mwh, u(&e["network_energy_after"]), "{name}: network");
            assert_eq!(after.last_seq as u64, u(&c["seq"]), "{name}: last_seq");
        } else {
            assert_eq!(ev[0].code as u64, u(&e["code"]), "{name}: code");
            assert_eq!(env.token_balance(&ata).await, 0, "{name}: nothing minted");
            assert_eq!(after, state, "{name}: device unchanged");
            assert_eq!(env.config().await.network_energy_mwh, u(&case["network_energy_mwh"]), "{name}: network unchanged");
        }
        checked += 1;
    }
    assert_eq!(checked, 30);
}

