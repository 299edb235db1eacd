//! Benchmarks of the dossier model on a realistic, generated history (see
//! `support/generator.rs`). See BENCHMARKS.md for the numbers and the
//! command.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "support/generator.rs"]
mod generator;

use std::hint::black_box;
use std::time::{Duration, Instant};

use automerge::{AutoCommit, ChangeHash, TextEncoding};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use driehoek_core::model::commands::*;
use driehoek_core::model::read::logbook_entries;
use driehoek_core::model::{
    AgreementSection, Ctx, Date, EntryKind, Id, PersonId, Section, Timestamp, load_dossier,
    save_changes_after, save_dossier, section_of_patch, sections_changed_since,
};
use generator::{SEED, START, actor, generate, ok, pid};

fn new_entry(n: u64, who: &PersonId, now: Timestamp) -> (Ctx, NewEntry) {
    (
        Ctx::new(who.clone(), now),
        NewEntry {
            id: Id::new(format!("bench{n}")).expect("valid id"),
            date: Date::new(2026, 6, 1).expect("valid date"),
            kind: EntryKind::Discovery,
            body: "Noor heeft vandaag zelf een proefje bedacht met water en zout.".into(),
            by_child: false,
            tags: vec![],
            prompt: None,
        },
    )
}

/// 50 commands of a typical offline session on one device.
fn offline_session(doc: &mut AutoCommit, who: &PersonId, tag: &str, now: Timestamp) {
    let entries: Vec<Id> = logbook_entries(doc)
        .expect("hydrates")
        .entries
        .into_iter()
        .take(20)
        .map(|e| e.id)
        .collect();
    for i in 0..50u64 {
        let ctx = Ctx::new(who.clone(), now + i as i64 * 60_000);
        let result = match i % 5 {
            0 => add_entry(
                doc,
                &ctx,
                &NewEntry {
                    id: Id::new(format!("{tag}{i}")).expect("valid id"),
                    date: Date::new(2026, 6, 2).expect("valid date"),
                    kind: EntryKind::Question,
                    body: "Waarom is de zee zout? Dat wilde Noor vandaag weten.".into(),
                    by_child: true,
                    tags: vec![],
                    prompt: None,
                },
            ),
            1 | 2 => comment_on_entry(
                doc,
                &ctx,
                &entries[i as usize % entries.len()],
                &Id::new(format!("{tag}c{i}")).expect("valid id"),
                "Goede vraag, daar gaan we morgen naar kijken.",
            ),
            3 => edit_agreement_section(
                doc,
                &ctx,
                AgreementSection::ApproachHome,
                0,
                0,
                "Samen lezen. ",
            ),
            _ => react(doc, &ctx, &entries[i as usize % entries.len()], "👍"),
        };
        ok(result);
    }
}

fn benches(c: &mut Criterion) {
    let (mut doc, facts) = generate(SEED);
    let bytes = save_dossier(&mut doc);
    eprintln!(
        "generated dossier: {} commits from {} actors, {} entries, {} bytes of text typed, \
         {} bytes saved, generated in {} ms",
        facts.commits,
        facts.actors,
        facts.entries,
        facts.text_bytes,
        facts.saved_bytes,
        facts.generate_ms
    );
    assert!(
        facts.commits >= 10_000 && facts.actors >= 20 && facts.entries >= 2_000,
        "{facts:?}"
    );
    let mum = pid("mama");
    let teacher = pid("leerkracht-4");
    let now = START + 6 * 365 * 86_400_000;

    c.bench_function("load from bytes", |b| {
        b.iter(|| load_dossier(black_box(&bytes), TextEncoding::UnicodeCodePoint).expect("loads"))
    });

    c.bench_function("hydrate the logbook list", |b| {
        b.iter(|| logbook_entries(black_box(&doc)).expect("hydrates"))
    });

    let mut n = 0u64;
    c.bench_function("add one entry", |b| {
        b.iter(|| {
            n += 1;
            let (ctx, entry) = new_entry(n, &mum, now + n as i64);
            add_entry(&mut doc, &ctx, &entry).expect("adds");
        })
    });

    // What the live store does after every command: which sections did it
    // touch? (`diff_incremental` since the previous command.)
    doc.update_diff_cursor();
    c.bench_function("sections changed by one entry, by diff_incremental", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let (ctx, entry) = new_entry(n, &mum, now + n as i64);
                add_entry(&mut doc, &ctx, &entry).expect("adds");
                let started = Instant::now();
                let sections: std::collections::BTreeSet<Section> = doc
                    .diff_incremental()
                    .iter()
                    .map(section_of_patch)
                    .collect();
                total += started.elapsed();
                assert_eq!(sections.len(), 1, "{sections:?}");
            }
            total
        })
    });

    c.bench_function("sections changed by one entry, from its change", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let (ctx, entry) = new_entry(n, &mum, now + n as i64);
                let before = doc.get_heads();
                add_entry(&mut doc, &ctx, &entry).expect("adds");
                let started = Instant::now();
                let sections = sections_changed_since(&mut doc, black_box(&before));
                total += started.elapsed();
                assert_eq!(sections.len(), 1, "{sections:?}");
            }
            total
        })
    });

    c.bench_function("save after the last saved heads", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let saved: Vec<ChangeHash> = doc.get_heads();
                n += 1;
                let (ctx, entry) = new_entry(n, &mum, now + n as i64);
                add_entry(&mut doc, &ctx, &entry).expect("adds");
                let started = Instant::now();
                let chunk =
                    save_changes_after(&mut doc, black_box(&saved)).expect("one new change");
                total += started.elapsed();
                black_box(chunk);
            }
            total
        })
    });

    let mut home = doc.fork().with_actor(actor(200, 9, 1));
    let mut school = doc.fork().with_actor(actor(201, 9, 2));
    offline_session(&mut home, &mum, "h", now + 86_400_000);
    offline_session(&mut school, &teacher, "s", now + 86_400_000);
    c.bench_function("merge 50 + 50 offline changes", |b| {
        b.iter_batched_ref(
            || home.clone(),
            |home| home.merge(&mut school).expect("merges"),
            BatchSize::LargeInput,
        )
    });
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = model;
    config = config();
    targets = benches
}
criterion_main!(model);
