//! The one connection to the relay that a device holds for all its
//! dossiers, without IO: which dossier a frame is for, when to try again,
//! and how sync stands as a whole.
//!
//! The app's syncing tab owns the socket; it hands every frame to
//! [`Connection::frame`] and does what the returned [`FrameAction`] says,
//! asks [`Connection::closed`] how long to wait before reconnecting, and
//! shows [`Connection::overview`] in the header. Each dossier's own state
//! is its [`DossierSync`](super::DossierSync) engine.

use std::collections::HashMap;

use driehoek_wire::keys::DossierId;
use driehoek_wire::message::{ErrorCode, Message, PROTOCOL_VERSION};

use super::engine::SyncStatus;
use crate::model::Id;

/// The first reconnect waits about this long (half of it to all of it).
pub const FIRST_DELAY_MS: u32 = 500;
/// Reconnect delays double up to this.
pub const LONGEST_DELAY_MS: u32 = 30_000;

/// How this device's sync stands, for the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncOverview {
    /// Another tab of this app syncs (or sync has not started).
    Elsewhere,
    Offline,
    Connecting,
    /// Connected; this many changes wait for the relay's acknowledgement.
    Sending(usize),
    UpToDate,
    Problem(SyncTrouble),
}

/// Why sync does not work; the screens say it in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncTrouble {
    /// The relay speaks another protocol version (an app update is due).
    RelayVersion,
    /// The relay closed the connection, saying this (for a log or a tip).
    Closed(String),
    /// The relay refused a dossier of this device.
    Refused(ErrorCode),
}

/// Why a connection is given up on after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Not a message of this protocol: the relay or something between is
    /// broken, so the socket closes and a new one is tried later.
    Undecodable,
    /// The relay speaks another protocol version.
    OtherProtocol(u32),
}

/// What to do with one frame from the relay.
#[derive(Clone, Debug, PartialEq)]
pub enum FrameAction {
    /// Close the socket and reconnect later.
    Drop(DropReason),
    /// The relay said Hello: every syncing dossier's engine connects.
    Connected,
    /// The relay ends the connection, saying why.
    RelayClosed(String),
    /// For the dossier with this relay id: `None` when no open dossier has
    /// it (one removed from this device meanwhile); then it is dropped.
    ToDossier(Option<Id>, Message),
    /// For no dossier by name (an acknowledgement): every syncing dossier
    /// whose engine or pending notice concerns itself with it.
    ToConcerned(Message),
}

/// The state of the device's connection to the relay.
#[derive(Debug, Default)]
pub struct Connection {
    /// This tab holds the sync lock.
    enabled: bool,
    /// The relay said Hello on the current socket.
    open: bool,
    /// Failed attempts since the last Hello.
    attempt: u32,
    problem: Option<SyncTrouble>,
    by_relay_id: HashMap<DossierId, Id>,
    /// A reconnect is planned because the relay was full.
    full_retry_planned: bool,
}

impl Connection {
    /// This tab became the one that syncs.
    pub fn enable(&mut self) {
        self.enabled = true;
    }

    /// Whether this tab syncs.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Whether the relay said Hello on the current socket.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Whether a socket should be opened now: this tab syncs, none is open
    /// or opening, and the device has its key.
    pub fn should_connect(&self, has_socket: bool, has_device: bool) -> bool {
        self.enabled && !has_socket && has_device
    }

    /// Dossier `id` is known to the relay as `relay_id`.
    pub fn register(&mut self, relay_id: DossierId, id: Id) {
        self.by_relay_id.insert(relay_id, id);
    }

    /// `relay_id` is no longer a dossier of this device (left, or moved to
    /// a new secret).
    pub fn forget(&mut self, relay_id: &DossierId) {
        self.by_relay_id.remove(relay_id);
    }

    /// Decides what one frame from the relay means.
    pub fn frame(&mut self, bytes: &[u8]) -> FrameAction {
        let Some(message) = Message::decode(bytes) else {
            return FrameAction::Drop(DropReason::Undecodable);
        };
        match message {
            Message::Hello { protocol, .. } if protocol == PROTOCOL_VERSION => {
                self.open = true;
                self.attempt = 0;
                self.problem = None;
                FrameAction::Connected
            }
            Message::Hello { protocol, .. } => {
                self.problem = Some(SyncTrouble::RelayVersion);
                FrameAction::Drop(DropReason::OtherProtocol(protocol))
            }
            Message::Error {
                message,
                dossier: None,
                ..
            } => {
                self.problem = Some(SyncTrouble::Closed(message.clone()));
                FrameAction::RelayClosed(message)
            }
            message => match relay_dossier(&message) {
                Some(relay_id) => {
                    FrameAction::ToDossier(self.by_relay_id.get(&relay_id).cloned(), message)
                }
                None => FrameAction::ToConcerned(message),
            },
        }
    }

    /// The socket closed (or could not be opened): how long to wait before
    /// the next attempt, given one random byte for the jitter.
    pub fn closed(&mut self, random: u8) -> u32 {
        self.open = false;
        self.attempt = self.attempt.saturating_add(1);
        backoff_ms(self.attempt, random)
    }

    /// The browser says it is online again: the next attempt goes at once
    /// and waits from the start if it fails.
    pub fn online(&mut self) {
        self.attempt = 0;
    }

    /// The person asked for a fresh connection (a new creation code): the
    /// old socket is dropped without counting as a failure, and what went
    /// wrong before is forgotten.
    pub fn restart(&mut self) {
        self.open = false;
        self.attempt = 0;
        self.problem = None;
    }

    /// The relay is full: plan one retry however many dossiers it refused;
    /// `false` when one is planned already.
    pub fn plan_full_retry(&mut self) -> bool {
        !std::mem::replace(&mut self.full_retry_planned, true)
    }

    /// The planned retry after a full relay is due.
    pub fn full_retry_due(&mut self) {
        self.full_retry_planned = false;
    }

    /// How sync stands, from this connection and the status of every
    /// syncing dossier's engine.
    pub fn overview(
        &self,
        has_socket: bool,
        statuses: impl IntoIterator<Item = SyncStatus>,
    ) -> SyncOverview {
        if !self.enabled {
            return SyncOverview::Elsewhere;
        }
        if let Some(problem) = &self.problem {
            return SyncOverview::Problem(problem.clone());
        }
        if !has_socket || (!self.open && self.attempt > 0) {
            // Retrying after a failure reads as offline, not as a status
            // that flickers with every attempt.
            return SyncOverview::Offline;
        }
        if !self.open {
            return SyncOverview::Connecting;
        }
        let mut sending = 0;
        let mut connecting = false;
        let mut refused = None;
        for status in statuses {
            match status {
                SyncStatus::Sending(n) => sending += n,
                SyncStatus::Connecting | SyncStatus::Offline => connecting = true,
                SyncStatus::Refused(code) => refused = Some(code),
                SyncStatus::UpToDate => {}
            }
        }
        match (refused, connecting, sending) {
            (Some(code), _, _) => SyncOverview::Problem(SyncTrouble::Refused(code)),
            (None, true, _) => SyncOverview::Connecting,
            (None, false, 0) => SyncOverview::UpToDate,
            (None, false, n) => SyncOverview::Sending(n),
        }
    }
}

/// Exponential backoff with jitter, so a relay that comes back is not hit
/// by every device in the same instant: attempt 1 waits 250-500 ms, each
/// next one twice as long, up to 15-30 s.
pub fn backoff_ms(attempt: u32, random: u8) -> u32 {
    let delay = FIRST_DELAY_MS
        .saturating_mul(1 << attempt.clamp(1, 16).saturating_sub(1))
        .min(LONGEST_DELAY_MS);
    delay / 2 + (delay / 2) * u32::from(random) / 255
}

/// The dossier a message names, if it names one.
fn relay_dossier(message: &Message) -> Option<DossierId> {
    match message {
        Message::Blobs { dossier, .. }
        | Message::Blob { dossier, .. }
        | Message::CompactHint { dossier, .. } => Some(*dossier),
        Message::Error { dossier, .. } => *dossier,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use driehoek_wire::keys::DossierSecret;
    use driehoek_wire::message::AppendId;

    use super::*;

    fn relay_id(n: u8) -> DossierId {
        DossierSecret::from_bytes([n; 32]).dossier_id()
    }

    fn id(s: &str) -> Id {
        Id::new(s).expect("id")
    }

    fn hello(protocol: u32) -> Vec<u8> {
        Message::Hello {
            protocol,
            creation_code: None,
        }
        .encode()
    }

    fn connected() -> Connection {
        let mut c = Connection::default();
        c.enable();
        assert_eq!(c.frame(&hello(PROTOCOL_VERSION)), FrameAction::Connected);
        c
    }

    #[test]
    fn frames_for_a_dossier_go_to_the_dossier_registered_under_its_relay_id() {
        let mut c = connected();
        c.register(relay_id(1), id("noor"));
        c.register(relay_id(2), id("daan"));
        let blob = Message::Blob {
            dossier: relay_id(2),
            seq: 4,
            bytes: vec![1, 2, 3],
        };
        assert_eq!(
            c.frame(&blob.encode()),
            FrameAction::ToDossier(Some(id("daan")), blob)
        );
        let refused = Message::Error {
            code: ErrorCode::TooLarge,
            message: "too large".into(),
            dossier: Some(relay_id(1)),
        };
        assert_eq!(
            c.frame(&refused.encode()),
            FrameAction::ToDossier(Some(id("noor")), refused)
        );
        c.forget(&relay_id(2));
        let hint = Message::CompactHint {
            dossier: relay_id(2),
            upto_seq: 9,
        };
        assert_eq!(c.frame(&hint.encode()), FrameAction::ToDossier(None, hint));
    }

    #[test]
    fn an_acknowledgement_goes_to_whoever_it_concerns() {
        let mut c = connected();
        let ack = Message::Ack {
            id: AppendId([5; 16]),
            seq: 3,
        };
        assert_eq!(c.frame(&ack.encode()), FrameAction::ToConcerned(ack));
    }

    #[test]
    fn garbage_or_another_protocol_drops_the_socket_and_says_why() {
        let mut c = Connection::default();
        c.enable();
        assert_eq!(
            c.frame(b"not cbor at all"),
            FrameAction::Drop(DropReason::Undecodable)
        );
        assert_eq!(c.overview(true, []), SyncOverview::Connecting);
        assert_eq!(
            c.frame(&hello(PROTOCOL_VERSION + 1)),
            FrameAction::Drop(DropReason::OtherProtocol(PROTOCOL_VERSION + 1))
        );
        assert_eq!(
            c.overview(true, []),
            SyncOverview::Problem(SyncTrouble::RelayVersion)
        );
        // A relay that speaks this version again clears it.
        c.closed(0);
        assert_eq!(c.frame(&hello(PROTOCOL_VERSION)), FrameAction::Connected);
        assert_eq!(c.overview(true, []), SyncOverview::UpToDate);
    }

    #[test]
    fn the_relay_closing_with_a_reason_is_a_problem_until_the_next_hello() {
        let mut c = connected();
        let closing = Message::Error {
            code: ErrorCode::Overloaded,
            message: "too many connections".into(),
            dossier: None,
        };
        assert_eq!(
            c.frame(&closing.encode()),
            FrameAction::RelayClosed("too many connections".into())
        );
        assert_eq!(
            c.overview(true, [SyncStatus::UpToDate]),
            SyncOverview::Problem(SyncTrouble::Closed("too many connections".into()))
        );
        c.restart();
        assert_eq!(c.overview(true, []), SyncOverview::Connecting);
    }

    #[test]
    fn reconnect_delays_double_with_jitter_up_to_half_a_minute_and_reset_on_hello() {
        let mut c = connected();
        let mut longest = Vec::new();
        for attempt in 1..=12u32 {
            let low = c.closed(0);
            let high = backoff_ms(attempt, 255);
            assert_eq!(
                low * 2,
                high,
                "attempt {attempt}: jitter spans half the delay"
            );
            longest.push(high);
        }
        assert_eq!(
            &longest[..7],
            &[500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000]
        );
        assert!(longest[7..].iter().all(|d| *d == LONGEST_DELAY_MS));
        assert_eq!(c.overview(true, []), SyncOverview::Offline);
        // Hello starts the count again; so does the browser going online.
        c.frame(&hello(PROTOCOL_VERSION));
        assert_eq!(c.closed(255), 500);
        c.closed(255);
        c.online();
        assert_eq!(c.closed(255), 500);
        // A huge attempt count neither overflows nor exceeds the longest.
        assert_eq!(backoff_ms(u32::MAX, 255), LONGEST_DELAY_MS);
    }

    #[test]
    fn the_overview_sums_what_is_sending_and_names_a_refusal_first() {
        let mut c = Connection::default();
        assert_eq!(c.overview(true, []), SyncOverview::Elsewhere);
        c.enable();
        assert_eq!(c.overview(false, []), SyncOverview::Offline);
        assert_eq!(c.overview(true, []), SyncOverview::Connecting);
        c.frame(&hello(PROTOCOL_VERSION));
        use SyncStatus::*;
        assert_eq!(
            c.overview(true, [UpToDate, Sending(2), Sending(3)]),
            SyncOverview::Sending(5)
        );
        assert_eq!(
            c.overview(true, [Sending(2), Connecting]),
            SyncOverview::Connecting
        );
        assert_eq!(
            c.overview(true, [Connecting, Refused(ErrorCode::QuotaExceeded)]),
            SyncOverview::Problem(SyncTrouble::Refused(ErrorCode::QuotaExceeded))
        );
        assert_eq!(c.overview(true, [UpToDate]), SyncOverview::UpToDate);
    }

    #[test]
    fn one_retry_is_planned_for_a_full_relay_however_many_dossiers_it_refused() {
        let mut c = connected();
        assert!(c.plan_full_retry());
        assert!(!c.plan_full_retry());
        c.full_retry_due();
        assert!(c.plan_full_retry());
    }
}
