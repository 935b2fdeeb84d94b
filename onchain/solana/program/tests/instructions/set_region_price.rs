use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use csm_solana_interface::state::MAX_PRICES;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

#[tokio::test]
async fn a_region_price_is_set_used_by_claims_and_removed_back_to_the_default() {
    // Given New Zealand (554) priced at 300 000 µUSD/kWh and a device bound in 554
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    env.send(&[ix::set_region_price_v0(&program_id(), &authority, 554, Some(300_000))], &[]).await.ok();
    assert_eq!(env.config().await.price_for(554), 300_000);
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    env.register(&device, 100).await.ok();
    let ata = env.create_ata(&wallet.pubkey()).await;
    env.bind(&device, &wallet, &bind_message(&device, &wallet.pubkey(), 1, 0, T0, 554)).await.ok();
    env.set_time(T0 + 86_400).await;
    // When half a kWh is claimed, Then it pays at the NZ price (vector "region price table")
    env.claim(&[(&device, checkpoint(&device, 2, 500_000, T0 + 86_400))], &ata).await.ok();
    assert_eq!(env.token_balance(&ata).await, 30_000_000);
    // When the entry is removed, Then 554 falls back to region 0
    env.send(&[ix::set_region_price_v0(&program_id(), &authority, 554, None)], &[]).await.ok();
    assert_eq!(env.config().await.price_for(554), 150_000);
}

#[tokio::test]
async fn a_price_above_a_thousand_dollars_per_kwh_is_bad_parameter() {
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    let sent = env.send(&[ix::set_region_price_v0(&program_id(), &authority, 276, Some(1_000_000_001))], &[]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::BadParameter.code())));
}

#[tokio::test]
async fn the_price_table_refuses_entries_beyond_its_capacity() {
    // Given a table already holding MAX_PRICES entries (region 0 plus MAX_PRICES - 1 others)
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    let fill: Vec<_> = (1..MAX_PRICES as u16)
        .map(|r| ix::set_region_price_v0(&program_id(), &authority, r, Some(r as u64)))
        .collect();
    for chunk in fill.chunks(8) {
        env.send(chunk, &[]).await.ok();
    }
    // When one more region is priced, Then PRICE_TABLE_FULL; updating an existing one still works
    let more = ix::set_region_price_v0(&program_id(), &authority, 999, Some(1));
    assert_eq!(env.send(&[more], &[]).await.custom(), Some((0, CsmError::PriceTableFull.code())));
    env.send(&[ix::set_region_price_v0(&program_id(), &authority, 5, Some(55))], &[]).await.ok();
    assert_eq!(env.config().await.price_for(5), 55);
}

#[tokio::test]
async fn anyone_else_setting_a_price_is_unauthorized() {
    let mut env = configured().await;
    let stranger = Keypair::new();
    let sent = env.send(&[ix::set_region_price_v0(&program_id(), &stranger.pubkey(), 0, Some(1))], &[&stranger]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::Unauthorized.code())));
}
