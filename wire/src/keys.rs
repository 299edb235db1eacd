//! From one dossier secret to everything else.
//!
//! ```text
//! secret (32 random bytes)
//!   └─ HKDF-SHA256, salt "driehoek/v1"
//!        ├─ info "dossier-id"     -> 16 bytes, shown as 32 hex digits
//!        ├─ info "relay-token"    -> 32 bytes, proves access to the relay
//!        └─ info "encryption-key" -> 32 bytes, XChaCha20-Poly1305 key
//! ```
//!
//! The labels are part of the format: changing one changes every id and
//! key, which the known-answer tests catch.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;

use crate::error::{Result, WireError};

const SALT: &[u8] = b"driehoek/v1";
const INFO_ID: &[u8] = b"dossier-id";
const INFO_TOKEN: &[u8] = b"relay-token";
const INFO_KEY: &[u8] = b"encryption-key";

/// The secret of one dossier: holding it is membership.
#[derive(Clone, PartialEq, Eq)]
pub struct DossierSecret([u8; 32]);

/// Never print a secret, not even in a debug log.
impl fmt::Debug for DossierSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DossierSecret(..)")
    }
}

impl DossierSecret {
    /// A fresh secret from the system's (or browser's) random source.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| WireError::Random(e.to_string()))?;
        Ok(Self(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The secret as it travels in an invite link's fragment: base64url
    /// without padding (43 characters).
    pub fn to_link_text(&self) -> String {
        base64url_encode(&self.0)
    }

    /// `None` unless `text` is exactly 32 bytes of base64url.
    pub fn from_link_text(text: &str) -> Option<Self> {
        let bytes = base64url_decode(text)?;
        Some(Self(bytes.try_into().ok()?))
    }

    fn derive<const N: usize>(&self, info: &[u8]) -> [u8; N] {
        let hk = Hkdf::<Sha256>::new(Some(SALT), &self.0);
        let mut out = [0u8; N];
        // HKDF-SHA256 gives up to 255 * 32 bytes; N is at most 32 here.
        hk.expand(info, &mut out)
            .unwrap_or_else(|_| unreachable!("{N} bytes is a valid HKDF-SHA256 length"));
        out
    }

    /// The public name of the dossier, used by the relay.
    pub fn dossier_id(&self) -> DossierId {
        DossierId(self.derive(INFO_ID))
    }

    /// What a device shows the relay to read or append to this dossier's
    /// log. The relay keeps only its hash.
    pub fn relay_token(&self) -> RelayToken {
        RelayToken(self.derive(INFO_TOKEN))
    }

    /// The key blobs are encrypted with. Never leaves the devices.
    pub fn encryption_key(&self) -> EncryptionKey {
        EncryptionKey(self.derive(INFO_KEY))
    }
}

/// The public name of a dossier.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DossierId([u8; 16]);

impl DossierId {
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// Reads the 32 lowercase hex digits of [`fmt::Display`].
    pub fn parse(hex: &str) -> Option<Self> {
        if hex.len() != 32
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Self(out))
    }
}

impl fmt::Display for DossierId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for DossierId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DossierId({self})")
    }
}

/// Access to one dossier's log on the relay.
#[derive(Clone, PartialEq, Eq)]
pub struct RelayToken([u8; 32]);

impl RelayToken {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for RelayToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RelayToken(..)")
    }
}

/// The XChaCha20-Poly1305 key of a dossier.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey([u8; 32]);

impl EncryptionKey {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptionKey(..)")
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            group.get(1).copied().unwrap_or(0),
            group.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = group.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(BASE64URL[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let value = BASE64URL.iter().position(|b| *b == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding of the last character, no more.
    (bits < 6 && acc == 0).then_some(out)
}
