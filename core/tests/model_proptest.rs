//! Three to five devices, each starting from the creator's first change,
//! run random commands with random sync points. Identical heads after a
//! full merge are Automerge's promise; this checks ours: every device shows
//! the same state, nothing a device wrote vanished, no deleted entry comes
//! back, signatures read the same everywhere and hydration never fails.
//!
//! Cases: `PROPTEST_CASES` (default 256).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/model/support.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use driehoek_core::model::commands::*;
use driehoek_core::model::measurement::STATEMENTS;
use driehoek_core::model::read::*;
use driehoek_core::model::{
    AgreementSection, EntryKind, ExpectationList, ExpectationStatus, Id, ModelError, Moment, Party,
    PersonId, Role, SourceKind, TaskStatus,
};
use proptest::prelude::*;
use support::*;

#[derive(Clone, Debug)]
enum Op {
    AddEntry,
    EditEntry { pick: usize },
    DeleteEntry { pick: usize },
    Comment { pick: usize },
    React { pick: usize, emoji: usize },
    Unreact { pick: usize, emoji: usize },
    Propose { list: usize },
    SetStatus { pick: usize, status: usize },
    Mark { pick: usize, agreed: bool },
    Type { section: usize, boundary: usize },
    DeleteOwnText { section: usize },
    AddTask,
    TaskStatus { pick: usize, done: bool },
    RemoveTask { pick: usize },
    Sign,
    Answer { statement: usize, score: u8 },
    AddSource,
    Tried { pick: usize, tried: bool },
    Sync { from: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let pick = 0usize..8;
    prop_oneof![
        4 => Just(Op::AddEntry),
        2 => pick.clone().prop_map(|pick| Op::EditEntry { pick }),
        1 => pick.clone().prop_map(|pick| Op::DeleteEntry { pick }),
        2 => pick.clone().prop_map(|pick| Op::Comment { pick }),
        1 => (pick.clone(), 0usize..3).prop_map(|(pick, emoji)| Op::React { pick, emoji }),
        1 => (pick.clone(), 0usize..3).prop_map(|(pick, emoji)| Op::Unreact { pick, emoji }),
        1 => (0usize..3).prop_map(|list| Op::Propose { list }),
        1 => (pick.clone(), 0usize..4).prop_map(|(pick, status)| Op::SetStatus { pick, status }),
        1 => (pick.clone(), any::<bool>()).prop_map(|(pick, agreed)| Op::Mark { pick, agreed }),
        3 => (0usize..5, 0usize..16).prop_map(|(section, boundary)| Op::Type { section, boundary }),
        1 => (0usize..5).prop_map(|section| Op::DeleteOwnText { section }),
        1 => Just(Op::AddTask),
        1 => (pick.clone(), any::<bool>()).prop_map(|(pick, done)| Op::TaskStatus { pick, done }),
        1 => pick.clone().prop_map(|pick| Op::RemoveTask { pick }),
        1 => Just(Op::Sign),
        1 => (0usize..STATEMENTS.len(), 1u8..=5).prop_map(|(statement, score)| Op::Answer { statement, score }),
        1 => Just(Op::AddSource),
        1 => (pick.clone(), any::<bool>()).prop_map(|(pick, tried)| Op::Tried { pick, tried }),
        4 => (0usize..5).prop_map(|from| Op::Sync { from }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<(usize, Op)>)> {
    (3usize..=5).prop_flat_map(|devices| {
        (
            Just(devices),
            prop::collection::vec((0..devices, op()), 1..60),
        )
    })
}

const EMOJI: [&str; 3] = ["👍", "❤️", "🎉"];

/// What the devices wrote, to check that it survived.
#[derive(Default)]
struct Ledger {
    entry_author: BTreeMap<Id, PersonId>,
    entry_bodies: BTreeMap<Id, BTreeSet<String>>,
    deleted: BTreeSet<Id>,
    comments: BTreeSet<(Id, Id)>,
    /// Last reaction state per (entry, person, emoji): one person per
    /// device, so each person's own actions are ordered.
    reaction: BTreeMap<(Id, PersonId, &'static str), bool>,
    proposed: BTreeSet<(ExpectationList, Id)>,
    statuses: BTreeMap<Id, BTreeSet<ExpectationStatus>>,
    marks_set: BTreeSet<(Id, Party)>,
    marks_unset: BTreeSet<(Id, Party)>,
    typed: BTreeSet<(AgreementSection, String)>,
    untyped: BTreeSet<(AgreementSection, String)>,
    tasks: BTreeSet<Id>,
    removed_tasks: BTreeSet<Id>,
    answers: BTreeMap<(PersonId, &'static str), u8>,
    sources: BTreeSet<Id>,
    tried: BTreeMap<(Id, PersonId), bool>,
}

struct Device {
    doc: AutoCommit,
    person: PersonId,
    role: Role,
    n: usize,
}

fn person(i: usize) -> (PersonId, Role) {
    let role = match i {
        0 => Role::Teacher,
        1 | 2 => Role::Parent,
        3 => Role::Child,
        _ => Role::Coordinator,
    };
    (id(&format!("p{i}")), role)
}

/// Errors a command may legitimately give when a device acts on what it
/// has seen so far; anything else is a bug.
fn benign(e: &ModelError) -> bool {
    matches!(
        e,
        ModelError::AlreadyExists { .. }
            | ModelError::NotFound { .. }
            | ModelError::Deleted { .. }
            | ModelError::NotAuthor { .. }
            | ModelError::Invalid { .. }
    )
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[i % items.len()].clone())
    }
}

fn run_scenario(devices: usize, ops: &[(usize, Op)]) -> Result<(), TestCaseError> {
    let mut first = created();
    let mut devs: Vec<Device> = (0..devices)
        .map(|i| {
            let (person, role) = person(i);
            Device {
                doc: device(&mut first, 30 + i as u8),
                person,
                role,
                n: 0,
            }
        })
        .collect();
    devs[0].person = teacher();
    // Everyone but the creator joins offline, before any sync.
    for d in devs.iter_mut().skip(1) {
        add_member(&mut d.doc, &at(&d.person, 1), &d.person, "Naam", &d.role).map_err(fail)?;
    }
    let mut ledger = Ledger::default();

    for (step, (i, op)) in ops.iter().enumerate() {
        let i = *i;
        if let Op::Sync { from } = op {
            let from = from % devices;
            if from != i {
                let (a, b) = if from < i {
                    let (l, r) = devs.split_at_mut(i);
                    (&mut r[0], &mut l[from])
                } else {
                    let (l, r) = devs.split_at_mut(from);
                    (&mut l[i], &mut r[0])
                };
                a.doc
                    .merge(&mut b.doc)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            continue;
        }
        let d = &mut devs[i];
        d.n += 1;
        let tag = format!("d{i}n{}", d.n);
        let ctx = at(&d.person, 10 + step as i64);
        let result = apply(d, &ctx, &tag, op, &mut ledger);
        match result {
            Ok(()) => {}
            Err(e) if benign(&e) => {}
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "step {step} {op:?} on device {i}: {e}"
                )));
            }
        }
    }

    // Full merge: everything into device 0, then back out.
    let (head, rest) = devs.split_at_mut(1);
    for d in rest.iter_mut() {
        head[0]
            .doc
            .merge(&mut d.doc)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    for d in rest.iter_mut() {
        d.doc
            .merge(&mut head[0].doc)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }

    let states: Vec<Everything> = devs.iter().map(|d| everything(&d.doc)).collect();
    for s in &states[1..] {
        prop_assert_eq!(s, &states[0]);
    }
    check_ledger(&devs[0].doc, &states[0], &ledger)
}

fn fail(e: ModelError) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn apply(
    d: &mut Device,
    ctx: &driehoek_core::model::Ctx,
    tag: &str,
    op: &Op,
    ledger: &mut Ledger,
) -> Result<(), ModelError> {
    let doc = &mut d.doc;
    let live = || -> Result<Vec<LogbookEntry>, ModelError> { Ok(logbook_entries(&*doc)?.entries) };
    match op {
        Op::AddEntry => {
            let id = id(&format!("e-{tag}"));
            let body = format!("entry {tag}");
            add_entry(
                doc,
                ctx,
                &NewEntry {
                    id: id.clone(),
                    date: date(2025, 9, 1 + (tag.len() as u8 % 28)),
                    kind: EntryKind::Discovery,
                    body: body.clone(),
                    by_child: d.role == Role::Child,
                    tags: vec![],
                    prompt: None,
                },
            )?;
            ledger.entry_author.insert(id.clone(), d.person.clone());
            ledger.entry_bodies.entry(id).or_default().insert(body);
        }
        Op::EditEntry { pick: p } => {
            let mine: Vec<Id> = live()?
                .into_iter()
                .filter(|e| e.author == d.person)
                .map(|e| e.id)
                .collect();
            let Some(id) = pick(&mine, *p) else {
                return Ok(());
            };
            let body = format!("edit {tag}");
            edit_entry(
                doc,
                ctx,
                &id,
                &EntryEdit {
                    body: Some(body.clone()),
                    ..Default::default()
                },
            )?;
            ledger.entry_bodies.entry(id).or_default().insert(body);
        }
        Op::DeleteEntry { pick: p } => {
            let mine: Vec<Id> = live()?
                .into_iter()
                .filter(|e| e.author == d.person)
                .map(|e| e.id)
                .collect();
            let Some(id) = pick(&mine, *p) else {
                return Ok(());
            };
            delete_entry(doc, ctx, &id)?;
            ledger.deleted.insert(id);
        }
        Op::Comment { pick: p } => {
            let all: Vec<Id> = live()?.into_iter().map(|e| e.id).collect();
            let Some(entry) = pick(&all, *p) else {
                return Ok(());
            };
            let c = id(&format!("c-{tag}"));
            comment_on_entry(doc, ctx, &entry, &c, &format!("comment {tag}"))?;
            ledger.comments.insert((entry, c));
        }
        Op::React { pick: p, emoji } | Op::Unreact { pick: p, emoji } => {
            let all: Vec<Id> = live()?.into_iter().map(|e| e.id).collect();
            let Some(entry) = pick(&all, *p) else {
                return Ok(());
            };
            let emoji = EMOJI[*emoji];
            let on = matches!(op, Op::React { .. });
            if on {
                react(doc, ctx, &entry, emoji)?;
            } else {
                unreact(doc, ctx, &entry, emoji)?;
            }
            ledger.reaction.insert((entry, d.person.clone(), emoji), on);
        }
        Op::Propose { list } => {
            let list = ExpectationList::ALL[*list];
            let x = id(&format!("x-{tag}"));
            propose_expectation(doc, ctx, list, &x, &format!("expectation {tag}"))?;
            ledger.proposed.insert((list, x));
        }
        Op::SetStatus { pick: p, status } => {
            let all: Vec<Expectation> = expectations(&*doc)?.parents_of_school;
            let Some(x) = pick(&all, *p) else {
                return Ok(());
            };
            let status = ExpectationStatus::known()[*status].clone();
            set_expectation_status(doc, ctx, x.list, &x.id, &status)?;
            ledger.statuses.entry(x.id).or_default().insert(status);
        }
        Op::Mark { pick: p, agreed } => {
            let all: Vec<Expectation> = expectations(&*doc)?.parents_of_school;
            let Some(x) = pick(&all, *p) else {
                return Ok(());
            };
            mark_agreement(doc, ctx, x.list, &x.id, *agreed)?;
            let party = d.role.party().expect("known role");
            if *agreed {
                ledger.marks_set.insert((x.id, party));
            } else {
                ledger.marks_unset.insert((x.id, party));
            }
        }
        Op::Type { section, boundary } => {
            let section = AgreementSection::ALL[*section];
            let text = driehoek_core::model::read::section(&*doc, section)?;
            // Type only between whole markers, so every marker stays in one
            // piece and can be looked for after the merge.
            let mut boundaries = vec![0];
            boundaries.extend(
                text.chars()
                    .enumerate()
                    .filter(|(_, c)| *c == ']')
                    .map(|(i, _)| i + 1),
            );
            let pos = boundaries[boundary % boundaries.len()];
            let marker = format!("[{tag}]");
            edit_agreement_section(doc, ctx, section, pos, 0, &marker)?;
            ledger.typed.insert((section, marker));
        }
        Op::DeleteOwnText { section } => {
            let section = AgreementSection::ALL[*section];
            let text = driehoek_core::model::read::section(&*doc, section)?;
            let own = format!(
                "[d{}n",
                tag.split('n').next().unwrap_or("d").trim_start_matches('d')
            );
            let Some(byte_pos) = text.find(&own) else {
                return Ok(());
            };
            let end = byte_pos + text[byte_pos..].find(']').map(|e| e + 1).unwrap_or(0);
            let marker = text[byte_pos..end].to_string();
            let pos = text[..byte_pos].chars().count();
            edit_agreement_section(doc, ctx, section, pos, marker.chars().count(), "")?;
            ledger.untyped.insert((section, marker));
        }
        Op::AddTask => {
            let t = id(&format!("t-{tag}"));
            add_parent_task(doc, ctx, &t, &format!("task {tag}"), &d.person, None)?;
            ledger.tasks.insert(t);
        }
        Op::TaskStatus { pick: p, done } => {
            let all: Vec<Id> = agreement(&*doc)?.tasks.into_iter().map(|t| t.id).collect();
            let Some(t) = pick(&all, *p) else {
                return Ok(());
            };
            let status = if *done {
                TaskStatus::Done
            } else {
                TaskStatus::Open
            };
            set_parent_task_status(doc, ctx, &t, &status)?;
        }
        Op::RemoveTask { pick: p } => {
            let all: Vec<Id> = agreement(&*doc)?.tasks.into_iter().map(|t| t.id).collect();
            let Some(t) = pick(&all, *p) else {
                return Ok(());
            };
            remove_parent_task(doc, ctx, &t)?;
            ledger.removed_tasks.insert(t);
        }
        Op::Sign => {
            sign_agreement(doc, ctx, &id(&format!("s-{tag}")))?;
        }
        Op::Answer { statement, score } => {
            let s = STATEMENTS[*statement].id;
            answer_statement(doc, ctx, &Moment::Baseline, s, *score)?;
            ledger.answers.insert((d.person.clone(), s), *score);
        }
        Op::AddSource => {
            let s = id(&format!("s-{tag}"));
            add_source(
                doc,
                ctx,
                &NewSource {
                    id: s.clone(),
                    title: format!("source {tag}"),
                    link: None,
                    kind: SourceKind::Book,
                    note: String::new(),
                },
            )?;
            ledger.sources.insert(s);
        }
        Op::Tried { pick: p, tried } => {
            let all: Vec<Id> = sources(&*doc)?.into_iter().map(|s| s.id).collect();
            let Some(s) = pick(&all, *p) else {
                return Ok(());
            };
            mark_source_tried(doc, ctx, &s, *tried)?;
            ledger.tried.insert((s, d.person.clone()), *tried);
        }
        Op::Sync { .. } => {}
    }
    Ok(())
}

fn check_ledger(
    doc: &AutoCommit,
    state: &Everything,
    ledger: &Ledger,
) -> Result<(), TestCaseError> {
    let entries: BTreeMap<&Id, &LogbookEntry> =
        state.logbook.entries.iter().map(|e| (&e.id, e)).collect();
    prop_assert!(state.logbook.unreadable.is_empty());
    for (id, author) in &ledger.entry_author {
        if ledger.deleted.contains(id) {
            prop_assert!(!entries.contains_key(id), "deleted entry {} came back", id);
            prop_assert!(is_entry_deleted(doc, id).map_err(fail)?);
        } else {
            let e = entries
                .get(id)
                .ok_or_else(|| TestCaseError::fail(format!("entry {id} vanished")))?;
            prop_assert_eq!(&e.author, author);
            prop_assert!(
                ledger.entry_bodies[id].contains(&e.body),
                "body {:?} was never written",
                e.body
            );
            for c in &e.conflicts {
                for v in &c.values {
                    prop_assert!(ledger.entry_bodies[id].contains(v));
                }
            }
        }
    }
    prop_assert_eq!(
        entries.len(),
        ledger.entry_author.len() - ledger.deleted.len()
    );
    for (entry, comment) in &ledger.comments {
        if let Some(e) = entries.get(entry) {
            prop_assert!(
                e.comments.iter().any(|c| &c.id == comment),
                "comment {} vanished",
                comment
            );
        }
    }
    for ((entry, person, emoji), on) in &ledger.reaction {
        if let Some(e) = entries.get(entry) {
            let present = e
                .reactions
                .iter()
                .any(|r| r.emoji == *emoji && r.persons.contains(person));
            prop_assert_eq!(
                present,
                *on,
                "reaction {} of {} on {}",
                emoji,
                person,
                entry
            );
        }
    }
    for (list, x) in &ledger.proposed {
        let found = state.expectations.list(*list).iter().find(|e| &e.id == x);
        let found =
            found.ok_or_else(|| TestCaseError::fail(format!("expectation {x} vanished")))?;
        let written = ledger.statuses.get(x);
        prop_assert!(
            found.status == ExpectationStatus::Proposed
                || written.is_some_and(|w| w.contains(&found.status)),
            "status {:?} was never written",
            found.status
        );
        for m in &found.marks {
            prop_assert!(ledger.marks_set.contains(&(x.clone(), m.party.clone())));
        }
    }
    for (x, party) in ledger.marks_set.difference(&ledger.marks_unset) {
        let found = state
            .expectations
            .parents_of_school
            .iter()
            .find(|e| &e.id == x)
            .expect("listed");
        prop_assert!(
            found.marks.iter().any(|m| &m.party == party),
            "mark of {} on {} vanished",
            party,
            x
        );
    }
    for (section, marker) in &ledger.typed {
        let text = state.agreement.section(*section);
        let count = text.matches(marker.as_str()).count();
        if ledger.untyped.contains(&(*section, marker.clone())) {
            prop_assert_eq!(count, 0, "deleted {} is back in {:?}", marker, text);
        } else {
            prop_assert_eq!(count, 1, "{} lost in {:?}", marker, text);
        }
    }
    let tasks: BTreeSet<&Id> = state.agreement.tasks.iter().map(|t| &t.id).collect();
    for t in &ledger.tasks {
        prop_assert_eq!(
            tasks.contains(t),
            !ledger.removed_tasks.contains(t),
            "task {}",
            t
        );
    }
    for ((person, statement), score) in &ledger.answers {
        let found = state
            .answers
            .iter()
            .find(|a| &a.person == person && a.statement == *statement);
        prop_assert_eq!(found.map(|a| a.score), Some(*score));
    }
    let sources: BTreeMap<&Id, &Source> = state.sources.iter().map(|s| (&s.id, s)).collect();
    for s in &ledger.sources {
        prop_assert!(sources.contains_key(s), "source {} vanished", s);
    }
    for ((s, person), tried) in &ledger.tried {
        prop_assert_eq!(sources[s].tried_by.contains(person), *tried);
    }
    // Signature validity follows from the terms alone, so it is the same on
    // every device (compared above) and valid exactly when the hash matches.
    for sig in &state.agreement.signatures {
        let valid = sig.terms_hash == state.agreement.terms_hash;
        prop_assert_eq!(
            sig.state == driehoek_core::model::signing::SignatureState::Valid,
            valid
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // Shrunk failures are printed; nothing is written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn devices_that_edit_offline_and_sync_at_random_converge_without_losing_anything(
        (devices, ops) in scenario()
    ) {
        run_scenario(devices, &ops)?;
    }
}
