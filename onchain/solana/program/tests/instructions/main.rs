//! Program tests, one module per instruction, all in one test binary so the large solana-program-test
//! dependency tree is linked once. Tests are written Given / When / Then.

mod common;
mod log_stubs;

mod add_manufacturer;
mod bind_wallet;
mod claim;
mod claim_vectors;
mod initialize_config;
mod instruction_vectors;
mod register_device;
mod remove_manufacturer;
mod set_params;
mod set_paused;
mod set_region_price;
mod unbind_wallet;
