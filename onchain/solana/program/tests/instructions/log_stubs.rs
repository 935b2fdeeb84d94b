//! In native (`processor!`) mode solana-program-test routes `msg!` to the transaction logs but
//! leaves `sol_log_data` on its default stub, which prints to stdout. The program's claim events
//! are `sol_log_data` payloads ("Program data: <base64>" on a real validator), so this wrapper
//! forwards them into the transaction log as "Program log: Program data: <base64>" and delegates
//! every other syscall to program-test's own stubs. Only the transport differs; the bytes are the
//! program's.

use base64::Engine as _;
use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::instruction::Instruction;
use solana_program::program_stubs::{set_syscall_stubs, SyscallStubs};
use solana_program::pubkey::Pubkey;
use std::sync::Once;

struct EventLogStubs {
    inner: Box<dyn SyscallStubs>,
}

/// The program-test stubs don't implement this trait's no-op defaults differently, so a plain
/// default instance is a safe placeholder for the instant of the swap.
struct Placeholder;
impl SyscallStubs for Placeholder {}

impl SyscallStubs for EventLogStubs {
    fn sol_log(&self, message: &str) {
        self.inner.sol_log(message)
    }
    fn sol_log_compute_units(&self) {
        self.inner.sol_log_compute_units()
    }
    fn sol_remaining_compute_units(&self) -> u64 {
        self.inner.sol_remaining_compute_units()
    }
    fn sol_invoke_signed(&self, ix: &Instruction, infos: &[AccountInfo], seeds: &[&[&[u8]]]) -> ProgramResult {
        self.inner.sol_invoke_signed(ix, infos, seeds)
    }
    fn sol_get_sysvar(&self, id: *const u8, var: *mut u8, offset: u64, length: u64) -> u64 {
        self.inner.sol_get_sysvar(id, var, offset, length)
    }
    fn sol_get_clock_sysvar(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_clock_sysvar(var)
    }
    fn sol_get_epoch_schedule_sysvar(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_epoch_schedule_sysvar(var)
    }
    fn sol_get_fees_sysvar(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_fees_sysvar(var)
    }
    fn sol_get_rent_sysvar(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_rent_sysvar(var)
    }
    fn sol_get_epoch_rewards_sysvar(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_epoch_rewards_sysvar(var)
    }
    fn sol_get_last_restart_slot(&self, var: *mut u8) -> u64 {
        self.inner.sol_get_last_restart_slot(var)
    }
    fn sol_get_epoch_stake(&self, vote: *const u8) -> u64 {
        self.inner.sol_get_epoch_stake(vote)
    }
    // SAFETY: pure delegation; the caller's contract (valid, non-overlapping pointers of length n)
    // is passed through unchanged to program-test's implementation.
    unsafe fn sol_memcpy(&self, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: same contract as this function's caller upholds.
        unsafe { self.inner.sol_memcpy(dst, src, n) }
    }
    // SAFETY: pure delegation of the caller's pointer contract.
    unsafe fn sol_memmove(&self, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: same contract as this function's caller upholds.
        unsafe { self.inner.sol_memmove(dst, src, n) }
    }
    // SAFETY: pure delegation of the caller's pointer contract.
    unsafe fn sol_memcmp(&self, s1: *const u8, s2: *const u8, n: usize, result: *mut i32) {
        // SAFETY: same contract as this function's caller upholds.
        unsafe { self.inner.sol_memcmp(s1, s2, n, result) }
    }
    // SAFETY: pure delegation of the caller's pointer contract.
    unsafe fn sol_memset(&self, s: *mut u8, c: u8, n: usize) {
        // SAFETY: same contract as this function's caller upholds.
        unsafe { self.inner.sol_memset(s, c, n) }
    }
    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        self.inner.sol_get_return_data()
    }
    fn sol_set_return_data(&self, data: &[u8]) {
        self.inner.sol_set_return_data(data)
    }
    fn sol_log_data(&self, fields: &[&[u8]]) {
        let b64 = base64::engine::general_purpose::STANDARD;
        let text: Vec<String> = fields.iter().map(|f| b64.encode(f)).collect();
        self.inner.sol_log(&format!("Program data: {}", text.join(" ")));
    }
    fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
        self.inner.sol_get_processed_sibling_instruction(index)
    }
    fn sol_get_stack_height(&self) -> u64 {
        self.inner.sol_get_stack_height()
    }
}

/// Wraps program-test's stubs once, after `ProgramTest::new` has installed them.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let inner = set_syscall_stubs(Box::new(Placeholder));
        set_syscall_stubs(Box::new(EventLogStubs { inner }));
    });
}
