//! The relay protocol's messages: every kind survives CBOR, byte fields
//! are CBOR byte strings, and anything else is refused without a panic.

use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::{AppendId, ErrorCode, LoggedBlob, Message, Token};

fn every_kind() -> Vec<Message> {
    let secret = DossierSecret::from_bytes([3; 32]);
    let dossier = secret.dossier_id();
    let token = Token::from(&secret.relay_token());
    let id = AppendId([5; 16]);
    vec![
        Message::hello(None),
        Message::hello(Some("school code 2027".into())),
        Message::Subscribe {
            dossier,
            token: token.clone(),
            after_seq: 41,
        },
        Message::Blobs {
            dossier,
            items: vec![
                LoggedBlob::whole(1, vec![1, 2, 3]),
                LoggedBlob {
                    seq: 2,
                    part: 1,
                    parts: 3,
                    bytes: Vec::new(),
                },
            ],
            complete: true,
        },
        Message::Blob {
            dossier,
            seq: 3,
            bytes: vec![9; 300],
        },
        Message::Append {
            dossier,
            token: token.clone(),
            id,
            bytes: vec![7; 70],
        },
        Message::Ack { id, seq: 4 },
        Message::Compact {
            dossier,
            token,
            id,
            upto_seq: 4,
            part: 0,
            parts: 2,
            bytes: vec![8; 10],
        },
        Message::CompactHint {
            dossier,
            upto_seq: 4,
        },
        Message::Error {
            code: ErrorCode::Unauthorized,
            message: "wrong token".into(),
            dossier: Some(dossier),
        },
        Message::Error {
            code: ErrorCode::Malformed,
            message: "expected a hello message".into(),
            dossier: None,
        },
    ]
}

#[test]
fn every_kind_of_message_survives_a_cbor_round_trip() {
    for message in every_kind() {
        assert_eq!(
            Message::decode(&message.encode()),
            Some(message.clone()),
            "{message:?}"
        );
    }
}

#[test]
fn the_hello_encoding_is_pinned() {
    let hex: String = Message::Hello {
        protocol: 1,
        creation_code: None,
    }
    .encode()
    .iter()
    .map(|b| format!("{b:02x}"))
    .collect();
    // {"Hello": {"protocol": 1}}
    assert_eq!(hex, "a16548656c6c6fa16870726f746f636f6c01");
}

#[test]
fn byte_fields_are_cbor_byte_strings_not_arrays_of_numbers() {
    let secret = DossierSecret::from_bytes([3; 32]);
    let message = Message::Blob {
        dossier: secret.dossier_id(),
        seq: 1,
        bytes: vec![0xaa, 0xbb, 0xcc],
    };
    let encoded = message.encode();
    // Major type 2 (byte string) of length 3, then the bytes.
    assert!(
        encoded.windows(4).any(|w| w == [0x43, 0xaa, 0xbb, 0xcc]),
        "{encoded:02x?}"
    );
    // The dossier id: a 16-byte string.
    let id = secret.dossier_id();
    let mut marker = vec![0x50];
    marker.extend_from_slice(id.as_bytes());
    assert!(encoded.windows(17).any(|w| w == marker.as_slice()));
}

#[test]
fn garbage_wrong_lengths_and_truncations_are_not_messages() {
    assert_eq!(Message::decode(b""), None);
    assert_eq!(Message::decode(b"\xff\x00garbage"), None);
    for message in every_kind() {
        let bytes = message.encode();
        for cut in 0..bytes.len() {
            assert_eq!(
                Message::decode(&bytes[..cut]),
                None,
                "{message:?} cut at {cut}"
            );
        }
    }
    // A dossier id of 15 bytes is refused, not padded.
    let hello_like = Message::CompactHint {
        dossier: DossierSecret::from_bytes([1; 32]).dossier_id(),
        upto_seq: 1,
    }
    .encode();
    let short: Vec<u8> = {
        let pos = hello_like
            .iter()
            .position(|b| *b == 0x50)
            .expect("id marker");
        let mut v = hello_like.clone();
        v[pos] = 0x4f;
        v.remove(pos + 1);
        v
    };
    assert_eq!(Message::decode(&short), None);
}

#[test]
fn an_error_code_from_a_newer_relay_reads_as_unknown() {
    // {"Error": {"code": "some-new-code", "message": ""}}
    let mut bytes = Vec::new();
    ciborium::into_writer(
        &ciborium::Value::Map(vec![(
            "Error".into(),
            ciborium::Value::Map(vec![
                ("code".into(), "some-new-code".into()),
                ("message".into(), "".into()),
            ]),
        )]),
        &mut bytes,
    )
    .expect("encode");
    assert_eq!(
        Message::decode(&bytes),
        Some(Message::Error {
            code: ErrorCode::Unknown,
            message: String::new(),
            dossier: None,
        })
    );
}

#[test]
fn every_error_code_is_encoded_under_the_name_as_str_gives() {
    let codes = [
        ErrorCode::UnsupportedProtocol,
        ErrorCode::Malformed,
        ErrorCode::Timeout,
        ErrorCode::Unauthorized,
        ErrorCode::TooLarge,
        ErrorCode::BadCompaction,
        ErrorCode::Overloaded,
        ErrorCode::QuotaExceeded,
        ErrorCode::CreationCodeRequired,
        ErrorCode::CreationCodeWrong,
    ];
    for code in codes {
        let mut bytes = Vec::new();
        ciborium::into_writer(&code, &mut bytes).expect("encode");
        let value: ciborium::Value = ciborium::from_reader(bytes.as_slice()).expect("decode");
        assert_eq!(
            value,
            ciborium::Value::Text(code.as_str().into()),
            "{code:?}"
        );
        let message = Message::Error {
            code,
            message: String::new(),
            dossier: None,
        };
        assert_eq!(Message::decode(&message.encode()), Some(message));
    }
    assert_eq!(ErrorCode::QuotaExceeded.as_str(), "quota-exceeded");
    assert_eq!(
        ErrorCode::CreationCodeRequired.as_str(),
        "creation-code-required"
    );
    assert_eq!(ErrorCode::CreationCodeWrong.as_str(), "creation-code-wrong");
}
