//! The few SPL Token layouts and the one instruction this program uses, written out by hand so the
//! program needs no SPL crates (smaller build, no version coupling with the deployed token program).
//!
//! A failed `MintTo` cannot be caught: a CPI error aborts the whole transaction, and with it every
//! other claim of the batch (RULES.md: a failed claim is skipped, the rest are paid). So everything
//! SPL Token's `MintTo` checks is checked here first, per claim: the destination is a writable,
//! initialised, not frozen token account of the reward mint owned by the bound wallet
//! (`check_destination`), and neither the mint's supply nor the destination's balance can overflow
//! (the claim's `mint_headroom`, RULES.md step 12). The mint (writable, initialised, our PDA as its
//! authority) is checked once per batch (`check_mint`). What is left for `MintTo` to refuse is
//! nothing a claim can cause; a transaction short of compute units still fails whole.

use pinocchio::cpi::Signer;
use pinocchio::instruction::InstructionAccount;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::limits::TOKEN_DECIMALS;

use super::cpi::invoke_signed;

pub(crate) const MINT_LEN: usize = 82;
pub(crate) const TOKEN_ACCOUNT_LEN: usize = 165;
const MINT_TO: u8 = 7;
/// `AccountState::Initialized`; 0 is uninitialised and 2 frozen, both refused by `MintTo`.
const ACCOUNT_STATE_INITIALIZED: u8 = 1;

#[inline(always)]
fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&data[at..at + 8]);
    u64::from_le_bytes(b)
}

/// The mint's authority must be `expected` (our PDA) and the mint must have RULES.md's 9 decimals.
/// Returns the supply, which `MintTo` will refuse to take past u64::MAX.
pub(crate) fn check_mint(mint: &AccountView, expected_authority: &Address) -> Result<u64, CsmError> {
    if !mint.owned_by(&ids::TOKEN_PROGRAM) {
        return Err(CsmError::WrongMint);
    }
    let data = mint.try_borrow().map_err(|_| CsmError::WrongMint)?;
    if data.len() != MINT_LEN || data[45] != 1 || data[44] != TOKEN_DECIMALS {
        return Err(CsmError::WrongMint);
    }
    if data[0..4] != [1, 0, 0, 0] || data[4..36] != *expected_authority.as_ref() {
        return Err(CsmError::WrongMintAuthority);
    }
    Ok(u64_at(&data, 36))
}

/// Rewards go only to the bound wallet: `WRONG_WALLET` unless `account` is owned by `wallet`, and
/// `INVALID_ACCOUNT` unless it is a writable, initialised, not frozen token account of `mint` (what
/// `MintTo` would otherwise fail on). Returns its balance, which `MintTo` will refuse to take past
/// u64::MAX.
pub(crate) fn check_destination(account: &AccountView, mint: &Address, wallet: &Address) -> Result<u64, CsmError> {
    if !account.owned_by(&ids::TOKEN_PROGRAM) || !account.is_writable() {
        return Err(CsmError::InvalidAccount);
    }
    let data = account.try_borrow().map_err(|_| CsmError::InvalidAccount)?;
    if data.len() != TOKEN_ACCOUNT_LEN || data[0..32] != *mint.as_ref() {
        return Err(CsmError::InvalidAccount);
    }
    if data[32..64] != *wallet.as_ref() {
        return Err(CsmError::WrongWallet);
    }
    if data[108] != ACCOUNT_STATE_INITIALIZED {
        return Err(CsmError::InvalidAccount);
    }
    Ok(u64_at(&data, 64))
}

/// SPL Token `MintTo`, signed by the mint-authority PDA.
pub(crate) fn mint_to(
    token_program: &AccountView,
    mint: &AccountView,
    destination: &AccountView,
    authority: &AccountView,
    amount: u64,
    authority_signer: &Signer,
) -> ProgramResult {
    let mut data = [0u8; 9];
    data[0] = MINT_TO;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    let metas = [
        InstructionAccount::writable(mint.address()),
        InstructionAccount::writable(destination.address()),
        InstructionAccount::readonly_signer(authority.address()),
    ];
    invoke_signed(
        token_program.address(),
        &metas,
        [mint, destination, authority],
        &data,
        core::slice::from_ref(authority_signer),
    )
}
