//! Interface of the Carbon Smart Meter rewards program: everything a client or a test needs to talk
//! to it without linking the program itself.
//!
//! Kept apart from the program (as in p-token) so the tests, the Python adapter's vectors and any
//! other client share one definition of instruction bytes, account layouts, PDA seeds and error
//! codes. The payout and bind arithmetic lives here too, as a pure module, so it is unit-tested
//! against `onchain/vectors/` (payout, cap clock, halving, guards, limits) on the host and runs
//! unchanged inside the program.
//!
//! `no_std` and allocation-free, so the same code compiles for the host and for `bpfel-unknown-none`
//! (the SBPF build). Encoders that return a `Vec` are behind the `alloc` feature, for clients and
//! tests only; the program decodes and writes in place.

#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod error;
pub mod event;
pub mod instruction;
pub mod keccak;
pub mod limits;
pub mod message;
pub mod params;
pub mod payout;
pub mod pda;
pub mod secp;
pub mod state;
pub mod wide;

mod bytes;

pub use solana_address::Address;

/// The address the embedded chain and the tests load the program at. A real deployment uses the id
/// of its program keypair; the program reads its id from the runtime, never from this constant.
pub const ID: Address = solana_address::address!("CSMRwd1111111111111111111111111111111111111");
