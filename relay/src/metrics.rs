//! Counters for `/metrics`, in the Prometheus text format (version 0.0.4).
//!
//! Plain atomics, written on the hot paths without locks; a scrape reads
//! them one by one, so two counters may be a moment apart, which the format
//! allows. Nothing here holds content, tokens or dossier ids: a number per
//! kind is all an operator needs, and all a leaked scrape would show.

use std::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use crate::wire::ErrorCode;

/// Every code the relay may send, so each has a line (at zero) from the
/// start: a rate over a series that appears late reads wrong.
const ERROR_KINDS: [ErrorCode; 11] = [
    ErrorCode::UnsupportedProtocol,
    ErrorCode::Malformed,
    ErrorCode::Timeout,
    ErrorCode::Unauthorized,
    ErrorCode::TooLarge,
    ErrorCode::BadCompaction,
    ErrorCode::Overloaded,
    ErrorCode::QuotaExceeded,
    ErrorCode::CreationCodeRequired,
    ErrorCode::CreationCodeWrong,
    ErrorCode::Retired,
];

/// Upper bounds in seconds: from a group commit that shares one disk sync
/// (about a millisecond here) up to a disk that stalls.
const LATENCY_BOUNDS: [f64; 14] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default)]
pub(crate) struct Histogram {
    /// Per bound, the observations at or below it but above the previous
    /// one; the last slot is above every bound.
    buckets: [AtomicU64; LATENCY_BOUNDS.len() + 1],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub(crate) fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let slot = LATENCY_BOUNDS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(LATENCY_BOUNDS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0u64;
        for (bound, bucket) in LATENCY_BOUNDS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.buckets[LATENCY_BOUNDS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        // The count is the +Inf bucket by definition; taking it from the
        // buckets keeps the two equal even mid-observation.
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

#[derive(Debug, Default)]
pub(crate) struct Metrics {
    pub(crate) connections_total: AtomicU64,
    pub(crate) connections_refused: AtomicU64,
    pub(crate) tls_handshake_failures: AtomicU64,
    /// Registered dossiers; set at start from the store, then counted up.
    pub(crate) dossiers: AtomicU64,
    pub(crate) dossiers_registered: AtomicU64,
    pub(crate) appends: AtomicU64,
    pub(crate) duplicate_appends: AtomicU64,
    pub(crate) appended_bytes: AtomicU64,
    pub(crate) compactions: AtomicU64,
    pub(crate) compacted_bytes: AtomicU64,
    /// Dossiers whose log was closed after a re-founding.
    pub(crate) retirements: AtomicU64,
    pub(crate) sent_bytes: AtomicU64,
    /// Every blob byte kept (live and replaced); the writer owns its value.
    pub(crate) stored_bytes: AtomicU64,
    pub(crate) store_failures: AtomicU64,
    errors: [AtomicU64; ERROR_KINDS.len()],
    pub(crate) commit_latency: Histogram,
    pub(crate) append_latency: Histogram,
}

/// What a scrape adds from outside the counters.
pub(crate) struct Gauges {
    pub(crate) connections_open: usize,
    pub(crate) ready: bool,
}

impl Metrics {
    /// A refusal sent to a device, by its code.
    pub(crate) fn refused(&self, code: ErrorCode) {
        if let Some(slot) = ERROR_KINDS.iter().position(|kind| *kind == code) {
            self.errors[slot].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(4096);
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        gauge(
            &mut out,
            "driehoek_relay_ready",
            "1 when the store took a test write, else 0.",
            u64::from(gauges.ready),
        );
        gauge(
            &mut out,
            "driehoek_relay_connections_open",
            "Sync connections open now.",
            gauges.connections_open as u64,
        );
        counter(
            &mut out,
            "driehoek_relay_connections_total",
            "Sync connections opened.",
            read(&self.connections_total),
        );
        counter(
            &mut out,
            "driehoek_relay_connections_refused_total",
            "Sync connections refused for the per-address limit or shutdown.",
            read(&self.connections_refused),
        );
        counter(
            &mut out,
            "driehoek_relay_tls_handshake_failures_total",
            "TLS handshakes that failed or timed out.",
            read(&self.tls_handshake_failures),
        );
        gauge(
            &mut out,
            "driehoek_relay_dossiers",
            "Dossiers registered in the store.",
            read(&self.dossiers),
        );
        counter(
            &mut out,
            "driehoek_relay_dossiers_registered_total",
            "Dossiers registered since the relay started.",
            read(&self.dossiers_registered),
        );
        counter(
            &mut out,
            "driehoek_relay_appends_total",
            "Blobs appended and committed.",
            read(&self.appends),
        );
        counter(
            &mut out,
            "driehoek_relay_duplicate_appends_total",
            "Appends of an id already stored, acknowledged again without storing.",
            read(&self.duplicate_appends),
        );
        counter(
            &mut out,
            "driehoek_relay_appended_bytes_total",
            "Bytes of blobs appended and committed.",
            read(&self.appended_bytes),
        );
        counter(
            &mut out,
            "driehoek_relay_compactions_total",
            "Compactions committed.",
            read(&self.compactions),
        );
        counter(
            &mut out,
            "driehoek_relay_compacted_bytes_total",
            "Bytes of snapshots committed by compactions.",
            read(&self.compacted_bytes),
        );
        counter(
            &mut out,
            "driehoek_relay_retirements_total",
            "Dossier logs closed because their members re-founded the dossier.",
            read(&self.retirements),
        );
        counter(
            &mut out,
            "driehoek_relay_sent_bytes_total",
            "Bytes of protocol messages written to sync connections.",
            read(&self.sent_bytes),
        );
        gauge(
            &mut out,
            "driehoek_relay_stored_bytes",
            "Bytes of blobs kept, live and replaced ones in their grace period.",
            read(&self.stored_bytes),
        );
        counter(
            &mut out,
            "driehoek_relay_store_failures_total",
            "Store operations that failed (not refusals): see the log.",
            read(&self.store_failures),
        );
        let name = "driehoek_relay_errors_total";
        let _ = writeln!(
            out,
            "# HELP {name} Error messages sent to devices, by code."
        );
        let _ = writeln!(out, "# TYPE {name} counter");
        for (kind, count) in ERROR_KINDS.iter().zip(&self.errors) {
            let _ = writeln!(out, "{name}{{kind=\"{}\"}} {}", kind.as_str(), read(count));
        }
        self.commit_latency.render(
            &mut out,
            "driehoek_relay_commit_seconds",
            "Time to commit one group of appends to the store.",
        );
        self.append_latency.render(
            &mut out,
            "driehoek_relay_append_seconds",
            "Time from an Append read to its Ack queued, waiting for the writer included.",
        );
        let _ = writeln!(
            out,
            "# HELP driehoek_relay_build_info The relay's version.\n\
             # TYPE driehoek_relay_build_info gauge\n\
             driehoek_relay_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
    );
}

fn gauge(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_cumulatively_and_its_count_is_the_inf_bucket() {
        let histogram = Histogram::default();
        histogram.observe(Duration::from_micros(100));
        histogram.observe(Duration::from_millis(3));
        histogram.observe(Duration::from_secs(60));
        let mut out = String::new();
        histogram.render(&mut out, "t", "test");
        assert!(out.contains("t_bucket{le=\"0.0005\"} 1\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"0.005\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"10\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("t_count 3\n"), "{out}");
        assert!(out.contains("t_sum 60.0031\n"), "{out}");
    }

    #[test]
    fn every_error_kind_has_a_line_from_the_start() {
        let metrics = Metrics::default();
        metrics.refused(ErrorCode::QuotaExceeded);
        let out = metrics.render(&Gauges {
            connections_open: 2,
            ready: true,
        });
        for kind in ERROR_KINDS {
            assert!(
                out.contains(&format!(
                    "driehoek_relay_errors_total{{kind=\"{}\"}}",
                    kind.as_str()
                )),
                "{kind:?}"
            );
        }
        assert!(out.contains("driehoek_relay_errors_total{kind=\"quota-exceeded\"} 1\n"));
        assert!(out.contains("driehoek_relay_connections_open 2\n"));
        assert!(out.contains("driehoek_relay_ready 1\n"));
    }
}
