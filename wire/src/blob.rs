//! The blob a device uploads to the relay (format version 1).
//!
//! ```text
//! version (1) | key epoch (4, big-endian) | nonce (24) | XChaCha20-Poly1305(payload)
//! ```
//!
//! The version byte and the epoch are the associated data, so neither can
//! be changed without the decryption failing. The payload is CBOR:
//! `{ kind?, signer: 32 bytes, changes: bytes, signature: 64 bytes }`
//! (`kind` left out for plain changes; `"snapshot"`, `"forwarded"`,
//! `"refounded"`), byte
//! strings as CBOR byte strings. The Ed25519 signature covers
//!
//! ```text
//! "driehoek-blob-v1" | dossier id (16) | epoch (4, big-endian) | SHA-256(changes)
//! ```
//!
//! so a blob cannot be replayed into another dossier or epoch, even by
//! someone who holds both keys. The key epoch exists from the start so a
//! re-founded dossier (a member removed) keeps the same format.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Result, WireError};
use crate::keys::{DossierId, EncryptionKey};

/// The format version this crate writes and reads.
pub const VERSION: u8 = 1;
const SIGNING_CONTEXT: &[u8] = b"driehoek-blob-v1";
const HEADER: usize = 1 + 4 + 24;
/// The Poly1305 tag.
const TAG: usize = 16;

/// What a blob's change bytes are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlobKind {
    /// Changes made by the signing device (every actor in them is one of
    /// its sessions).
    #[default]
    Changes,
    /// A compaction's whole-document snapshot: changes of every member,
    /// written by the member that compacted. It stands for every blob up
    /// to its place in the log.
    Snapshot,
    /// Changes of other members passed on by the signer: ones it got
    /// without the relay (a sync file) that the relay has not seen yet.
    Forwarded,
    /// The dossier was re-founded under a new secret and key epoch: the
    /// "changes" are a [`crate::refound::RefoundNotice`] that carries the
    /// new secret sealed to each remaining device.
    Refounded,
    /// A kind from a newer version (for example an attachment); kept on
    /// the relay, skipped by this version.
    #[serde(other)]
    Unknown,
}

impl BlobKind {
    fn is_changes(&self) -> bool {
        *self == BlobKind::Changes
    }
}

#[derive(Serialize, Deserialize)]
struct SignedPayload {
    /// Left out for plain changes, so version-1 change blobs carry no kind.
    #[serde(default, skip_serializing_if = "BlobKind::is_changes")]
    kind: BlobKind,
    #[serde(with = "serde_bytes")]
    signer: Vec<u8>,
    #[serde(with = "serde_bytes")]
    changes: Vec<u8>,
    #[serde(with = "serde_bytes")]
    signature: Vec<u8>,
}

/// A blob that decrypted and whose signature checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedBlob {
    pub epoch: u32,
    pub kind: BlobKind,
    /// The signing device's Ed25519 public key. Whether that device may
    /// write to the dossier (and whether the changes' actor is its own) is
    /// for the caller to check against the dossier's members.
    pub signer: [u8; 32],
    /// Automerge change bytes, exactly as signed.
    pub changes: Vec<u8>,
}

fn signed_message(dossier: &DossierId, epoch: u32, changes: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + 16 + 4 + 32);
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(dossier.as_bytes());
    message.extend_from_slice(&epoch.to_be_bytes());
    message.extend_from_slice(&Sha256::digest(changes));
    message
}

fn associated_data(epoch: u32) -> [u8; 5] {
    let e = epoch.to_be_bytes();
    [VERSION, e[0], e[1], e[2], e[3]]
}

/// Signs `changes` as `signer` and encrypts them for `dossier` under `key`
/// at `epoch`, with a random nonce.
pub fn seal(
    key: &EncryptionKey,
    dossier: &DossierId,
    epoch: u32,
    signer: &SigningKey,
    kind: BlobKind,
    changes: &[u8],
) -> Result<Vec<u8>> {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|e| WireError::Random(e.to_string()))?;
    seal_with_nonce(key, dossier, epoch, signer, kind, changes, nonce)
}

/// [`seal`] with a given nonce: for known-answer tests only. A nonce must
/// never be used twice with one key.
#[doc(hidden)]
pub fn seal_with_nonce(
    key: &EncryptionKey,
    dossier: &DossierId,
    epoch: u32,
    signer: &SigningKey,
    kind: BlobKind,
    changes: &[u8],
    nonce: [u8; 24],
) -> Result<Vec<u8>> {
    let signature = signer.sign(&signed_message(dossier, epoch, changes));
    let payload = SignedPayload {
        kind,
        signer: signer.verifying_key().to_bytes().to_vec(),
        changes: changes.to_vec(),
        signature: signature.to_bytes().to_vec(),
    };
    let mut plaintext = Vec::new();
    ciborium::into_writer(&payload, &mut plaintext)
        .map_err(|e| WireError::Malformed(e.to_string()))?;
    let cipher = XChaCha20Poly1305::new(&(*key.as_bytes()).into());
    let aad = associated_data(epoch);
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| WireError::Malformed("encryption failed".into()))?;
    let mut blob = Vec::with_capacity(HEADER + ciphertext.len());
    blob.extend_from_slice(&aad);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&ciphertext);
    Ok(blob)
}

/// Decrypts a blob of `dossier` and checks its signature. Refuses blobs
/// over `max_len` bytes before doing any work.
pub fn open(
    key: &EncryptionKey,
    dossier: &DossierId,
    blob: &[u8],
    max_len: usize,
) -> Result<OpenedBlob> {
    if blob.len() > max_len {
        return Err(WireError::TooLarge { limit: max_len });
    }
    if blob.len() < HEADER + TAG {
        return Err(WireError::Truncated(blob.len()));
    }
    let (header, ciphertext) = blob.split_at(HEADER);
    if header[0] != VERSION {
        return Err(WireError::UnsupportedVersion(header[0]));
    }
    let epoch = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
    let mut nonce = [0u8; 24];
    nonce.copy_from_slice(&header[5..HEADER]);
    let cipher = XChaCha20Poly1305::new(&(*key.as_bytes()).into());
    let plaintext = cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: &header[..5],
            },
        )
        .map_err(|_| WireError::Decrypt)?;
    let payload: SignedPayload = ciborium::from_reader(plaintext.as_slice())
        .map_err(|e| WireError::Malformed(e.to_string()))?;
    let signer: [u8; 32] = payload
        .signer
        .as_slice()
        .try_into()
        .map_err(|_| WireError::BadSignerKey)?;
    let signature: [u8; 64] = payload
        .signature
        .as_slice()
        .try_into()
        .map_err(|_| WireError::BadSignature)?;
    let verifying = VerifyingKey::from_bytes(&signer).map_err(|_| WireError::BadSignerKey)?;
    verifying
        .verify(
            &signed_message(dossier, epoch, &payload.changes),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| WireError::BadSignature)?;
    Ok(OpenedBlob {
        epoch,
        kind: payload.kind,
        signer,
        changes: payload.changes,
    })
}
