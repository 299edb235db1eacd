//! A text field over an agreement section while someone else edits it:
//! what the person typed is moved over the other's words, nobody's words
//! are lost, and the caret stays where the person was typing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/model/support.rs"]
mod support;

use automerge::{AutoCommit, TextEncoding};
use driehoek_core::model::commands::{edit_agreement_section, edit_agreement_section_over};
use driehoek_core::model::read::section;
use driehoek_core::model::schema::section_text;
use driehoek_core::model::text_field::caret_now;
use driehoek_core::model::{AgreementSection, ModelError};
use support::*;

const GOALS: AgreementSection = AgreementSection::Goals;

fn with_goals(text: &str) -> AutoCommit {
    let mut doc = family();
    edit_agreement_section(&mut doc, &at(&teacher(), 5), GOALS, 0, 0, text).expect("goals");
    doc
}

/// The teacher's field was filled at `heads` with `base`; meanwhile mum's
/// edit arrives; then the teacher's typing is committed over it.
fn typed_over_remote(
    base: &str,
    remote: (usize, usize, &str),
    typed: &str,
    caret: usize,
) -> (String, usize) {
    let mut doc = with_goals(base);
    let heads = doc.get_heads();
    let mut mums = device(&mut doc, 21);
    edit_agreement_section(
        &mut mums,
        &at(&mum(), 9),
        GOALS,
        remote.0,
        remote.1,
        remote.2,
    )
    .expect("mum edits");
    doc.merge(&mut mums).expect("merge");
    let own =
        edit_agreement_section_over(&mut doc, &at(&teacher(), 10), GOALS, &heads, base, typed)
            .expect("commit field");
    let text = section_text(&doc, GOALS).expect("goals text");
    let caret = caret_now(&doc, &text, &heads, own.as_ref(), caret).expect("caret");
    (section(&doc, GOALS).expect("read"), caret)
}

#[test]
fn typing_at_the_end_while_someone_inserts_at_the_start_keeps_both() {
    let (text, caret) = typed_over_remote(
        "Lezen op niveau.",
        (0, 0, "Doel: "),
        "Lezen op niveau. Ook rekenen.",
        29,
    );
    assert_eq!(text, "Doel: Lezen op niveau. Ook rekenen.");
    // The caret was at the end of the teacher's words, and still is.
    assert_eq!(caret, text.chars().count());
}

#[test]
fn typing_at_the_start_while_someone_appends_keeps_both_and_the_caret() {
    let (text, caret) = typed_over_remote(
        "Lezen op niveau.",
        (16, 0, " Samen met thuis."),
        "Begrijpend lezen op niveau.",
        11,
    );
    assert_eq!(text, "Begrijpend lezen op niveau. Samen met thuis.");
    assert_eq!(&text[..caret], "Begrijpend ");
}

#[test]
fn a_word_deleted_by_someone_else_is_not_deleted_twice() {
    // Mum deletes "niet " (5 letters at 6); the teacher, not knowing,
    // replaces "vaak" by "elke week".
    let (text, _) = typed_over_remote(
        "Thuis niet vaak oefenen.",
        (6, 5, ""),
        "Thuis niet elke week oefenen.",
        20,
    );
    assert_eq!(text, "Thuis elke week oefenen.");
}

#[test]
fn a_caret_after_someone_elses_insertion_moves_with_the_text() {
    let mut doc = with_goals("abc def");
    let heads = doc.get_heads();
    let mut mums = device(&mut doc, 21);
    edit_agreement_section(&mut mums, &at(&mum(), 9), GOALS, 0, 0, "XY").expect("mum");
    doc.merge(&mut mums).expect("merge");
    let text = section_text(&doc, GOALS).expect("text");
    // Nothing typed: the caret between "abc " and "def" follows them.
    assert_eq!(caret_now(&doc, &text, &heads, None, 4).expect("caret"), 6);
    // A caret at the very end stays at the end.
    assert_eq!(caret_now(&doc, &text, &heads, None, 7).expect("caret"), 9);
}

#[test]
fn a_field_that_holds_what_it_was_given_commits_nothing() {
    let mut doc = with_goals("Lezen.");
    let heads = doc.get_heads();
    let before = doc.get_heads();
    let own = edit_agreement_section_over(
        &mut doc,
        &at(&teacher(), 10),
        GOALS,
        &heads,
        "Lezen.",
        "Lezen.",
    )
    .expect("nothing");
    assert_eq!(own, None);
    assert_eq!(doc.get_heads(), before);
}

#[test]
fn a_field_filled_from_unknown_changes_is_refused_and_changes_nothing() {
    let mut doc = with_goals("Lezen.");
    let mut other = device(&mut doc, 30);
    edit_agreement_section(&mut other, &at(&mum(), 9), GOALS, 0, 0, "Ook ").expect("mum");
    let foreign = other.get_heads();
    let before = doc.get_heads();
    let refused = edit_agreement_section_over(
        &mut doc,
        &at(&teacher(), 10),
        GOALS,
        &foreign,
        "Ook Lezen.",
        "Ook Lezen!",
    );
    assert!(matches!(refused, Err(ModelError::UnknownHeads)));
    assert_eq!(doc.get_heads(), before);
}

#[test]
fn utf16_positions_from_the_browser_land_on_the_right_letters() {
    let mut doc = AutoCommit::new_with_encoding(TextEncoding::Utf16CodeUnit);
    let mut family = family();
    doc.merge(&mut family).expect("merge family");
    edit_agreement_section(&mut doc, &at(&teacher(), 5), GOALS, 0, 0, "😀 lezen").expect("goals");
    let heads = doc.get_heads();
    let own = edit_agreement_section_over(
        &mut doc,
        &at(&teacher(), 10),
        GOALS,
        &heads,
        "😀 lezen",
        "😀 graag lezen",
    )
    .expect("commit");
    assert_eq!(section(&doc, GOALS).expect("read"), "😀 graag lezen");
    let text = section_text(&doc, GOALS).expect("text");
    // After "😀 graag " is 9 UTF-16 units (the emoji is two).
    assert_eq!(
        caret_now(&doc, &text, &heads, own.as_ref(), 9).expect("caret"),
        9
    );
}

#[test]
fn two_fields_committed_at_once_on_two_devices_converge_with_both_words() {
    let mut doc = with_goals("Lezen.");
    let heads = doc.get_heads();
    let mut a = device(&mut doc, 41);
    let mut b = device(&mut doc, 42);
    edit_agreement_section_over(
        &mut a,
        &at(&teacher(), 10),
        GOALS,
        &heads,
        "Lezen.",
        "Lezen en rekenen.",
    )
    .expect("a");
    edit_agreement_section_over(
        &mut b,
        &at(&mum(), 10),
        GOALS,
        &heads,
        "Lezen.",
        "Veel lezen.",
    )
    .expect("b");
    sync(&mut a, &mut b);
    let text = section(&a, GOALS).expect("read");
    assert_eq!(text, section(&b, GOALS).expect("read"));
    assert_eq!(text, "Veel lezen en rekenen.");
}

#[test]
fn conversation_notes_typed_on_two_laptops_during_the_meeting_keep_both() {
    use driehoek_core::model::ConversationKind;
    use driehoek_core::model::commands::{
        NewConversation, add_conversation, edit_conversation_notes_over,
    };
    let mut doc = family();
    let conv = id("c1");
    add_conversation(
        &mut doc,
        &at(&teacher(), 5),
        &NewConversation {
            id: conv.clone(),
            kind: ConversationKind::Progress,
            date: date(2025, 10, 1),
            participants: vec![teacher(), mum()],
        },
    )
    .expect("plan");
    let heads = doc.get_heads();
    let mut a = device(&mut doc, 51);
    let mut b = device(&mut doc, 52);
    edit_conversation_notes_over(
        &mut a,
        &at(&teacher(), 6),
        &conv,
        &heads,
        "",
        "Rekenen gaat goed.",
    )
    .expect("teacher");
    edit_conversation_notes_over(
        &mut b,
        &at(&mum(), 6),
        &conv,
        &heads,
        "",
        "Thuis veel vragen.",
    )
    .expect("mum");
    sync(&mut a, &mut b);
    let notes = driehoek_core::model::read::conversations(&a).expect("read")[0]
        .notes
        .clone();
    assert!(
        notes.contains("Rekenen gaat goed.") && notes.contains("Thuis veel vragen."),
        "{notes}"
    );
}
