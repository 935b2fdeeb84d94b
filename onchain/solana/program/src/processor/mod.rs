//! One module per instruction, plus the account checks they share.

pub mod add_manufacturer;
pub mod bind_wallet;
pub mod claim;
pub mod initialize_config;
pub mod register_device;
pub mod remove_manufacturer;
pub mod set_paused;
pub mod set_params;
pub mod set_region_price;
pub mod unbind_wallet;

mod accounts;
mod precompile;
mod token;
