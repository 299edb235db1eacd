//! Open sync connections: a limit per IP address, and a count that
//! shutdown waits on.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::sync::watch;

#[derive(Debug)]
pub(crate) struct Connections {
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    limit_per_ip: usize,
    open: watch::Sender<usize>,
}

/// Held for as long as a connection lives (from the upgrade request on);
/// dropping it frees the place.
#[derive(Debug)]
pub(crate) struct Slot {
    connections: Arc<Connections>,
    ip: IpAddr,
}

impl Connections {
    pub(crate) fn new(limit_per_ip: usize) -> Self {
        Connections {
            per_ip: Mutex::new(HashMap::new()),
            limit_per_ip,
            open: watch::Sender::new(0),
        }
    }

    /// Only counters live under the lock, so a poisoned one is consistent.
    fn per_ip(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.per_ip.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for one more connection from `ip`, or `None` at the limit.
    pub(crate) fn try_open(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let mut per_ip = self.per_ip();
        let count = per_ip.entry(ip).or_insert(0);
        if *count >= self.limit_per_ip {
            return None;
        }
        *count += 1;
        self.open.send_modify(|open| *open += 1);
        Some(Slot {
            connections: Arc::clone(self),
            ip,
        })
    }

    /// Waits until every connection has ended, at most `limit`; `false` if
    /// some were still open then.
    pub(crate) async fn wait_closed(&self, limit: Duration) -> bool {
        let mut open = self.open.subscribe();
        tokio::time::timeout(limit, open.wait_for(|open| *open == 0))
            .await
            .is_ok_and(|waited| waited.is_ok())
    }

    pub(crate) fn open(&self) -> usize {
        *self.open.borrow()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_ip = self.connections.per_ip();
        if let Some(count) = per_ip.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                per_ip.remove(&self.ip);
            }
        }
        self.connections
            .open
            .send_modify(|open| *open = open.saturating_sub(1));
    }
}
