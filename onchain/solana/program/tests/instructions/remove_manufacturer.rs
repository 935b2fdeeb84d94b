use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

#[tokio::test]
async fn a_removed_manufacturer_can_no_longer_attest_devices() {
    // Given the vector manufacturer removed by the authority
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    let maker = env.maker.address();
    env.send(&[ix::remove_manufacturer_v0(&program_id(), &authority, maker)], &[]).await.ok();
    assert!(!env.manufacturer(&maker).await.active);
    // When it attests a device, Then registration is UNATTESTED
    let device = env.device.clone();
    assert_eq!(env.register(&device, 100).await.custom(), Some((1, CsmError::Unattested.code())));
    // And re-adding it restores attestation
    env.send(&[ix::add_manufacturer_v0(&program_id(), &authority, maker)], &[]).await.ok();
    env.register(&device, 100).await.ok();
}

#[tokio::test]
async fn anyone_else_removing_a_manufacturer_is_unauthorized() {
    let mut env = configured().await;
    let stranger = Keypair::new();
    // When a stranger (who signs but is not the authority) removes the manufacturer
    let remove = ix::remove_manufacturer_v0(&program_id(), &stranger.pubkey(), env.maker.address());
    let sent = env.send(&[remove], &[&stranger]).await;
    // Then UNAUTHORIZED, and it stays active
    assert_eq!(sent.custom(), Some((0, CsmError::Unauthorized.code())));
    let maker = env.maker.address();
    assert!(env.manufacturer(&maker).await.active);
}
