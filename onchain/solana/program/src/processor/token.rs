//! The few SPL Token layouts and the one instruction this program uses, written out by hand so the
//! program needs no SPL crates (smaller build, no version coupling with the deployed token program).

use pinocchio::cpi::Signer;
use pinocchio::instruction::InstructionAccount;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;

use super::cpi::invoke_signed;

pub(crate) const MINT_LEN: usize = 82;
pub(crate) const TOKEN_ACCOUNT_LEN: usize = 165;
pub(crate) const REWARD_DECIMALS: u8 = 9;
const MINT_TO: u8 = 7;
const ACCOUNT_STATE_INITIALIZED: u8 = 1;

/// The mint's authority must be `expected` (our PDA) and the mint must have RULES.md's 9 decimals.
pub(crate) fn check_mint(mint: &AccountView, expected_authority: &Address) -> Result<(), CsmError> {
    if !mint.owned_by(&ids::TOKEN_PROGRAM) {
        return Err(CsmError::WrongMint);
    }
    let data = mint.try_borrow().map_err(|_| CsmError::WrongMint)?;
    if data.len() != MINT_LEN || data[45] != 1 || data[44] != REWARD_DECIMALS {
        return Err(CsmError::WrongMint);
    }
    if data[0..4] != [1, 0, 0, 0] || data[4..36] != *expected_authority.as_ref() {
        return Err(CsmError::WrongMintAuthority);
    }
    Ok(())
}

/// `WRONG_WALLET` unless `account` is an initialised (not frozen) token account of `mint` owned by
/// `wallet`: rewards go only to the bound wallet.
pub(crate) fn check_destination(account: &AccountView, mint: &Address, wallet: &Address) -> Result<(), CsmError> {
    if !account.owned_by(&ids::TOKEN_PROGRAM) {
        return Err(CsmError::WrongWallet);
    }
    let data = account.try_borrow().map_err(|_| CsmError::WrongWallet)?;
    let ok = data.len() == TOKEN_ACCOUNT_LEN
        && data[0..32] == *mint.as_ref()
        && data[32..64] == *wallet.as_ref()
        && data[108] == ACCOUNT_STATE_INITIALIZED;
    if ok {
        Ok(())
    } else {
        Err(CsmError::WrongWallet)
    }
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
