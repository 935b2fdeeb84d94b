//! The device-signed messages of firmware/PROTOCOL.md section 4 (big-endian, fixed length) and the
//! deployment id of section 4.4.
//!
//! The program never trusts a copy of these bytes from its own instruction data: it reads them from
//! the secp256k1 precompile instruction that verified the signature (see `secp`).

use solana_address::Address;

use crate::bytes::{Reader, Writer};
use crate::keccak::hashv;

pub const CHECKPOINT_TAG: &[u8; 11] = b"CSM-CKPT-v1";
pub const BIND_TAG: &[u8; 11] = b"CSM-BIND-v1";
pub const ATTEST_TAG: &[u8; 13] = b"CSM-ATTEST-v1";
pub const DEPLOY_TAG: &[u8; 13] = b"CSM-DEPLOY-v1";
pub const CHECKPOINT_LEN: usize = 115;
pub const BIND_LEN: usize = 117;
pub const ATTEST_LEN: usize = 47;
/// Offset of the 20-byte device address in checkpoint and bind messages: the address the signature
/// must recover to.
pub const DEVICE_OFFSET: usize = 11;
pub const CHAIN_KIND_SOLANA: u8 = 2;

pub type EthAddress = [u8; 20];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointMessage {
    pub device: EthAddress,
    pub deployment_id: [u8; 32],
    pub seq: u32,
    pub energy_mwh: u64,
    pub device_time: u64,
    pub chain_head: [u8; 32],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindMessage {
    pub device: EthAddress,
    pub wallet: [u8; 32],
    pub deployment_id: [u8; 32],
    pub seq: u32,
    pub energy_mwh: u64,
    pub device_time: u64,
    pub region: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttestationMessage {
    pub device: EthAddress,
    pub rated_power_w: u32,
    pub hw_class: u16,
    pub serial: u64,
}

fn tagged<'a>(data: &'a [u8], tag: &[u8], len: usize) -> Option<Reader<'a>> {
    if data.len() != len {
        return None;
    }
    let mut r = Reader::new(data);
    if r.take(tag.len())? != tag {
        return None;
    }
    Some(r)
}

impl CheckpointMessage {
    /// `None` unless `data` is exactly a v1 checkpoint.
    pub fn parse(data: &[u8]) -> Option<Self> {
        let mut r = tagged(data, CHECKPOINT_TAG, CHECKPOINT_LEN)?;
        Some(Self {
            device: r.array()?,
            deployment_id: r.array()?,
            seq: r.u32_be()?,
            energy_mwh: r.u64_be()?,
            device_time: r.u64_be()?,
            chain_head: r.array()?,
        })
    }

    pub fn encode(&self) -> [u8; CHECKPOINT_LEN] {
        let mut out = [0u8; CHECKPOINT_LEN];
        let mut w = Writer::new(&mut out);
        let _ = (|| {
            w.put(CHECKPOINT_TAG)?;
            w.put(&self.device)?;
            w.put(&self.deployment_id)?;
            w.put(&self.seq.to_be_bytes())?;
            w.put(&self.energy_mwh.to_be_bytes())?;
            w.put(&self.device_time.to_be_bytes())?;
            w.put(&self.chain_head)
        })();
        out
    }
}

impl BindMessage {
    pub fn parse(data: &[u8]) -> Option<Self> {
        let mut r = tagged(data, BIND_TAG, BIND_LEN)?;
        Some(Self {
            device: r.array()?,
            wallet: r.array()?,
            deployment_id: r.array()?,
            seq: r.u32_be()?,
            energy_mwh: r.u64_be()?,
            device_time: r.u64_be()?,
            region: r.u16_be()?,
        })
    }

    pub fn encode(&self) -> [u8; BIND_LEN] {
        let mut out = [0u8; BIND_LEN];
        let mut w = Writer::new(&mut out);
        let _ = (|| {
            w.put(BIND_TAG)?;
            w.put(&self.device)?;
            w.put(&self.wallet)?;
            w.put(&self.deployment_id)?;
            w.put(&self.seq.to_be_bytes())?;
            w.put(&self.energy_mwh.to_be_bytes())?;
            w.put(&self.device_time.to_be_bytes())?;
            w.put(&self.region.to_be_bytes())
        })();
        out
    }
}

impl AttestationMessage {
    pub fn parse(data: &[u8]) -> Option<Self> {
        let mut r = tagged(data, ATTEST_TAG, ATTEST_LEN)?;
        Some(Self {
            device: r.array()?,
            rated_power_w: r.u32_be()?,
            hw_class: r.u16_be()?,
            serial: r.u64_be()?,
        })
    }

    pub fn encode(&self) -> [u8; ATTEST_LEN] {
        let mut out = [0u8; ATTEST_LEN];
        let mut w = Writer::new(&mut out);
        let _ = (|| {
            w.put(ATTEST_TAG)?;
            w.put(&self.device)?;
            w.put(&self.rated_power_w.to_be_bytes())?;
            w.put(&self.hw_class.to_be_bytes())?;
            w.put(&self.serial.to_be_bytes())
        })();
        out
    }
}

/// keccak256("CSM-DEPLOY-v1" || 2 || chain_id BE || program id): this deployment's 32-byte id.
pub fn deployment_id(chain_id: u64, program_id: &Address) -> [u8; 32] {
    hashv(&[DEPLOY_TAG.as_slice(), &[CHAIN_KIND_SOLANA], &chain_id.to_be_bytes(), program_id.as_ref()])
}
