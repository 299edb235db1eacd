//! The file that moves a person's dossiers to a new device, protected by a
//! passphrase they choose.
//!
//! ```text
//! magic "DRIEHOEK-MOVE" | version (1) | m_cost KiB u32 | t_cost u32 | p_cost u32
//!   | salt (16) | nonce (24) | SHA-256(ciphertext) (32) | XChaCha20-Poly1305(payload)
//! ```
//!
//! Argon2id turns the passphrase and salt into the key; everything before
//! the ciphertext is associated data, so no parameter can be changed
//! unnoticed. The checksum only tells a damaged file from a wrong
//! passphrase (the AEAD alone cannot): it proves nothing, the AEAD does.
//! The Argon2 parameters travel in the file so a later version can raise
//! them; a file asking for more than [`MAX_M_COST_KIB`] or
//! [`MAX_T_COST`] is refused before any memory is taken.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

const MAGIC: &[u8] = b"DRIEHOEK-MOVE";
const VERSION: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const SUM_LEN: usize = 32;
const HEADER_LEN: usize = MAGIC.len() + 1 + 12 + SALT_LEN + NONCE_LEN + SUM_LEN;

/// The cost a new file is made with: 19 MiB, two passes, one lane (the
/// smallest setting OWASP recommends for Argon2id; a phone's browser does
/// it in about a second).
pub const DEFAULT_COST: Cost = Cost {
    m_cost_kib: 19 * 1024,
    t_cost: 2,
    p_cost: 1,
};
/// The most memory a file may ask for.
pub const MAX_M_COST_KIB: u32 = 256 * 1024;
/// The most passes a file may ask for.
pub const MAX_T_COST: u32 = 16;
/// Passphrases shorter than this are refused when making a file.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Argon2id's cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

/// Why a move file could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("the file is not a Driehoek move file")]
    NotAMoveFile,
    #[error("move file version {0} is not supported")]
    UnsupportedVersion(u8),
    #[error("the move file is damaged")]
    Damaged,
    #[error("the passphrase is not right")]
    WrongPassphrase,
    #[error("the passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters")]
    PassphraseTooShort,
    #[error("the move file asks for more work than allowed")]
    CostTooHigh,
    #[error("no random bytes available: {0}")]
    Random(String),
}

fn key(passphrase: &str, salt: &[u8], cost: Cost) -> Result<[u8; 32], TransferError> {
    if cost.m_cost_kib > MAX_M_COST_KIB || cost.t_cost > MAX_T_COST || cost.p_cost > 4 {
        return Err(TransferError::CostTooHigh);
    }
    let params = Params::new(cost.m_cost_kib, cost.t_cost, cost.p_cost, Some(32))
        .map_err(|_| TransferError::Damaged)?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|_| TransferError::Damaged)?;
    Ok(out)
}

/// Encrypts `payload` under `passphrase`, with fresh salt and nonce.
pub fn seal(passphrase: &str, payload: &[u8], cost: Cost) -> Result<Vec<u8>, TransferError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(TransferError::PassphraseTooShort);
    }
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|e| TransferError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| TransferError::Random(e.to_string()))?;
    let key = key(passphrase, &salt, cost)?;

    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(VERSION);
    for n in [cost.m_cost_kib, cost.t_cost, cost.p_cost] {
        header.extend_from_slice(&n.to_le_bytes());
    }
    header.extend_from_slice(&salt);
    header.extend_from_slice(&nonce);
    // The checksum covers the ciphertext, which needs the header as
    // associated data: encrypt with the header so far, then append both.
    let cipher = XChaCha20Poly1305::new(&key.into());
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: payload,
                aad: &header,
            },
        )
        .map_err(|_| TransferError::Damaged)?;
    let sum = Sha256::digest(&ciphertext);
    let mut out = header;
    out.extend_from_slice(&sum);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// The payload of a move file, if `passphrase` opens it.
pub fn open(passphrase: &str, file: &[u8]) -> Result<Vec<u8>, TransferError> {
    if !file.starts_with(MAGIC) {
        return Err(TransferError::NotAMoveFile);
    }
    let version = *file.get(MAGIC.len()).ok_or(TransferError::Damaged)?;
    if version != VERSION {
        return Err(TransferError::UnsupportedVersion(version));
    }
    if file.len() < HEADER_LEN + 16 {
        return Err(TransferError::Damaged);
    }
    let number = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&file[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let at = MAGIC.len() + 1;
    let cost = Cost {
        m_cost_kib: number(at),
        t_cost: number(at + 4),
        p_cost: number(at + 8),
    };
    let salt = &file[at + 12..at + 12 + SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&file[at + 12 + SALT_LEN..at + 12 + SALT_LEN + NONCE_LEN]);
    let aad = &file[..HEADER_LEN - SUM_LEN];
    let sum = &file[HEADER_LEN - SUM_LEN..HEADER_LEN];
    let ciphertext = &file[HEADER_LEN..];
    if Sha256::digest(ciphertext).as_slice() != sum {
        return Err(TransferError::Damaged);
    }
    let key = key(passphrase, salt, cost)?;
    let cipher = XChaCha20Poly1305::new(&key.into());
    cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map_err(|_| TransferError::WrongPassphrase)
}
