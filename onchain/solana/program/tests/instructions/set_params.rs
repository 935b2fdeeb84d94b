use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use csm_solana_interface::params::ParamsV0;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

#[tokio::test]
async fn the_authority_replaces_the_parameters() {
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    let new = ParamsV0 { share_bps: 3_000, min_claim_mwh: 0, ..ParamsV0::default() };
    env.send(&[ix::set_params_v0(&program_id(), &authority, new)], &[]).await.ok();
    assert_eq!(env.config().await.params, new);
}

#[tokio::test]
async fn parameters_outside_their_bounds_are_bad_parameter_and_change_nothing() {
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    for bad in [
        ParamsV0 { peak_sun_hours: 0, ..ParamsV0::default() },
        ParamsV0 { cap_mwh_per_day: 9_000_001, ..ParamsV0::default() },
        ParamsV0 { tokens_per_usd: 1_000_000_000_001, ..ParamsV0::default() },
    ] {
        let sent = env.send(&[ix::set_params_v0(&program_id(), &authority, bad)], &[]).await;
        assert_eq!(sent.custom(), Some((0, CsmError::BadParameter.code())), "{bad:?}");
    }
    assert_eq!(env.config().await.params, ParamsV0::default());
}

#[tokio::test]
async fn anyone_else_setting_parameters_is_unauthorized() {
    let mut env = configured().await;
    let stranger = Keypair::new();
    let sent = env.send(&[ix::set_params_v0(&program_id(), &stranger.pubkey(), ParamsV0::default())], &[&stranger]).await;
    assert_eq!(sent.custom(), Some((0, CsmError::Unauthorized.code())));
}
