//! This device's signing key: made on first start, kept in the device's
//! key-value store (IndexedDB in the browser), never sent anywhere but as
//! its public half.

use driehoek_wire::SigningKey;

use crate::storage::{KeyValueStore, StorageError};

/// Where the 32-byte Ed25519 seed lives.
pub const DEVICE_KEY: &str = "device/signing-key";

/// Why the device key could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeviceKeyError {
    /// The device's key-value store failed to read or write the key.
    #[error("the device key could not be stored: {0}")]
    Storage(#[from] StorageError),
    /// The platform's random source failed while making a new key.
    #[error("no random bytes for a device key: {0}")]
    Random(String),
}

/// The stored device key, or a new one stored now. A stored value of the
/// wrong length (damage) is kept aside under a second key and replaced:
/// the device then shows as a new device, which members confirm again.
pub async fn load_or_create(store: &impl KeyValueStore) -> Result<SigningKey, DeviceKeyError> {
    if let Some(bytes) = store.get(DEVICE_KEY).await? {
        if let Ok(seed) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(SigningKey::from_bytes(&seed));
        }
        store.put("device/damaged-signing-key", &bytes).await?;
    }
    let key = generate()?;
    store.put(DEVICE_KEY, &key.to_bytes()).await?;
    Ok(key)
}

/// A fresh key pair from the system's (or browser's) random source.
pub fn generate() -> Result<SigningKey, DeviceKeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| DeviceKeyError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}
