//! Three devices and a simulated relay, with random disconnects and
//! partitions, duplicated and reordered deliveries, device restarts that
//! lose what was not stored, and compactions. After everyone reconnects:
//! all devices hold the same document, nothing the relay acknowledged is
//! missing anywhere, and no change was ever stored on the relay twice (no
//! device re-uploads what it received).
//!
//! Cases: `PROPTEST_CASES` (default 256).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/sync/sim_relay.rs"]
mod sim_relay;
#[path = "fixtures/store/support.rs"]
mod support;

use std::collections::{BTreeSet, VecDeque};

use automerge::{ActorId, AutoCommit, ChangeHash};
use driehoek_core::model::commands::{add_entry, create_dossier};
use driehoek_core::model::{Ctx, Id};
use driehoek_core::sync::{DossierSync, SyncProblem, SyncState, SyncStatus, device_prefix};
use driehoek_wire::SigningKey;
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::Message;
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
        1 => d.prop_map(Action::Restart),
        1 => Just(Action::Hint),
    ]
}

struct Device {
    key: SigningKey,
    doc: AutoCommit,
    sync: DossierSync,
    /// What storage holds: the document and the sync position, written
    /// together as the store's write loop does.
    stored: (Vec<u8>, SyncState),
    conn: Option<usize>,
    inbox: VecDeque<Message>,
    outbox: VecDeque<Message>,
    edits: u32,
}

fn session_actor(key: &SigningKey, session: u32) -> ActorId {
    let mut bytes = device_prefix(key).to_vec();
    bytes.extend_from_slice(&session.to_be_bytes());
    ActorId::from(bytes)
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
        let mut sessions = 0;
        for n in 0..DEVICES {
            let key = SigningKey::from_bytes(&[n as u8 + 1; 32]);
            sessions += 1;
            let mut doc = AutoCommit::new().with_actor(session_actor(&key, sessions));
            if n == 0 {
                // The founder writes the dossier's first change; the others
                // join with nothing and wait for it.
                create_dossier(&mut doc, &ctx(0), &new_dossier()).expect("create");
            }
            let (sync, _) = DossierSync::new(&secret, 0, key.clone(), None, &mut doc);
            let stored = (doc.save(), SyncState::default());
            devices.push(Device {
                key,
                doc,
                sync,
                stored,
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
            sessions,
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
        if dev.doc.get_heads().is_empty() {
            return;
        }
        dev.edits += 1;
        let entry_id = Id::new(format!("e{d}-{}-{}", self.sessions, dev.edits)).expect("id");
        let who = Ctx::new(id("juf-anna"), T0 + i64::from(dev.edits));
        add_entry(&mut dev.doc, &who, &entry(&entry_id, "iets")).expect("add");
        let step = dev.sync.poll(&mut dev.doc);
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
            let step = dev.sync.handle(&mut dev.doc, message.clone());
            for problem in &step.problems {
                // A hint reaching a device that is behind is declined.
                if !matches!(problem, SyncProblem::CompactionSkipped(_)) {
                    panic!("device {d}: unexpected problem: {problem}");
                }
            }
            dev.outbox.extend(step.send);
        }
    }

    fn store(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        dev.stored = (dev.doc.save(), dev.sync.state());
    }

    /// The relay hints a compaction (if the log grew) and it goes through.
    fn compact(&mut self) {
        self.apply(&Action::Hint);
        self.heal();
    }

    /// The device loses all it stored (a new phone) and joins again.
    fn wipe(&mut self, d: usize) {
        self.devices[d].stored = (Vec::new(), SyncState::default());
        self.restart(d);
    }

    fn restart(&mut self, d: usize) {
        self.disconnect(d);
        self.sessions += 1;
        let dev = &mut self.devices[d];
        let (bytes, state) = dev.stored.clone();
        let doc = if bytes.is_empty() {
            AutoCommit::new()
        } else {
            AutoCommit::load(&bytes).expect("stored doc")
        };
        let mut doc = doc.with_actor(session_actor(&dev.key, self.sessions));
        let (sync, problem) =
            DossierSync::new(&self.secret, 0, dev.key.clone(), Some(state), &mut doc);
        assert!(problem.is_none(), "the stored state matches the stored doc");
        dev.doc = doc;
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
                let step = dev.sync.poll(&mut dev.doc);
                dev.outbox.extend(step.send);
            }
        }
        panic!("the devices did not settle in {HEAL_ROUNDS} rounds");
    }
}

fn heads(doc: &mut AutoCommit) -> BTreeSet<ChangeHash> {
    doc.get_heads().into_iter().collect()
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
    world
}

fn check(world: &mut World) {
    let first = heads(&mut world.devices[0].doc);
    assert!(!first.is_empty());
    for (n, dev) in world.devices.iter_mut().enumerate() {
        assert_eq!(heads(&mut dev.doc), first, "device {n} differs");
        assert_eq!(dev.sync.status(), SyncStatus::UpToDate, "device {n}");
    }
    // Everything the relay acknowledged is on every device.
    let acked = world.relay.every_change(&world.secret);
    for (n, dev) in world.devices.iter_mut().enumerate() {
        for hash in &acked {
            assert!(
                dev.doc.get_change_by_hash(hash).is_some(),
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
