//! The sync file: a joined device merges it; anything else is refused and
//! changes nothing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/store/support.rs"]
mod support;

use automerge::AutoCommit;
use driehoek_core::model::commands::{add_entry, create_dossier};
use driehoek_core::sync::file::{self, SyncFileError};
use driehoek_wire::SigningKey;
use driehoek_wire::keys::DossierSecret;
use support::*;

fn dossier() -> (DossierSecret, AutoCommit) {
    let mut doc = AutoCommit::new();
    create_dossier(&mut doc, &ctx(0), &new_dossier()).expect("create");
    add_entry(&mut doc, &ctx(1), &entry(&id("e1"), "van thuis")).expect("add");
    (DossierSecret::from_bytes([6; 32]), doc)
}

fn exported() -> (DossierSecret, AutoCommit, Vec<u8>) {
    let (secret, mut doc) = dossier();
    let bytes =
        file::export(&secret, 0, &SigningKey::from_bytes(&[1; 32]), &mut doc).expect("export");
    (secret, doc, bytes)
}

#[test]
fn a_joined_device_reads_the_whole_dossier_from_the_file() {
    let (secret, mut doc, bytes) = exported();
    assert_eq!(file::dossier_of(&bytes), Ok(secret.dossier_id()));
    let inside = file::open(&secret, &bytes).expect("open");
    let mut other = AutoCommit::new();
    other.load_incremental(&inside).expect("merge");
    assert_eq!(other.get_heads(), doc.get_heads());
}

#[test]
fn the_file_holds_no_secret_and_no_readable_text() {
    let (secret, _, bytes) = exported();
    let needle = b"van thuis";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    assert!(!bytes.windows(32).any(|w| w == secret.as_bytes()));
    assert!(
        !bytes
            .windows(32)
            .any(|w| w == secret.encryption_key().as_bytes())
    );
}

#[test]
fn a_file_of_another_dossier_is_refused_as_not_joined() {
    let (_, _, bytes) = exported();
    let other = DossierSecret::from_bytes([7; 32]);
    assert_eq!(file::open(&other, &bytes), Err(SyncFileError::NotJoined));
}

#[test]
fn a_damaged_file_is_refused() {
    let (secret, _, mut bytes) = exported();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    assert!(matches!(
        file::open(&secret, &bytes),
        Err(SyncFileError::Damaged(_))
    ));
    let (_, _, whole) = exported();
    assert!(matches!(
        file::open(&secret, &whole[..whole.len() - 10]),
        Err(SyncFileError::Damaged(_))
    ));
}

#[test]
fn other_files_are_not_sync_files() {
    let (secret, _, bytes) = exported();
    assert_eq!(
        file::dossier_of(b"PK\x03\x04 a zip"),
        Err(SyncFileError::NotASyncFile)
    );
    assert_eq!(file::dossier_of(b""), Err(SyncFileError::NotASyncFile));
    let mut newer = bytes.clone();
    newer[13] = 9;
    assert_eq!(
        file::open(&secret, &newer),
        Err(SyncFileError::NewerFormat(9))
    );
}
