//! Reading back what the secp256k1 precompile verified, through the Instructions sysvar.
//!
//! The precompile has already checked the signature by the time this program runs; a failed
//! signature fails the whole transaction. This module makes sure the instruction at the index the
//! client named *is* a secp256k1 instruction with exactly one signature over its own data, and
//! hands the signer address and message bytes to the handler's parser.
//!
//! The precompile accepts both `s` and `n - s` (a malleable twin of every signature); this module
//! refuses the high one and any recovery id but 0/1 (PROTOCOL.md 2: low s only), for checkpoints,
//! binds and attestations alike, with `BAD_SIGNATURE`.

use pinocchio::sysvars::instructions::Instructions;
use pinocchio::AccountView;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::secp;

/// `BAD_SIGNATURE` unless instruction `index` of this transaction is a single-signature secp256k1
/// instruction whose signature, address and message all come from itself, whose signature has a low
/// `s` and recovery id 0 or 1, and whose message `parse` accepts. Returns the signer's address and
/// the parsed message.
pub(crate) fn verified_at<T>(
    sysvar: &AccountView,
    index: u8,
    parse: impl FnOnce(&[u8]) -> Option<T>,
) -> Result<(EthAddress, T), CsmError> {
    if *sysvar.address() != ids::INSTRUCTIONS_SYSVAR {
        return Err(CsmError::InvalidAccount);
    }
    let instructions = Instructions::try_from(sysvar).map_err(|_| CsmError::InvalidAccount)?;
    let ix = instructions.load_instruction_at(index as usize).map_err(|_| CsmError::BadSignature)?;
    if *ix.get_program_id() != ids::SECP256K1_PROGRAM {
        return Err(CsmError::BadSignature);
    }
    let v = secp::parse_single(ix.get_instruction_data(), index).ok_or(CsmError::BadSignature)?;
    if !secp::is_canonical(v.signature) {
        return Err(CsmError::BadSignature);
    }
    let message = parse(v.message).ok_or(CsmError::BadSignature)?;
    Ok((v.eth_address, message))
}
