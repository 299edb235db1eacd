//! Three devices and a simulated relay, with random disconnects and
//! partitions, duplicated and reordered deliveries, writes to storage that
//! fail, device restarts that lose what was not stored, and compactions.
//! After everyone reconnects: all devices hold the same document, nothing
//! the relay acknowledged is missing anywhere, no change was ever stored on
//! the relay twice (no device re-uploads what it received), and what each
//! device stored reopens to what it holds.
//!
//! Each device runs the app's own code: the sync engine, and the store's
//! persistence and write plan over an in-memory storage (chunks, the sync
//! position in the same batch, reopening from storage).
//!
//! Cases: `PROPTEST_CASES` (default 256).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/sync/sim_relay.rs"]
mod sim_relay;
#[path = "fixtures/store/support.rs"]
mod support;

use std::collections::{BTreeSet, VecDeque};

use automerge::{ChangeHash, TextEncoding};
use driehoek_core::model::commands::add_entry;
use driehoek_core::model::{Ctx, Id};
use driehoek_core::storage::{
    FailureInjection, KeyValueStore, MemoryStore, StorageError, WriteBatch,
};
use driehoek_core::store::{Persistence, SessionDossier, StoreConfig, SyncPosition, WriteQueue};
use driehoek_core::sync::{
    DossierSync, SyncProblem, SyncRecord, SyncStatus, device_prefix, record,
};
use driehoek_wire::SigningKey;
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::Message;
use futures::executor::block_on;
use proptest::prelude::*;
use sim_relay::SimRelay;
use support::*;

const DEVICES: usize = 3;
/// Rounds of delivery after the last action; each round moves every queued
/// message, so a handful suffices; the bound keeps a bug from looping.
const HEAL_ROUNDS: usize = 200;

#[derive(Clone, Debug)]
enum Action {
    Edit(usize),
    Connect(usize),
    Disconnect(usize),
    /// The relay handles what this device sent.
    RelayTurn(usize),
    /// The device handles its next message; `dup` delivers it twice, `swap`
    /// takes the second message first.
    Deliver {
        device: usize,
        dup: bool,
        swap: bool,
    },
    Store(usize),
    /// The device's next write fails (a full disk); it stores later.
    StoreFails(usize),
    Restart(usize),
    Hint,
}

fn action() -> impl Strategy<Value = Action> {
    let d = 0..DEVICES;
    prop_oneof![
        4 => d.clone().prop_map(Action::Edit),
        2 => d.clone().prop_map(Action::Connect),
        1 => d.clone().prop_map(Action::Disconnect),
        5 => d.clone().prop_map(Action::RelayTurn),
        8 => (d.clone(), prop::bool::weighted(0.1), prop::bool::weighted(0.1))
            .prop_map(|(device, dup, swap)| Action::Deliver { device, dup, swap }),
        2 => d.clone().prop_map(Action::Store),
        1 => d.clone().prop_map(Action::StoreFails),
        1 => d.prop_map(Action::Restart),
        1 => Just(Action::Hint),
    ]
}

struct Device {
    key: SigningKey,
    /// What the device keeps: chunks, metadata and its sync record.
    storage: MemoryStore,
    dossier: SessionDossier,
    /// What goes with the next write besides the changes.
    queue: WriteQueue,
    record: SyncRecord,
    sync: DossierSync,
    conn: Option<usize>,
    inbox: VecDeque<Message>,
    outbox: VecDeque<Message>,
    edits: u32,
}

fn dossier_id() -> Id {
    id("noor")
}

fn config(key: &SigningKey) -> StoreConfig {
    StoreConfig {
        device_prefix: device_prefix(key).to_vec(),
        encoding: TextEncoding::UnicodeCodePoint,
    }
}

/// A device that joins: its storage knows the dossier and its secret, and
/// holds nothing of the document until the relay brings it.
fn join(storage: &MemoryStore, key: &SigningKey, secret: &DossierSecret) -> SessionDossier {
    let p = Persistence::new(storage, config(key));
    let record = SyncRecord::new(secret, 0);
    let extra = WriteBatch::new().put(record::key(&dossier_id()), record.to_json());
    block_on(p.join(&dossier_id(), extra)).expect("join");
    block_on(p.open(&dossier_id())).expect("open").dossier
}

struct World {
    secret: DossierSecret,
    relay: SimRelay,
    devices: Vec<Device>,
    sessions: u32,
}

impl World {
    fn new() -> Self {
        let secret = DossierSecret::from_bytes([42; 32]);
        let mut devices = Vec::new();
        for n in 0..DEVICES {
            let key = SigningKey::from_bytes(&[n as u8 + 1; 32]);
            let storage = MemoryStore::new();
            let mut dossier = if n == 0 {
                // The founder writes the dossier's first change; the others
                // join with nothing and wait for it.
                let p = Persistence::new(&storage, config(&key));
                let dossier =
                    block_on(p.create(&dossier_id(), &ctx(0), &new_dossier())).expect("create");
                // Its sync record is stored before it first syncs.
                let record = SyncRecord::new(&secret, 0);
                block_on(storage.put(&record::key(&dossier_id()), &record.to_json()))
                    .expect("sync record");
                dossier
            } else {
                join(&storage, &key, &secret)
            };
            let (sync, _) = DossierSync::new(&secret, 0, key.clone(), None, dossier.doc_mut());
            devices.push(Device {
                key,
                storage,
                dossier,
                queue: WriteQueue::default(),
                record: SyncRecord::new(&secret, 0),
                sync,
                conn: None,
                inbox: VecDeque::new(),
                outbox: VecDeque::new(),
                edits: 0,
            });
        }
        World {
            relay: SimRelay::new(secret.dossier_id()),
            secret,
            devices,
            sessions: 1,
        }
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Edit(d) => self.edit(d),
            Action::Connect(d) => self.connect(d),
            Action::Disconnect(d) => self.disconnect(d),
            Action::RelayTurn(d) => self.relay_turn(d),
            Action::Deliver { device, dup, swap } => self.deliver(device, dup, swap),
            Action::Store(d) => self.store(d),
            Action::StoreFails(d) => {
                let dev = &self.devices[d];
                dev.storage
                    .fail_next_write(StorageError::Backend("the disk is full".into()));
                self.store(d);
            }
            Action::Restart(d) => self.restart(d),
            Action::Hint => {
                if let Some((conn, hint)) = self.relay.hint()
                    && let Some(dev) = self.devices.iter_mut().find(|x| x.conn == Some(conn))
                {
                    dev.inbox.push_back(hint);
                }
            }
        }
    }

    fn edit(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        // A joined device edits only once the dossier has arrived.
        if dev.dossier.doc_mut().get_heads().is_empty() {
            return;
        }
        dev.edits += 1;
        let entry_id = Id::new(format!("e{d}-{}-{}", self.sessions, dev.edits)).expect("id");
        let who = Ctx::new(id("juf-anna"), T0 + i64::from(dev.edits));
        add_entry(dev.dossier.doc_mut(), &who, &entry(&entry_id, "iets")).expect("add");
        let step = dev.sync.poll(dev.dossier.doc_mut());
        dev.outbox.extend(step.send);
    }

    fn connect(&mut self, d: usize) {
        if self.devices[d].conn.is_some() {
            return;
        }
        let conn = self.relay.connect();
        let dev = &mut self.devices[d];
        dev.conn = Some(conn);
        let subscribe = dev.sync.connected();
        dev.outbox.extend(subscribe);
    }

    fn disconnect(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        if let Some(conn) = dev.conn.take() {
            self.relay.disconnect(conn);
        }
        // What was on the wire is gone with the connection.
        dev.inbox.clear();
        dev.outbox.clear();
        dev.sync.disconnected();
    }

    fn relay_turn(&mut self, d: usize) {
        let Some(conn) = self.devices[d].conn else {
            return;
        };
        let sent: Vec<Message> = self.devices[d].outbox.drain(..).collect();
        for message in sent {
            for (to, reply) in self.relay.handle(conn, message) {
                if let Some(dev) = self.devices.iter_mut().find(|x| x.conn == Some(to)) {
                    dev.inbox.push_back(reply);
                }
            }
        }
    }

    fn deliver(&mut self, d: usize, dup: bool, swap: bool) {
        let dev = &mut self.devices[d];
        if swap && dev.inbox.len() >= 2 {
            dev.inbox.swap(0, 1);
        }
        let Some(message) = dev.inbox.pop_front() else {
            return;
        };
        let times = if dup { 2 } else { 1 };
        for _ in 0..times {
            let step = dev.sync.handle(dev.dossier.doc_mut(), message.clone());
            for problem in &step.problems {
                // A hint reaching a device that is behind is declined.
                if !matches!(problem, SyncProblem::CompactionSkipped(_)) {
                    panic!("device {d}: unexpected problem: {problem}");
                }
            }
            dev.outbox.extend(step.send);
        }
    }

    /// The device's write loop runs once: the app's write plan, written to
    /// its storage; a failed write leaves all of it for the next one.
    fn store(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        let position = SyncPosition {
            engine: &mut dev.sync,
            record: &mut dev.record,
        };
        let plan = dev
            .queue
            .plan(&mut dev.dossier, Some(position), None, T0)
            .expect("plan");
        let Some(plan) = plan else { return };
        let Some(batch) = plan.batch().cloned() else {
            return;
        };
        match block_on(dev.storage.write_batch(batch)) {
            Ok(()) => dev.queue.stored(plan, &mut dev.dossier),
            Err(_) => {
                dev.queue.failed(plan, Some(&mut dev.sync));
            }
        }
    }

    /// The relay hints a compaction (if the log grew) and it goes through.
    fn compact(&mut self) {
        self.apply(&Action::Hint);
        self.heal();
    }

    /// The device loses all it stored (a new phone) and joins again.
    fn wipe(&mut self, d: usize) {
        self.disconnect(d);
        let dev = &mut self.devices[d];
        dev.storage = MemoryStore::new();
        dev.dossier = join(&dev.storage, &dev.key, &self.secret);
        self.restart(d);
    }

    /// The device starts again from what its storage holds, with a new
    /// session (a new actor id), as the app does on the next visit.
    fn restart(&mut self, d: usize) {
        self.disconnect(d);
        self.sessions += 1;
        let dev = &mut self.devices[d];
        let p = Persistence::new(&dev.storage, config(&dev.key));
        let opened = block_on(p.open(&dossier_id())).expect("reopen");
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        let stored = block_on(dev.storage.get(&record::key(&dossier_id())))
            .expect("read the sync record")
            .and_then(|bytes| SyncRecord::from_json(&bytes))
            .expect("a sync record");
        let mut dossier = opened.dossier;
        let (sync, problem) = DossierSync::new(
            &self.secret,
            0,
            dev.key.clone(),
            Some(stored.state.clone()),
            dossier.doc_mut(),
        );
        assert!(
            problem.is_none(),
            "the stored position matches the stored document"
        );
        dev.dossier = dossier;
        dev.record = stored;
        dev.queue = WriteQueue::default();
        dev.sync = sync;
    }

    /// Everyone online, every message delivered, until nothing moves.
    fn heal(&mut self) {
        for d in 0..DEVICES {
            self.connect(d);
        }
        for _ in 0..HEAL_ROUNDS {
            let busy = self
                .devices
                .iter()
                .any(|d| !d.inbox.is_empty() || !d.outbox.is_empty());
            if !busy {
                return;
            }
            for d in 0..DEVICES {
                self.relay_turn(d);
            }
            for d in 0..DEVICES {
                while !self.devices[d].inbox.is_empty() {
                    self.deliver(d, false, false);
                }
                let dev = &mut self.devices[d];
                let step = dev.sync.poll(dev.dossier.doc_mut());
                dev.outbox.extend(step.send);
            }
        }
        panic!("the devices did not settle in {HEAL_ROUNDS} rounds");
    }
}

fn heads(dossier: &mut SessionDossier) -> BTreeSet<ChangeHash> {
    dossier.doc_mut().get_heads().into_iter().collect()
}

fn run(actions: &[Action]) -> World {
    let mut world = World::new();
    for a in actions {
        world.apply(a);
    }
    world.heal();
    // Then a compaction, more writing after it, and a device that starts
    // over from nothing and must get everything from the snapshot on.
    world.compact();
    for d in 0..DEVICES {
        world.edit(d);
    }
    world.heal();
    world.wipe(DEVICES - 1);
    world.heal();
    check(&mut world);
    // What each device stored reopens to what it holds, and syncs on from
    // there without fetching or sending anything again.
    for d in 0..DEVICES {
        // A failure armed by the last StoreFails hits the first write.
        world.store(d);
        world.store(d);
        let before = heads(&mut world.devices[d].dossier);
        world.restart(d);
        assert_eq!(
            heads(&mut world.devices[d].dossier),
            before,
            "device {d} reopened"
        );
    }
    world.heal();
    check(&mut world);
    world
}

fn check(world: &mut World) {
    let first = heads(&mut world.devices[0].dossier);
    assert!(!first.is_empty());
    for (n, dev) in world.devices.iter_mut().enumerate() {
        assert_eq!(heads(&mut dev.dossier), first, "device {n} differs");
        assert_eq!(dev.sync.status(), SyncStatus::UpToDate, "device {n}");
    }
    // Everything the relay acknowledged is on every device.
    let acked = world.relay.every_change(&world.secret);
    for (n, dev) in world.devices.iter_mut().enumerate() {
        for hash in &acked {
            assert!(
                dev.dossier.doc_mut().get_change_by_hash(hash).is_some(),
                "device {n} lacks acknowledged change {hash}"
            );
        }
    }
    // No change went up twice: every device uploaded only what it wrote.
    world.relay.assert_each_change_stored_once(&world.secret);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn devices_converge_and_nothing_acknowledged_is_lost_or_uploaded_twice(
        actions in prop::collection::vec(action(), 0..120)
    ) {
        run(&actions);
    }
}

#[test]
fn a_founder_and_two_joiners_converge_through_the_relay() {
    use Action::*;
    run(&[
        Connect(0),
        RelayTurn(0),
        Deliver {
            device: 0,
            dup: false,
            swap: false,
        },
        Edit(0),
        RelayTurn(0),
        Connect(1),
        RelayTurn(1),
        Deliver {
            device: 1,
            dup: false,
            swap: false,
        },
        Edit(1),
    ]);
}

#[test]
fn a_compaction_keeps_everything_for_a_device_that_joins_later() {
    use Action::*;
    let mut actions = vec![Connect(0), RelayTurn(0)];
    for _ in 0..6 {
        actions.extend([
            Deliver {
                device: 0,
                dup: false,
                swap: false,
            },
            Edit(0),
            RelayTurn(0),
        ]);
    }
    actions.extend([
        Deliver {
            device: 0,
            dup: false,
            swap: false,
        },
        Hint,
        Deliver {
            device: 0,
            dup: false,
            swap: false,
        },
        RelayTurn(0),
        Edit(0),
    ]);
    let world = run(&actions);
    assert!(world.relay.compactions() >= 1, "a compaction happened");
}
