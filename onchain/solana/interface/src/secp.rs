//! The secp256k1 precompile instruction's data, as the program reads it back through the
//! Instructions sysvar.
//!
//! The runtime has already verified every signature in a precompile instruction before the program
//! runs (a bad one fails the whole transaction). What the program must still check is *what* was
//! verified: that the instruction belongs to the secp256k1 program, carries exactly one signature,
//! takes signature, address and message from itself (not from another instruction), and which
//! address and message bytes those are. The caller then compares the address with the message's
//! device or a registered manufacturer.
//!
//! Layout (Solana docs): `count u8`, then per signature 11 bytes of little-endian offsets
//! `signature_offset u16, signature_ix u8, eth_address_offset u16, eth_address_ix u8,
//! message_offset u16, message_size u16, message_ix u8`, then the payload bytes. This program's
//! canonical layout puts the 65-byte signature right after the offsets and, for device messages,
//! points the eth address into the message itself (its `device` field), saving 20 bytes per claim.
//!
//! The precompile does not refuse a malleable signature: for a valid `(r, s, v)` it also accepts
//! `(r, n - s, v ^ 1)`, which recovers the same address. PROTOCOL.md section 2 allows low s only (the
//! EVM contract refuses high s), so [`is_canonical`] is checked on every signature the program reads.

use crate::bytes::Reader;
use crate::message::EthAddress;
#[cfg(feature = "alloc")]
use crate::message::DEVICE_OFFSET;

pub const OFFSETS_LEN: usize = 11;
pub const SIGNATURE_LEN: usize = 65;
pub const HEADER_LEN: usize = 1 + OFFSETS_LEN;

/// What one single-signature precompile instruction verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedSignature<'a> {
    pub eth_address: EthAddress,
    pub message: &'a [u8],
    pub signature: &'a [u8],
}

/// Reads a precompile instruction found at transaction index `own_index`.
///
/// `None` when it carries other than one signature, refers to another instruction, or its offsets
/// leave the data: each is a signature this program did not ask for.
pub fn parse_single(data: &[u8], own_index: u8) -> Option<VerifiedSignature<'_>> {
    let mut r = Reader::new(data);
    if r.u8()? != 1 {
        return None;
    }
    let sig_off = r.u16_le()? as usize;
    let sig_ix = r.u8()?;
    let eth_off = r.u16_le()? as usize;
    let eth_ix = r.u8()?;
    let msg_off = r.u16_le()? as usize;
    let msg_len = r.u16_le()? as usize;
    let msg_ix = r.u8()?;
    if sig_ix != own_index || eth_ix != own_index || msg_ix != own_index {
        return None;
    }
    let signature = data.get(sig_off..sig_off.checked_add(SIGNATURE_LEN)?)?;
    let eth_address: EthAddress = data.get(eth_off..eth_off.checked_add(20)?)?.try_into().ok()?;
    let message = data.get(msg_off..msg_off.checked_add(msg_len)?)?;
    Some(VerifiedSignature { eth_address, message, signature })
}

/// Half the secp256k1 group order n, as four big-endian 64-bit words: a signature with a larger `s`
/// is the malleable twin of one with `n - s`.
pub const HALF_ORDER: [u64; 4] = [0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x5D57_6E73_57A4_501D, 0xDFE9_2F46_681B_20A0];

/// `r || s || v` with `s <= n/2` (low s) and recovery id `v` 0 or 1 (PROTOCOL.md section 2).
/// Compared as 64-bit words: a byte-slice comparison would be a `memcmp` call, which the SBPF
/// build cannot make.
#[inline(always)]
pub fn is_canonical(signature: &[u8]) -> bool {
    if signature.len() != SIGNATURE_LEN || signature[64] > 1 {
        return false;
    }
    let mut i = 0;
    while i < 4 {
        let at = 32 + 8 * i;
        let mut word = [0u8; 8];
        word.copy_from_slice(&signature[at..at + 8]);
        let s = u64::from_be_bytes(word);
        if s != HALF_ORDER[i] {
            return s < HALF_ORDER[i];
        }
        i += 1;
    }
    true
}

#[cfg(feature = "alloc")]
fn offsets(out: &mut alloc::vec::Vec<u8>, sig: usize, eth: usize, msg: usize, msg_len: usize, ix: u8) {
    out.push(1);
    out.extend_from_slice(&(sig as u16).to_le_bytes());
    out.push(ix);
    out.extend_from_slice(&(eth as u16).to_le_bytes());
    out.push(ix);
    out.extend_from_slice(&(msg as u16).to_le_bytes());
    out.extend_from_slice(&(msg_len as u16).to_le_bytes());
    out.push(ix);
}

/// Precompile data for a device message (checkpoint or bind): the signer must be the message's own
/// `device` field, so the eth address offset points into the message.
#[cfg(feature = "alloc")]
pub fn device_message_data(message: &[u8], signature: &[u8; SIGNATURE_LEN], own_index: u8) -> alloc::vec::Vec<u8> {
    let sig = HEADER_LEN;
    let msg = sig + SIGNATURE_LEN;
    let mut out = alloc::vec::Vec::with_capacity(msg + message.len());
    offsets(&mut out, sig, msg + DEVICE_OFFSET, msg, message.len(), own_index);
    out.extend_from_slice(signature);
    out.extend_from_slice(message);
    out
}

/// Precompile data for a message signed by someone other than its subject (the manufacturer's
/// attestation): the signer's address travels explicitly.
#[cfg(feature = "alloc")]
pub fn signer_message_data(
    signer: &EthAddress,
    message: &[u8],
    signature: &[u8; SIGNATURE_LEN],
    own_index: u8,
) -> alloc::vec::Vec<u8> {
    let eth = HEADER_LEN;
    let sig = eth + 20;
    let msg = sig + SIGNATURE_LEN;
    let mut out = alloc::vec::Vec::with_capacity(msg + message.len());
    offsets(&mut out, sig, eth, msg, message.len(), own_index);
    out.extend_from_slice(signer);
    out.extend_from_slice(signature);
    out.extend_from_slice(message);
    out
}
