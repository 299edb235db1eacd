//! Messages between app and relay, CBOR-encoded in binary WebSocket frames.
//!
//! Only the handshake exists so far; the dossier messages come with sync.

use serde::{Deserialize, Serialize};

/// The protocol version this relay speaks.
pub const PROTOCOL_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// Sent first, by both sides.
    Hello { protocol: u32 },
    /// Sent before the relay closes a connection it cannot serve.
    Error { code: ErrorCode, message: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The other side speaks a protocol version this relay does not.
    UnsupportedProtocol,
    /// A frame that is not a message of this protocol, or one out of turn.
    Malformed,
    /// No Hello arrived in time.
    Timeout,
}

impl Message {
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail for these plain types.
        if ciborium::into_writer(self, &mut bytes).is_err() {
            bytes.clear();
        }
        bytes
    }

    pub fn decode(bytes: &[u8]) -> Option<Message> {
        ciborium::from_reader(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_a_cbor_round_trip() {
        let messages = [
            Message::Hello {
                protocol: PROTOCOL_VERSION,
            },
            Message::Error {
                code: ErrorCode::UnsupportedProtocol,
                message: "speak version 1".into(),
            },
        ];
        for message in messages {
            assert_eq!(Message::decode(&message.encode()), Some(message));
        }
    }

    #[test]
    fn garbage_and_empty_bytes_are_not_messages() {
        assert_eq!(Message::decode(b""), None);
        assert_eq!(Message::decode(b"\xff\x00garbage"), None);
        assert_eq!(Message::decode(&[0xa1, 0x65]), None);
    }
}
