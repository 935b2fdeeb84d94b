use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use csm_solana_interface::params::ParamsV0;
use csm_solana_interface::pda;
use solana_sdk::signature::Signer;

use crate::common::*;

#[tokio::test]
async fn initializing_records_authority_mint_parameters_and_this_deployments_id() {
    // Given a fresh chain, When the config is initialised (done by `configured`)
    let mut env = configured().await;
    // Then it holds the authority, the mint, the default parameters and the deployment id
    let cfg = env.config().await;
    assert_eq!(cfg.authority, env.authority().pubkey());
    assert_eq!(cfg.mint, env.mint);
    assert_eq!(cfg.params, ParamsV0::default());
    assert_eq!(cfg.price_for(0), 150_000);
    assert_eq!(cfg.chain_id, 0);
    assert!(!cfg.paused);
    let mut preimage = b"CSM-DEPLOY-v1".to_vec();
    preimage.push(2);
    preimage.extend_from_slice(&0u64.to_be_bytes());
    preimage.extend_from_slice(program_id().as_ref());
    assert_eq!(cfg.deployment_id, keccak(&preimage));
}

#[tokio::test]
async fn initializing_twice_is_refused() {
    // Given an initialised deployment
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    // When it is initialised again
    let again = ix::initialize_config_v0(&program_id(), &authority, &env.mint.clone(), 0, ParamsV0::default(), 1);
    let sent = env.send(&[again], &[]).await;
    // Then it is refused with ALREADY_INITIALIZED
    assert_eq!(sent.custom(), Some((0, CsmError::AlreadyInitialized.code())));
}

#[tokio::test]
async fn a_mint_whose_authority_is_not_the_program_pda_is_refused() {
    // Given a mint whose mint authority is an ordinary key
    let mut ctx = start(program_test()).await;
    let someone = ctx.payer.pubkey();
    let mint = create_mint(&mut ctx, &someone, 9).await;
    let (device, maker) = vector_keys();
    let mut env = Env { ctx, mint, wallet: solana_sdk::signature::Keypair::new(), device, maker };
    // When the config is initialised with it
    let init = ix::initialize_config_v0(&program_id(), &someone, &mint, 0, ParamsV0::default(), 150_000);
    let sent = env.send(&[init], &[]).await;
    // Then it is refused with WRONG_MINT_AUTHORITY and no config exists
    assert_eq!(sent.custom(), Some((0, CsmError::WrongMintAuthority.code())));
    assert!(env.account(&pda::config_address(&program_id()).0).await.is_none());
}

#[tokio::test]
async fn a_mint_without_nine_decimals_is_refused() {
    // Given a mint with 6 decimals and the right authority
    let mut ctx = start(program_test()).await;
    let authority = pda::mint_authority_address(&program_id()).0;
    let mint = create_mint(&mut ctx, &authority, 6).await;
    let payer = ctx.payer.pubkey();
    let (device, maker) = vector_keys();
    let mut env = Env { ctx, mint, wallet: solana_sdk::signature::Keypair::new(), device, maker };
    // When the config is initialised with it, Then WRONG_MINT
    let init = ix::initialize_config_v0(&program_id(), &payer, &mint, 0, ParamsV0::default(), 150_000);
    assert_eq!(env.send(&[init], &[]).await.custom(), Some((0, CsmError::WrongMint.code())));
}

#[tokio::test]
async fn parameters_outside_their_bounds_are_refused_at_initialisation() {
    // Given a valid mint
    let mut ctx = start(program_test()).await;
    let authority = pda::mint_authority_address(&program_id()).0;
    let mint = create_mint(&mut ctx, &authority, 9).await;
    let payer = ctx.payer.pubkey();
    let (device, maker) = vector_keys();
    let mut env = Env { ctx, mint, wallet: solana_sdk::signature::Keypair::new(), device, maker };
    // When the share is 35 % or the default price is above 10^9, Then BAD_PARAMETER
    let bad = ParamsV0 { share_bps: 3_500, ..ParamsV0::default() };
    let init = ix::initialize_config_v0(&program_id(), &payer, &mint, 0, bad, 150_000);
    assert_eq!(env.send(&[init], &[]).await.custom(), Some((0, CsmError::BadParameter.code())));
    let init = ix::initialize_config_v0(&program_id(), &payer, &mint, 0, ParamsV0::default(), 1_000_000_001);
    assert_eq!(env.send(&[init], &[]).await.custom(), Some((0, CsmError::BadParameter.code())));
}
