//! Known-answer tests pin the key derivation and the blob format (a change
//! to either makes every existing dossier unreadable), and round trips and
//! tampering check that nothing a device did not write is accepted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

use driehoek_wire::WireError;
use driehoek_wire::blob::{self, BlobKind, VERSION};
use driehoek_wire::keys::{DossierId, DossierSecret};
use ed25519_dalek::SigningKey;

const MAX: usize = 4 * 1024 * 1024;
const CHANGES: &[u8] = b"automerge change bytes";

/// The secret 00 01 02 .. 1f.
fn secret() -> DossierSecret {
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = i as u8;
    }
    DossierSecret::from_bytes(bytes)
}

fn device(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sealed(epoch: u32) -> Vec<u8> {
    let s = secret();
    blob::seal(
        &s.encryption_key(),
        &s.dossier_id(),
        epoch,
        &device(7),
        BlobKind::Changes,
        CHANGES,
    )
    .expect("seal")
}

#[test]
fn the_key_derivation_gives_the_pinned_id_token_and_key() {
    let s = secret();
    assert_eq!(
        s.dossier_id().to_string(),
        "f95e82c9a9f9f1e69bd5fde1afea530b"
    );
    assert_eq!(
        hex(s.relay_token().as_bytes()),
        "ea1c342a3023c9b8d92403a2d1142e5fb7b6f1f770f114a7d2c4cecffb8c2171"
    );
    assert_eq!(
        hex(s.encryption_key().as_bytes()),
        "6744bb6360d192d0171f1d67b80b3ed70ed165e294926cc46205d36a776a403b"
    );
}

#[test]
fn a_blob_with_a_fixed_nonce_is_byte_for_byte_the_pinned_one() {
    let s = secret();
    let blob = blob::seal_with_nonce(
        &s.encryption_key(),
        &s.dossier_id(),
        3,
        &device(7),
        BlobKind::Changes,
        CHANGES,
        [9u8; 24],
    )
    .expect("seal");
    assert_eq!(
        hex(&blob),
        "01000000030909090909090909090909090909090909090909090909093a3c725b4f32293f33119d051c9d\
         60ada94042370caa80cc7a1f4747605dc0493a15633a7c5dc08b529a18156c727c3b08d1ce07215111c0e3\
         3a5b3d86f771fe55628e989292ddeec8f11de575c544fc517be5f16c49daae2de45abe6fdf5d80b5061af2\
         5d96586f1b52aab42448e07c50534c4c09e3e5111bcac0ca548e8dde109111d754088bed6a1e22b19178ff\
         73c8b06ab54a874976073610b8909b3ddb1a6f2198fd"
    );
    // The header as DESIGN.md draws it: version, epoch, nonce.
    assert_eq!(blob[0], VERSION);
    assert_eq!(&blob[1..5], &3u32.to_be_bytes());
    assert_eq!(&blob[5..29], &[9u8; 24]);
}

#[test]
fn ids_print_as_hex_and_parse_back_and_odd_text_is_refused() {
    let id = secret().dossier_id();
    assert_eq!(DossierId::parse(&id.to_string()), Some(id));
    for bad in [
        "",
        "f95e",
        "F95E82C9A9F9F1E69BD5FDE1AFEA530B",
        "g95e82c9a9f9f1e69bd5fde1afea530b",
        "f95e82c9a9f9f1e69bd5fde1afea530b00",
    ] {
        assert_eq!(DossierId::parse(bad), None, "{bad}");
    }
}

#[test]
fn different_secrets_give_different_ids_tokens_and_keys() {
    let a = secret();
    let b = DossierSecret::generate().expect("random");
    assert_ne!(a.dossier_id(), b.dossier_id());
    assert_ne!(a.relay_token(), b.relay_token());
    assert_ne!(a.encryption_key(), b.encryption_key());
    // Secrets, tokens and keys never show in debug output.
    let shown = format!("{a:?} {:?} {:?}", a.relay_token(), a.encryption_key());
    assert!(!shown.contains("0001"), "{shown}");
}

#[test]
fn a_sealed_blob_opens_with_its_signer_epoch_and_changes() {
    let s = secret();
    let opened = blob::open(&s.encryption_key(), &s.dossier_id(), &sealed(5), MAX).expect("open");
    assert_eq!(opened.epoch, 5);
    assert_eq!(opened.signer, device(7).verifying_key().to_bytes());
    assert_eq!(opened.changes, CHANGES);
    // Two seals of the same changes differ (random nonces).
    assert_ne!(sealed(5), sealed(5));
}

#[test]
fn every_changed_byte_is_refused() {
    let s = secret();
    let blob = sealed(1);
    for i in 0..blob.len() {
        let mut bad = blob.clone();
        bad[i] ^= 0x01;
        let refused = blob::open(&s.encryption_key(), &s.dossier_id(), &bad, MAX);
        assert!(
            refused.is_err(),
            "byte {i} changed and the blob still opened"
        );
    }
}

#[test]
fn another_dossiers_key_or_id_truncation_size_and_version_are_refused() {
    let s = secret();
    let other = DossierSecret::from_bytes([42; 32]);
    let blob = sealed(1);
    assert_eq!(
        blob::open(&other.encryption_key(), &s.dossier_id(), &blob, MAX),
        Err(WireError::Decrypt)
    );
    // The right key but another dossier's id: the signature covers the id.
    assert_eq!(
        blob::open(&s.encryption_key(), &other.dossier_id(), &blob, MAX),
        Err(WireError::BadSignature)
    );
    assert_eq!(
        blob::open(&s.encryption_key(), &s.dossier_id(), &blob[..20], MAX),
        Err(WireError::Truncated(20))
    );
    assert_eq!(
        blob::open(&s.encryption_key(), &s.dossier_id(), &[], MAX),
        Err(WireError::Truncated(0))
    );
    assert_eq!(
        blob::open(&s.encryption_key(), &s.dossier_id(), &blob, 10),
        Err(WireError::TooLarge { limit: 10 })
    );
    let mut newer = blob.clone();
    newer[0] = 2;
    assert_eq!(
        blob::open(&s.encryption_key(), &s.dossier_id(), &newer, MAX),
        Err(WireError::UnsupportedVersion(2))
    );
}

#[test]
fn a_blob_signed_for_one_epoch_does_not_open_as_another() {
    let s = secret();
    let mut blob = sealed(1);
    // The epoch is associated data: changing it breaks the decryption.
    blob[4] = 2;
    assert_eq!(
        blob::open(&s.encryption_key(), &s.dossier_id(), &blob, MAX),
        Err(WireError::Decrypt)
    );
}

#[test]
fn a_snapshot_blob_says_so_and_a_changes_blob_reads_as_changes() {
    let s = secret();
    let snapshot = blob::seal(
        &s.encryption_key(),
        &s.dossier_id(),
        0,
        &device(7),
        BlobKind::Snapshot,
        CHANGES,
    )
    .expect("seal");
    let opened = blob::open(&s.encryption_key(), &s.dossier_id(), &snapshot, 1 << 20)
        .expect("open snapshot");
    assert_eq!(opened.kind, BlobKind::Snapshot);
    let opened = blob::open(&s.encryption_key(), &s.dossier_id(), &sealed(0), 1 << 20)
        .expect("open changes");
    assert_eq!(opened.kind, BlobKind::Changes);
}

#[test]
fn a_secret_survives_the_invite_link_text_and_damaged_text_is_refused() {
    let s = secret();
    let text = s.to_link_text();
    assert_eq!(text.len(), 43);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(DossierSecret::from_link_text(&text), Some(s));
    // Known answer: 32 bytes of 0xff.
    let ones = DossierSecret::from_bytes([0xff; 32]);
    assert_eq!(
        ones.to_link_text(),
        "__________________________________________8"
    );
    assert!(
        DossierSecret::from_link_text(&text[..42]).is_none(),
        "too short"
    );
    assert!(
        DossierSecret::from_link_text(&format!("{text}A")).is_none(),
        "too long"
    );
    assert!(
        DossierSecret::from_link_text(&text.replace(&text[..1], "+")).is_none(),
        "not base64url"
    );
    assert!(DossierSecret::from_link_text("").is_none());
}
