//! Cross-program invocation through `sol_invoke_signed_c`, and `sol_log_data`.
//!
//! pinocchio's own `invoke_signed` puts a `compiler_fence(SeqCst)` before the syscall; upstream
//! LLVM's BPF backend (Debian's LLVM 22, which builds this binary) cannot select that fence
//! ("Cannot select: AtomicFence"), so the call is made here without it. Nothing is lost: the syscall
//! is an opaque call that receives pointers to everything it reads, so the compiler must have stored
//! it all before the call anyway. The accounts are passed in pinocchio's `CpiAccount` layout and the
//! signer seeds in its `Signer` layout, which are the C ABI the syscall expects.

use pinocchio::cpi::{CpiAccount, Signer};
use pinocchio::error::ProgramError;
use pinocchio::instruction::InstructionAccount;
use pinocchio::{AccountView, Address, ProgramResult};

/// `Instruction` as `sol_invoke_signed_c` reads it.
#[repr(C)]
struct CInstruction<'a> {
    program_id: *const Address,
    accounts: *const InstructionAccount<'a>,
    accounts_len: u64,
    data: *const u8,
    data_len: u64,
}

/// `inline(always)`: more than five arguments, and the SBPF backend has no stack arguments.
///
/// Invokes `program_id` with `metas` (in the order of `accounts`) and `data`, signing for the PDAs
/// of `signers`. The caller holds no borrow of any account's data across this call.
#[inline(always)]
pub(crate) fn invoke_signed<const N: usize>(
    program_id: &Address,
    metas: &[InstructionAccount; N],
    accounts: [&AccountView; N],
    data: &[u8],
    signers: &[Signer],
) -> ProgramResult {
    for (meta, account) in metas.iter().zip(accounts.iter()) {
        if meta.address != account.address() {
            return Err(ProgramError::InvalidArgument);
        }
    }
    let infos: [CpiAccount; N] = accounts.map(CpiAccount::from);
    let instruction = CInstruction {
        program_id,
        accounts: metas.as_ptr(),
        accounts_len: N as u64,
        data: data.as_ptr(),
        data_len: data.len() as u64,
    };
    #[cfg(any(target_os = "solana", target_arch = "bpf"))]
    {
        // SAFETY: every pointer refers to a live value of the C layout the syscall reads.
        let rc = unsafe {
            pinocchio::syscalls::sol_invoke_signed_c(
                &instruction as *const CInstruction as *const u8,
                infos.as_ptr() as *const u8,
                N as u64,
                signers.as_ptr() as *const u8,
                signers.len() as u64,
            )
        };
        if rc != 0 {
            return Err(ProgramError::from(rc));
        }
    }
    #[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
    core::hint::black_box((&instruction, &infos, signers));
    Ok(())
}

/// `sol_log_data`: "Program data: <base64>" in the transaction logs.
pub(crate) fn log_data(parts: &[&[u8]]) {
    #[cfg(any(target_os = "solana", target_arch = "bpf"))]
    // SAFETY: `parts` is a slice of (pointer, length) pairs, the layout the syscall reads.
    unsafe {
        pinocchio::syscalls::sol_log_data(parts.as_ptr() as *const u8, parts.len() as u64)
    };
    #[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
    core::hint::black_box(parts);
}
