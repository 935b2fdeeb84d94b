//! One module per instruction, plus what they share: account checks, the CPI call, the precompile
//! read-back and the SPL Token pieces.

pub mod accept_authority;
pub mod add_manufacturer;
pub mod apply_params;
pub mod apply_price;
pub mod bind_wallet;
pub mod claim;
pub mod initialize_config;
pub mod propose_authority;
pub mod register_device;
pub mod reinstate_device;
pub mod renounce_authority;
pub mod revoke_device;
pub mod revoke_manufacturer;
pub mod schedule_params;
pub mod schedule_price;
pub mod set_device_region;
pub mod set_paused;
pub mod unbind_wallet;

mod accounts;
mod cpi;
mod precompile;
mod token;
