//! Every command: what it writes, what it refuses, and what survives when
//! two devices use it at once (fork, conflicting concurrent edit, merge).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/model/support.rs"]
mod support;

use automerge::AutoCommit;
use driehoek_core::model::commands::*;
use driehoek_core::model::read::*;
use driehoek_core::model::signing::SignatureState;
use driehoek_core::model::{
    AgreementSection, ConversationKind, EntryKind, ExpectationList, ExpectationStatus, ModelError,
    Moment, Party, Role, SchoolYear, Section, SourceKind, TaskStatus, history, measurement,
    section_of_patch, sections_changed_since,
};
use support::*;

fn entry(id_: &str, body: &str) -> NewEntry {
    entry_tagged(id_, body, &[])
}

fn with_entry() -> AutoCommit {
    let mut doc = family();
    add_entry(
        &mut doc,
        &at(&mum(), 10),
        &entry("e1", "Noor vond een fossiel."),
    )
    .expect("add entry");
    doc
}

fn live(doc: &AutoCommit) -> Vec<LogbookEntry> {
    logbook_entries(doc).expect("logbook hydrates").entries
}

fn the_entry(doc: &AutoCommit) -> LogbookEntry {
    logbook_entry(doc, &id("e1"))
        .expect("hydrates")
        .expect("entry e1 is live")
}

// ------------------------------------------------------------ dossier

#[test]
fn creating_a_dossier_twice_is_refused() {
    let mut doc = created();
    let err = create_dossier(
        &mut doc,
        &at(&teacher(), 5),
        &NewDossier {
            child_name: "Noor".into(),
            group: "5".into(),
            school_year: SchoolYear::parse("2025-2026").expect("year"),
            creator_name: "Anna".into(),
            creator_role: Role::Teacher,
        },
    );
    assert!(matches!(err, Err(ModelError::AlreadyCreated)));
}

#[test]
fn the_first_change_holds_every_section_and_the_creator() {
    let mut doc = created();
    assert_eq!(doc.get_changes(&[]).len(), 1);
    let summary = dossier_summary(&doc).expect("summary");
    assert_eq!(summary.child_name, "Noor");
    assert_eq!(summary.school_year, "2025-2026");
    assert_eq!(summary.created_by, Some(teacher()));
    let m = members(&doc).expect("members");
    assert_eq!(m.people.len(), 1);
    assert_eq!(m.people[0].role, Role::Teacher);
    assert!(live(&doc).is_empty());
    assert_eq!(agreement(&doc).expect("agreement").sections.len(), 5);
    assert!(conversations(&doc).expect("conversations").is_empty());
}

#[test]
fn concurrent_edits_of_the_dossier_keep_both_fields() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_dossier(
                a,
                &at(&teacher(), 20),
                &DossierEdit {
                    group: Some("groep 6".into()),
                    ..Default::default()
                },
            )
            .expect("edit group")
        },
        |b| {
            edit_dossier(
                b,
                &at(&mum(), 21),
                &DossierEdit {
                    school_year: Some(SchoolYear::parse("2026-2027").expect("year")),
                    ..Default::default()
                },
            )
            .expect("edit year")
        },
    );
    let s = dossier_summary(&a).expect("summary");
    assert_eq!(s, dossier_summary(&b).expect("summary"));
    assert_eq!(
        (s.group.as_str(), s.school_year.as_str()),
        ("groep 6", "2026-2027")
    );
}

// ------------------------------------------------------------ members

#[test]
fn two_people_joining_at_once_are_both_members() {
    let mut doc = created();
    let (a, b) = concurrently(
        &mut doc,
        |a| add_member(a, &at(&mum(), 5), &mum(), "Eva", &Role::Parent).expect("mum joins"),
        |b| add_member(b, &at(&dad(), 5), &dad(), "Ali", &Role::Parent).expect("dad joins"),
    );
    let m = members(&a).expect("members");
    assert_eq!(m, members(&b).expect("members"));
    assert!(m.get(&mum()).is_some() && m.get(&dad()).is_some());
}

#[test]
fn a_stranger_cannot_add_someone_else() {
    let mut doc = created();
    let err = add_member(&mut doc, &at(&mum(), 5), &child(), "Noor", &Role::Child);
    assert!(matches!(err, Err(ModelError::NotAMember { .. })));
}

#[test]
fn concurrent_rename_and_role_change_both_survive() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| update_member(a, &at(&dad(), 9), &dad(), Some("Ali B."), None).expect("rename"),
        |b| {
            update_member(
                b,
                &at(&teacher(), 9),
                &dad(),
                None,
                Some(&Role::Coordinator),
            )
            .expect("role")
        },
    );
    let m = members(&a).expect("members");
    assert_eq!(m, members(&b).expect("members"));
    let ali = m.get(&dad()).expect("dad");
    assert_eq!(
        (ali.name.as_str(), &ali.role),
        ("Ali B.", &Role::Coordinator)
    );
}

#[test]
fn two_tabs_registering_one_device_for_two_people_keep_both() {
    let mut doc = family();
    let key = [7u8; 32];
    let (a, b) = concurrently(
        &mut doc,
        |a| register_device(a, &at(&mum(), 9), &key, &mum()).expect("mum's phone"),
        |b| register_device(b, &at(&mum(), 9), &key, &child()).expect("child on mum's phone"),
    );
    let m = members(&a).expect("members");
    assert_eq!(m, members(&b).expect("members"));
    assert_eq!(m.devices.len(), 1);
    assert_eq!(m.devices[0].persons, vec![child(), mum()]);
}

#[test]
fn unregistering_a_device_concurrently_with_another_registration_keeps_the_other() {
    let mut doc = family();
    register_device(&mut doc, &at(&mum(), 9), &[7; 32], &mum()).expect("register");
    let (a, b) = concurrently(
        &mut doc,
        |a| unregister_device(a, &at(&mum(), 10), &[7; 32], &mum()).expect("unregister"),
        |b| register_device(b, &at(&dad(), 10), &[8; 32], &dad()).expect("register dad"),
    );
    let m = members(&a).expect("members");
    assert_eq!(m, members(&b).expect("members"));
    assert_eq!(m.devices.len(), 1);
    assert_eq!(m.devices[0].key, [8; 32]);
}

#[test]
fn the_creators_first_device_is_confirmed_and_a_new_one_waits_for_a_member() {
    let mut doc = family();
    register_device(&mut doc, &at(&teacher(), 4), &[1; 32], &teacher()).expect("laptop");
    register_device(&mut doc, &at(&mum(), 5), &[2; 32], &mum()).expect("phone");
    register_device(&mut doc, &at(&teacher(), 6), &[3; 32], &teacher()).expect("tablet");
    let m = members(&doc).expect("members");
    let by_key = |k: u8| m.devices.iter().find(|d| d.key == [k; 32]).expect("device");
    assert!(by_key(1).founding && by_key(1).is_confirmed());
    assert!(
        !by_key(2).is_confirmed(),
        "mum's phone needs someone to vouch"
    );
    assert!(
        !by_key(3).is_confirmed(),
        "only the creator's first device is founding"
    );
    assert_eq!(by_key(2).added_at, at(&mum(), 5).now);
}

#[test]
fn confirming_a_device_records_who_and_when_and_refuses_nonsense() {
    let mut doc = family();
    register_device(&mut doc, &at(&mum(), 5), &[2; 32], &mum()).expect("phone");
    assert!(matches!(
        confirm_device(&mut doc, &at(&mum(), 6), &[2; 32]),
        Err(ModelError::Invalid { .. })
    ));
    assert!(matches!(
        confirm_device(&mut doc, &at(&teacher(), 6), &[9; 32]),
        Err(ModelError::NotFound { .. })
    ));
    let stranger = driehoek_core::model::Id::new("onbekend").expect("id");
    assert!(matches!(
        confirm_device(&mut doc, &at(&stranger, 6), &[2; 32]),
        Err(ModelError::NotAMember { .. })
    ));
    let before = members(&doc).expect("members");
    confirm_device(&mut doc, &at(&teacher(), 7), &[2; 32]).expect("teacher confirms");
    assert!(matches!(
        confirm_device(&mut doc, &at(&teacher(), 8), &[2; 32]),
        Err(ModelError::AlreadyExists { .. })
    ));
    let after = members(&doc).expect("members");
    assert_ne!(before, after);
    let phone = after
        .devices
        .iter()
        .find(|d| d.key == [2; 32])
        .expect("phone");
    assert_eq!(phone.confirmed_by, vec![(teacher(), at(&teacher(), 7).now)]);
    assert!(phone.is_confirmed());
}

#[test]
fn two_members_confirming_one_device_at_once_are_both_kept() {
    let mut doc = family();
    register_device(&mut doc, &at(&mum(), 5), &[2; 32], &mum()).expect("phone");
    let (a, b) = concurrently(
        &mut doc,
        |a| confirm_device(a, &at(&teacher(), 7), &[2; 32]).expect("teacher"),
        |b| confirm_device(b, &at(&dad(), 8), &[2; 32]).expect("dad"),
    );
    let m = members(&a).expect("members");
    assert_eq!(m, members(&b).expect("members"));
    let phone = m.devices.iter().find(|d| d.key == [2; 32]).expect("phone");
    assert_eq!(
        phone.confirmed_by,
        vec![
            (teacher(), at(&teacher(), 7).now),
            (dad(), at(&dad(), 8).now)
        ]
    );
}

#[test]
fn a_device_notes_when_it_last_had_everything() {
    let mut doc = family();
    register_device(&mut doc, &at(&mum(), 5), &[2; 32], &mum()).expect("phone");
    assert_eq!(members(&doc).expect("members").devices[0].last_seen, None);
    note_device_seen(&mut doc, &at(&mum(), 30), &[2; 32]).expect("seen");
    note_device_seen(&mut doc, &at(&mum(), 90), &[2; 32]).expect("seen later");
    assert!(matches!(
        note_device_seen(&mut doc, &at(&mum(), 91), &[5; 32]),
        Err(ModelError::NotFound { .. })
    ));
    let m = members(&doc).expect("members");
    assert_eq!(m.devices.len(), 1, "a seen mark is not a device");
    assert_eq!(m.devices[0].last_seen, Some(at(&mum(), 90).now));
}

#[test]
fn a_removed_member_stays_in_history_but_is_no_member_and_their_devices_do_not_count() {
    let mut doc = family();
    register_device(&mut doc, &at(&dad(), 5), &[3; 32], &dad()).expect("dad's phone");
    register_device(&mut doc, &at(&mum(), 5), &[4; 32], &mum()).expect("family tablet");
    register_device(&mut doc, &at(&mum(), 5), &[4; 32], &child()).expect("child on it");
    assert!(matches!(
        remove_member(&mut doc, &at(&mum(), 6), &mum()),
        Err(ModelError::Invalid { .. })
    ));
    remove_member(&mut doc, &at(&teacher(), 7), &dad()).expect("teacher removes dad");
    assert!(matches!(
        remove_member(&mut doc, &at(&teacher(), 8), &dad()),
        Err(ModelError::NotAMember { .. })
    ));
    let m = members(&doc).expect("members");
    let removed = m.get(&dad()).expect("still in history");
    assert_eq!(
        removed.removed,
        Some((at(&teacher(), 7).now, Some(teacher())))
    );
    assert!(!m.is_current(&dad()));
    assert_eq!(m.current().count(), 3);
    let current: Vec<[u8; 32]> = m.current_devices().map(|d| d.key).collect();
    assert!(!current.contains(&[3; 32]), "dad's phone no longer counts");
    assert!(
        current.contains(&[4; 32]),
        "the tablet stays, for the child"
    );
    assert!(matches!(
        add_entry(&mut doc, &at(&dad(), 9), &entry("na", "na")),
        Err(ModelError::NotAMember { .. })
    ));
    assert!(matches!(
        remove_member(&mut doc, &at(&dad(), 9), &mum()),
        Err(ModelError::NotAMember { .. })
    ));
}

#[test]
fn the_logs_a_dossier_left_are_noted_once_each_oldest_first_and_only_by_members() {
    let mut doc = family();
    assert!(former_logs(&doc).expect("none yet").is_empty());
    note_former_log(&mut doc, &at(&teacher(), 20), &[7; 16]).expect("first re-founding");
    note_former_log(&mut doc, &at(&mum(), 10), &[3; 16]).expect("an earlier one");
    let heads = doc.get_heads();
    note_former_log(&mut doc, &at(&mum(), 30), &[7; 16]).expect("noted twice is fine");
    assert_eq!(doc.get_heads(), heads, "noting it again writes nothing");
    assert_eq!(former_logs(&doc).expect("read"), [[3; 16], [7; 16]]);
    remove_member(&mut doc, &at(&teacher(), 40), &dad()).expect("teacher removes dad");
    assert!(matches!(
        note_former_log(&mut doc, &at(&dad(), 41), &[9; 16]),
        Err(ModelError::NotAMember { .. })
    ));
    assert_eq!(
        members(&doc).expect("members").current().count(),
        3,
        "the notes are no members"
    );
}

#[test]
fn a_published_box_key_is_kept_with_every_concurrent_value() {
    let mut doc = family();
    register_device(&mut doc, &at(&mum(), 5), &[2; 32], &mum()).expect("phone");
    assert!(matches!(
        publish_box_key(&mut doc, &at(&mum(), 6), &[2; 32], &[1; 10]),
        Err(ModelError::Invalid { .. })
    ));
    assert!(matches!(
        publish_box_key(&mut doc, &at(&mum(), 6), &[8; 32], &[1; 96]),
        Err(ModelError::NotFound { .. })
    ));
    let (a, _) = concurrently(
        &mut doc,
        |a| publish_box_key(a, &at(&mum(), 7), &[2; 32], &[1; 96]).expect("the phone's own"),
        |b| publish_box_key(b, &at(&dad(), 7), &[2; 32], &[2; 96]).expect("a forged one"),
    );
    let m = members(&a).expect("members");
    let phone = m.devices.iter().find(|d| d.key == [2; 32]).expect("phone");
    let mut records = phone.box_records.clone();
    records.sort();
    assert_eq!(
        records,
        vec![vec![1; 96], vec![2; 96]],
        "neither hides the other"
    );
    assert_eq!(m.devices.len(), 1, "a box key is not a device");
}

// ------------------------------------------------------------ logbook

#[test]
fn an_entry_is_written_with_its_author_and_shown_newest_first() {
    let mut doc = with_entry();
    let mut later = entry("e2", "Noor vroeg waarom de maan van vorm verandert.");
    later.date = date(2025, 9, 10);
    later.by_child = true;
    later.kind = EntryKind::Question;
    later.tags = vec![" ruimte ".into(), "maan".into()];
    add_entry(&mut doc, &at(&child(), 11), &later).expect("add");
    let entries = live(&doc);
    assert_eq!(
        entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["e2", "e1"]
    );
    assert!(entries[0].by_child);
    assert_eq!(entries[0].author, child());
    assert_eq!(entries[0].tags, ["maan", "ruimte"]);
    assert_eq!(entries[1].author, mum());
}

#[test]
fn entries_with_bad_input_are_refused_and_leave_no_trace() {
    let mut doc = family();
    let heads = doc.get_heads();
    let too_long = "a".repeat(20_001);
    for (body, expected) in [("  ", "empty"), (too_long.as_str(), "long")] {
        let err = add_entry(&mut doc, &at(&mum(), 10), &entry("e1", body)).expect_err("refused");
        match expected {
            "empty" => assert!(matches!(err, ModelError::EmptyText { .. })),
            _ => assert!(matches!(err, ModelError::TextTooLong { len: 20_001, .. })),
        }
    }
    let mut future_kind = entry("e1", "tekst");
    future_kind.kind = EntryKind::Unknown("drawing".into());
    assert!(matches!(
        add_entry(&mut doc, &at(&mum(), 10), &future_kind),
        Err(ModelError::UnknownValue { .. })
    ));
    let mut unknown_prompt = entry("e1", "tekst");
    unknown_prompt.prompt = Some(id("nope"));
    assert!(matches!(
        add_entry(&mut doc, &at(&mum(), 10), &unknown_prompt),
        Err(ModelError::NotFound { .. })
    ));
    let stranger = id("someone");
    assert!(matches!(
        add_entry(&mut doc, &at(&stranger, 10), &entry("e1", "hoi")),
        Err(ModelError::NotAMember { .. })
    ));
    let mut bad_clock = at(&mum(), 0);
    bad_clock.now = 0;
    assert!(matches!(
        add_entry(&mut doc, &bad_clock, &entry("e1", "hoi")),
        Err(ModelError::TimeOutOfRange(0))
    ));
    assert_eq!(
        doc.get_heads(),
        heads,
        "a refused command must not change the document"
    );
    add_entry(&mut doc, &at(&mum(), 10), &entry("e1", "hoi")).expect("valid entry");
    assert!(matches!(
        add_entry(&mut doc, &at(&mum(), 11), &entry("e1", "nog eens")),
        Err(ModelError::AlreadyExists { .. })
    ));
}

#[test]
fn two_devices_adding_entries_offline_keep_both() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| add_entry(a, &at(&mum(), 10), &entry("home", "Thuis gebouwd.")).expect("add"),
        |b| {
            add_entry(
                b,
                &at(&teacher(), 10),
                &entry("school", "In de klas verteld."),
            )
            .expect("add")
        },
    );
    assert_eq!(live(&a), live(&b));
    assert_eq!(live(&a).len(), 2);
}

#[test]
fn only_the_author_edits_an_entry() {
    let mut doc = with_entry();
    let err = edit_entry(
        &mut doc,
        &at(&teacher(), 20),
        &id("e1"),
        &EntryEdit {
            body: Some("Anders".into()),
            ..Default::default()
        },
    );
    assert!(matches!(err, Err(ModelError::NotAuthor { .. })));
    let err = edit_entry(&mut doc, &at(&mum(), 20), &id("e1"), &EntryEdit::default());
    assert!(matches!(err, Err(ModelError::Invalid { .. })));
}

#[test]
fn concurrent_edits_to_one_entry_expose_both_texts() {
    let mut doc = with_entry();
    let edit = |body: &str| EntryEdit {
        body: Some(body.into()),
        ..Default::default()
    };
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_entry(
                a,
                &at(&mum(), 20),
                &id("e1"),
                &edit("Versie van de telefoon."),
            )
            .expect("edit")
        },
        |b| {
            edit_entry(
                b,
                &at(&mum(), 20),
                &id("e1"),
                &edit("Versie van de tablet."),
            )
            .expect("edit")
        },
    );
    let (ea, eb) = (the_entry(&a), the_entry(&b));
    assert_eq!(ea, eb);
    let body = ea
        .conflicts
        .iter()
        .find(|c| c.field == "body")
        .expect("body conflict is exposed");
    assert_eq!(body.values[0], ea.body);
    let mut values = body.values.clone();
    values.sort();
    assert_eq!(values, ["Versie van de tablet.", "Versie van de telefoon."]);

    let mut resolved = a;
    edit_entry(&mut resolved, &at(&mum(), 30), &id("e1"), &edit("Samen.")).expect("resolve");
    assert!(the_entry(&resolved).conflicts.is_empty());
}

#[test]
fn concurrent_edits_of_different_fields_of_an_entry_both_survive() {
    let mut doc = with_entry();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_entry(
                a,
                &at(&mum(), 20),
                &id("e1"),
                &EntryEdit {
                    kind: Some(EntryKind::ProudOf),
                    tags: Some(vec!["natuur".into()]),
                    ..Default::default()
                },
            )
            .expect("edit kind")
        },
        |b| {
            edit_entry(
                b,
                &at(&mum(), 21),
                &id("e1"),
                &EntryEdit {
                    date: Some(date(2025, 9, 4)),
                    by_child: Some(true),
                    ..Default::default()
                },
            )
            .expect("edit date")
        },
    );
    let e = the_entry(&a);
    assert_eq!(e, the_entry(&b));
    assert_eq!(e.kind, EntryKind::ProudOf);
    assert_eq!(e.tags, ["natuur"]);
    assert_eq!(e.date, date(2025, 9, 4));
    assert!(e.by_child && e.edited_at.is_some());
    assert_eq!(e.body, "Noor vond een fossiel.");
}

#[test]
fn an_entry_deleted_on_one_device_stays_deleted_despite_a_concurrent_edit() {
    let mut doc = with_entry();
    let (a, b) = concurrently(
        &mut doc,
        |a| delete_entry(a, &at(&mum(), 20), &id("e1")).expect("delete"),
        |b| {
            edit_entry(
                b,
                &at(&mum(), 20),
                &id("e1"),
                &EntryEdit {
                    body: Some("Toch nog iets".into()),
                    ..Default::default()
                },
            )
            .expect("edit")
        },
    );
    for doc in [&a, &b] {
        assert!(live(doc).is_empty());
        assert!(is_entry_deleted(doc, &id("e1")).expect("reads"));
    }
    let mut a = a;
    assert!(matches!(
        edit_entry(
            &mut a,
            &at(&mum(), 30),
            &id("e1"),
            &EntryEdit {
                body: Some("x".into()),
                ..Default::default()
            }
        ),
        Err(ModelError::Deleted { .. })
    ));
}

#[test]
fn two_comments_written_at_once_are_both_kept() {
    let mut doc = with_entry();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            comment_on_entry(
                a,
                &at(&teacher(), 20),
                &id("e1"),
                &id("c1"),
                "Mooi! Neem hem mee.",
            )
            .expect("comment")
        },
        |b| {
            comment_on_entry(
                b,
                &at(&dad(), 21),
                &id("e1"),
                &id("c2"),
                "Hij ligt in de kast.",
            )
            .expect("comment")
        },
    );
    let e = the_entry(&a);
    assert_eq!(e, the_entry(&b));
    assert_eq!(
        e.comments.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c1", "c2"]
    );
}

#[test]
fn deleting_a_comment_concurrently_with_a_new_one_keeps_the_new_one() {
    let mut doc = with_entry();
    comment_on_entry(
        &mut doc,
        &at(&teacher(), 20),
        &id("e1"),
        &id("c1"),
        "Eerste",
    )
    .expect("comment");
    assert!(matches!(
        delete_entry_comment(&mut doc, &at(&mum(), 21), &id("e1"), &id("c1")),
        Err(ModelError::NotAuthor { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| delete_entry_comment(a, &at(&teacher(), 22), &id("e1"), &id("c1")).expect("delete"),
        |b| comment_on_entry(b, &at(&mum(), 22), &id("e1"), &id("c2"), "Tweede").expect("comment"),
    );
    let e = the_entry(&a);
    assert_eq!(e, the_entry(&b));
    assert_eq!(
        e.comments
            .iter()
            .map(|c| c.body.as_str())
            .collect::<Vec<_>>(),
        ["Tweede"]
    );
}

#[test]
fn reactions_from_two_people_at_once_are_both_kept() {
    let mut doc = with_entry();
    let (a, b) = concurrently(
        &mut doc,
        |a| react(a, &at(&teacher(), 20), &id("e1"), "👍").expect("react"),
        |b| react(b, &at(&dad(), 20), &id("e1"), "👍").expect("react"),
    );
    let e = the_entry(&a);
    assert_eq!(e, the_entry(&b));
    assert_eq!(e.reactions.len(), 1);
    assert_eq!(
        e.reactions[0].persons,
        vec![teacher(), dad()]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert!(matches!(
        react(&mut a.clone(), &at(&dad(), 30), &id("e1"), "a b"),
        Err(ModelError::Invalid { .. })
    ));
}

#[test]
fn taking_a_reaction_back_does_not_remove_someone_elses() {
    let mut doc = with_entry();
    react(&mut doc, &at(&teacher(), 20), &id("e1"), "🎉").expect("react");
    let (a, b) = concurrently(
        &mut doc,
        |a| unreact(a, &at(&teacher(), 21), &id("e1"), "🎉").expect("unreact"),
        |b| react(b, &at(&mum(), 21), &id("e1"), "🎉").expect("react"),
    );
    let e = the_entry(&a);
    assert_eq!(e, the_entry(&b));
    assert_eq!(e.reactions[0].persons, [mum()]);
}

// ------------------------------------------------------- expectations

fn with_expectation() -> AutoCommit {
    let mut doc = family();
    propose_expectation(
        &mut doc,
        &at(&mum(), 10),
        ExpectationList::ParentsOfSchool,
        &id("x1"),
        "Eens per maand even bellen.",
    )
    .expect("propose");
    doc
}

fn the_expectation(doc: &AutoCommit) -> Expectation {
    expectations(doc).expect("hydrates").parents_of_school[0].clone()
}

#[test]
fn points_proposed_on_two_devices_are_both_listed() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            propose_expectation(
                a,
                &at(&mum(), 10),
                ExpectationList::OfChild,
                &id("x1"),
                "Noor leest elke dag.",
            )
            .expect("propose")
        },
        |b| {
            propose_expectation(
                b,
                &at(&teacher(), 10),
                ExpectationList::OfChild,
                &id("x2"),
                "Noor vraagt hulp.",
            )
            .expect("propose")
        },
    );
    let e = expectations(&a).expect("hydrates");
    assert_eq!(e, expectations(&b).expect("hydrates"));
    assert_eq!(e.of_child.len(), 2);
    assert!(e.parents_of_school.is_empty() && e.school_of_parents.is_empty());
}

#[test]
fn concurrent_status_changes_converge_the_same_on_both_sides() {
    let mut doc = with_expectation();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            set_expectation_status(
                a,
                &at(&teacher(), 20),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                &ExpectationStatus::Agreed,
            )
            .expect("status")
        },
        |b| {
            set_expectation_status(
                b,
                &at(&dad(), 20),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                &ExpectationStatus::ToRevisit,
            )
            .expect("status")
        },
    );
    let (ea, eb) = (the_expectation(&a), the_expectation(&b));
    assert_eq!(ea, eb);
    assert!(matches!(
        ea.status,
        ExpectationStatus::Agreed | ExpectationStatus::ToRevisit
    ));
}

#[test]
fn both_parties_marking_agreement_at_once_keep_both_marks() {
    let mut doc = with_expectation();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            mark_agreement(
                a,
                &at(&teacher(), 20),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                true,
            )
            .expect("mark")
        },
        |b| {
            mark_agreement(
                b,
                &at(&dad(), 20),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                true,
            )
            .expect("mark")
        },
    );
    let e = the_expectation(&a);
    assert_eq!(e, the_expectation(&b));
    let parties: Vec<Party> = e.marks.iter().map(|m| m.party.clone()).collect();
    assert_eq!(parties, [Party::Parents, Party::School]);
}

#[test]
fn rewording_a_point_clears_the_marks_given_to_the_old_words() {
    let mut doc = with_expectation();
    mark_agreement(
        &mut doc,
        &at(&teacher(), 20),
        ExpectationList::ParentsOfSchool,
        &id("x1"),
        true,
    )
    .expect("mark");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_expectation(
                a,
                &at(&mum(), 21),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                "Eens per twee weken bellen.",
            )
            .expect("edit")
        },
        |b| {
            comment_on_expectation(
                b,
                &at(&teacher(), 21),
                ExpectationList::ParentsOfSchool,
                &id("x1"),
                &id("k1"),
                "Past dat in het rooster?",
            )
            .expect("comment")
        },
    );
    let e = the_expectation(&a);
    assert_eq!(e, the_expectation(&b));
    assert!(e.marks.is_empty());
    assert_eq!(e.text, "Eens per twee weken bellen.");
    assert_eq!(e.comments.len(), 1);
}

#[test]
fn discussion_comments_on_one_point_are_all_kept() {
    let mut doc = with_expectation();
    let list = ExpectationList::ParentsOfSchool;
    assert!(matches!(
        comment_on_expectation(
            &mut doc,
            &at(&dad(), 19),
            list,
            &id("nope"),
            &id("k0"),
            "Hallo"
        ),
        Err(ModelError::NotFound { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            comment_on_expectation(a, &at(&teacher(), 20), list, &id("x1"), &id("k1"), "Graag.")
                .expect("comment")
        },
        |b| {
            comment_on_expectation(b, &at(&dad(), 20), list, &id("x1"), &id("k2"), "Wanneer?")
                .expect("comment")
        },
    );
    let e = the_expectation(&a);
    assert_eq!(e, the_expectation(&b));
    assert_eq!(e.comments.len(), 2);
}

// ---------------------------------------------------------- agreement

#[test]
fn two_people_typing_in_one_section_both_keep_their_words() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Goals,
        0,
        0,
        "Noor leert plannen.",
    )
    .expect("type");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_agreement_section(
                a,
                &at(&teacher(), 20),
                AgreementSection::Goals,
                0,
                0,
                "Doel: ",
            )
            .expect("type")
        },
        |b| {
            edit_agreement_section(
                b,
                &at(&mum(), 20),
                AgreementSection::Goals,
                19,
                0,
                " En ze leest Engels.",
            )
            .expect("type")
        },
    );
    let text = agreement(&a)
        .expect("agreement")
        .section(AgreementSection::Goals)
        .to_string();
    assert_eq!(
        text,
        agreement(&b)
            .expect("agreement")
            .section(AgreementSection::Goals)
    );
    assert_eq!(text, "Doel: Noor leert plannen. En ze leest Engels.");
}

#[test]
fn section_splices_outside_the_text_are_refused() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Privacy,
        0,
        0,
        "abc",
    )
    .expect("type");
    assert!(matches!(
        edit_agreement_section(
            &mut doc,
            &at(&teacher(), 11),
            AgreementSection::Privacy,
            4,
            0,
            "x"
        ),
        Err(ModelError::RangeOutOfBounds { .. })
    ));
    assert!(matches!(
        edit_agreement_section(
            &mut doc,
            &at(&teacher(), 11),
            AgreementSection::Privacy,
            2,
            2,
            ""
        ),
        Err(ModelError::RangeOutOfBounds { .. })
    ));
    assert!(matches!(
        edit_agreement_section(
            &mut doc,
            &at(&teacher(), 11),
            AgreementSection::Privacy,
            3,
            0,
            &"y".repeat(19_998)
        ),
        Err(ModelError::TextTooLong { .. })
    ));
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 12),
        AgreementSection::Privacy,
        1,
        1,
        "B",
    )
    .expect("replace one");
    assert_eq!(
        section(&doc, AgreementSection::Privacy).expect("reads"),
        "aBc"
    );
}

#[test]
fn tasks_added_and_changed_at_once_keep_every_change() {
    let mut doc = family();
    add_parent_task(
        &mut doc,
        &at(&teacher(), 10),
        &id("t1"),
        "Stenen verzamelen",
        &mum(),
        Some(date(2025, 10, 1)),
    )
    .expect("task");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            set_parent_task_status(a, &at(&mum(), 20), &id("t1"), &TaskStatus::Done).expect("done");
            add_parent_task(
                a,
                &at(&mum(), 21),
                &id("t2"),
                "Workshop geven",
                &dad(),
                None,
            )
            .expect("task");
        },
        |b| {
            edit_parent_task(
                b,
                &at(&teacher(), 20),
                &id("t1"),
                &TaskEdit {
                    due: Some(None),
                    what: Some("Fossielen verzamelen".into()),
                    ..Default::default()
                },
            )
            .expect("edit")
        },
    );
    let ag = agreement(&a).expect("agreement");
    assert_eq!(ag, agreement(&b).expect("agreement"));
    assert_eq!(ag.tasks.len(), 2);
    let t1 = &ag.tasks[0];
    assert_eq!(
        (t1.what.as_str(), t1.due, &t1.status),
        ("Fossielen verzamelen", None, &TaskStatus::Done)
    );
}

#[test]
fn a_removed_task_stays_removed_despite_a_concurrent_status_change() {
    let mut doc = family();
    add_parent_task(
        &mut doc,
        &at(&teacher(), 10),
        &id("t1"),
        "Excursie regelen",
        &dad(),
        None,
    )
    .expect("task");
    assert!(matches!(
        add_parent_task(
            &mut doc,
            &at(&teacher(), 10),
            &id("t9"),
            "Iets",
            &id("nobody"),
            None
        ),
        Err(ModelError::NotAMember { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| remove_parent_task(a, &at(&teacher(), 20), &id("t1")).expect("remove"),
        |b| set_parent_task_status(b, &at(&dad(), 20), &id("t1"), &TaskStatus::Done).expect("done"),
    );
    assert!(agreement(&a).expect("agreement").tasks.is_empty());
    assert_eq!(
        agreement(&a).expect("agreement"),
        agreement(&b).expect("agreement")
    );
}

#[test]
fn arrangement_fields_set_at_once_both_survive() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            set_conversation_arrangement(a, &at(&teacher(), 20), Some("elke zes weken"), None)
                .expect("set")
        },
        |b| {
            set_conversation_arrangement(b, &at(&mum(), 20), None, Some("ouders, juf en Noor"))
                .expect("set")
        },
    );
    let ag = agreement(&a).expect("agreement");
    assert_eq!(ag, agreement(&b).expect("agreement"));
    assert_eq!(ag.arrangement.how_often, "elke zes weken");
    assert_eq!(ag.arrangement.with_whom, "ouders, juf en Noor");
}

#[test]
fn concurrent_evaluation_dates_converge_on_one() {
    let mut doc = family();
    let (a, b) = concurrently(
        &mut doc,
        |a| set_evaluation_date(a, &at(&teacher(), 20), Some(date(2026, 1, 15))).expect("set"),
        |b| set_evaluation_date(b, &at(&mum(), 20), Some(date(2026, 2, 1))).expect("set"),
    );
    let (da, db) = (
        agreement(&a).expect("a").evaluation_date,
        agreement(&b).expect("b").evaluation_date,
    );
    assert_eq!(da, db);
    assert!(da == Some(date(2026, 1, 15)) || da == Some(date(2026, 2, 1)));
    let mut a = a;
    set_evaluation_date(&mut a, &at(&mum(), 30), None).expect("clear");
    assert_eq!(agreement(&a).expect("a").evaluation_date, None);
    assert!(matches!(
        set_evaluation_date(&mut a, &at(&mum(), 31), None),
        Err(ModelError::Invalid { .. })
    ));
}

fn signed_by_state(doc: &AutoCommit) -> Vec<(String, SignatureState)> {
    agreement(doc)
        .expect("agreement")
        .signatures
        .into_iter()
        .map(|s| (s.person.to_string(), s.state))
        .collect()
}

#[test]
fn a_changed_agreement_needs_signing_again_and_a_new_signature_is_valid() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::ApproachSchool,
        0,
        0,
        "Compacten van rekenen.",
    )
    .expect("type");
    add_parent_task(
        &mut doc,
        &at(&teacher(), 11),
        &id("t1"),
        "Gastles geven",
        &mum(),
        None,
    )
    .expect("task");
    let hash = sign_agreement(&mut doc, &at(&mum(), 20), &id("s1")).expect("sign");
    assert_eq!(agreement(&doc).expect("a").terms_hash, hash);
    assert_eq!(
        signed_by_state(&doc),
        [("mama-eva".to_string(), SignatureState::Valid)]
    );
    assert!(matches!(
        sign_agreement(&mut doc, &at(&mum(), 21), &id("s2")),
        Err(ModelError::AlreadyExists { .. })
    ));

    set_parent_task_status(&mut doc, &at(&mum(), 22), &id("t1"), &TaskStatus::Done)
        .expect("progress");
    assert_eq!(
        signed_by_state(&doc)[0].1,
        SignatureState::Valid,
        "progress is not a term"
    );

    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 30),
        AgreementSection::ApproachSchool,
        0,
        0,
        "Meer ",
    )
    .expect("type");
    assert_eq!(
        signed_by_state(&doc)[0].1,
        SignatureState::NeedsSigningAgain
    );

    sign_agreement(&mut doc, &at(&mum(), 40), &id("s2")).expect("sign again");
    assert_eq!(signed_by_state(&doc)[0].1, SignatureState::Valid);
    assert_eq!(all_signatures(&doc).expect("all").len(), 2);

    edit_parent_task(
        &mut doc,
        &at(&teacher(), 50),
        &id("t1"),
        &TaskEdit {
            due: Some(Some(date(2025, 12, 1))),
            ..Default::default()
        },
    )
    .expect("edit term");
    assert_eq!(
        signed_by_state(&doc)[0].1,
        SignatureState::NeedsSigningAgain
    );
}

#[test]
fn the_signature_keeps_the_heads_of_exactly_what_was_signed() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Goals,
        0,
        0,
        "Plannen.",
    )
    .expect("type");
    let heads = doc.get_heads();
    sign_agreement(&mut doc, &at(&teacher(), 11), &id("s1")).expect("sign");
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 12),
        AgreementSection::Goals,
        8,
        0,
        " En lezen.",
    )
    .expect("type");
    let sig = agreement(&doc).expect("a").signatures.remove(0);
    assert_eq!(sig.heads, heads);
    let then = doc.fork_at(&sig.heads).expect("fork at signed heads");
    assert_eq!(
        section(&then, AgreementSection::Goals).expect("reads"),
        "Plannen."
    );
    assert_eq!(
        agreement(&then).expect("a").terms_hash.to_vec(),
        sig.terms_hash
    );
}

#[test]
fn signing_concurrently_with_an_edit_reads_outdated_everywhere_after_merge() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Goals,
        0,
        0,
        "Plannen.",
    )
    .expect("type");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            sign_agreement(a, &at(&mum(), 20), &id("s1")).expect("sign");
        },
        |b| {
            edit_agreement_section(
                b,
                &at(&teacher(), 20),
                AgreementSection::Goals,
                0,
                0,
                "Leren ",
            )
            .expect("type")
        },
    );
    assert_eq!(signed_by_state(&a), signed_by_state(&b));
    assert_eq!(signed_by_state(&a)[0].1, SignatureState::NeedsSigningAgain);
}

#[test]
fn two_people_signing_at_once_are_both_valid() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Goals,
        0,
        0,
        "Plannen.",
    )
    .expect("type");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            sign_agreement(a, &at(&mum(), 20), &id("s1")).expect("sign");
        },
        |b| {
            sign_agreement(b, &at(&teacher(), 20), &id("s2")).expect("sign");
        },
    );
    assert_eq!(signed_by_state(&a), signed_by_state(&b));
    assert!(
        signed_by_state(&a)
            .iter()
            .all(|(_, s)| *s == SignatureState::Valid)
    );
    assert_eq!(signed_by_state(&a).len(), 2);
}

#[test]
fn a_device_signature_attached_while_another_person_signs_is_kept() {
    let mut doc = family();
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 10),
        AgreementSection::Goals,
        0,
        0,
        "Plannen.",
    )
    .expect("type");
    sign_agreement(&mut doc, &at(&mum(), 11), &id("s1")).expect("sign");
    assert!(matches!(
        attach_device_signature(&mut doc, &at(&dad(), 12), &id("s1"), &[1; 64]),
        Err(ModelError::NotAuthor { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| attach_device_signature(a, &at(&mum(), 20), &id("s1"), &[9; 64]).expect("attach"),
        |b| {
            sign_agreement(b, &at(&dad(), 20), &id("s2")).expect("sign");
        },
    );
    let ag = agreement(&a).expect("a");
    assert_eq!(ag, agreement(&b).expect("b"));
    let mum_sig = ag
        .signatures
        .iter()
        .find(|s| s.person == mum())
        .expect("mum signed");
    assert_eq!(mum_sig.device_signature.as_deref(), Some(&[9u8; 64][..]));
    assert!(
        ag.signatures
            .iter()
            .find(|s| s.person == dad())
            .expect("dad")
            .device_signature
            .is_none()
    );
}

// ------------------------------------------------------ conversations

fn with_conversation() -> AutoCommit {
    let mut doc = family();
    add_conversation(
        &mut doc,
        &at(&teacher(), 10),
        &NewConversation {
            id: id("g1"),
            kind: ConversationKind::Start,
            date: date(2025, 9, 15),
            participants: vec![teacher(), mum(), child()],
        },
    )
    .expect("conversation");
    doc
}

#[test]
fn each_partys_input_written_at_once_stands_side_by_side() {
    let mut doc = with_conversation();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            set_conversation_input(
                a,
                &at(&mum(), 20),
                &id("g1"),
                &Party::Parents,
                "Ze verveelt zich bij rekenen.",
            )
            .expect("input")
        },
        |b| {
            set_conversation_input(
                b,
                &at(&teacher(), 20),
                &id("g1"),
                &Party::School,
                "Ze is snel klaar.",
            )
            .expect("input");
            set_conversation_input(
                b,
                &at(&child(), 21),
                &id("g1"),
                &Party::Child,
                "Ik wil moeilijke sommen.",
            )
            .expect("input");
        },
    );
    let c = conversations(&a).expect("conversations");
    assert_eq!(c, conversations(&b).expect("conversations"));
    assert_eq!(c[0].input_parents, "Ze verveelt zich bij rekenen.");
    assert_eq!(c[0].input_school, "Ze is snel klaar.");
    assert_eq!(c[0].input_child, "Ik wil moeilijke sommen.");
    assert_eq!(c[0].participants.len(), 3);
}

#[test]
fn notes_typed_by_two_people_during_the_meeting_keep_both() {
    let mut doc = with_conversation();
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            edit_conversation_notes(
                a,
                &at(&teacher(), 30),
                &id("g1"),
                0,
                0,
                "Verrijking: schaken. ",
            )
            .expect("notes")
        },
        |b| {
            edit_conversation_notes(b, &at(&mum(), 30), &id("g1"), 0, 0, "Thuis: bibliotheek.")
                .expect("notes")
        },
    );
    let notes = conversations(&a).expect("c")[0].notes.clone();
    assert_eq!(notes, conversations(&b).expect("c")[0].notes);
    assert!(notes.contains("Verrijking: schaken. ") && notes.contains("Thuis: bibliotheek."));
}

#[test]
fn agreed_actions_added_and_ticked_at_once_all_survive() {
    let mut doc = with_conversation();
    add_conversation_action(
        &mut doc,
        &at(&teacher(), 30),
        &id("g1"),
        &id("a1"),
        "Schaakclub zoeken",
        &dad(),
        Some(date(2025, 10, 1)),
    )
    .expect("action");
    let (a, b) = concurrently(
        &mut doc,
        |a| {
            set_action_status(a, &at(&dad(), 40), &id("g1"), &id("a1"), &TaskStatus::Done)
                .expect("done")
        },
        |b| {
            add_conversation_action(
                b,
                &at(&teacher(), 40),
                &id("g1"),
                &id("a2"),
                "Plusklas aanvragen",
                &teacher(),
                None,
            )
            .expect("action")
        },
    );
    let c = conversations(&a).expect("c");
    assert_eq!(c, conversations(&b).expect("c"));
    assert_eq!(c[0].actions.len(), 2);
    assert_eq!(c[0].actions[0].status, TaskStatus::Done);
}

#[test]
fn a_removed_conversation_stays_removed_despite_concurrent_input() {
    let mut doc = with_conversation();
    let (a, b) = concurrently(
        &mut doc,
        |a| remove_conversation(a, &at(&teacher(), 20), &id("g1")).expect("remove"),
        |b| {
            set_conversation_input(b, &at(&mum(), 20), &id("g1"), &Party::Parents, "Tekst")
                .expect("input")
        },
    );
    assert!(conversations(&a).expect("c").is_empty());
    assert!(conversations(&b).expect("c").is_empty());
    let mut b = b;
    assert!(matches!(
        set_conversation_input(&mut b, &at(&mum(), 30), &id("g1"), &Party::Parents, "x"),
        Err(ModelError::Deleted { .. })
    ));
    assert!(matches!(
        add_conversation(
            &mut b,
            &at(&mum(), 30),
            &NewConversation {
                id: id("g2"),
                kind: ConversationKind::Progress,
                date: date(2025, 9, 15),
                participants: vec![],
            }
        ),
        Err(ModelError::EmptyText { .. })
    ));
}

// ------------------------------------------ prompts, sources, measuring

#[test]
fn prompts_added_and_withdrawn_at_once_converge() {
    let mut doc = family();
    add_home_prompt(
        &mut doc,
        &at(&teacher(), 10),
        &id("p1"),
        "Vulkanen",
        "Welke vulkaan zou je willen zien?",
    )
    .expect("prompt");
    let (a, b) = concurrently(
        &mut doc,
        |a| remove_home_prompt(a, &at(&teacher(), 20), &id("p1")).expect("remove"),
        |b| {
            add_home_prompt(
                b,
                &at(&teacher(), 20),
                &id("p2"),
                "Breuken",
                "Waar zie je thuis breuken?",
            )
            .expect("prompt")
        },
    );
    let p = home_prompts(&a).expect("prompts");
    assert_eq!(p, home_prompts(&b).expect("prompts"));
    assert_eq!(p.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p2"]);
}

#[test]
fn an_entry_can_answer_a_home_prompt() {
    let mut doc = family();
    add_home_prompt(
        &mut doc,
        &at(&teacher(), 10),
        &id("p1"),
        "Vulkanen",
        "Welke vulkaan?",
    )
    .expect("prompt");
    let mut answer = entry("e1", "De Etna!");
    answer.prompt = Some(id("p1"));
    answer.by_child = true;
    add_entry(&mut doc, &at(&child(), 20), &answer).expect("answer");
    assert_eq!(live(&doc)[0].prompt, Some(id("p1")));
}

#[test]
fn sources_shared_and_tried_at_once_keep_everything() {
    let mut doc = family();
    add_source(
        &mut doc,
        &at(&mum(), 10),
        &NewSource {
            id: id("s1"),
            title: "Naturalis".into(),
            link: Some("https://www.naturalis.nl".into()),
            kind: SourceKind::Event,
            note: "Fossielen!".into(),
        },
    )
    .expect("source");
    let bad = NewSource {
        id: id("s9"),
        title: "x".into(),
        link: Some("javascript:alert(1)".into()),
        kind: SourceKind::Website,
        note: String::new(),
    };
    assert!(matches!(
        add_source(&mut doc, &at(&mum(), 11), &bad),
        Err(ModelError::Invalid { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| mark_source_tried(a, &at(&mum(), 20), &id("s1"), true).expect("tried"),
        |b| {
            mark_source_tried(b, &at(&teacher(), 20), &id("s1"), true).expect("tried");
            add_source(
                b,
                &at(&teacher(), 21),
                &NewSource {
                    id: id("s2"),
                    title: "Het grote fossielenboek".into(),
                    link: None,
                    kind: SourceKind::Book,
                    note: String::new(),
                },
            )
            .expect("source");
        },
    );
    let s = sources(&a).expect("sources");
    assert_eq!(s, sources(&b).expect("sources"));
    assert_eq!(s.len(), 2);
    let naturalis = s.iter().find(|s| s.id == id("s1")).expect("s1");
    assert_eq!(
        naturalis.tried_by,
        [teacher(), mum()]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let mut a = a;
    remove_source(&mut a, &at(&mum(), 30), &id("s1")).expect("remove");
    assert_eq!(sources(&a).expect("sources").len(), 1);
}

#[test]
fn answers_given_at_once_are_all_counted_and_compared_per_party() {
    let mut doc = family();
    for (person, score) in [(mum(), 2), (teacher(), 3)] {
        answer_statement(
            &mut doc,
            &at(&person, 10),
            &Moment::Baseline,
            "same-goals",
            score,
        )
        .expect("answer");
    }
    assert!(matches!(
        answer_statement(
            &mut doc,
            &at(&mum(), 11),
            &Moment::Baseline,
            "same-goals",
            6
        ),
        Err(ModelError::Invalid { .. })
    ));
    assert!(matches!(
        answer_statement(
            &mut doc,
            &at(&mum(), 11),
            &Moment::Baseline,
            "no-such-statement",
            3
        ),
        Err(ModelError::NotFound { .. })
    ));
    let (a, b) = concurrently(
        &mut doc,
        |a| answer_statement(a, &at(&mum(), 100), &Moment::End, "same-goals", 4).expect("answer"),
        |b| {
            answer_statement(b, &at(&dad(), 100), &Moment::End, "same-goals", 5).expect("answer");
            answer_statement(b, &at(&teacher(), 100), &Moment::End, "same-goals", 4)
                .expect("answer");
        },
    );
    let cmp = measurement::measurement_comparison(&a).expect("compare");
    assert_eq!(
        cmp,
        measurement::measurement_comparison(&b).expect("compare")
    );
    let parents = cmp
        .iter()
        .find(|c| c.party == Party::Parents)
        .expect("parents");
    assert_eq!(
        (parents.baseline, parents.end, parents.change),
        (Some(2.0), Some(4.5), Some(2.5))
    );
    let school = cmp
        .iter()
        .find(|c| c.party == Party::School)
        .expect("school");
    assert_eq!(school.change, Some(1.0));
}

// --------------------------------------------- attribution and sections

#[test]
fn history_says_who_did_what_and_when() {
    let mut doc = with_entry();
    comment_on_entry(&mut doc, &at(&teacher(), 15), &id("e1"), &id("c1"), "Knap!")
        .expect("comment");
    let h = history(&mut doc);
    let steps: Vec<(Option<String>, Option<String>)> = h
        .iter()
        .map(|i| (i.person.as_ref().map(|p| p.to_string()), i.command.clone()))
        .collect();
    let s = |p: &str, c: &str| (Some(p.to_string()), Some(c.to_string()));
    assert_eq!(
        steps,
        [
            s("juf-anna", "create_dossier"),
            s("mama-eva", "add_member"),
            s("papa-ali", "add_member"),
            s("mama-eva", "add_member"),
            s("mama-eva", "add_entry"),
            s("juf-anna", "comment_on_entry"),
        ]
    );
    assert_eq!(h[5].at, T0 + 15 * 60_000);
}

#[test]
fn uncommitted_foreign_changes_are_not_swept_into_a_command() {
    use automerge::transaction::Transactable;
    let mut doc = family();
    doc.put(automerge::ROOT, "stray", 1).expect("stray put");
    assert!(matches!(
        add_entry(&mut doc, &at(&mum(), 10), &entry("e1", "tekst")),
        Err(ModelError::UncommittedChanges)
    ));
}

#[test]
fn patches_map_to_the_section_they_touch() {
    let mut doc = family();
    doc.update_diff_cursor();
    let mut before = doc.get_heads();
    // Both ways of finding the touched sections must agree: the store uses
    // the cheaper `sections_changed_since`.
    let mut touched = |doc: &mut AutoCommit| -> Vec<Section> {
        let mut s: Vec<Section> = doc
            .diff_incremental()
            .iter()
            .map(section_of_patch)
            .collect();
        s.sort();
        s.dedup();
        let from_changes: Vec<Section> = sections_changed_since(doc, &before).into_iter().collect();
        assert_eq!(s, from_changes);
        before = doc.get_heads();
        s
    };
    add_entry(&mut doc, &at(&mum(), 10), &entry("e1", "tekst")).expect("entry");
    assert_eq!(touched(&mut doc), [Section::Logbook]);
    comment_on_entry(&mut doc, &at(&teacher(), 10), &id("e1"), &id("c1"), "Mooi!")
        .expect("comment");
    assert_eq!(touched(&mut doc), [Section::Logbook]);
    edit_agreement_section(
        &mut doc,
        &at(&teacher(), 11),
        AgreementSection::Goals,
        0,
        0,
        "x",
    )
    .expect("type");
    assert_eq!(touched(&mut doc), [Section::Agreement]);
    propose_expectation(
        &mut doc,
        &at(&mum(), 12),
        ExpectationList::OfChild,
        &id("x1"),
        "Lezen",
    )
    .expect("propose");
    assert_eq!(touched(&mut doc), [Section::Expectations]);
    answer_statement(
        &mut doc,
        &at(&mum(), 13),
        &Moment::Baseline,
        "same-goals",
        3,
    )
    .expect("answer");
    assert_eq!(touched(&mut doc), [Section::Measurement]);
    add_source(
        &mut doc,
        &at(&mum(), 14),
        &NewSource {
            id: id("s1"),
            title: "Boek".into(),
            link: None,
            kind: SourceKind::Book,
            note: String::new(),
        },
    )
    .expect("source");
    assert_eq!(touched(&mut doc), [Section::Sources]);
    add_home_prompt(&mut doc, &at(&teacher(), 15), &id("p1"), "Titel", "Vraag?").expect("prompt");
    assert_eq!(touched(&mut doc), [Section::Prompts]);
    register_device(&mut doc, &at(&mum(), 16), &[1; 32], &mum()).expect("device");
    assert_eq!(touched(&mut doc), [Section::Members]);
    edit_dossier(
        &mut doc,
        &at(&mum(), 17),
        &DossierEdit {
            group: Some("6".into()),
            ..Default::default()
        },
    )
    .expect("dossier");
    assert_eq!(touched(&mut doc), [Section::Dossier]);
    add_conversation(
        &mut doc,
        &at(&teacher(), 18),
        &NewConversation {
            id: id("g1"),
            kind: ConversationKind::Progress,
            date: date(2025, 11, 1),
            participants: vec![teacher()],
        },
    )
    .expect("conversation");
    assert_eq!(touched(&mut doc), [Section::Conversations]);
}
