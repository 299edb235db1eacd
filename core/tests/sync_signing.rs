//! The device signature under a signature of the guidance agreement.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/store/support.rs"]
mod support;

use automerge::AutoCommit;
use driehoek_core::model::commands::{
    attach_device_signature, create_dossier, edit_agreement_section, register_device,
    sign_agreement,
};
use driehoek_core::model::read::{all_signatures, members};
use driehoek_core::model::{AgreementSection, Ctx};
use driehoek_core::sync::signing::{DeviceCheck, check, sign_terms};
use driehoek_wire::SigningKey;
use driehoek_wire::keys::DossierSecret;
use support::*;

fn setup() -> (AutoCommit, SigningKey, driehoek_wire::keys::DossierId) {
    let mut doc = AutoCommit::new();
    create_dossier(&mut doc, &ctx(0), &new_dossier()).expect("create");
    let device = SigningKey::from_bytes(&[4; 32]);
    let me = ctx(1).person.clone();
    register_device(&mut doc, &ctx(1), &device.verifying_key().to_bytes(), &me).expect("register");
    (doc, device, DossierSecret::from_bytes([1; 32]).dossier_id())
}

fn sign(doc: &mut AutoCommit, device: &SigningKey, dossier: &driehoek_wire::keys::DossierId) {
    let who: Ctx = ctx(2);
    let id = id("sig-1");
    let hash = sign_agreement(doc, &who, &id).expect("sign");
    let proof = sign_terms(device, dossier, &hash, &who.person);
    attach_device_signature(doc, &who, &id, &proof).expect("attach");
}

fn only_check(doc: &AutoCommit, dossier: &driehoek_wire::keys::DossierId) -> DeviceCheck {
    let members = members(doc).expect("members");
    let signatures = all_signatures(doc).expect("signatures");
    assert_eq!(signatures.len(), 1);
    check(&signatures[0], &members, dossier)
}

#[test]
fn a_signature_made_on_a_registered_device_verifies() {
    let (mut doc, device, dossier) = setup();
    sign(&mut doc, &device, &dossier);
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Verified);
}

#[test]
fn a_signature_without_a_device_signature_reads_as_unsigned() {
    let (mut doc, _, dossier) = setup();
    sign_agreement(&mut doc, &ctx(2), &id("sig-1")).expect("sign");
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Unsigned);
}

#[test]
fn a_device_signature_from_an_unregistered_device_is_unverifiable() {
    let (mut doc, _, dossier) = setup();
    let stranger = SigningKey::from_bytes(&[5; 32]);
    sign(&mut doc, &stranger, &dossier);
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Unverifiable);
}

#[test]
fn a_device_signature_for_another_dossier_is_unverifiable() {
    let (mut doc, device, dossier) = setup();
    let elsewhere = DossierSecret::from_bytes([2; 32]).dossier_id();
    sign(&mut doc, &device, &elsewhere);
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Unverifiable);
}

#[test]
fn changed_signature_bytes_are_unverifiable() {
    let (mut doc, device, dossier) = setup();
    let who = ctx(2);
    let sig = id("sig-1");
    let hash = sign_agreement(&mut doc, &who, &sig).expect("sign");
    let mut proof = sign_terms(&device, &dossier, &hash, &who.person);
    proof[10] ^= 0x40;
    attach_device_signature(&mut doc, &who, &sig, &proof).expect("attach");
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Unverifiable);
}

#[test]
fn the_device_signature_stays_verified_after_the_terms_change_which_the_model_flags() {
    let (mut doc, device, dossier) = setup();
    sign(&mut doc, &device, &dossier);
    edit_agreement_section(
        &mut doc,
        &ctx(3),
        AgreementSection::Goals,
        0,
        0,
        "Nieuw doel",
    )
    .expect("edit");
    // The record is genuine; that the terms moved on is the model's state.
    assert_eq!(only_check(&doc, &dossier), DeviceCheck::Verified);
    let signatures = all_signatures(&doc).expect("signatures");
    assert_eq!(
        signatures[0].state,
        driehoek_core::model::signing::SignatureState::NeedsSigningAgain
    );
}
