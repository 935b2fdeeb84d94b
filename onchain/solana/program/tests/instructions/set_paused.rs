use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

#[tokio::test]
async fn pausing_stops_claims_and_unpausing_resumes_them() {
    // Given a bound device and a paused deployment
    let mut env = bound().await;
    let device = env.device.clone();
    let ata = env.ata(&env.wallet.pubkey());
    let authority = env.authority().pubkey();
    env.send(&[ix::set_paused_v0(&program_id(), &authority, true)], &[]).await.ok();
    assert!(env.config().await.paused);
    env.set_time(T0 + 86_400).await;
    let message = checkpoint(&device, 2, 500_000, T0 + 86_400);
    // When a claim is sent, Then PAUSED for the whole call
    assert_eq!(env.claim(&[(&device, message.clone())], &ata).await.custom(), Some((1, CsmError::Paused.code())));
    // When unpaused, Then the same checkpoint pays
    env.send(&[ix::set_paused_v0(&program_id(), &authority, false)], &[]).await.ok();
    env.claim(&[(&device, message)], &ata).await.ok();
    assert_eq!(env.token_balance(&ata).await, 15_000_000);
}

#[tokio::test]
async fn binding_is_refused_while_paused() {
    let mut env = configured().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    env.register(&device, 100).await.ok();
    let authority = env.authority().pubkey();
    env.send(&[ix::set_paused_v0(&program_id(), &authority, true)], &[]).await.ok();
    let message = bind_message(&device, &wallet.pubkey(), 1, 0, T0, 0);
    assert_eq!(env.bind(&device, &wallet, &message).await.custom(), Some((1, CsmError::Paused.code())));
}

#[tokio::test]
async fn anyone_else_pausing_is_unauthorized() {
    let mut env = configured().await;
    let stranger = Keypair::new();
    let sent = env.send(&[ix::set_paused_v0(&program_id(), &stranger.pubkey(), true)], &[&stranger]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::Unauthorized.code())));
    assert!(!env.config().await.paused);
}
