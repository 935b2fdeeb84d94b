//! Stable error codes: 1..=20 and 104 are onchain/RULES.md's (shared with Python and the Vyper
//! contract); 100..=105 but 104 are this program's account- and instruction-validation errors.
//! `onchain/vectors/limits.json` is the one table of them (`tests/limits_table.rs` checks this enum
//! against it). Codes never change meaning; new ones are appended.

use solana_program_error::ProgramError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CsmError {
    Paused = 1,
    BadSignature = 2,
    UnknownDevice = 3,
    NotBound = 4,
    WrongDeployment = 5,
    WrongWallet = 6,
    Replay = 7,
    EnergyNotIncreasing = 8,
    TimeNotIncreasing = 9,
    FutureDated = 10,
    OverCap = 11,
    BelowThreshold = 12,
    Overflow = 13,
    Unattested = 14,
    BadParameter = 15,
    Unauthorized = 16,
    AlreadyRegistered = 17,
    /// The device, or its manufacturer without a reinstatement of the device, is revoked.
    Revoked = 18,
    /// The network mint window has no room for this claim's energy (it stays claimable).
    WindowFull = 19,
    /// A scheduled change whose published delay has not passed (or nothing is scheduled).
    TooEarly = 20,
    /// Instruction data does not decode as any known `..._v0` instruction.
    InvalidInstruction = 100,
    /// An account is not the one this instruction expects (address, owner, type or version).
    InvalidAccount = 101,
    /// The mint is not the configured reward mint.
    WrongMint = 102,
    /// The reward mint's mint authority is not this program's mint-authority PDA.
    WrongMintAuthority = 103,
    /// The price table (or the list of scheduled price changes) is full (see `limits::MAX_PRICES`).
    PriceTableFull = 104,
    /// The configuration account already exists.
    AlreadyInitialized = 105,
}

impl CsmError {
    /// Every code, in code order (for the tables and the tests that hold them together).
    pub const ALL: [CsmError; 26] = [
        Self::Paused,
        Self::BadSignature,
        Self::UnknownDevice,
        Self::NotBound,
        Self::WrongDeployment,
        Self::WrongWallet,
        Self::Replay,
        Self::EnergyNotIncreasing,
        Self::TimeNotIncreasing,
        Self::FutureDated,
        Self::OverCap,
        Self::BelowThreshold,
        Self::Overflow,
        Self::Unattested,
        Self::BadParameter,
        Self::Unauthorized,
        Self::AlreadyRegistered,
        Self::Revoked,
        Self::WindowFull,
        Self::TooEarly,
        Self::InvalidInstruction,
        Self::InvalidAccount,
        Self::WrongMint,
        Self::WrongMintAuthority,
        Self::PriceTableFull,
        Self::AlreadyInitialized,
    ];
}

impl CsmError {
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The RULES.md / program name of the code, for logs and client messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Paused => "PAUSED",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::UnknownDevice => "UNKNOWN_DEVICE",
            Self::NotBound => "NOT_BOUND",
            Self::WrongDeployment => "WRONG_DEPLOYMENT",
            Self::WrongWallet => "WRONG_WALLET",
            Self::Replay => "REPLAY",
            Self::EnergyNotIncreasing => "ENERGY_NOT_INCREASING",
            Self::TimeNotIncreasing => "TIME_NOT_INCREASING",
            Self::FutureDated => "FUTURE_DATED",
            Self::OverCap => "OVER_CAP",
            Self::BelowThreshold => "BELOW_THRESHOLD",
            Self::Overflow => "OVERFLOW",
            Self::Unattested => "UNATTESTED",
            Self::BadParameter => "BAD_PARAMETER",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::AlreadyRegistered => "ALREADY_REGISTERED",
            Self::Revoked => "REVOKED",
            Self::WindowFull => "WINDOW_FULL",
            Self::TooEarly => "TOO_EARLY",
            Self::InvalidInstruction => "INVALID_INSTRUCTION",
            Self::InvalidAccount => "INVALID_ACCOUNT",
            Self::WrongMint => "WRONG_MINT",
            Self::WrongMintAuthority => "WRONG_MINT_AUTHORITY",
            Self::PriceTableFull => "PRICE_TABLE_FULL",
            Self::AlreadyInitialized => "ALREADY_INITIALIZED",
        }
    }
}

impl From<CsmError> for ProgramError {
    fn from(e: CsmError) -> Self {
        ProgramError::Custom(e.code())
    }
}
