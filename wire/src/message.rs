//! Messages between devices and the relay (protocol version 1), CBOR in
//! binary WebSocket frames; every byte field is a CBOR byte string.
//!
//! ```text
//! Hello { protocol, creation_code? }                  first, both ways
//! Subscribe { dossier, token, after_seq }   ->  Blobs { dossier, items, complete }.., then Blob pushes
//! Append { dossier, token, id, bytes }      ->  Ack { id, seq }        (after commit)
//! Compact { dossier, token, id, upto_seq, part, parts, bytes }  ->  Ack { id, seq: upto_seq }
//! CompactHint { dossier, upto_seq }                    relay -> one subscriber
//! Retire { dossier, token, id }             ->  Ack { id, seq: 0 }    (the log closes; deleted after a grace period)
//! Error { code, message, dossier? }                    without a dossier: then the socket closes
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::keys::{DossierId, RelayToken};

/// The protocol version both sides speak.
pub const PROTOCOL_VERSION: u32 = 1;

/// A blob with its place in a dossier's log. A compaction's snapshot may
/// be larger than one frame: it is then stored and sent as `parts` pieces
/// with the same `seq`, in order, which the device joins before opening.
/// An ordinary blob is part 0 of 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedBlob {
    pub seq: u64,
    #[serde(default)]
    pub part: u32,
    #[serde(default = "one")]
    pub parts: u32,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

fn one() -> u32 {
    1
}

impl LoggedBlob {
    /// An ordinary (single-part) blob.
    pub fn whole(seq: u64, bytes: Vec<u8>) -> Self {
        LoggedBlob {
            seq,
            part: 0,
            parts: 1,
            bytes,
        }
    }
}

/// A device's name for one Append, so a resent Append (after a lost Ack)
/// is stored once and acknowledged again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppendId(pub [u8; 16]);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    Hello {
        protocol: u32,
        /// The code a relay's operator may ask for before it registers a
        /// new dossier (so a public relay is not free storage for anyone);
        /// the device's own setting, sent only when a person entered one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        creation_code: Option<String>,
    },
    Subscribe {
        dossier: DossierId,
        token: Token,
        after_seq: u64,
    },
    /// The stored blobs after `after_seq`, oldest first, split over as
    /// many messages as the frame limit needs; `complete` is set on the
    /// last one, after which the device is up to date with the log.
    Blobs {
        dossier: DossierId,
        items: Vec<LoggedBlob>,
        complete: bool,
    },
    Blob {
        dossier: DossierId,
        seq: u64,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Append {
        dossier: DossierId,
        token: Token,
        id: AppendId,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Ack {
        id: AppendId,
        seq: u64,
    },
    /// A snapshot that replaces every blob up to `upto_seq`, in `parts`
    /// pieces sent in order; acknowledged under `id` once all are stored.
    Compact {
        dossier: DossierId,
        token: Token,
        id: AppendId,
        upto_seq: u64,
        part: u32,
        parts: u32,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    CompactHint {
        dossier: DossierId,
        upto_seq: u64,
    },
    /// The dossier was re-founded under a new secret (a member was
    /// removed): the relay takes no more appends or compactions for this
    /// log, keeps serving it to subscribers for its grace period (so
    /// devices that were offline still find the way to the new log) and
    /// then deletes it. Acknowledged as `Ack { id, seq: 0 }`; retiring a
    /// retired log again is acknowledged the same way.
    Retire {
        dossier: DossierId,
        token: Token,
        id: AppendId,
    },
    /// A refusal. With a `dossier`, it refuses one request about that
    /// dossier and the connection stays open for the others (a device
    /// syncs all its dossiers over one socket); without, it is about the
    /// connection, which the sender closes next.
    Error {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dossier: Option<DossierId>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The other side speaks a protocol version this one does not.
    UnsupportedProtocol,
    /// A frame that is not a message of this protocol, or one out of turn.
    Malformed,
    /// No Hello arrived in time.
    Timeout,
    /// The token does not match the one this dossier was registered with.
    Unauthorized,
    /// A frame, or this dossier (with the dossier named), over the relay's
    /// limits.
    TooLarge,
    /// A compaction the relay refuses (bounds, parts out of order).
    BadCompaction,
    /// This connection read too slowly and was dropped, or the relay cannot
    /// store right now: try again later.
    Overloaded,
    /// The relay as a whole is full (its total storage or its number of
    /// dossiers): nothing new is stored until its operator makes room.
    QuotaExceeded,
    /// This relay registers new dossiers only for devices that present its
    /// creation code in Hello, and this device presented none.
    CreationCodeRequired,
    /// The creation code in this device's Hello is not this relay's.
    CreationCodeWrong,
    /// The log was retired (the dossier moved to a new secret): it takes
    /// no more appends or compactions.
    Retired,
    /// A code from a newer version.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The name on the wire, for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnsupportedProtocol => "unsupported-protocol",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::TooLarge => "too-large",
            ErrorCode::BadCompaction => "bad-compaction",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::QuotaExceeded => "quota-exceeded",
            ErrorCode::CreationCodeRequired => "creation-code-required",
            ErrorCode::CreationCodeWrong => "creation-code-wrong",
            ErrorCode::Retired => "retired",
            ErrorCode::Unknown => "unknown",
        }
    }
}

/// A relay token on the wire. The relay compares and hashes it; it never
/// needs to know that it came from a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(pub [u8; 32]);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl From<&RelayToken> for Token {
    fn from(token: &RelayToken) -> Self {
        Token(*token.as_bytes())
    }
}

impl Message {
    /// The first message on a connection, from either side.
    pub fn hello(creation_code: Option<String>) -> Message {
        Message::Hello {
            protocol: PROTOCOL_VERSION,
            creation_code,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail for these plain types.
        if ciborium::into_writer(self, &mut bytes).is_err() {
            bytes.clear();
        }
        bytes
    }

    /// `None` for anything that is not a message of this protocol.
    pub fn decode(bytes: &[u8]) -> Option<Message> {
        ciborium::from_reader(bytes).ok()
    }
}

fn fixed<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
    let bytes: serde_bytes::ByteBuf = Deserialize::deserialize(d)?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| serde::de::Error::invalid_length(bytes.len(), &"a fixed-length byte string"))
}

macro_rules! as_byte_string {
    ($ty:ty, $n:expr, $get:expr, $make:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let get: fn(&$ty) -> &[u8; $n] = $get;
                serde_bytes::Bytes::new(get(self)).serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let make: fn([u8; $n]) -> $ty = $make;
                fixed::<D, $n>(d).map(make)
            }
        }
    };
}

as_byte_string!(DossierId, 16, |id| id.as_bytes(), DossierId::from_bytes);
as_byte_string!(Token, 32, |t| &t.0, Token);
as_byte_string!(AppendId, 16, |a| &a.0, AppendId);
