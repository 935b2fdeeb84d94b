use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction as ix;
use solana_sdk::instruction::{Instruction, InstructionError};
use solana_sdk::signature::Signer;
use solana_sdk::transaction::TransactionError;

use crate::common::*;

#[tokio::test]
async fn an_attested_device_is_registered_with_its_rated_power() {
    // Given a configured deployment with the vector manufacturer
    let mut env = configured().await;
    let device = env.device.clone();
    // When the manufacturer-attested device registers
    env.register(&device, 100).await.ok();
    // Then its PDA holds the attestation's fields and no binding
    let state = env.device_state(&device.address()).await.unwrap();
    assert_eq!((state.rated_w, state.hw_class, state.serial), (100, 1, 42));
    assert_eq!(state.manufacturer, env.maker.address());
    assert!(!state.bound() && !state.has_state());
}

#[tokio::test]
async fn a_device_attested_by_an_unknown_key_is_unattested() {
    // Given an attestation signed by a key that is not a registered manufacturer
    let mut env = configured().await;
    let forger = EthKey::from_seed(9);
    let device = EthKey::from_seed(10);
    let att = attestation(&device, 100);
    let payer = env.authority().pubkey();
    // When it is submitted naming that key's (absent) manufacturer account
    let ixs = [
        attestation_secp_ix(&forger, &att, 0),
        ix::register_device_v0(&program_id(), &payer, &forger.address(), &device.address(), 0),
    ];
    // Then UNATTESTED and no device account exists
    assert_eq!(env.send(&ixs, &[]).await.custom(), Some((1, CsmError::Unattested.code())));
    assert!(env.device_state(&device.address()).await.is_none());
}

#[tokio::test]
async fn a_forged_attestation_signature_fails_in_the_precompile() {
    // Given an attestation whose bytes were changed after signing (rated power raised)
    let mut env = configured().await;
    let device = EthKey::from_seed(11);
    let mut secp = attestation_secp_ix(&env.maker, &attestation(&device, 100), 0);
    let last = secp.data.len() - 16;
    secp.data[last] ^= 0x01;
    let payer = env.authority().pubkey();
    let register = ix::register_device_v0(&program_id(), &payer, &env.maker.address(), &device.address(), 0);
    // When it is submitted
    let sent = env.send(&[secp, register], &[]).await;
    // Then the secp256k1 precompile rejects the transaction
    assert_eq!(sent.result, Err(TransactionError::InstructionError(0, InstructionError::Custom(2))));
    assert!(env.device_state(&device.address()).await.is_none());
}

#[tokio::test]
async fn registering_twice_is_already_registered() {
    let mut env = configured().await;
    let device = env.device.clone();
    env.register(&device, 100).await.ok();
    // When the same attestation is submitted again, Then ALREADY_REGISTERED
    assert_eq!(env.register(&device, 100).await.custom(), Some((1, CsmError::AlreadyRegistered.code())));
}

#[tokio::test]
async fn an_attestation_index_that_is_not_a_secp256k1_instruction_is_a_bad_signature() {
    // Given a register instruction pointing at itself instead of a precompile instruction
    let mut env = configured().await;
    let device = env.device.clone();
    let payer = env.authority().pubkey();
    let register = ix::register_device_v0(&program_id(), &payer, &env.maker.address(), &device.address(), 0);
    // When it is sent alone, Then BAD_SIGNATURE
    assert_eq!(env.send(&[register], &[]).await.custom(), Some((0, CsmError::BadSignature.code())));
}

#[tokio::test]
async fn a_precompile_instruction_that_takes_its_message_from_another_instruction_is_a_bad_signature() {
    // Given two identical precompile instructions at indices 0 and 1, both built for index 0: the
    // runtime verifies both (each reads instruction 0's bytes), but the one at index 1 names another
    // instruction as the source of what it verified
    let mut env = configured().await;
    let device = env.device.clone();
    let att = attestation(&device, 100);
    let at0 = attestation_secp_ix(&env.maker, &att, 0);
    let at1_refers_to_0 = at0.clone();
    let payer = env.authority().pubkey();
    let register = ix::register_device_v0(&program_id(), &payer, &env.maker.address(), &device.address(), 1);
    let ixs: [Instruction; 3] = [at0, at1_refers_to_0, register];
    // When the program is told to read instruction 1, Then BAD_SIGNATURE (its offsets point elsewhere)
    assert_eq!(env.send(&ixs, &[]).await.custom(), Some((2, CsmError::BadSignature.code())));
}

#[tokio::test]
async fn registration_is_refused_while_paused() {
    let mut env = configured().await;
    let authority = env.authority().pubkey();
    env.send(&[ix::set_paused_v0(&program_id(), &authority, true)], &[]).await.ok();
    let device = env.device.clone();
    assert_eq!(env.register(&device, 100).await.custom(), Some((1, CsmError::Paused.code())));
}
