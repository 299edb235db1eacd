//! Bytes in and out (framing, round trips, refusal of bad bytes), the
//! container rule, and documents from older and newer schemas.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/model/support.rs"]
mod support;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, TextEncoding};
use driehoek_core::model::commands::*;
use driehoek_core::model::frame::{FrameKind, frame};
use driehoek_core::model::read::*;
use driehoek_core::model::{
    Access, AgreementSection, EntryKind, ExpectationList, ExpectationStatus, ModelError, Moment,
    Role, SCHEMA_VERSION, SourceKind, TaskStatus, apply_changes, load_dossier, measurement,
    save_changes_after, save_dossier,
};
use support::*;

const FIXTURE_V0: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/model/dossier-schema-v0.bin"
);

fn entry(id_: &str, body: &str) -> NewEntry {
    entry_tagged(id_, body, &["natuur"])
}

/// A device writes something into every section.
fn fill(doc: &mut AutoCommit, who: &driehoek_core::model::PersonId, tag: &str, minute: i64) {
    let n = |s: &str| id(&format!("{s}-{tag}"));
    let c = at(who, minute);
    add_entry(
        doc,
        &c,
        &entry(&format!("e-{tag}"), &format!("Entry {tag}")),
    )
    .expect("entry");
    comment_on_entry(doc, &c, &n("e"), &n("c"), "Mooi").expect("comment");
    react(doc, &c, &n("e"), "⭐").expect("react");
    propose_expectation(
        doc,
        &c,
        ExpectationList::SchoolOfParents,
        &n("x"),
        "Samen lezen",
    )
    .expect("propose");
    add_parent_task(doc, &c, &n("t"), "Meehelpen", who, None).expect("task");
    edit_agreement_section(
        doc,
        &c,
        AgreementSection::ApproachHome,
        0,
        0,
        &format!("[{tag}]"),
    )
    .expect("type");
    add_conversation(
        doc,
        &c,
        &NewConversation {
            id: n("g"),
            kind: driehoek_core::model::ConversationKind::Progress,
            date: date(2025, 10, 1),
            participants: vec![who.clone()],
        },
    )
    .expect("conversation");
    add_home_prompt(doc, &c, &n("p"), "Onderwerp", "Vraag?").expect("prompt");
    add_source(
        doc,
        &c,
        &NewSource {
            id: n("s"),
            title: "Bron".into(),
            link: None,
            kind: SourceKind::Website,
            note: String::new(),
        },
    )
    .expect("source");
    answer_statement(doc, &c, &Moment::Baseline, "agreements-kept", 4).expect("answer");
    register_device(doc, &c, &[minute as u8; 32], who).expect("device");
}

#[test]
fn save_then_load_gives_the_identical_dossier() {
    let mut doc = family();
    fill(&mut doc, &mum(), "a", 10);
    sign_agreement(&mut doc, &at(&mum(), 20), &id("sig")).expect("sign");
    let bytes = save_dossier(&mut doc);
    let mut opened = load_dossier(&bytes, TextEncoding::UnicodeCodePoint).expect("load");
    assert_eq!(opened.access, Access::ReadWrite);
    assert_eq!(opened.doc.get_heads(), doc.get_heads());
    assert_eq!(everything(&opened.doc), everything(&doc));
}

#[test]
fn changes_saved_after_known_heads_apply_on_another_device() {
    let mut doc = family();
    let mut other = load_dossier(&save_dossier(&mut doc), TextEncoding::UnicodeCodePoint)
        .expect("load")
        .doc;
    let saved = doc.get_heads();
    assert!(
        save_changes_after(&mut doc, &saved).is_none(),
        "nothing new, nothing to store"
    );
    fill(&mut doc, &dad(), "b", 30);
    let chunk = save_changes_after(&mut doc, &saved).expect("new changes");
    apply_changes(&mut other, &chunk).expect("apply");
    assert_eq!(other.get_heads(), doc.get_heads());
    assert_eq!(everything(&other), everything(&doc));
}

#[test]
fn empty_foreign_truncated_and_damaged_bytes_are_refused_with_a_typed_error() {
    let mut doc = family();
    fill(&mut doc, &mum(), "a", 10);
    let good = save_dossier(&mut doc);
    let load = |b: &[u8]| load_dossier(b, TextEncoding::UnicodeCodePoint).map(|_| ());

    assert!(matches!(load(&[]), Err(ModelError::EmptyBytes)));
    assert!(matches!(
        load(b"hello world, not a dossier"),
        Err(ModelError::ForeignBytes)
    ));
    assert!(
        matches!(load(&doc.save()), Err(ModelError::ForeignBytes)),
        "raw automerge bytes are not ours"
    );
    for cut in [1, 4, 20, 46, good.len() / 2, good.len() - 1] {
        assert!(
            matches!(
                load(&good[..cut]),
                Err(ModelError::Truncated { .. } | ModelError::ForeignBytes)
            ),
            "cut at {cut}"
        );
    }
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x20;
    assert!(matches!(load(&damaged), Err(ModelError::Damaged)));
    let mut future = good.clone();
    future[4] = 9;
    assert!(matches!(
        load(&future),
        Err(ModelError::UnsupportedFrameVersion(9))
    ));

    let mut not_a_dossier = AutoCommit::new();
    not_a_dossier.put(ROOT, "todo", "milk").expect("put");
    let framed = frame(FrameKind::Document, &not_a_dossier.save());
    assert!(matches!(load(&framed), Err(ModelError::NotADossier)));

    let framed_garbage = frame(
        FrameKind::Document,
        b"\x85\x6f\x4a\x83 definitely not automerge",
    );
    assert!(matches!(
        load(&framed_garbage),
        Err(ModelError::Automerge(_))
    ));

    let mut target = family();
    let heads = target.get_heads();
    assert!(matches!(
        apply_changes(&mut target, &good[..good.len() - 3]),
        Err(ModelError::Truncated { .. })
    ));
    assert!(matches!(
        apply_changes(&mut target, &[]),
        Err(ModelError::EmptyBytes)
    ));
    assert_eq!(target.get_heads(), heads);
}

#[test]
fn two_devices_filling_every_section_offline_from_the_first_change_lose_nothing() {
    let mut first = created();
    let mut a = device(&mut first, 21);
    let mut b = device(&mut first, 22);
    // Each joins and writes into every section before ever syncing.
    add_member(&mut a, &at(&mum(), 5), &mum(), "Eva", &Role::Parent).expect("join");
    add_member(&mut b, &at(&dad(), 5), &dad(), "Ali", &Role::Parent).expect("join");
    fill(&mut a, &mum(), "a", 10);
    fill(&mut b, &dad(), "b", 11);
    sync(&mut a, &mut b);
    let state = everything(&a);
    assert_eq!(state, everything(&b));
    assert_eq!(state.members.people.len(), 3);
    assert_eq!(state.logbook.entries.len(), 2);
    assert!(
        state
            .logbook
            .entries
            .iter()
            .all(|e| e.comments.len() == 1 && e.reactions.len() == 1)
    );
    assert_eq!(state.expectations.school_of_parents.len(), 2);
    assert_eq!(state.agreement.tasks.len(), 2);
    let home = state.agreement.section(AgreementSection::ApproachHome);
    assert!(home.contains("[a]") && home.contains("[b]"));
    assert_eq!(state.conversations.len(), 2);
    assert_eq!(state.prompts.len(), 2);
    assert_eq!(state.sources.len(), 2);
    assert_eq!(state.answers.len(), 2);
    assert_eq!(state.members.devices.len(), 2);
}

#[test]
fn no_command_ever_replaces_a_container_made_in_the_first_change() {
    let mut doc = created();
    let containers = |doc: &AutoCommit| {
        let mut out = Vec::new();
        let mut stack = vec![(ROOT, String::new())];
        while let Some((obj, path)) = stack.pop() {
            for k in doc.keys(&obj).collect::<Vec<_>>() {
                if let Ok(Some((automerge::Value::Object(_), child))) = doc.get(&obj, k.as_str()) {
                    out.push((format!("{path}/{k}"), child.clone()));
                    stack.push((child, format!("{path}/{k}")));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    let before = containers(&doc);
    // 23 section containers and the creator's member record.
    assert_eq!(
        before.len(),
        24,
        "every container exists from the first change: {before:?}"
    );
    add_member(&mut doc, &at(&mum(), 5), &mum(), "Eva", &Role::Parent).expect("join");
    fill(&mut doc, &mum(), "a", 10);
    let after = containers(&doc);
    for (path, obj) in &before {
        assert!(
            after.contains(&(path.clone(), obj.clone())),
            "{path} was replaced"
        );
    }
    // Containers made later may only live inside an item stored under a
    // fresh id in one of these collections.
    let collections = [
        "/logbook/",
        "/expectations/parents_of_school/",
        "/expectations/school_of_parents/",
        "/expectations/of_child/",
        "/agreement/tasks/",
        "/agreement/signatures/",
        "/conversations/",
        "/prompts/",
        "/sources/",
        "/members/people/",
    ];
    for (path, _) in &after {
        let created_later = !before.iter().any(|(p, _)| p == path);
        let inside_an_item = collections.iter().any(|c| path.starts_with(c));
        assert!(
            !created_later || inside_an_item,
            "{path} was created after the first change"
        );
    }
}

/// Writes the shape a pre-release (schema 0) app wrote: no devices,
/// tags, child flag, reactions, tombstone flags, marks, arrangement or
/// conversation/prompt/source/measurement containers; tasks kept `done`
/// instead of a status. Done with raw Automerge calls, as that app would.
fn schema_v0_document() -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(actor(90));
    let t = T0;
    doc.put(ROOT, "schema", ScalarValue::Uint(0)).expect("w");
    let d = doc.put_object(ROOT, "dossier", ObjType::Map).expect("w");
    doc.put(&d, "child_name", "Sem").expect("w");
    doc.put(&d, "group", "groep 3").expect("w");
    doc.put(&d, "school_year", "2024-2025").expect("w");
    doc.put(&d, "created_at", t).expect("w");
    let m = doc.put_object(ROOT, "members", ObjType::Map).expect("w");
    let people = doc.put_object(&m, "people", ObjType::Map).expect("w");
    let p = doc
        .put_object(&people, "meester-bas", ObjType::Map)
        .expect("w");
    doc.put(&p, "name", "Meester Bas").expect("w");
    doc.put(&p, "role", "teacher").expect("w");
    let p = doc
        .put_object(&people, "moeder-iris", ObjType::Map)
        .expect("w");
    doc.put(&p, "name", "Iris").expect("w");
    doc.put(&p, "role", "parent").expect("w");
    let book = doc.put_object(ROOT, "logbook", ObjType::Map).expect("w");
    let e = doc.put_object(&book, "oud-1", ObjType::Map).expect("w");
    doc.put(&e, "date", "2024-10-02").expect("w");
    doc.put(&e, "author", "moeder-iris").expect("w");
    doc.put(&e, "kind", "question").expect("w");
    doc.put(&e, "body", "Sem vroeg hoe een regenboog ontstaat.")
        .expect("w");
    doc.put(&e, "created_at", t + 1000).expect("w");
    let comments = doc.put_object(&e, "comments", ObjType::Map).expect("w");
    let c = doc.put_object(&comments, "k-1", ObjType::Map).expect("w");
    doc.put(&c, "author", "meester-bas").expect("w");
    doc.put(&c, "body", "Dat gaan we in de klas proberen!")
        .expect("w");
    doc.put(&c, "at", t + 2000).expect("w");
    let x = doc
        .put_object(ROOT, "expectations", ObjType::Map)
        .expect("w");
    for list in ["parents_of_school", "school_of_parents", "of_child"] {
        let l = doc.put_object(&x, list, ObjType::Map).expect("w");
        if list == "of_child" {
            let item = doc.put_object(&l, "v-1", ObjType::Map).expect("w");
            doc.put(&item, "text", "Sem leest elke avond tien minuten.")
                .expect("w");
            doc.put(&item, "proposed_by", "moeder-iris").expect("w");
        }
    }
    let a = doc.put_object(ROOT, "agreement", ObjType::Map).expect("w");
    let sections = doc.put_object(&a, "sections", ObjType::Map).expect("w");
    for s in ["goals", "approach_school", "approach_home"] {
        let text = doc.put_object(&sections, s, ObjType::Text).expect("w");
        if s == "goals" {
            doc.splice_text(&text, 0, 0, "Sem leert zelfstandig werken.")
                .expect("w");
        }
    }
    let tasks = doc.put_object(&a, "tasks", ObjType::Map).expect("w");
    let task = doc.put_object(&tasks, "taak-1", ObjType::Map).expect("w");
    doc.put(&task, "what", "Boeken over weer verzamelen")
        .expect("w");
    doc.put(&task, "who", "moeder-iris").expect("w");
    doc.put(&task, "done", false).expect("w");
    doc.put_object(&a, "signatures", ObjType::Map).expect("w");
    doc.commit_with(automerge::transaction::CommitOptions::default().with_time(t / 1000));
    doc
}

/// Regenerates the committed fixture: run with
/// `cargo test -p driehoek --test model_storage -- --ignored writes_the_schema_v0_fixture`.
/// The bytes are committed so that later schema changes are tested
/// against what an old app really wrote, not against today's idea of it.
#[test]
#[ignore = "writes tests/fixtures/model/dossier-schema-v0.bin"]
fn writes_the_schema_v0_fixture() {
    let bytes = save_dossier(&mut schema_v0_document());
    std::fs::write(FIXTURE_V0, bytes).expect("write fixture");
}

#[test]
fn a_committed_older_schema_document_opens_with_defaults_and_is_not_rewritten() {
    let bytes = std::fs::read(FIXTURE_V0).expect("fixture is committed");
    let mut opened = load_dossier(&bytes, TextEncoding::UnicodeCodePoint).expect("opens");
    let heads = opened.doc.get_heads();
    assert_eq!(opened.access, Access::ReadWrite);
    let doc = &opened.doc;

    let summary = dossier_summary(doc).expect("summary");
    assert_eq!(
        (summary.schema_version, summary.child_name.as_str()),
        (0, "Sem")
    );
    assert_eq!(summary.created_by, None);
    let people = members(doc).expect("members");
    assert_eq!(people.people.len(), 2);
    assert!(people.devices.is_empty());

    let book = logbook_entries(doc).expect("logbook");
    assert!(book.unreadable.is_empty());
    let e = &book.entries[0];
    assert_eq!(
        (e.kind.clone(), e.by_child, e.tags.len(), e.reactions.len()),
        (EntryKind::Question, false, 0, 0)
    );
    assert_eq!(e.comments[0].body, "Dat gaan we in de klas proberen!");

    let x = expectations(doc).expect("expectations");
    assert_eq!(x.of_child[0].status, ExpectationStatus::Proposed);
    assert!(x.of_child[0].marks.is_empty() && x.of_child[0].comments.is_empty());

    let ag = agreement(doc).expect("agreement");
    assert_eq!(
        ag.section(AgreementSection::Goals),
        "Sem leert zelfstandig werken."
    );
    assert_eq!(ag.section(AgreementSection::Privacy), "");
    assert_eq!(ag.tasks[0].status, TaskStatus::Open);
    assert_eq!(ag.arrangement, ConversationArrangement::default());
    assert!(conversations(doc).expect("c").is_empty());
    assert!(home_prompts(doc).expect("p").is_empty());
    assert!(sources(doc).expect("s").is_empty());
    assert!(measurement::answers(doc).expect("m").is_empty());
    assert_eq!(opened.doc.get_heads(), heads, "reading must never write");

    // Writing where the old shape has the container works; where it lacks
    // one, the command refuses instead of creating it.
    let doc = &mut opened.doc;
    let iris = id("moeder-iris");
    add_entry(doc, &at(&iris, 10), &entry("nieuw", "Nieuw na de update")).expect("logbook exists");
    let missing = answer_statement(doc, &at(&iris, 11), &Moment::Baseline, "same-goals", 3);
    assert!(matches!(
        missing,
        Err(ModelError::MissingContainer("measurement"))
    ));
    assert!(matches!(
        react(doc, &at(&iris, 12), &id("oud-1"), "👍"),
        Err(ModelError::MissingContainer(_))
    ));
    assert!(doc.get(ROOT, "measurement").expect("reads").is_none());
}

#[test]
fn the_committed_fixture_is_what_the_generator_writes() {
    let committed = std::fs::read(FIXTURE_V0).expect("fixture is committed");
    let opened = load_dossier(&committed, TextEncoding::UnicodeCodePoint).expect("opens");
    let mut regenerated = schema_v0_document();
    assert_eq!(opened.doc.clone().get_heads(), regenerated.get_heads());
}

/// A newer app's document: schema 2, a new entry kind, a new section.
fn newer_schema_document() -> AutoCommit {
    let mut doc = family();
    add_entry(&mut doc, &at(&mum(), 10), &entry("e1", "Gewone tekst")).expect("entry");
    let book = doc.get(ROOT, "logbook").expect("r").expect("logbook").1;
    let e = doc.put_object(&book, "e2", ObjType::Map).expect("w");
    doc.put(&e, "date", "2025-09-20").expect("w");
    doc.put(&e, "author", "mama-eva").expect("w");
    doc.put(&e, "kind", "drawing").expect("w");
    doc.put(&e, "body", "Een tekening van een vulkaan")
        .expect("w");
    doc.put(&e, "attachment", ScalarValue::Bytes(vec![1, 2, 3]))
        .expect("w");
    doc.put(ROOT, "schema", ScalarValue::Uint(SCHEMA_VERSION + 1))
        .expect("w");
    doc.put_object(ROOT, "portfolio", ObjType::Map).expect("w");
    doc.commit();
    doc
}

#[test]
fn a_newer_schema_document_opens_read_only_and_is_never_rewritten() {
    let bytes = save_dossier(&mut newer_schema_document());
    let mut opened = load_dossier(&bytes, TextEncoding::UnicodeCodePoint).expect("opens");
    assert_eq!(
        opened.access,
        Access::ReadOnly {
            found: 2,
            supported: 1
        }
    );
    assert!(opened.access.is_read_only());
    let heads = opened.doc.get_heads();
    let refused = add_entry(&mut opened.doc, &at(&mum(), 30), &entry("e3", "Mag niet"));
    assert!(matches!(
        refused,
        Err(ModelError::NewerSchema {
            found: 2,
            supported: 1
        })
    ));
    let msg = refused.expect_err("refused").to_string();
    assert!(
        msg.contains("newer version") && msg.contains("read-only"),
        "{msg}"
    );
    assert!(matches!(
        edit_agreement_section(
            &mut opened.doc,
            &at(&mum(), 31),
            AgreementSection::Goals,
            0,
            0,
            "x"
        ),
        Err(ModelError::NewerSchema { .. })
    ));
    assert_eq!(opened.doc.get_heads(), heads);
    assert_eq!(
        logbook_entries(&opened.doc)
            .expect("still readable")
            .entries
            .len(),
        2
    );
}

#[test]
fn an_unknown_entry_kind_hydrates_as_unknown_and_the_rest_still_shows() {
    let mut doc = family();
    add_entry(&mut doc, &at(&mum(), 10), &entry("e1", "Gewone tekst")).expect("entry");
    add_entry(&mut doc, &at(&mum(), 11), &entry("e4", "Nog een")).expect("entry");
    let book = doc.get(ROOT, "logbook").expect("r").expect("logbook").1;
    // Same schema, but a newer app added a kind; and some writer left an
    // entry this version cannot read at all.
    let e = doc.put_object(&book, "e2", ObjType::Map).expect("w");
    doc.put(&e, "date", "2025-09-20").expect("w");
    doc.put(&e, "author", "mama-eva").expect("w");
    doc.put(&e, "kind", "drawing").expect("w");
    doc.put(&e, "body", "Een tekening").expect("w");
    let broken = doc.put_object(&book, "e3", ObjType::Map).expect("w");
    doc.put(&broken, "date", 20_250_921).expect("w");
    doc.commit();

    let book = logbook_entries(&doc).expect("the logbook still hydrates");
    assert_eq!(book.entries.len(), 3);
    let drawing = book
        .entries
        .iter()
        .find(|e| e.id == id("e2"))
        .expect("e2 shows");
    assert_eq!(drawing.kind, EntryKind::Unknown("drawing".into()));
    assert_eq!(book.unreadable, ["e3"]);
    assert!(matches!(
        edit_entry(
            &mut doc,
            &at(&mum(), 20),
            &id("e2"),
            &EntryEdit {
                kind: Some(EntryKind::Unknown("drawing".into())),
                ..Default::default()
            }
        ),
        Err(ModelError::UnknownValue { .. })
    ));
}
