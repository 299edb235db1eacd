//! A seeded generator of a realistic dossier, shared by the model
//! benchmarks (`benches/model.rs`) and the `sample_dossier` example, which
//! writes it to a file for the browser benchmarks: both must see the very
//! same document. It lives in a subdirectory so that cargo does not take it
//! for a bench target of its own.
//!
//! The generator is seeded, so every run builds the same dossier: five
//! school years, 2,000 logbook entries (about 1 MB of text) with comments
//! and reactions, an agreement typed by several people, conversations,
//! expectations, prompts, sources and measurements; more than 10,000
//! commits from more than 20 actors (one per device session), with
//! offline branches merged back in. See BENCHMARKS.md for the numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

use std::time::Instant;

use automerge::{ActorId, AutoCommit};
use driehoek_core::model::commands::*;
use driehoek_core::model::read::section;
use driehoek_core::model::{
    AgreementSection, ConversationKind, Ctx, Date, EntryKind, ExpectationList, ExpectationStatus,
    Id, ModelError, Moment, Party, PersonId, Role, SchoolYear, SourceKind, TaskStatus, Timestamp,
    save_dossier,
};

/// The seed of the dossier the benchmarks measure.
pub const SEED: u64 = 0x0d1e_40e4_2025;
const YEARS: u16 = 5;
const ENTRIES_PER_YEAR: usize = 400;
const WEEKS: usize = 40;
/// 2021-09-01T07:00:00Z.
pub const START: Timestamp = 1_630_479_600_000;

/// SplitMix64: small, seeded, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "vandaag",
    "heeft",
    "Noor",
    "een",
    "fossiel",
    "gevonden",
    "in",
    "de",
    "tuin",
    "en",
    "ze",
    "wilde",
    "weten",
    "hoe",
    "oud",
    "het",
    "is",
    "we",
    "zochten",
    "samen",
    "op",
    "internet",
    "naar",
    "dinosaurussen",
    "boek",
    "bibliotheek",
    "vraag",
    "waarom",
    "maan",
    "sterren",
    "rekenen",
    "breuken",
    "lezen",
    "schrijven",
    "verhaal",
    "tekening",
    "museum",
    "proefje",
    "water",
    "vulkaan",
    "planeet",
    "trots",
    "moeilijk",
    "geduld",
    "oefenen",
    "spelletje",
    "schaken",
    "klok",
    "tafels",
    "vermenigvuldigen",
    "Engels",
    "woorden",
    "muziek",
    "piano",
    "liedje",
    "juf",
    "klas",
    "spreekbeurt",
    "onderzoek",
    "plannen",
    "vooruit",
    "denken",
    "vriendin",
    "samenwerken",
    "zelfstandig",
    "doorzetten",
    "vragen",
    "antwoord",
    "ontdekken",
    "bouwen",
    "lego",
    "robot",
    "programmeren",
    "code",
    "computer",
    "natuur",
    "vogels",
    "bomen",
    "bladeren",
    "seizoenen",
    "herfst",
    "winter",
    "lente",
    "zomer",
    "wandeling",
    "bos",
    "kaart",
    "kompas",
    "richting",
    "meten",
    "wegen",
    "gram",
    "liter",
    "recept",
    "koken",
    "pannenkoeken",
    "verdubbelen",
    "helft",
    "kwart",
    "geschiedenis",
    "ridders",
    "kasteel",
    "Romeinen",
    "piramides",
    "Egypte",
    "tijdlijn",
    "jaartal",
    "eeuw",
    "later",
    "graag",
    "meer",
    "over",
    "leren",
    "omdat",
    "het",
    "leuk",
    "was",
    "maar",
    "ook",
    "lastig",
    "morgen",
    "verder",
];

fn sentence(rng: &mut Rng, chars: usize) -> String {
    let mut out = String::with_capacity(chars + 16);
    while out.len() < chars {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(rng.pick(WORDS).as_ref());
        if rng.chance(8) {
            out.push('.');
        }
    }
    out.push('.');
    out
}

/// The people of the partnership over the years and their device sessions.
struct Cast {
    mum: PersonId,
    dad: PersonId,
    child: PersonId,
    coordinator: PersonId,
    teachers: Vec<PersonId>,
}

pub fn pid(s: &str) -> PersonId {
    PersonId::new(s).expect("generator ids are valid")
}

/// One actor per device session: parents get a phone and a laptop session
/// each year, the child a tablet session, each year's teacher the school
/// laptop, the coordinator one session.
pub fn actor(person: u8, year: u16, device: u8) -> ActorId {
    let mut bytes = [0u8; 16];
    bytes[0] = 0xd1;
    bytes[1] = person;
    bytes[2..4].copy_from_slice(&year.to_be_bytes());
    bytes[4] = device;
    ActorId::from(bytes)
}

/// Facts about the generated dossier, printed with the results.
#[derive(Debug, Default)]
pub struct Facts {
    pub commits: usize,
    pub actors: usize,
    pub entries: usize,
    pub text_bytes: usize,
    pub saved_bytes: usize,
    pub generate_ms: u128,
}

struct Sim {
    doc: AutoCommit,
    rng: Rng,
    now: Timestamp,
    next_id: u64,
    entries: Vec<(Id, PersonId)>,
    text_bytes: usize,
}

impl Sim {
    fn id(&mut self, prefix: &str) -> Id {
        self.next_id += 1;
        Id::new(format!("{prefix}{:05}", self.next_id)).expect("generator ids are valid")
    }

    fn ctx(&mut self, person: &PersonId) -> Ctx {
        self.now += 60_000 + self.rng.below(600_000) as i64;
        Ctx::new(person.clone(), self.now)
    }
}

/// Runs one command; refusals a real user would also meet (reacting twice
/// with one emoji) are skipped, anything else is a generator bug.
pub fn ok(result: Result<(), ModelError>) {
    match result {
        Ok(()) | Err(ModelError::AlreadyExists { .. }) => {}
        Err(e) => panic!("generator command failed: {e}"),
    }
}

fn date_of(now: Timestamp) -> Date {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = now.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date::new(year, month, day).expect("generated dates are in range")
}

fn home_session(sim: &mut Sim, who: &PersonId, by_child: bool, entries: usize) {
    for _ in 0..entries {
        let id = sim.id("e");
        let len = 220 + sim.rng.below(520);
        let body = sentence(&mut sim.rng, len);
        sim.text_bytes += body.len();
        let kinds = EntryKind::known();
        let kind = sim.rng.pick(&kinds[..6]).clone();
        let ctx = sim.ctx(who);
        let tags = if sim.rng.chance(40) {
            vec![sim.rng.pick(WORDS).to_string()]
        } else {
            vec![]
        };
        ok(add_entry(
            &mut sim.doc,
            &ctx,
            &NewEntry {
                id: id.clone(),
                date: date_of(ctx.now),
                kind,
                body,
                by_child,
                tags,
                prompt: None,
            },
        ));
        sim.entries.push((id, who.clone()));
    }
    // Reply to the school on a few recent entries, and fix a typo sometimes.
    for _ in 0..sim.rng.below(3) {
        comment(sim, who);
    }
    if sim.rng.chance(45) {
        let own: Vec<Id> = sim
            .entries
            .iter()
            .rev()
            .take(12)
            .filter(|(_, a)| a == who)
            .map(|(i, _)| i.clone())
            .collect();
        if let Some(id) = own.first() {
            let len = 200 + sim.rng.below(400);
            let body = sentence(&mut sim.rng, len);
            sim.text_bytes += body.len();
            let ctx = sim.ctx(who);
            ok(edit_entry(
                &mut sim.doc,
                &ctx,
                id,
                &EntryEdit {
                    body: Some(body),
                    ..Default::default()
                },
            ));
        }
    }
}

fn recent_entry(sim: &mut Sim) -> Option<Id> {
    let n = sim.entries.len().min(30);
    if n == 0 {
        return None;
    }
    let i = sim.entries.len() - 1 - sim.rng.below(n);
    Some(sim.entries[i].0.clone())
}

fn comment(sim: &mut Sim, who: &PersonId) {
    let Some(entry) = recent_entry(sim) else {
        return;
    };
    let id = sim.id("c");
    let len = 30 + sim.rng.below(120);
    let body = sentence(&mut sim.rng, len);
    sim.text_bytes += body.len();
    let ctx = sim.ctx(who);
    ok(comment_on_entry(&mut sim.doc, &ctx, &entry, &id, &body));
}

fn react_to(sim: &mut Sim, who: &PersonId) {
    let Some(entry) = recent_entry(sim) else {
        return;
    };
    let emoji = *sim.rng.pick(&["👍", "❤️", "🎉", "😮", "⭐"]);
    let ctx = sim.ctx(who);
    ok(react(&mut sim.doc, &ctx, &entry, emoji));
}

fn school_session(sim: &mut Sim, teacher: &PersonId, week: usize) {
    for _ in 0..(12 + sim.rng.below(6)) {
        comment(sim, teacher);
    }
    for _ in 0..(10 + sim.rng.below(6)) {
        react_to(sim, teacher);
    }
    let id = sim.id("e");
    let body = sentence(&mut sim.rng, 200);
    sim.text_bytes += body.len();
    let ctx = sim.ctx(teacher);
    ok(add_entry(
        &mut sim.doc,
        &ctx,
        &NewEntry {
            id: id.clone(),
            date: date_of(ctx.now),
            kind: EntryKind::PositiveNote,
            body,
            by_child: false,
            tags: vec![],
            prompt: None,
        },
    ));
    sim.entries.push((id, teacher.clone()));
    if week.is_multiple_of(2) {
        let id = sim.id("p");
        let question = sentence(&mut sim.rng, 80);
        let ctx = sim.ctx(teacher);
        ok(add_home_prompt(
            &mut sim.doc,
            &ctx,
            &id,
            "Praat thuis over",
            &question,
        ));
    }
}

fn type_in_agreement(sim: &mut Sim, who: &PersonId, edits: usize) {
    for _ in 0..edits {
        let which = *sim.rng.pick(&AgreementSection::ALL);
        let text = section(&sim.doc, which).expect("section reads");
        let len = text.chars().count();
        let ctx = sim.ctx(who);
        if len > 3_000 && sim.rng.chance(60) {
            let pos = sim.rng.below(len - 200);
            ok(edit_agreement_section(
                &mut sim.doc,
                &ctx,
                which,
                pos,
                40 + sim.rng.below(120),
                "",
            ));
        } else {
            // Insert at a word boundary, as people do.
            let boundaries: Vec<usize> = std::iter::once(0)
                .chain(
                    text.chars()
                        .enumerate()
                        .filter(|(_, c)| *c == ' ')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            let pos = *sim.rng.pick(&boundaries);
            let n = 15 + sim.rng.below(50);
            let phrase = format!("{} ", sentence(&mut sim.rng, n));
            ok(edit_agreement_section(
                &mut sim.doc,
                &ctx,
                which,
                pos,
                0,
                &phrase,
            ));
        }
    }
}

fn conversation(sim: &mut Sim, cast: &Cast, teacher: &PersonId) {
    let id = sim.id("g");
    let ctx = sim.ctx(teacher);
    ok(add_conversation(
        &mut sim.doc,
        &ctx,
        &NewConversation {
            id: id.clone(),
            kind: if sim.entries.len() % (ENTRIES_PER_YEAR) < 20 {
                ConversationKind::Start
            } else {
                ConversationKind::Progress
            },
            date: date_of(ctx.now + 7 * 86_400_000),
            participants: vec![teacher.clone(), cast.mum.clone(), cast.child.clone()],
        },
    ));
    for (party, who) in [
        (Party::Parents, &cast.mum),
        (Party::School, teacher),
        (Party::Child, &cast.child),
    ] {
        let text = sentence(&mut sim.rng, 150);
        let ctx = sim.ctx(who);
        ok(set_conversation_input(
            &mut sim.doc,
            &ctx,
            &id,
            &party,
            &text,
        ));
    }
    let mut len = 0;
    for i in 0..10 {
        let who = if i % 2 == 0 { teacher } else { &cast.mum };
        let phrase = format!("{} ", sentence(&mut sim.rng, 40));
        let ctx = sim.ctx(who);
        ok(edit_conversation_notes(
            &mut sim.doc,
            &ctx,
            &id,
            len,
            0,
            &phrase,
        ));
        len += phrase.chars().count();
    }
    for owner in [&cast.dad, teacher, &cast.mum] {
        let a = sim.id("a");
        let ctx = sim.ctx(teacher);
        ok(add_conversation_action(
            &mut sim.doc,
            &ctx,
            &id,
            &a,
            "Afspraak uitvoeren",
            owner,
            Some(date_of(ctx.now + 30 * 86_400_000)),
        ));
        let ctx = sim.ctx(owner);
        ok(set_action_status(
            &mut sim.doc,
            &ctx,
            &id,
            &a,
            &TaskStatus::Done,
        ));
    }
}

fn measure(sim: &mut Sim, people: &[&PersonId], moment: Moment) {
    for who in people {
        for s in driehoek_core::model::measurement::STATEMENTS {
            let ctx = sim.ctx(who);
            let score = 1 + sim.rng.below(5) as u8;
            ok(answer_statement(&mut sim.doc, &ctx, &moment, s.id, score));
        }
    }
}

pub fn generate(seed: u64) -> (AutoCommit, Facts) {
    let started = Instant::now();
    let cast = Cast {
        mum: pid("mama"),
        dad: pid("papa"),
        child: pid("kind"),
        coordinator: pid("ib"),
        teachers: (0..YEARS)
            .map(|y| pid(&format!("leerkracht-{y}")))
            .collect(),
    };
    let mut sim = Sim {
        doc: AutoCommit::new().with_actor(actor(10, 0, 0)),
        rng: Rng(seed),
        now: START,
        next_id: 0,
        entries: Vec::new(),
        text_bytes: 0,
    };
    let ctx = sim.ctx(&cast.teachers[0]);
    create_dossier(
        &mut sim.doc,
        &ctx,
        &NewDossier {
            child_name: "Noor".into(),
            group: "groep 4".into(),
            school_year: SchoolYear::starting(2021).expect("year"),
            creator_name: "Leerkracht 0".into(),
            creator_role: Role::Teacher,
        },
    )
    .expect("create");
    for (who, name, role) in [
        (&cast.mum, "Eva", Role::Parent),
        (&cast.dad, "Ali", Role::Parent),
        (&cast.coordinator, "IB", Role::Coordinator),
    ] {
        let ctx = sim.ctx(who);
        ok(add_member(&mut sim.doc, &ctx, who, name, &role));
    }
    let ctx = sim.ctx(&cast.mum);
    ok(add_member(
        &mut sim.doc,
        &ctx,
        &cast.child,
        "Noor",
        &Role::Child,
    ));

    for year in 0..YEARS {
        let teacher = cast.teachers[year as usize].clone();
        sim.now = sim.now.max(START + i64::from(year) * 365 * 86_400_000);
        sim.doc.set_actor(actor(10 + year as u8, year, 0));
        if year > 0 {
            let ctx = sim.ctx(&teacher);
            ok(add_member(
                &mut sim.doc,
                &ctx,
                &teacher,
                &format!("Leerkracht {year}"),
                &Role::Teacher,
            ));
            let ctx = sim.ctx(&teacher);
            ok(edit_dossier(
                &mut sim.doc,
                &ctx,
                &DossierEdit {
                    group: Some(format!("groep {}", 4 + year)),
                    school_year: Some(SchoolYear::starting(2021 + year).expect("year")),
                    ..Default::default()
                },
            ));
        }
        for list in ExpectationList::ALL {
            for _ in 0..2 {
                let id = sim.id("x");
                let text = sentence(&mut sim.rng, 90);
                let ctx = sim.ctx(&cast.mum);
                ok(propose_expectation(&mut sim.doc, &ctx, list, &id, &text));
                for who in [&teacher, &cast.dad] {
                    let c = sim.id("k");
                    let body = sentence(&mut sim.rng, 60);
                    let ctx = sim.ctx(who);
                    ok(comment_on_expectation(
                        &mut sim.doc,
                        &ctx,
                        list,
                        &id,
                        &c,
                        &body,
                    ));
                    let ctx = sim.ctx(who);
                    ok(mark_agreement(&mut sim.doc, &ctx, list, &id, true));
                }
                let ctx = sim.ctx(&teacher);
                ok(set_expectation_status(
                    &mut sim.doc,
                    &ctx,
                    list,
                    &id,
                    &ExpectationStatus::Agreed,
                ));
            }
        }
        let mut tasks = Vec::new();
        for who in [&cast.mum, &cast.dad, &cast.mum] {
            let id = sim.id("t");
            let ctx = sim.ctx(&teacher);
            ok(add_parent_task(
                &mut sim.doc,
                &ctx,
                &id,
                "Materiaal verzamelen",
                who,
                Some(date_of(ctx.now + 60 * 86_400_000)),
            ));
            tasks.push(id);
        }
        let ctx = sim.ctx(&teacher);
        ok(set_conversation_arrangement(
            &mut sim.doc,
            &ctx,
            Some("elke zes weken"),
            Some("ouders, leerkracht en Noor"),
        ));
        measure(
            &mut sim,
            &[&cast.mum, &cast.dad, &teacher, &cast.child],
            Moment::Baseline,
        );

        for week in 0..WEEKS {
            // Home and school work offline at the same time every fourth
            // week and merge afterwards; otherwise they take turns.
            let branch = week % 4 == 3;
            let known_at_fork = sim.entries.len();
            let mut school = if branch {
                Some(sim.doc.fork().with_actor(actor(10 + year as u8, year, 1)))
            } else {
                None
            };
            let (who, device, by_child) = match sim.rng.below(5) {
                0 | 1 => (cast.mum.clone(), 1 + sim.rng.below(2) as u8, false),
                2 | 3 => (cast.dad.clone(), 3 + sim.rng.below(2) as u8, false),
                _ => (cast.child.clone(), 5, true),
            };
            sim.doc.set_actor(actor(device, year, device));
            let per_week = ENTRIES_PER_YEAR / WEEKS - 1;
            home_session(&mut sim, &who, by_child, per_week);
            let other = if who == cast.mum {
                cast.dad.clone()
            } else {
                cast.mum.clone()
            };
            sim.doc
                .set_actor(actor(if other == cast.mum { 1 } else { 3 }, year, 6));
            for _ in 0..2 {
                react_to(&mut sim, &other);
            }
            type_in_agreement(&mut sim, &other, 3);

            match school.as_mut() {
                Some(fork) => {
                    // The school's branch sees only what existed when it
                    // went offline.
                    let mut seen = sim.entries[..known_at_fork].to_vec();
                    std::mem::swap(&mut sim.doc, fork);
                    std::mem::swap(&mut sim.entries, &mut seen);
                    school_session(&mut sim, &teacher, week);
                    type_in_agreement(&mut sim, &teacher, 4);
                    std::mem::swap(&mut sim.doc, fork);
                    std::mem::swap(&mut sim.entries, &mut seen);
                    sim.entries.extend(seen.drain(known_at_fork..));
                    sim.doc.merge(fork).expect("merge branch");
                }
                None => {
                    sim.doc.set_actor(actor(10 + year as u8, year, 0));
                    school_session(&mut sim, &teacher, week);
                    type_in_agreement(&mut sim, &teacher, 4);
                }
            }
            sim.doc.set_actor(actor(10 + year as u8, year, 0));
            if week % 10 == 5 {
                conversation(&mut sim, &cast, &teacher);
            }
            if week % 3 == 1 {
                let id = sim.id("s");
                let ctx = sim.ctx(&other);
                ok(add_source(
                    &mut sim.doc,
                    &ctx,
                    &NewSource {
                        id: id.clone(),
                        title: sentence(&mut sim.rng, 20),
                        link: Some(format!("https://example.org/{id}")),
                        kind: SourceKind::Website,
                        note: sentence(&mut sim.rng, 60),
                    },
                ));
                let ctx = sim.ctx(&cast.child);
                ok(mark_source_tried(&mut sim.doc, &ctx, &id, true));
            }
            if week == WEEKS / 2 {
                sim.doc.set_actor(actor(20, year, 0));
                let ctx = sim.ctx(&cast.coordinator);
                ok(set_evaluation_date(
                    &mut sim.doc,
                    &ctx,
                    Some(date_of(ctx.now + 90 * 86_400_000)),
                ));
                sim.doc.set_actor(actor(10 + year as u8, year, 0));
            }
        }
        for task in &tasks {
            let ctx = sim.ctx(&cast.mum);
            ok(set_parent_task_status(
                &mut sim.doc,
                &ctx,
                task,
                &TaskStatus::Done,
            ));
        }
        for who in [&teacher, &cast.mum, &cast.dad] {
            let id = sim.id("sig");
            let ctx = sim.ctx(who);
            match sign_agreement(&mut sim.doc, &ctx, &id) {
                Ok(_) | Err(ModelError::AlreadyExists { .. }) => {}
                Err(e) => panic!("sign: {e}"),
            }
        }
        measure(
            &mut sim,
            &[&cast.mum, &cast.dad, &teacher, &cast.child],
            Moment::End,
        );
    }

    let mut doc = sim.doc;
    let changes = doc.get_changes_meta(&[]);
    let commits = changes.len();
    let actors = changes
        .iter()
        .map(|c| c.actor.to_hex_string())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    drop(changes);
    let facts = Facts {
        commits,
        actors,
        entries: sim.entries.len(),
        text_bytes: sim.text_bytes,
        saved_bytes: save_dossier(&mut doc).len(),
        generate_ms: started.elapsed().as_millis(),
    };
    (doc, facts)
}
