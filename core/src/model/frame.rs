//! Our own frame around every byte string we store or send.
//!
//! Automerge loads empty bytes as an empty document and takes truncated
//! incremental bytes silently, so bytes never reach it unframed:
//!
//! ```text
//! offset  size  field
//!      0     4  magic "DRHK"
//!      4     1  frame version (1)
//!      5     1  kind: 1 = whole document, 2 = changes after some heads
//!      6     8  payload length, u64 little endian
//!     14    32  SHA-256 over bytes 0..14 followed by the payload
//!     46     n  payload (Automerge bytes, never empty)
//! ```

use automerge::{AutoCommit, ChangeHash, LoadOptions, TextEncoding};
use sha2::{Digest, Sha256};

use super::error::{ModelError, Result};
pub use super::schema::Access;
use super::schema::{access, is_dossier};

const MAGIC: &[u8; 4] = b"DRHK";
const FRAME_VERSION: u8 = 1;
const HEADER_LEN: usize = 4 + 1 + 1 + 8 + 32;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// A whole document (`AutoCommit::save`).
    Document,
    /// Changes after some heads (`AutoCommit::save_after`).
    Changes,
}

impl FrameKind {
    fn byte(self) -> u8 {
        match self {
            FrameKind::Document => 1,
            FrameKind::Changes => 2,
        }
    }
}

fn checksum(header: &[u8], payload: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(header);
    h.update(payload);
    h.finalize().into()
}

/// Wraps Automerge bytes in a frame.
pub fn frame(kind: FrameKind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(FRAME_VERSION);
    out.push(kind.byte());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let sum = checksum(&out, payload);
    out.extend_from_slice(&sum);
    out.extend_from_slice(payload);
    out
}

/// Checks a frame and returns its kind and payload; every way bytes can be
/// wrong is a typed error.
pub fn unframe(bytes: &[u8]) -> Result<(FrameKind, &[u8])> {
    if bytes.is_empty() {
        return Err(ModelError::EmptyBytes);
    }
    if bytes.len() < MAGIC.len() || &bytes[..4] != MAGIC {
        return Err(ModelError::ForeignBytes);
    }
    if bytes.len() < HEADER_LEN {
        return Err(ModelError::Truncated {
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    if bytes[4] != FRAME_VERSION {
        return Err(ModelError::UnsupportedFrameVersion(bytes[4]));
    }
    let kind = match bytes[5] {
        1 => FrameKind::Document,
        2 => FrameKind::Changes,
        other => return Err(ModelError::UnknownFrameKind(other)),
    };
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[6..14]);
    let len = u64::from_le_bytes(len_bytes);
    let present = (bytes.len() - HEADER_LEN) as u64;
    if present < len {
        return Err(ModelError::Truncated {
            expected: HEADER_LEN as u64 + len,
            actual: bytes.len() as u64,
        });
    }
    if present > len {
        return Err(ModelError::TrailingBytes(present - len));
    }
    let payload = &bytes[HEADER_LEN..];
    if checksum(&bytes[..14], payload)[..] != bytes[14..HEADER_LEN] {
        return Err(ModelError::Damaged);
    }
    if payload.is_empty() {
        return Err(ModelError::EmptyBytes);
    }
    Ok((kind, payload))
}

/// The whole dossier as one framed byte string (for a snapshot or a sync
/// file).
pub fn save_dossier(doc: &mut AutoCommit) -> Vec<u8> {
    frame(FrameKind::Document, &doc.save())
}

/// The changes not covered by `saved_heads`, framed; `None` when there is
/// nothing new. Keep `saved_heads` yourself: after a load,
/// `save_incremental` would write the whole history again.
pub fn save_changes_after(doc: &mut AutoCommit, saved_heads: &[ChangeHash]) -> Option<Vec<u8>> {
    let bytes = doc.save_after(saved_heads);
    if bytes.is_empty() {
        None
    } else {
        Some(frame(FrameKind::Changes, &bytes))
    }
}

/// A loaded dossier and whether this version may change it.
#[derive(Debug)]
pub struct OpenedDossier {
    /// The loaded document.
    pub doc: AutoCommit,
    /// Whether this version may change it, or only show it.
    pub access: Access,
}

/// Loads framed bytes (one document frame, or a changes frame holding a
/// dossier's full history) and checks that they hold a dossier.
///
/// `encoding` is how text positions are counted; the browser wants
/// [`TextEncoding::Utf16CodeUnit`].
pub fn load_dossier(bytes: &[u8], encoding: TextEncoding) -> Result<OpenedDossier> {
    let (_, payload) = unframe(bytes)?;
    let doc = AutoCommit::load_with_options(payload, LoadOptions::new().text_encoding(encoding))?;
    if !is_dossier(&doc) {
        return Err(ModelError::NotADossier);
    }
    let access = access(&doc)?;
    Ok(OpenedDossier { doc, access })
}

/// Applies framed changes (from storage or another device) to a loaded
/// dossier and returns how many operations were applied.
pub fn apply_changes(doc: &mut AutoCommit, bytes: &[u8]) -> Result<usize> {
    let (_, payload) = unframe(bytes)?;
    Ok(doc.load_incremental(payload)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips_its_payload() {
        let framed = frame(FrameKind::Changes, b"abc");
        let (kind, payload) = unframe(&framed).expect("valid frame");
        assert_eq!(kind, FrameKind::Changes);
        assert_eq!(payload, b"abc");
    }

    #[test]
    fn every_single_flipped_bit_is_refused() {
        let framed = frame(FrameKind::Document, b"some automerge bytes");
        for i in 0..framed.len() {
            for bit in 0..8 {
                let mut damaged = framed.clone();
                damaged[i] ^= 1 << bit;
                assert!(
                    unframe(&damaged).is_err(),
                    "byte {i} bit {bit} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn every_truncation_is_refused() {
        let framed = frame(FrameKind::Document, b"some automerge bytes");
        for cut in 0..framed.len() {
            assert!(
                unframe(&framed[..cut]).is_err(),
                "cut at {cut} went unnoticed"
            );
        }
        let mut longer = framed.clone();
        longer.push(0);
        assert!(matches!(
            unframe(&longer),
            Err(ModelError::TrailingBytes(1))
        ));
    }

    #[test]
    fn an_empty_payload_is_refused() {
        assert!(matches!(
            unframe(&frame(FrameKind::Changes, b"")),
            Err(ModelError::EmptyBytes)
        ));
    }
}
