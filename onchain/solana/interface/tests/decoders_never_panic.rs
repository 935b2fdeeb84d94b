//! Everything the program parses comes from outside (instruction data, precompile data, accounts).
//! A deterministic fuzz loop feeds every decoder random and truncated bytes: each must return an
//! error or a value that re-encodes to the same bytes, never panic.

use csm_solana_interface::event::ClaimEventV0;
use csm_solana_interface::instruction::CsmInstruction;
use csm_solana_interface::message::{AttestationMessage, BindMessage, CheckpointMessage};
use csm_solana_interface::secp;
use csm_solana_interface::state::{ConfigAdminV1, ConfigV1, DeviceV1, ManufacturerV1, PendingPrice, PendingPrices};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = (self.next() as usize) % (max_len + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn random_instruction_data_decodes_to_an_error_or_to_bytes_it_re_encodes_exactly() {
    // Given 200k random byte strings whose first byte is biased towards real tags
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut decoded = 0;
    for _ in 0..200_000 {
        let mut data = rng.bytes(80);
        if let Some(first) = data.first_mut() {
            *first %= 23;
        }
        // When decoded, Then a success re-encodes to the very same bytes
        if let Ok(ix) = CsmInstruction::unpack(&data) {
            assert_eq!(ix.pack(), data);
            decoded += 1;
        }
    }
    assert!(decoded > 0, "the generator never produced a valid instruction");
}

#[test]
fn random_precompile_account_message_and_event_bytes_never_panic() {
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    for _ in 0..50_000 {
        let data = rng.bytes(700);
        let index = rng.next() as u8;
        if let Some(v) = secp::parse_single(&data, index) {
            assert_eq!(v.signature.len(), 65);
        }
        let _ = ConfigV1::unpack(&data);
        let _ = ConfigAdminV1::unpack(&data);
        let _ = DeviceV1::unpack(&data);
        let _ = ManufacturerV1::unpack(&data);
        let _ = ClaimEventV0::unpack(&data);
        let _ = CheckpointMessage::parse(&data);
        let _ = BindMessage::parse(&data);
        let _ = AttestationMessage::parse(&data);
    }
}

#[test]
fn every_truncation_of_a_valid_precompile_instruction_is_refused() {
    // Given a valid device-message precompile instruction
    let message = CheckpointMessage {
        device: [7; 20],
        deployment_id: [1; 32],
        seq: 2,
        energy_mwh: 3,
        device_time: 4,
        chain_head: [5; 32],
    }
    .encode();
    let data = secp::device_message_data(&message, &[9; 65], 3);
    assert!(secp::parse_single(&data, 3).is_some());
    // When any tail is cut off, Then it no longer parses
    for cut in 0..data.len() {
        assert!(secp::parse_single(&data[..cut], 3).is_none(), "cut at {cut}");
    }
}

#[test]
fn account_layouts_round_trip() {
    let device = DeviceV1 {
        bump: 254,
        flags: 3,
        device: [1; 20],
        manufacturer: [2; 20],
        rated_w: 100,
        hw_class: 1,
        region: 554,
        serial: 42,
        last_seq: 7,
        last_energy_mwh: u64::MAX,
        last_time: 1_700_000_000,
        chain_head: [3; 32],
        wallet: csm_solana_interface::Address::new_from_array([4; 32]),
        total_tokens: 5,
        manufacturer_index: 100,
    };
    let mut buf = vec![0u8; DeviceV1::LEN];
    device.pack(&mut buf).unwrap();
    assert_eq!(DeviceV1::unpack(&buf).unwrap(), device);
    assert!(device.pack(&mut [0u8; 10]).is_err());
    // A version-0 device (RULES.md version 1) is not read as a version-1 one
    buf[1] = 0;
    assert!(DeviceV1::unpack(&buf).is_err());
}

#[test]
fn the_scheduled_price_list_fills_to_its_capacity_replaces_per_region_and_removes_by_swapping() {
    // Given a config account with an empty list of scheduled prices
    let mut account = vec![0u8; ConfigV1::LEN];
    account[..2].copy_from_slice(&[1, 1]);
    let mut list = PendingPrices::of(&mut account).unwrap();
    // When 64 regions are scheduled, Then a 65th is PRICE_TABLE_FULL but a region's new schedule replaces its old
    for region in 0..64u16 {
        list.upsert(&PendingPrice { region, price: Some(region as u64), at: 10 }).unwrap();
    }
    assert!(list.upsert(&PendingPrice { region: 999, price: None, at: 10 }).is_err());
    list.upsert(&PendingPrice { region: 5, price: None, at: 20 }).unwrap();
    assert_eq!(list.len(), 64);
    assert_eq!(list.get(list.find(5).unwrap()), Some(PendingPrice { region: 5, price: None, at: 20 }));
    // And removing one moves the last into its place and frees a slot
    list.remove(list.find(5).unwrap());
    assert_eq!((list.len(), list.find(5), list.get(5).map(|p| p.region)), (63, None, Some(63)));
    list.upsert(&PendingPrice { region: 999, price: None, at: 10 }).unwrap();
    assert_eq!(list.len(), 64);
}
