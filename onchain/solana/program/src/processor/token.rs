//! The few SPL Token layouts and the one instruction this program uses, written out by hand so the
//! program needs no SPL crates (smaller build, no version coupling with the bundled token program).

use solana_program::account_info::AccountInfo;
use solana_program::instruction::{AccountMeta, Instruction};
use solana_program::program::invoke_signed;
use solana_program::program_error::ProgramError;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;

pub(crate) const MINT_LEN: usize = 82;
pub(crate) const TOKEN_ACCOUNT_LEN: usize = 165;
pub(crate) const REWARD_DECIMALS: u8 = 9;
const MINT_TO: u8 = 7;
const ACCOUNT_STATE_INITIALIZED: u8 = 1;

/// The mint's authority must be `expected` (our PDA) and the mint must have RULES.md's 9 decimals.
pub(crate) fn check_mint(mint: &AccountInfo, expected_authority: &Pubkey) -> Result<(), CsmError> {
    if *mint.owner != ids::TOKEN_PROGRAM {
        return Err(CsmError::WrongMint);
    }
    let data = mint.try_borrow_data().map_err(|_| CsmError::WrongMint)?;
    if data.len() != MINT_LEN || data[45] != 1 || data[44] != REWARD_DECIMALS {
        return Err(CsmError::WrongMint);
    }
    if data[0..4] != [1, 0, 0, 0] || data[4..36] != expected_authority.to_bytes() {
        return Err(CsmError::WrongMintAuthority);
    }
    Ok(())
}

/// `WRONG_WALLET` unless `account` is an initialised (not frozen) token account of `mint` owned by
/// `wallet`: rewards go only to the bound wallet.
pub(crate) fn check_destination(account: &AccountInfo, mint: &Pubkey, wallet: &Pubkey) -> Result<(), CsmError> {
    if *account.owner != ids::TOKEN_PROGRAM {
        return Err(CsmError::WrongWallet);
    }
    let data = account.try_borrow_data().map_err(|_| CsmError::WrongWallet)?;
    let ok = data.len() == TOKEN_ACCOUNT_LEN
        && data[0..32] == mint.to_bytes()
        && data[32..64] == wallet.to_bytes()
        && data[108] == ACCOUNT_STATE_INITIALIZED;
    if ok {
        Ok(())
    } else {
        Err(CsmError::WrongWallet)
    }
}

pub(crate) fn mint_to<'a>(
    token_program: &AccountInfo<'a>,
    mint: &AccountInfo<'a>,
    destination: &AccountInfo<'a>,
    authority: &AccountInfo<'a>,
    amount: u64,
    authority_seeds: &[&[u8]],
) -> Result<(), ProgramError> {
    let mut data = Vec::with_capacity(9);
    data.push(MINT_TO);
    data.extend_from_slice(&amount.to_le_bytes());
    let ix = Instruction {
        program_id: ids::TOKEN_PROGRAM,
        accounts: vec![
            AccountMeta::new(*mint.key, false),
            AccountMeta::new(*destination.key, false),
            AccountMeta::new_readonly(*authority.key, true),
        ],
        data,
    };
    invoke_signed(
        &ix,
        &[mint.clone(), destination.clone(), authority.clone(), token_program.clone()],
        &[authority_seeds],
    )
}
