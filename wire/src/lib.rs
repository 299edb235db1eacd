//! What Driehoek devices and the relay agree on, in one small crate that
//! both build (natively and for the browser):
//!
//! - [`keys`]: a dossier secret (32 random bytes, shared through the
//!   invite link) derives, by HKDF-SHA256, the public dossier id, the relay
//!   access token and the encryption key. The relay learns the id and the
//!   token, never the key.
//! - [`blob`]: the encrypted, signed blob a device uploads (DESIGN.md,
//!   "Blob format", version 1).
//! - [`message`]: the CBOR messages between devices and the relay.
//! - [`invite`]: invite links that carry a secret in their fragment.
//! - [`refound`]: a device's X25519 key and the notice that carries a
//!   re-founded dossier's new secret to the remaining devices.
//! - [`transfer`]: the passphrase-protected file that moves a person's
//!   dossiers to a new device.
//!
//! Everything here is pure computation, so it is tested natively,
//! including known-answer tests that pin the formats.

pub mod blob;
mod error;
pub mod invite;
pub mod keys;
pub mod message;
pub mod refound;
pub mod transfer;

pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::{Result, WireError};
