use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

#[tokio::test]
async fn the_bound_wallet_unbinds_and_the_last_claimed_point_stays() {
    // Given a device bound at seq 1, 0 mWh, T0 that claimed up to seq 2
    let mut env = bound().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    let ata = env.ata(&wallet.pubkey());
    env.set_time(T0 + 86_400).await;
    env.claim(&[(&device, checkpoint(&device, 2, 500_000, T0 + 86_400))], &ata).await.ok();
    // When the wallet unbinds
    env.send(&[ix::unbind_wallet_v0(&program_id(), &wallet.pubkey(), &device.address())], &[&wallet]).await.ok();
    // Then the device is unbound but keeps seq 2 / 500 Wh, so an old bind cannot rewind it
    let s = env.device_state(&device.address()).await.unwrap();
    assert!(!s.bound());
    assert_eq!((s.last_seq, s.last_energy_mwh), (2, 500_000));
    let old = bind_message(&device, &wallet.pubkey(), 2, 500_000, T0, 0);
    assert_eq!(env.bind(&device, &wallet, &old).await.custom(), Some((1, CsmError::Replay.code())));
    // And a claim now is NOT_BOUND
    let sent = env.claim(&[(&device, checkpoint(&device, 3, 600_000, T0 + 86_400))], &ata).await;
    assert_eq!(sent.claim_events()[0].code as u32, CsmError::NotBound.code());
}

#[tokio::test]
async fn another_wallet_cannot_unbind() {
    let mut env = bound().await;
    let device = env.device.clone();
    let thief = Keypair::new();
    let sent = env.send(&[ix::unbind_wallet_v0(&program_id(), &thief.pubkey(), &device.address())], &[&thief]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::WrongWallet.code())));
    assert!(env.device_state(&device.address()).await.unwrap().bound());
}

#[tokio::test]
async fn unbinding_an_unbound_device_is_not_bound() {
    let mut env = configured().await;
    let device = env.device.clone();
    env.register(&device, 100).await.ok();
    let wallet = env.wallet.insecure_clone();
    let sent = env.send(&[ix::unbind_wallet_v0(&program_id(), &wallet.pubkey(), &device.address())], &[&wallet]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::NotBound.code())));
}
