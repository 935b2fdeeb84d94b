use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::{self as ix, ClaimRef};
use csm_solana_interface::message::CheckpointMessage;
use solana_sdk::instruction::InstructionError;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::TransactionError;

use crate::common::*;

const DAY: u64 = 86_400;

fn code(e: CsmError) -> u16 {
    e.code() as u16
}

#[tokio::test]
async fn a_valid_checkpoint_mints_tokens_to_the_bound_wallets_token_account() {
    // Given a 100 W device bound at 0 mWh, T0, and a day later
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    // When it claims half a kWh
    let sent = env.claim(&[(&device, checkpoint(&device, 2, 500_000, T0 + DAY))], &ata).await;
    sent.ok();
    // Then 15e6 base units are minted (vector "one day, half a kWh"), state and network move on
    assert_eq!(env.token_balance(&ata).await, 15_000_000);
    let ev = sent.claim_events();
    assert_eq!(ev.len(), 1);
    assert_eq!((ev[0].code, ev[0].tokens, ev[0].delta_mwh, ev[0].seq), (0, 15_000_000, 500_000, 2));
    assert_eq!(ev[0].device, device.address());
    let s = env.device_state(&device.address()).await.unwrap();
    assert_eq!((s.last_seq, s.last_energy_mwh, s.last_time, s.total_tokens), (2, 500_000, T0 + DAY, 15_000_000));
    assert_eq!(s.chain_head, CheckpointMessage::parse(&checkpoint(&device, 2, 500_000, T0 + DAY)).unwrap().chain_head);
    assert_eq!(env.config().await.network_energy_mwh, 500_000);
    println!("compute units, 1 claim: {}", sent.units);
}

#[tokio::test]
async fn a_forged_checkpoint_signature_fails_the_transaction_in_the_precompile() {
    // Given a checkpoint whose energy was raised after signing
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let message = checkpoint(&device, 2, 500_000, T0 + DAY);
    let mut secp = device_secp_ix(&device, &message, 0);
    let energy_at = secp.data.len() - 115 + 67 + 7;
    secp.data[energy_at] ^= 0x01;
    let claim = ix::claim_v0(&program_id(), &env.mint, &[ClaimRef { device: device.address(), token_account: ata, checkpoint_ix: 0 }]);
    // When it is submitted, Then the precompile refuses the whole transaction and nothing is paid
    let sent = env.send(&[secp, claim], &[]).await;
    assert_eq!(sent.result, Err(TransactionError::InstructionError(0, InstructionError::Custom(2))));
    assert_eq!(env.token_balance(&ata).await, 0);
}

#[tokio::test]
async fn a_signature_by_another_key_over_the_devices_checkpoint_is_a_bad_signature() {
    // Given the device's checkpoint signed by some other key (the precompile verifies it against
    // the address inside the message, so it fails there)
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let other = EthKey::from_seed(33);
    let sent = env.claim(&[(&other, checkpoint(&device, 2, 500_000, T0 + DAY))], &ata).await;
    assert_eq!(sent.result, Err(TransactionError::InstructionError(0, InstructionError::Custom(2))));
}

#[tokio::test]
async fn a_reused_checkpoint_in_a_later_transaction_is_a_replay_and_pays_nothing() {
    // Given a checkpoint already paid
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let message = checkpoint(&device, 2, 500_000, T0 + DAY);
    env.claim(&[(&device, message.clone())], &ata).await.ok();
    // When the same signed bytes are submitted again
    let sent = env.claim(&[(&device, message)], &ata).await;
    // Then the claim is skipped with REPLAY and the balance is unchanged
    sent.ok();
    assert_eq!(sent.claim_events()[0].code, code(CsmError::Replay));
    assert_eq!(env.token_balance(&ata).await, 15_000_000);
}

#[tokio::test]
async fn the_same_checkpoint_twice_in_one_batch_pays_once() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let message = checkpoint(&device, 2, 500_000, T0 + DAY);
    // When one transaction carries the same checkpoint twice
    let sent = env.claim(&[(&device, message.clone()), (&device, message)], &ata).await;
    // Then the first pays and the second is REPLAY
    let ev = sent.claim_events();
    assert_eq!((ev[0].code, ev[1].code), (0, code(CsmError::Replay)));
    assert_eq!(env.token_balance(&ata).await, 15_000_000);
}

#[tokio::test]
async fn both_claims_pointing_at_one_precompile_instruction_pay_once() {
    // Given one verified checkpoint and a claim instruction naming its index twice
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let secp = device_secp_ix(&device, &checkpoint(&device, 2, 500_000, T0 + DAY), 0);
    let r = ClaimRef { device: device.address(), token_account: ata, checkpoint_ix: 0 };
    let sent = env.send(&[secp, ix::claim_v0(&program_id(), &env.mint, &[r, r])], &[]).await;
    // Then the signature pays once
    let ev = sent.claim_events();
    assert_eq!((ev[0].code, ev[1].code), (0, code(CsmError::Replay)));
}

#[tokio::test]
async fn an_unregistered_device_is_unknown_device() {
    // Given a device key that was never attested or registered
    let mut env = bound().await;
    let stranger = EthKey::from_seed(40);
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    // When it claims, Then UNKNOWN_DEVICE and nothing is paid
    let sent = env.claim(&[(&stranger, checkpoint(&stranger, 2, 500_000, T0 + DAY))], &ata).await;
    sent.ok();
    assert_eq!(sent.claim_events()[0].code, code(CsmError::UnknownDevice));
    assert_eq!(env.token_balance(&ata).await, 0);
}

#[tokio::test]
async fn a_checkpoint_made_for_another_deployment_is_refused() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    // Given the checkpoint carrying the EVM deployment's id
    let mut m = CheckpointMessage::parse(&checkpoint(&device, 2, 500_000, T0 + DAY)).unwrap();
    m.deployment_id = hex("05da9a24999d80f6fe2907e6ad7e39690e465804521067c042c26d4bbc3db70d").try_into().unwrap();
    let sent = env.claim(&[(&device, m.encode())], &ata).await;
    // Then WRONG_DEPLOYMENT
    assert_eq!(sent.claim_events()[0].code, code(CsmError::WrongDeployment));
}

#[tokio::test]
async fn paying_a_token_account_of_another_wallet_is_wrong_wallet() {
    // Given a token account owned by someone other than the bound wallet
    let mut env = bound().await;
    let device = env.device.clone();
    let thief = Keypair::new();
    let thief_ata = env.create_ata(&thief.pubkey()).await;
    env.set_time(T0 + DAY).await;
    // When the claim names it as destination, Then WRONG_WALLET and it receives nothing
    let sent = env.claim(&[(&device, checkpoint(&device, 2, 500_000, T0 + DAY))], &thief_ata).await;
    assert_eq!(sent.claim_events()[0].code, code(CsmError::WrongWallet));
    assert_eq!(env.token_balance(&thief_ata).await, 0);
}

#[tokio::test]
async fn a_mint_authority_account_that_is_not_the_pda_is_refused() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let secp = device_secp_ix(&device, &checkpoint(&device, 2, 500_000, T0 + DAY), 0);
    let mut claim = ix::claim_v0(&program_id(), &env.mint, &[ClaimRef { device: device.address(), token_account: ata, checkpoint_ix: 0 }]);
    claim.accounts[2].pubkey = Pubkey::new_unique();
    // When the claim passes another account as mint authority, Then WRONG_MINT_AUTHORITY
    assert_eq!(env.send(&[secp, claim], &[]).await.custom(), Some((1, CsmError::WrongMintAuthority.code())));
}

#[tokio::test]
async fn a_mint_other_than_the_reward_mint_is_refused() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    let secp = device_secp_ix(&device, &checkpoint(&device, 2, 500_000, T0 + DAY), 0);
    let other_mint = Pubkey::new_unique();
    let claim = ix::claim_v0(&program_id(), &other_mint, &[ClaimRef { device: device.address(), token_account: ata, checkpoint_ix: 0 }]);
    assert_eq!(env.send(&[secp, claim], &[]).await.custom(), Some((1, CsmError::WrongMint.code())));
}

#[tokio::test]
async fn a_claim_over_the_daily_cap_is_over_cap() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    env.set_time(T0 + DAY).await;
    // Given 100 W over one day (cap 1.6 kWh), When 1 600 001 mWh is claimed, Then OVER_CAP
    let sent = env.claim(&[(&device, checkpoint(&device, 2, 1_600_001, T0 + DAY))], &ata).await;
    assert_eq!(sent.claim_events()[0].code, code(CsmError::OverCap));
    assert_eq!(env.device_state(&device.address()).await.unwrap().last_seq, 1);
}

#[tokio::test]
async fn a_paused_deployment_refuses_the_whole_claim_call() {
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    let authority = env.authority().pubkey();
    env.send(&[ix::set_paused_v0(&program_id(), &authority, true)], &[]).await.ok();
    env.set_time(T0 + DAY).await;
    let sent = env.claim(&[(&device, checkpoint(&device, 2, 500_000, T0 + DAY))], &ata).await;
    assert_eq!(sent.custom(), Some((1, CsmError::Paused.code())));
}

#[tokio::test]
async fn a_batch_skips_the_failed_claim_and_pays_the_others_in_order() {
    // Given two bound devices of the same wallet
    let mut env = bound().await;
    let (a, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    let b = EthKey::from_seed(50);
    env.register(&b, 100).await.ok();
    env.bind(&b, &wallet, &bind_message(&b, &wallet.pubkey(), 1, 0, T0, 0)).await.ok();
    let ata = env.ata(&wallet.pubkey());
    env.set_time(T0 + 2 * DAY).await;
    // When a batch holds a good claim, an over-cap claim and another good claim
    let sent = env
        .claim(
            &[
                (&a, checkpoint(&a, 2, 500_000, T0 + DAY)),
                (&b, checkpoint(&b, 2, 9_000_000, T0 + DAY)),
                (&a, checkpoint(&a, 3, 600_000, T0 + 2 * DAY)),
            ],
            &ata,
        )
        .await;
    sent.ok();
    // Then claims 0 and 2 pay, 1 is OVER_CAP, and events come in order
    let ev = sent.claim_events();
    assert_eq!(ev.iter().map(|e| (e.claim_index, e.code)).collect::<Vec<_>>(), vec![(0, 0), (1, code(CsmError::OverCap)), (2, 0)]);
    assert_eq!(env.token_balance(&ata).await, 15_000_000 + 3_000_000);
    println!("compute units, 3 claims: {}", sent.units);
}

#[tokio::test]
async fn compute_units_per_claim_are_reported() {
    // Given three bound devices, When each batch size 1..=3 is claimed
    let mut env = bound().await;
    let wallet = env.wallet.insecure_clone();
    let mut keys = vec![env.device.clone()];
    for seed in 60..62 {
        let k = EthKey::from_seed(seed);
        env.register(&k, 100).await.ok();
        env.bind(&k, &wallet, &bind_message(&k, &wallet.pubkey(), 1, 0, T0, 0)).await.ok();
        keys.push(k);
    }
    let ata = env.ata(&wallet.pubkey());
    env.set_time(T0 + DAY).await;
    let mut units = Vec::new();
    for n in 1..=3u32 {
        let claims: Vec<(&EthKey, Vec<u8>)> =
            keys.iter().take(n as usize).map(|k| (k, checkpoint(k, 1 + n, 20_000 * n as u64, T0 + n as u64 * 3_600))).collect();
        let sent = env.claim(&claims, &ata).await;
        sent.ok();
        assert!(sent.claim_events().iter().all(|e| e.code == 0), "{:?}", sent.claim_events());
        units.push(sent.units);
    }
    // Then every batch fits the default 200k per-instruction budget; print the figures for the note
    println!("compute units for 1, 2, 3 claims: {units:?}");
    assert!(units.iter().all(|u| *u < 200_000 * 4));
}
