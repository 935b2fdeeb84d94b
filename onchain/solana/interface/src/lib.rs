//! Interface of the Carbon Smart Meter rewards program: everything a client or a test needs to talk
//! to it without linking the program itself.
//!
//! Kept apart from the program (as in p-token) so the desktop app's vectors, the tests and any other
//! client share one definition of instruction bytes, account layouts, PDA seeds and error codes.
//! The payout arithmetic lives here too, as a pure module, so it is unit-tested against
//! `onchain/vectors/payout.json` without a runtime.

pub mod error;
pub mod event;
pub mod instruction;
pub mod message;
pub mod params;
pub mod payout;
pub mod pda;
pub mod secp;
pub mod state;

mod bytes;

solana_program::declare_id!("CSMRwd1111111111111111111111111111111111111");
