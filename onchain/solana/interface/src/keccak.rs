//! keccak256 over several byte strings: the `sol_keccak256` syscall in the program, the `sha3` crate
//! on the host. Both compute the same function; the deployment-id vectors pin it.

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
pub fn hashv(parts: &[&[u8]]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SAFETY: `parts` is a slice of (pointer, length) pairs, the layout the syscall reads, and `out`
    // has room for the 32-byte digest.
    unsafe {
        solana_define_syscall::definitions::sol_keccak256(
            parts.as_ptr() as *const u8,
            parts.len() as u64,
            out.as_mut_ptr(),
        );
    }
    out
}

#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
pub fn hashv(parts: &[&[u8]]) -> [u8; 32] {
    use sha3::{Digest, Keccak256};
    let mut hasher = Keccak256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}
