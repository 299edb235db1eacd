//! Removing a member: the dossier is re-founded under a new secret and key
//! epoch. Three devices (the teacher's, two parents') and simulated relay
//! logs for the old and the new secret; each device uses its real keys.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/sync/sim_relay.rs"]
mod sim_relay;
#[path = "fixtures/store/support.rs"]
mod support;

use std::collections::VecDeque;

use automerge::{ActorId, AutoCommit, ChangeHash};
use driehoek_core::model::commands::{
    add_entry, add_member, create_dossier, publish_box_key, register_device, remove_member,
};
use driehoek_core::model::read::{logbook_entries, members};
use driehoek_core::model::{Ctx, Id, Role};
use driehoek_core::sync::refound::{recipients, refound};
use driehoek_core::sync::{
    DossierSync, Refounding, SyncProblem, SyncRecord, SyncStatus, device_prefix,
};
use driehoek_wire::SigningKey;
use driehoek_wire::blob::{self, BlobKind};
use driehoek_wire::keys::{DossierId, DossierSecret};
use driehoek_wire::message::{ErrorCode, Message};
use driehoek_wire::refound::{NoticeFor, RefoundNotice, box_key_record};
use sim_relay::SimRelay;
use support::*;

/// Deliveries before a test gives up: far more than any exchange here needs.
const MAX_DELIVERIES: usize = 10_000;

const TEACHER: usize = 0;
const PARENT_A: usize = 1;
const PARENT_B: usize = 2;

struct Device {
    key: SigningKey,
    person: Id,
    doc: AutoCommit,
    record: SyncRecord,
    sync: DossierSync,
    /// Its connection to each relay log it reached, by log.
    conns: Vec<(DossierId, usize)>,
    online: bool,
    refounded: Option<Refounding>,
    problems: Vec<SyncProblem>,
}

struct World {
    relays: Vec<SimRelay>,
    devices: Vec<Device>,
    /// (device, message) on their way to a relay.
    queue: VecDeque<(usize, Message)>,
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn actor(key: &SigningKey) -> ActorId {
    let mut bytes = device_prefix(key).to_vec();
    bytes.extend_from_slice(&[7, 7, 7, 7]);
    ActorId::from(bytes)
}

fn as_person(person: &Id, minute: i64) -> Ctx {
    Ctx::new(person.clone(), T0 + minute * 60_000)
}

fn entry_bodies(doc: &AutoCommit) -> Vec<String> {
    let mut bodies: Vec<String> = logbook_entries(doc)
        .expect("entries")
        .entries
        .into_iter()
        .map(|e| e.body)
        .collect();
    bodies.sort();
    bodies
}

fn heads(doc: &mut AutoCommit) -> Vec<ChangeHash> {
    let mut h = doc.get_heads();
    h.sort();
    h
}

impl World {
    /// The teacher founds the dossier; both parents join and publish their
    /// box keys; everyone is up to date through the old log.
    fn founded() -> World {
        let old = DossierSecret::from_bytes([42; 32]);
        let people = [id("juf-anna"), id("ouder-a"), id("ouder-b")];
        let mut world = World {
            relays: vec![SimRelay::new(old.dossier_id())],
            devices: Vec::new(),
            queue: VecDeque::new(),
        };
        for (n, person) in people.iter().enumerate() {
            let key = key(n as u8 + 1);
            let mut doc = AutoCommit::new().with_actor(actor(&key));
            let record = SyncRecord::new(&old, 0);
            let (sync, _) = DossierSync::new(&old, 0, key.clone(), None, &mut doc);
            world.devices.push(Device {
                key,
                person: person.clone(),
                doc,
                record,
                sync,
                conns: Vec::new(),
                online: false,
                refounded: None,
                problems: Vec::new(),
            });
        }
        {
            let t = &mut world.devices[TEACHER];
            create_dossier(&mut t.doc, &as_person(&t.person, 0), &new_dossier()).expect("create");
            let me = t.key.verifying_key().to_bytes();
            register_device(&mut t.doc, &as_person(&t.person, 0), &me, &t.person)
                .expect("register");
            publish_box_key(
                &mut t.doc,
                &as_person(&t.person, 0),
                &me,
                &box_key_record(&t.key),
            )
            .expect("box key");
        }
        world.connect(TEACHER);
        world.settle();
        for (n, role) in [(PARENT_A, Role::Parent), (PARENT_B, Role::Parent)] {
            world.connect(n);
            world.settle();
            let d = &mut world.devices[n];
            let ctx = as_person(&d.person, 1);
            let me = d.key.verifying_key().to_bytes();
            add_member(&mut d.doc, &ctx, &d.person.clone(), "Ouder", &role).expect("join");
            register_device(&mut d.doc, &ctx, &me, &d.person.clone()).expect("register");
            publish_box_key(&mut d.doc, &ctx, &me, &box_key_record(&d.key)).expect("box key");
            world.poll(n);
            world.settle();
        }
        for n in 0..3 {
            world.poll(n);
        }
        world.settle();
        world
    }

    fn relay_of(&mut self, dossier: DossierId) -> usize {
        match self.relays.iter().position(|r| r.dossier() == dossier) {
            Some(i) => i,
            None => {
                self.relays.push(SimRelay::new(dossier));
                self.relays.len() - 1
            }
        }
    }

    fn conn(&mut self, device: usize, dossier: DossierId) -> usize {
        if let Some((_, c)) = self.devices[device]
            .conns
            .iter()
            .find(|(d, _)| *d == dossier)
        {
            return *c;
        }
        let r = self.relay_of(dossier);
        let c = self.relays[r].connect();
        self.devices[device].conns.push((dossier, c));
        c
    }

    fn connect(&mut self, device: usize) {
        self.devices[device].online = true;
        let messages = self.devices[device].sync.connected();
        self.queue.extend(messages.into_iter().map(|m| (device, m)));
    }

    fn disconnect(&mut self, device: usize) {
        let d = &mut self.devices[device];
        d.online = false;
        d.sync.disconnected();
        for (dossier, conn) in std::mem::take(&mut d.conns) {
            if let Some(r) = self.relays.iter().position(|r| r.dossier() == dossier) {
                self.relays[r].disconnect(conn);
            }
        }
    }

    fn poll(&mut self, device: usize) {
        let d = &mut self.devices[device];
        let step = d.sync.poll(&mut d.doc);
        self.queue
            .extend(step.send.into_iter().map(|m| (device, m)));
    }

    fn send(&mut self, device: usize, message: Message) {
        self.queue.push_back((device, message));
    }

    /// Moves every message until none is left.
    fn settle(&mut self) {
        for _ in 0..MAX_DELIVERIES {
            let Some((from, message)) = self.queue.pop_front() else {
                return;
            };
            if !self.devices[from].online {
                continue;
            }
            let dossier = match &message {
                Message::Subscribe { dossier, .. }
                | Message::Append { dossier, .. }
                | Message::Compact { dossier, .. }
                | Message::Retire { dossier, .. } => *dossier,
                _ => continue,
            };
            let conn = self.conn(from, dossier);
            let r = self.relay_of(dossier);
            for (to_conn, reply) in self.relays[r].handle(conn, message) {
                let Some(to) = self
                    .devices
                    .iter()
                    .position(|d| d.online && d.conns.contains(&(dossier, to_conn)))
                else {
                    continue;
                };
                self.deliver(to, reply);
            }
        }
        panic!("messages still moving after {MAX_DELIVERIES} deliveries");
    }

    fn deliver(&mut self, to: usize, message: Message) {
        let d = &mut self.devices[to];
        if !d.sync.concerns(&message) {
            return;
        }
        let step = d.sync.handle(&mut d.doc, message);
        d.problems.extend(step.problems);
        if let Some(refounding) = step.refounded {
            d.refounded = Some(refounding);
        }
        self.queue.extend(step.send.into_iter().map(|m| (to, m)));
    }

    /// A device that learnt of a re-founding goes on in the new log, as
    /// the store does: a new record, a fresh engine, connected.
    fn follow(&mut self, device: usize) {
        let d = &mut self.devices[device];
        let Some(Refounding::MovedTo { secret, epoch, .. }) = d.refounded.take() else {
            panic!("device {device} was not moved: {:?}", d.refounded);
        };
        d.record = d.record.moved_to(&secret, epoch);
        let (sync, _) = DossierSync::new(&secret, epoch, d.key.clone(), None, &mut d.doc);
        d.sync = sync;
        if d.online {
            self.connect(device);
        }
    }

    /// The teacher removes parent B and re-founds, as the store does: the
    /// new log first gets everything, then the notice goes to the old log,
    /// then the old log is retired.
    fn teacher_removes_parent_b(&mut self) -> DossierSecret {
        let b = self.devices[PARENT_B].person.clone();
        let t = &mut self.devices[TEACHER];
        remove_member(&mut t.doc, &as_person(&t.person, 10), &b).expect("remove");
        let me = t.key.verifying_key().to_bytes();
        let to = recipients(&members(&t.doc).expect("members"), &me);
        assert_eq!(to.devices.len(), 1, "only parent A's device remains");
        assert_eq!(to.without_key, 0);
        let made = refound(&t.record, &t.key, &to).expect("refound");
        assert_eq!(made.record.epoch, 1);
        let (sync, _) = DossierSync::new(&made.secret, 1, t.key.clone(), None, &mut t.doc);
        t.sync = sync;
        t.record = made.record;
        self.connect(TEACHER);
        self.settle();
        assert_eq!(self.devices[TEACHER].sync.status(), SyncStatus::UpToDate);
        let notice = self.devices[TEACHER]
            .record
            .notice
            .clone()
            .expect("pending");
        self.send(TEACHER, notice.next_message().expect("append"));
        self.settle();
        let mut posted = notice;
        posted.posted = true;
        self.send(TEACHER, posted.next_message().expect("retire"));
        self.settle();
        made.secret
    }
}

#[test]
fn remaining_members_follow_to_the_new_epoch_and_the_removed_device_is_left_out() {
    let mut world = World::founded();
    let new = world.teacher_removes_parent_b();
    assert!(world.relays[0].is_retired(), "the old log is retired");

    assert!(matches!(
        &world.devices[PARENT_A].refounded,
        Some(Refounding::MovedTo { secret, epoch: 1, .. }) if *secret == new
    ));
    assert!(matches!(
        world.devices[PARENT_B].refounded,
        Some(Refounding::LeftOut { .. })
    ));

    world.follow(PARENT_A);
    world.settle();
    let (t, a) = (TEACHER, PARENT_A);
    let teacher_heads = heads(&mut world.devices[t].doc);
    assert_eq!(heads(&mut world.devices[a].doc), teacher_heads, "converged");
    let m = members(&world.devices[a].doc).expect("members");
    assert!(!m.is_current(&id("ouder-b")), "the removal is carried over");

    // After the removal the teacher writes; parent A gets it, B does not.
    {
        let d = &mut world.devices[TEACHER];
        add_entry(
            &mut d.doc,
            &as_person(&d.person, 20),
            &entry(&id("na"), "na de wissel"),
        )
        .expect("entry");
    }
    world.poll(TEACHER);
    world.settle();
    assert!(entry_bodies(&world.devices[PARENT_A].doc).contains(&"na de wissel".to_string()));
    assert!(!entry_bodies(&world.devices[PARENT_B].doc).contains(&"na de wissel".to_string()));

    // Nothing in the new log opens with the secret the removed device has.
    let old = DossierSecret::from_bytes([42; 32]);
    let new_log = world.relay_of(new.dossier_id());
    let every = world.relays[new_log].every_change(&new);
    assert!(!every.is_empty());
    let probe = blob::seal(
        &new.encryption_key(),
        &new.dossier_id(),
        1,
        &world.devices[TEACHER].key,
        BlobKind::Changes,
        b"",
    )
    .expect("seal");
    assert!(blob::open(&old.encryption_key(), &new.dossier_id(), &probe, usize::MAX).is_err());
}

#[test]
fn the_removed_device_cannot_open_any_copy_of_the_new_secret_with_its_real_keys() {
    let mut world = World::founded();
    let new = world.teacher_removes_parent_b();
    let old = DossierSecret::from_bytes([42; 32]);
    let pending = world.devices[TEACHER]
        .record
        .notice
        .clone()
        .expect("notice");
    let Some(Message::Append { bytes, .. }) = pending.next_message() else {
        panic!("the notice is an append");
    };
    // The removed device can read the notice itself (it holds the old key)...
    let opened =
        blob::open(&old.encryption_key(), &old.dossier_id(), &bytes, usize::MAX).expect("opens");
    assert_eq!(opened.kind, BlobKind::Refounded);
    let notice = RefoundNotice::decode(&opened.changes).expect("notice");
    let removed = &world.devices[PARENT_B].key;
    assert_eq!(
        notice
            .open_for(&old.dossier_id(), removed)
            .expect("no copy"),
        NoticeFor::LeftOut
    );
    // ...and even a copy relabelled as its own does not open with its keys.
    for copy in &notice.keys {
        let mut forged = notice.clone();
        forged.keys = vec![driehoek_wire::refound::SealedSecret {
            device: removed.verifying_key().to_bytes().to_vec(),
            sealed: copy.sealed.clone(),
        }];
        assert!(forged.open_for(&old.dossier_id(), removed).is_err());
    }
    // Parent A's copy opens for parent A alone, to the new secret.
    assert_eq!(
        notice
            .open_for(&old.dossier_id(), &world.devices[PARENT_A].key)
            .expect("opens"),
        NoticeFor::Secret(new)
    );
}

#[test]
fn a_parent_offline_during_the_removal_follows_later_and_keeps_what_it_wrote_meanwhile() {
    let mut world = World::founded();
    world.disconnect(PARENT_A);
    {
        let d = &mut world.devices[PARENT_A];
        add_entry(
            &mut d.doc,
            &as_person(&d.person, 12),
            &entry(&id("thuis"), "offline thuis"),
        )
        .expect("entry");
    }
    world.teacher_removes_parent_b();
    assert!(world.devices[PARENT_A].refounded.is_none());

    world.connect(PARENT_A);
    world.settle();
    assert!(
        matches!(
            world.devices[PARENT_A].refounded,
            Some(Refounding::MovedTo { .. })
        ),
        "the notice came with the backlog, before any upload to the old log"
    );
    world.follow(PARENT_A);
    world.settle();
    assert!(entry_bodies(&world.devices[TEACHER].doc).contains(&"offline thuis".to_string()));
    let t = heads(&mut world.devices[TEACHER].doc);
    assert_eq!(heads(&mut world.devices[PARENT_A].doc), t);
}

#[test]
fn the_removed_device_can_no_longer_append_to_the_old_log() {
    let mut world = World::founded();
    world.teacher_removes_parent_b();
    let old = DossierSecret::from_bytes([42; 32]);
    let b = &mut world.devices[PARENT_B];
    assert_eq!(b.sync.status(), SyncStatus::Refused(ErrorCode::Retired));
    // The removal went to the new log only; B's copy does not know it, so
    // B can still write here, and the relay refuses to take it.
    add_entry(
        &mut b.doc,
        &as_person(&b.person, 30),
        &entry(&id("laat"), "te laat"),
    )
    .expect("written locally");
    let sealed = blob::seal(
        &old.encryption_key(),
        &old.dossier_id(),
        0,
        &b.key,
        BlobKind::Changes,
        &b.doc.save_after(&[]),
    )
    .expect("seal");
    let append = Message::Append {
        dossier: old.dossier_id(),
        token: (&old.relay_token()).into(),
        id: driehoek_wire::message::AppendId([5; 16]),
        bytes: sealed,
    };
    let conn = world.conn(PARENT_B, old.dossier_id());
    let replies = world.relays[0].handle(conn, append);
    assert!(matches!(
        replies.as_slice(),
        [(
            _,
            Message::Error {
                code: ErrorCode::Retired,
                ..
            }
        )]
    ));
}

#[test]
fn a_notice_signed_by_a_removed_members_device_is_refused() {
    let mut world = World::founded();
    // The teacher removed B (in the document) but B's device re-founds
    // first, to a secret of its own, leaving the others out.
    let b_person = world.devices[PARENT_B].person.clone();
    {
        let t = &mut world.devices[TEACHER];
        remove_member(&mut t.doc, &as_person(&t.person, 10), &b_person).expect("remove");
    }
    world.poll(TEACHER);
    world.settle();
    let b = &world.devices[PARENT_B];
    let to = recipients(&members(&world.devices[PARENT_A].doc).expect("m"), &[0; 32]);
    let forged = refound(&b.record, &b.key, &to).expect("forged");
    let message = forged
        .record
        .notice
        .expect("notice")
        .next_message()
        .expect("append");
    world.send(PARENT_B, message);
    world.settle();
    let a = &world.devices[PARENT_A];
    assert!(a.refounded.is_none(), "parent A stays where it is");
    assert!(
        a.problems
            .iter()
            .any(|p| matches!(p, SyncProblem::Rejected { reason, .. } if reason.contains("no current member"))),
        "{:?}",
        a.problems
    );
}
