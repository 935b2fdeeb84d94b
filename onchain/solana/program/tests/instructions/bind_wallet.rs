use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use csm_solana_interface::message::BindMessage;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::*;

async fn registered() -> Env {
    let mut env = configured().await;
    let device = env.device.clone();
    env.register(&device, 100).await.ok();
    env
}

#[tokio::test]
async fn a_device_signed_bind_submitted_by_its_wallet_binds_and_records_the_starting_point() {
    // Given a registered device
    let mut env = registered().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    // When the wallet submits the device's bind for region 554 at seq 6, 1 kWh
    let message = bind_message(&device, &wallet.pubkey(), 6, 1_000_000, T0, 554);
    env.bind(&device, &wallet, &message).await.ok();
    // Then the device is bound to it with the bind's seq, energy, time and region
    let s = env.device_state(&device.address()).await.unwrap();
    assert!(s.bound() && s.has_state());
    assert_eq!(s.wallet, wallet.pubkey());
    assert_eq!((s.last_seq, s.last_energy_mwh, s.last_time, s.region), (6, 1_000_000, T0, 554));
}

#[tokio::test]
async fn a_bind_submitted_by_another_wallet_is_wrong_wallet() {
    let mut env = registered().await;
    let device = env.device.clone();
    let named = Keypair::new();
    let submitter = Keypair::new();
    // Given a bind naming one wallet, When another wallet submits it, Then WRONG_WALLET
    let message = bind_message(&device, &named.pubkey(), 1, 0, T0, 0);
    assert_eq!(env.bind(&device, &submitter, &message).await.custom(), Some((1, CsmError::WrongWallet.code())));
}

#[tokio::test]
async fn a_bind_made_for_another_deployment_is_refused() {
    let mut env = registered().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    // Given a bind carrying the EVM deployment's id from the message vectors
    let mut m = BindMessage::parse(&bind_message(&device, &wallet.pubkey(), 1, 0, T0, 0)).unwrap();
    m.deployment_id = hex("05da9a24999d80f6fe2907e6ad7e39690e465804521067c042c26d4bbc3db70d").try_into().unwrap();
    // When it is submitted, Then WRONG_DEPLOYMENT
    assert_eq!(env.bind(&device, &wallet, &m.encode()).await.custom(), Some((1, CsmError::WrongDeployment.code())));
}

#[tokio::test]
async fn a_rebind_must_move_seq_and_energy_forward() {
    // Given a device bound at seq 5, 2 kWh
    let mut env = registered().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    env.bind(&device, &wallet, &bind_message(&device, &wallet.pubkey(), 5, 2_000_000, T0, 0)).await.ok();
    // When the same seq is bound again (a replayed bind), Then REPLAY
    let replay = bind_message(&device, &wallet.pubkey(), 5, 2_000_000, T0, 0);
    assert_eq!(env.bind(&device, &wallet, &replay).await.custom(), Some((1, CsmError::Replay.code())));
    // When energy goes backwards, Then ENERGY_NOT_INCREASING
    let backwards = bind_message(&device, &wallet.pubkey(), 6, 1_999_999, T0, 0);
    assert_eq!(env.bind(&device, &wallet, &backwards).await.custom(), Some((1, CsmError::EnergyNotIncreasing.code())));
    // When seq and energy move forward (equal energy is allowed for a bind), Then it binds
    env.bind(&device, &wallet, &bind_message(&device, &wallet.pubkey(), 6, 2_000_000, T0, 0)).await.ok();
}

#[tokio::test]
async fn a_bind_dated_beyond_the_clock_skew_is_future_dated() {
    let mut env = registered().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    // Given chain time T0 and a 300 s skew, When the bind is dated T0 + 301, Then FUTURE_DATED
    let message = bind_message(&device, &wallet.pubkey(), 1, 0, T0 + 301, 0);
    assert_eq!(env.bind(&device, &wallet, &message).await.custom(), Some((1, CsmError::FutureDated.code())));
    // And T0 + 300 is accepted
    env.bind(&device, &wallet, &bind_message(&device, &wallet.pubkey(), 1, 0, T0 + 300, 0)).await.ok();
}

#[tokio::test]
async fn binding_an_unregistered_device_is_unknown_device() {
    let mut env = configured().await;
    let wallet = env.wallet.insecure_clone();
    let stranger = EthKey::from_seed(20);
    let message = bind_message(&stranger, &wallet.pubkey(), 1, 0, T0, 0);
    assert_eq!(env.bind(&stranger, &wallet, &message).await.custom(), Some((1, CsmError::UnknownDevice.code())));
}

#[tokio::test]
async fn a_checkpoint_offered_as_a_bind_is_a_bad_signature() {
    // Given a validly signed checkpoint (not a bind message)
    let mut env = registered().await;
    let (device, wallet) = (env.device.clone(), env.wallet.insecure_clone());
    let ixs = [
        device_secp_ix(&device, &checkpoint(&device, 2, 1, T0), 0),
        ix::bind_wallet_v0(&program_id(), &wallet.pubkey(), &device.address(), 0),
    ];
    // When submitted to bind, Then BAD_SIGNATURE
    assert_eq!(env.send(&ixs, &[&wallet]).await.custom(), Some((1, CsmError::BadSignature.code())));
}
