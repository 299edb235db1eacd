//! Re-founding a dossier: when a member is removed, the dossier moves to a
//! new secret and the next key epoch, and the new secret reaches every
//! remaining device sealed to that device alone.
//!
//! ```text
//! device seed ─ HKDF-SHA256, salt "driehoek/box-v1", info "x25519" ─> X25519 secret
//! box key record (published in the dossier) = X25519 public (32) | Ed25519 signature (64)
//!     signature over "driehoek-box-key-v1" | X25519 public
//! sealed secret = ephemeral X25519 public (32) | nonce (24) | XChaCha20-Poly1305(secret)
//!     key = HKDF-SHA256(ikm = X25519(ephemeral, recipient), salt "driehoek/seal-v1",
//!                       info = ephemeral public | recipient public | context)
//!     associated data = context = old dossier id (16) | new epoch (4, big-endian) | recipient Ed25519 key (32)
//! ```
//!
//! The X25519 key is its own key, derived from the device seed with a
//! label of its own, rather than the Ed25519 key reused for Diffie-Hellman.
//! The device signs its published X25519 key, so no other member can slip
//! in a key of their own for someone else's device. The notice that
//! carries the sealed secrets travels in the old log as a blob of kind
//! [`crate::blob::BlobKind::Refounded`], signed and encrypted like any
//! other: a removed device reads it, learns that the dossier moved on,
//! and finds nothing sealed to itself.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use curve25519_dalek::montgomery::MontgomeryPoint;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Result, WireError};
use crate::keys::{DossierId, DossierSecret};

const BOX_SALT: &[u8] = b"driehoek/box-v1";
const BOX_INFO: &[u8] = b"x25519";
const BOX_RECORD_CONTEXT: &[u8] = b"driehoek-box-key-v1";
const SEAL_SALT: &[u8] = b"driehoek/seal-v1";
/// Length of a published box key record.
pub const BOX_RECORD_LEN: usize = 32 + 64;
const SEALED_LEN: usize = 32 + 24 + 32 + 16;
/// More devices than any partnership has; a notice claiming more is refused
/// before any work.
pub const MAX_RECIPIENTS: usize = 256;

/// This device's X25519 secret, derived from its Ed25519 seed.
fn box_secret(device: &SigningKey) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(Some(BOX_SALT), device.as_bytes());
    let mut out = [0u8; 32];
    hk.expand(BOX_INFO, &mut out)
        .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
    out
}

/// This device's X25519 public key.
pub fn box_public(device: &SigningKey) -> [u8; 32] {
    MontgomeryPoint::mul_base_clamped(box_secret(device)).to_bytes()
}

fn box_record_message(public: &[u8; 32]) -> Vec<u8> {
    [BOX_RECORD_CONTEXT, public.as_slice()].concat()
}

/// What a device publishes in the dossier: its X25519 public key, signed
/// with its Ed25519 key.
pub fn box_key_record(device: &SigningKey) -> Vec<u8> {
    let public = box_public(device);
    let signature = device.sign(&box_record_message(&public));
    [public.as_slice(), &signature.to_bytes()].concat()
}

/// The X25519 key in `record` if the device with Ed25519 key `device`
/// signed it; `None` for anything else.
pub fn verify_box_key_record(device: &[u8; 32], record: &[u8]) -> Option<[u8; 32]> {
    if record.len() != BOX_RECORD_LEN {
        return None;
    }
    let public: [u8; 32] = record[..32].try_into().ok()?;
    let signature: [u8; 64] = record[32..].try_into().ok()?;
    let key = VerifyingKey::from_bytes(device).ok()?;
    key.verify(
        &box_record_message(&public),
        &Signature::from_bytes(&signature),
    )
    .ok()?;
    Some(public)
}

fn seal_context(old: &DossierId, epoch: u32, recipient: &[u8; 32]) -> Vec<u8> {
    [
        old.as_bytes().as_slice(),
        &epoch.to_be_bytes(),
        recipient.as_slice(),
    ]
    .concat()
}

fn seal_key(
    shared: &[u8; 32],
    ephemeral: &[u8; 32],
    recipient: &[u8; 32],
    context: &[u8],
) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(Some(SEAL_SALT), shared);
    let info = [ephemeral.as_slice(), recipient.as_slice(), context].concat();
    let mut out = [0u8; 32];
    hk.expand(&info, &mut out)
        .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
    out
}

/// One device's copy of the new secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedSecret {
    /// The recipient's Ed25519 public key (its name in the dossier).
    #[serde(with = "serde_bytes")]
    pub device: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What a re-founding device posts to the old log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefoundNotice {
    /// The key epoch of the new log.
    pub epoch: u32,
    pub keys: Vec<SealedSecret>,
}

/// What a device found in a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeFor {
    /// The new secret, sealed to this device.
    Secret(DossierSecret),
    /// Nothing for this device: it was left out (its person was removed,
    /// or it holds a link from before the re-founding).
    LeftOut,
}

impl RefoundNotice {
    /// Seals `secret` to each `(Ed25519 key, X25519 key)` recipient.
    pub fn seal(
        old: &DossierId,
        epoch: u32,
        secret: &DossierSecret,
        recipients: &[([u8; 32], [u8; 32])],
    ) -> Result<Self> {
        if recipients.len() > MAX_RECIPIENTS {
            return Err(WireError::TooLarge {
                limit: MAX_RECIPIENTS,
            });
        }
        let mut keys = Vec::with_capacity(recipients.len());
        for (device, public) in recipients {
            let mut ephemeral_secret = [0u8; 32];
            let mut nonce = [0u8; 24];
            getrandom::fill(&mut ephemeral_secret).map_err(|e| WireError::Random(e.to_string()))?;
            getrandom::fill(&mut nonce).map_err(|e| WireError::Random(e.to_string()))?;
            let ephemeral = MontgomeryPoint::mul_base_clamped(ephemeral_secret).to_bytes();
            let shared = MontgomeryPoint(*public)
                .mul_clamped(ephemeral_secret)
                .to_bytes();
            if shared == [0u8; 32] {
                // A low-order "key": nobody could open this copy.
                return Err(WireError::BadSignerKey);
            }
            let context = seal_context(old, epoch, device);
            let key = seal_key(&shared, &ephemeral, public, &context);
            let ciphertext = XChaCha20Poly1305::new(&key.into())
                .encrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: secret.as_bytes(),
                        aad: &context,
                    },
                )
                .map_err(|_| WireError::Malformed("encryption failed".into()))?;
            keys.push(SealedSecret {
                device: device.to_vec(),
                sealed: [ephemeral.as_slice(), &nonce, &ciphertext].concat(),
            });
        }
        Ok(RefoundNotice { epoch, keys })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if ciborium::into_writer(self, &mut bytes).is_err() {
            bytes.clear();
        }
        bytes
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let notice: RefoundNotice =
            ciborium::from_reader(bytes).map_err(|e| WireError::Malformed(e.to_string()))?;
        if notice.keys.len() > MAX_RECIPIENTS {
            return Err(WireError::TooLarge {
                limit: MAX_RECIPIENTS,
            });
        }
        Ok(notice)
    }

    /// The new secret for `device`, found in the notice posted to `old`.
    /// A copy addressed to this device that does not open is an error (a
    /// damaged or forged notice), not "left out".
    pub fn open_for(&self, old: &DossierId, device: &SigningKey) -> Result<NoticeFor> {
        let me = device.verifying_key().to_bytes();
        let Some(copy) = self.keys.iter().find(|k| k.device.as_slice() == me) else {
            return Ok(NoticeFor::LeftOut);
        };
        if copy.sealed.len() != SEALED_LEN {
            return Err(WireError::Truncated(copy.sealed.len()));
        }
        let ephemeral: [u8; 32] = copy.sealed[..32]
            .try_into()
            .map_err(|_| WireError::Decrypt)?;
        let nonce: [u8; 24] = copy.sealed[32..56]
            .try_into()
            .map_err(|_| WireError::Decrypt)?;
        let secret = box_secret(device);
        let public = MontgomeryPoint::mul_base_clamped(secret).to_bytes();
        let shared = MontgomeryPoint(ephemeral).mul_clamped(secret).to_bytes();
        if shared == [0u8; 32] {
            return Err(WireError::Decrypt);
        }
        let context = seal_context(old, self.epoch, &me);
        let key = seal_key(&shared, &ephemeral, &public, &context);
        let plain = XChaCha20Poly1305::new(&key.into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &copy.sealed[56..],
                    aad: &context,
                },
            )
            .map_err(|_| WireError::Decrypt)?;
        let bytes: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| WireError::Decrypt)?;
        Ok(NoticeFor::Secret(DossierSecret::from_bytes(bytes)))
    }
}
