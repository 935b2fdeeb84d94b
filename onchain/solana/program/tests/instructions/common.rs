//! Test harness: the program runs natively (`processor!`) inside solana-program-test with the real
//! runtime (accounts, rent, PDAs, the secp256k1 precompile, the bundled SPL Token and Associated
//! Token Account programs). Keys come from onchain/vectors/messages.json so Rust and Python sign
//! with the same device and manufacturer.
#![allow(dead_code)]

use csm_solana_interface::instruction::{self as ix, ids, ClaimRef};
use csm_solana_interface::message::{deployment_id, AttestationMessage, BindMessage, CheckpointMessage, EthAddress};
use csm_solana_interface::params::ParamsV0;
use csm_solana_interface::secp;
use csm_solana_interface::state::{ConfigV0, DeviceV0, ManufacturerV0};
use csm_solana_interface::{pda, ID as PROGRAM_ID};
use serde_json::Value;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::instruction::{AccountMeta, Instruction, InstructionError};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::rent::Rent;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};

pub const MESSAGES: &str = include_str!("../../../../vectors/messages.json");
pub const PAYOUT: &str = include_str!("../../../../vectors/payout.json");
pub const T0: u64 = 1_700_000_000;

pub fn program_id() -> Pubkey {
    PROGRAM_ID
}

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

pub fn keccak(data: &[u8]) -> [u8; 32] {
    solana_keccak_hasher::hash(data).to_bytes()
}

/// A secp256k1 key with its Ethereum-style address, signing r||s||v over keccak256(message).
#[derive(Clone)]
pub struct EthKey(pub libsecp256k1::SecretKey);

impl EthKey {
    pub fn from_hex(s: &str) -> Self {
        Self(libsecp256k1::SecretKey::parse_slice(&hex(s)).unwrap())
    }

    pub fn from_seed(seed: u8) -> Self {
        Self(libsecp256k1::SecretKey::parse(&keccak(&[b'k', seed])).unwrap())
    }

    pub fn address(&self) -> EthAddress {
        let public = libsecp256k1::PublicKey::from_secret_key(&self.0).serialize();
        keccak(&public[1..])[12..].try_into().unwrap()
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 65] {
        let digest = libsecp256k1::Message::parse(&keccak(message));
        let (sig, rec) = libsecp256k1::sign(&digest, &self.0);
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&sig.serialize());
        out[64] = rec.serialize();
        out
    }
}

pub fn vector_keys() -> (EthKey, EthKey) {
    let doc: Value = serde_json::from_str(MESSAGES).unwrap();
    let k = &doc["keys"];
    (EthKey::from_hex(k["device_secret"].as_str().unwrap()), EthKey::from_hex(k["manufacturer_secret"].as_str().unwrap()))
}

/// The secp256k1 precompile instruction for a device-signed message at transaction index `index`.
pub fn device_secp_ix(key: &EthKey, message: &[u8], index: u8) -> Instruction {
    let data = secp::device_message_data(message, &key.sign(message), index);
    Instruction { program_id: ids::SECP256K1_PROGRAM, accounts: vec![], data }
}

pub fn attestation_secp_ix(maker: &EthKey, message: &[u8], index: u8) -> Instruction {
    let data = secp::signer_message_data(&maker.address(), message, &maker.sign(message), index);
    Instruction { program_id: ids::SECP256K1_PROGRAM, accounts: vec![], data }
}

pub fn this_deployment() -> [u8; 32] {
    deployment_id(0, &PROGRAM_ID)
}

pub fn checkpoint(device: &EthKey, seq: u32, energy_mwh: u64, device_time: u64) -> Vec<u8> {
    CheckpointMessage {
        device: device.address(),
        deployment_id: this_deployment(),
        seq,
        energy_mwh,
        device_time,
        chain_head: keccak(&seq.to_be_bytes()),
    }
    .encode()
}

pub fn bind_message(device: &EthKey, wallet: &Pubkey, seq: u32, energy_mwh: u64, device_time: u64, region: u16) -> Vec<u8> {
    BindMessage {
        device: device.address(),
        wallet: wallet.to_bytes(),
        deployment_id: this_deployment(),
        seq,
        energy_mwh,
        device_time,
        region,
    }
    .encode()
}

pub fn attestation(device: &EthKey, rated_w: u32) -> Vec<u8> {
    AttestationMessage { device: device.address(), rated_power_w: rated_w, hw_class: 1, serial: 42 }.encode()
}

pub fn program_test() -> ProgramTest {
    let mut pt = ProgramTest::new("csm_solana_program", PROGRAM_ID, processor!(csm_solana_program::process_instruction));
    pt.prefer_bpf(false);
    pt
}

/// Starts the chain, then routes `sol_log_data` events into the logs (see `log_stubs`).
pub async fn start(pt: ProgramTest) -> ProgramTestContext {
    let ctx = pt.start_with_context().await;
    crate::log_stubs::install();
    ctx
}

/// What a transaction did: its error (if any), its logs and the compute units it used.
pub struct Sent {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub units: u64,
}

impl Sent {
    /// The custom program error code and the index of the instruction that raised it.
    pub fn custom(&self) -> Option<(u8, u32)> {
        match &self.result {
            Err(TransactionError::InstructionError(i, InstructionError::Custom(c))) => Some((*i, *c)),
            _ => None,
        }
    }

    pub fn ok(&self) {
        assert!(self.result.is_ok(), "transaction failed: {:?}\n{}", self.result, self.logs.join("\n"));
    }

    pub fn claim_events(&self) -> Vec<csm_solana_interface::event::ClaimEventV0> {
        use base64::Engine as _;
        self.logs
            .iter()
            .filter_map(|l| l.split_once("Program data: ").map(|(_, b64)| b64))
            .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
            .filter_map(|d| csm_solana_interface::event::ClaimEventV0::unpack(&d))
            .collect()
    }
}

pub struct Env {
    pub ctx: ProgramTestContext,
    pub mint: Pubkey,
    pub wallet: Keypair,
    pub device: EthKey,
    pub maker: EthKey,
}

impl Env {
    pub fn authority(&self) -> &Keypair {
        &self.ctx.payer
    }

    pub async fn send(&mut self, ixs: &[Instruction], extra: &[&Keypair]) -> Sent {
        // `AccountInUse` is the test bank's account lock still held by the previous transaction (seen
        // intermittently on a loaded 2-core CI machine), never a program outcome: wait and send again.
        for attempt in 0..20 {
            let blockhash = self.ctx.get_new_latest_blockhash().await.unwrap();
            let mut signers: Vec<&Keypair> = vec![&self.ctx.payer];
            signers.extend_from_slice(extra);
            let tx = Transaction::new_signed_with_payer(ixs, Some(&self.ctx.payer.pubkey()), &signers, blockhash);
            let out = self.ctx.banks_client.process_transaction_with_metadata(tx).await.unwrap();
            if matches!(out.result, Err(TransactionError::AccountInUse)) && attempt < 19 {
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                continue;
            }
            let (logs, units) = out.metadata.map(|m| (m.log_messages, m.compute_units_consumed)).unwrap_or_default();
            return Sent { result: out.result, logs, units };
        }
        unreachable!("the loop returns on its last attempt")
    }

    pub async fn account(&mut self, key: &Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(*key).await.unwrap()
    }

    pub async fn config(&mut self) -> ConfigV0 {
        let a = self.account(&pda::config_address(&PROGRAM_ID).0).await.expect("config exists");
        ConfigV0::unpack(&a.data).unwrap()
    }

    pub async fn device_state(&mut self, device: &EthAddress) -> Option<DeviceV0> {
        let a = self.account(&pda::device_address(&PROGRAM_ID, device).0).await?;
        Some(DeviceV0::unpack(&a.data).unwrap())
    }

    pub async fn manufacturer(&mut self, address: &EthAddress) -> ManufacturerV0 {
        let a = self.account(&pda::manufacturer_address(&PROGRAM_ID, address).0).await.unwrap();
        ManufacturerV0::unpack(&a.data).unwrap()
    }

    pub async fn token_balance(&mut self, account: &Pubkey) -> u64 {
        let a = self.account(account).await.expect("token account exists");
        spl_token_amount(&a.data)
    }

    pub async fn set_time(&mut self, unix: u64) {
        let mut clock: Clock = self.ctx.banks_client.get_sysvar().await.unwrap();
        clock.unix_timestamp = unix as i64;
        self.ctx.set_sysvar(&clock);
    }

    pub fn ata(&self, wallet: &Pubkey) -> Pubkey {
        ix::associated_token_address(wallet, &self.mint)
    }

    /// Creates `wallet`'s associated token account for the reward mint with the real ATA program.
    pub async fn create_ata(&mut self, wallet: &Pubkey) -> Pubkey {
        let ata = self.ata(wallet);
        let create = Instruction {
            program_id: ids::ASSOCIATED_TOKEN_PROGRAM,
            accounts: vec![
                AccountMeta::new(self.ctx.payer.pubkey(), true),
                AccountMeta::new(ata, false),
                AccountMeta::new_readonly(*wallet, false),
                AccountMeta::new_readonly(self.mint, false),
                AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
                AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
            ],
            data: vec![1],
        };
        self.send(&[create], &[]).await.ok();
        ata
    }

    pub async fn register(&mut self, device: &EthKey, rated_w: u32) -> Sent {
        let maker = self.maker.clone();
        let att = attestation(device, rated_w);
        let payer = self.ctx.payer.pubkey();
        let ixs = [
            attestation_secp_ix(&maker, &att, 0),
            ix::register_device_v0(&PROGRAM_ID, &payer, &maker.address(), &device.address(), 0),
        ];
        self.send(&ixs, &[]).await
    }

    pub async fn bind(&mut self, device: &EthKey, wallet: &Keypair, message: &[u8]) -> Sent {
        let ixs = [device_secp_ix(device, message, 0), ix::bind_wallet_v0(&PROGRAM_ID, &wallet.pubkey(), &device.address(), 0)];
        self.send(&ixs, &[wallet]).await
    }

    /// Claims `messages` (device-signed checkpoints) in one transaction, paying `destination`.
    pub async fn claim(&mut self, claims: &[(&EthKey, Vec<u8>)], destination: &Pubkey) -> Sent {
        let mut ixs = Vec::new();
        let mut refs = Vec::new();
        for (i, (key, message)) in claims.iter().enumerate() {
            ixs.push(device_secp_ix(key, message, i as u8));
            refs.push(ClaimRef { device: key.address(), token_account: *destination, checkpoint_ix: i as u8 });
        }
        ixs.push(ix::claim_v0(&PROGRAM_ID, &self.mint, &refs));
        self.send(&ixs, &[]).await
    }
}

pub fn spl_token_amount(data: &[u8]) -> u64 {
    u64::from_le_bytes(data[64..72].try_into().unwrap())
}

/// A mint with `authority` as mint authority and 9 decimals, created through the real SPL Token
/// program (`InitializeMint2`).
pub async fn create_mint(ctx: &mut ProgramTestContext, authority: &Pubkey, decimals: u8) -> Pubkey {
    let mint = Keypair::new();
    let rent = Rent::default().minimum_balance(82);
    let create = solana_system_interface::instruction::create_account(
        &ctx.payer.pubkey(),
        &mint.pubkey(),
        rent,
        82,
        &ids::TOKEN_PROGRAM,
    );
    let mut data = vec![20, decimals];
    data.extend_from_slice(authority.as_ref());
    data.push(0);
    let init = Instruction { program_id: ids::TOKEN_PROGRAM, accounts: vec![AccountMeta::new(mint.pubkey(), false)], data };
    let blockhash = ctx.get_new_latest_blockhash().await.unwrap();
    let tx = Transaction::new_signed_with_payer(&[create, init], Some(&ctx.payer.pubkey()), &[&ctx.payer, &mint], blockhash);
    ctx.banks_client.process_transaction(tx).await.unwrap();
    mint.pubkey()
}

/// Started chain with a config (default parameters, region 0 at 150 000 µUSD/kWh) and the vector
/// manufacturer added; nothing registered yet.
pub async fn configured() -> Env {
    let mut ctx = start(program_test()).await;
    let mint_authority = pda::mint_authority_address(&PROGRAM_ID).0;
    let mint = create_mint(&mut ctx, &mint_authority, 9).await;
    let (device, maker) = vector_keys();
    let mut env = Env { ctx, mint, wallet: Keypair::new(), device, maker };
    let authority = env.ctx.payer.pubkey();
    let init = ix::initialize_config_v0(&PROGRAM_ID, &authority, &mint, 0, ParamsV0::default(), 150_000);
    let add = ix::add_manufacturer_v0(&PROGRAM_ID, &authority, env.maker.address());
    env.send(&[init, add], &[]).await.ok();
    env.set_time(T0).await;
    env
}

/// `configured()` plus the vector device (100 W) registered and bound to `env.wallet` at
/// seq 1, 0 mWh, T0, region 0, with the wallet's token account created.
pub async fn bound() -> Env {
    let mut env = configured().await;
    let device = env.device.clone();
    env.register(&device, 100).await.ok();
    let wallet = env.wallet.insecure_clone();
    env.create_ata(&wallet.pubkey()).await;
    let message = bind_message(&device, &wallet.pubkey(), 1, 0, T0, 0);
    env.bind(&device, &wallet, &message).await.ok();
    env
}

pub fn rent_exempt(len: usize) -> u64 {
    Rent::default().minimum_balance(len)
}

pub fn token_account_data(mint: &Pubkey, owner: &Pubkey) -> Vec<u8> {
    let mut d = vec![0u8; 165];
    d[0..32].copy_from_slice(mint.as_ref());
    d[32..64].copy_from_slice(owner.as_ref());
    d[108] = 1;
    d
}
