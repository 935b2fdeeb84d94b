//! One module per instruction, plus what they share: account checks, the CPI call, the precompile
//! read-back and the SPL Token pieces.

pub mod add_manufacturer;
pub mod bind_wallet;
pub mod claim;
pub mod initialize_config;
pub mod register_device;
pub mod remove_manufacturer;
pub mod set_params;
pub mod set_paused;
pub mod set_region_price;
pub mod unbind_wallet;

mod accounts;
mod cpi;
mod precompile;
mod token;
