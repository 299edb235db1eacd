//! The device's Ed25519 signature under a signature of the guidance
//! agreement. The model records who signed which terms; this adds proof
//! that one of that person's registered devices did it, bound to this
//! dossier (its public id), the terms hash and the person.

use driehoek_wire::keys::DossierId;
use driehoek_wire::{SigningKey, VerifyingKey};
use ed25519_dalek::{Signature as Ed25519Signature, Signer, Verifier};

use crate::model::PersonId;
use crate::model::read::{Members, Signature};
use crate::model::signing::{TERMS_ENCODING_VERSION, device_signature_message};

/// How far a signature can be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceCheck {
    /// Signed by a device registered to the person who signed.
    Verified,
    /// No device signature (yet): a device that signed offline adds it;
    /// an older app never did.
    Unsigned,
    /// A device signature is there but matches none of the person's
    /// registered devices, or not these terms: it cannot be trusted.
    Unverifiable,
}

/// What a device signs for `person` signing `terms_hash`.
pub fn sign_terms(
    device: &SigningKey,
    dossier: &DossierId,
    terms_hash: &[u8; 32],
    person: &PersonId,
) -> [u8; 64] {
    let message = device_signature_message(
        dossier.as_bytes(),
        u64::from(TERMS_ENCODING_VERSION),
        terms_hash,
        person,
    );
    device.sign(&message).to_bytes()
}

/// Checks a signature record against the person's registered devices.
pub fn check(signature: &Signature, members: &Members, dossier: &DossierId) -> DeviceCheck {
    let Some(bytes) = &signature.device_signature else {
        return DeviceCheck::Unsigned;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return DeviceCheck::Unverifiable;
    };
    let device_signature = Ed25519Signature::from_bytes(&bytes);
    let message = device_signature_message(
        dossier.as_bytes(),
        signature.encoding,
        &signature.terms_hash,
        &signature.person,
    );
    let verified = members
        .devices
        .iter()
        .filter(|d| d.persons.contains(&signature.person))
        .filter_map(|d| VerifyingKey::from_bytes(&d.key).ok())
        .any(|key| key.verify(&message, &device_signature).is_ok());
    if verified {
        DeviceCheck::Verified
    } else {
        DeviceCheck::Unverifiable
    }
}
