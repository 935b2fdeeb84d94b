//! Reading back what the secp256k1 precompile verified, through the Instructions sysvar.
//!
//! The precompile has already checked the signature by the time this program runs; a failed
//! signature fails the whole transaction. This module makes sure the instruction at the index the
//! client named *is* a secp256k1 instruction with exactly one signature over its own data, and
//! returns the signer address and message bytes for the handler to compare.

use solana_instructions_sysvar::load_instruction_at_checked;
use solana_program::account_info::AccountInfo;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::secp;

pub(crate) struct Verified {
    pub eth_address: EthAddress,
    pub message: Vec<u8>,
}

/// `BAD_SIGNATURE` unless instruction `index` of this transaction is a single-signature secp256k1
/// instruction whose signature, address and message all come from itself.
pub(crate) fn verified_at(sysvar: &AccountInfo, index: u8) -> Result<Verified, CsmError> {
    if *sysvar.key != ids::INSTRUCTIONS_SYSVAR {
        return Err(CsmError::InvalidAccount);
    }
    let ix = load_instruction_at_checked(index as usize, sysvar).map_err(|_| CsmError::BadSignature)?;
    if ix.program_id != ids::SECP256K1_PROGRAM {
        return Err(CsmError::BadSignature);
    }
    let v = secp::parse_single(&ix.data, index).ok_or(CsmError::BadSignature)?;
    Ok(Verified { eth_address: v.eth_address, message: v.message.to_vec() })
}
