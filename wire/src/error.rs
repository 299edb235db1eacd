/// Why bytes from another device or the relay were refused. Nothing in
/// here carries key material or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("blob format version {0} is not supported")]
    UnsupportedVersion(u8),
    #[error("the blob is too short ({0} bytes)")]
    Truncated(usize),
    #[error("the blob is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// Wrong key, another dossier's blob, or bytes changed on the way; the
    /// AEAD cannot tell these apart, and neither should we.
    #[error("the blob does not decrypt with this dossier's key")]
    Decrypt,
    #[error("the blob's contents are malformed: {0}")]
    Malformed(String),
    #[error("the signer's key is not a valid Ed25519 key")]
    BadSignerKey,
    #[error("the signature does not match the changes")]
    BadSignature,
    #[error("no random bytes available: {0}")]
    Random(String),
}

pub type Result<T, E = WireError> = std::result::Result<T, E>;
