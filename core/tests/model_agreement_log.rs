//! What changed in the agreement since a signature, and who changed which
//! part when.
#![cfg(not(target_arch = "wasm32"))]

#[path = "fixtures/model/support.rs"]
mod support;

use driehoek_core::model::AgreementSection;
use driehoek_core::model::agreement_log::{AgreementPart, agreement_history, changed_since};
use driehoek_core::model::commands::*;
use driehoek_core::model::read::all_signatures;
use support::*;

#[test]
fn a_signature_names_the_parts_changed_after_it() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 5),
        AgreementSection::Goals,
        0,
        0,
        "Lezen.",
    )
    .expect("goals");
    sign_agreement(&mut doc, &at(&mum(), 6), &id("s1")).expect("sign");
    let heads = all_signatures(&doc).expect("signatures")[0].heads.clone();
    assert_eq!(changed_since(&mut doc, &heads).expect("read"), Some(vec![]));

    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 7),
        AgreementSection::ApproachHome,
        0,
        0,
        "Samen lezen.",
    )
    .expect("home");
    set_evaluation_date(&mut doc, &at(&teacher(), 8), Some(date(2026, 3, 1))).expect("date");
    assert_eq!(
        changed_since(&mut doc, &heads).expect("read"),
        Some(vec![
            AgreementPart::Section(AgreementSection::ApproachHome),
            AgreementPart::EvaluationDate
        ])
    );
}

#[test]
fn heads_the_document_lacks_say_nothing_rather_than_guess() {
    let mut doc = family();
    let mut other = device(&mut doc, 30);
    edit_agreement_section(
        &mut other,
        &at(&mum(), 5),
        AgreementSection::Goals,
        0,
        0,
        "x",
    )
    .expect("edit");
    let foreign = other.get_heads();
    assert_eq!(changed_since(&mut doc, &foreign).expect("read"), None);
}

#[test]
fn the_history_names_who_changed_which_section_newest_first() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 5),
        AgreementSection::Goals,
        0,
        0,
        "Lezen.",
    )
    .expect("goals");
    edit_agreement_section(
        &mut doc,
        &at(&mum(), 7),
        AgreementSection::Reachability,
        0,
        0,
        "Mail op maandag.",
    )
    .expect("reach");
    add_parent_task(
        &mut doc,
        &at(&dad(), 9),
        &id("t1"),
        "Boeken verzamelen",
        &dad(),
        None,
    )
    .expect("task");
    add_entry(
        &mut doc,
        &at(&mum(), 10),
        &entry_tagged("e1", "Niet over de afspraken.", &[]),
    )
    .expect("entry");

    let history = agreement_history(&mut doc, 10);
    let seen: Vec<(Option<String>, Vec<AgreementPart>)> = history
        .iter()
        .map(|c| (c.person.as_ref().map(ToString::to_string), c.parts.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (Some(dad().to_string()), vec![AgreementPart::Tasks]),
            (
                Some(mum().to_string()),
                vec![AgreementPart::Section(AgreementSection::Reachability)]
            ),
            (
                Some(teacher().to_string()),
                vec![AgreementPart::Section(AgreementSection::Goals)]
            ),
        ]
    );
    assert_eq!(agreement_history(&mut doc, 1).len(), 1);
}
