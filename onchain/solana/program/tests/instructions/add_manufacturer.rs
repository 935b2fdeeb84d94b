use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction as system_instruction;

use crate::common::*;

#[tokio::test]
async fn the_authority_adds_an_active_manufacturer() {
    // Given a configured deployment, When the authority adds a manufacturer address
    let mut env = configured().await;
    let maker = EthKey::from_seed(7).address();
    let authority = env.authority().pubkey();
    env.send(&[ix::add_manufacturer_v0(&program_id(), &authority, maker)], &[]).await.ok();
    // Then its account is active and holds the address
    let m = env.manufacturer(&maker).await;
    assert!(m.active);
    assert_eq!(m.address, maker);
}

#[tokio::test]
async fn anyone_else_adding_a_manufacturer_is_unauthorized() {
    // Given a funded stranger
    let mut env = configured().await;
    let stranger = Keypair::new();
    let payer = env.authority().pubkey();
    env.send(&[system_instruction::transfer(&payer, &stranger.pubkey(), 1_000_000_000)], &[]).await.ok();
    // When the stranger adds a manufacturer
    let add = ix::add_manufacturer_v0(&program_id(), &stranger.pubkey(), EthKey::from_seed(8).address());
    let sent = env.send(&[add], &[&stranger]).await;
    // Then UNAUTHORIZED
    assert_eq!(sent.custom(), Some((0, CsmError::Unauthorized.code())));
}
