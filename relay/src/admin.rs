//! The operator's endpoints, on their own address (loopback by default):
//! `/healthz` says whether the relay can store what devices send, and
//! `/metrics` counts connections, dossiers, appends, bytes, errors and
//! latencies in the Prometheus text format.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use tokio::sync::oneshot;

use crate::{AppState, ensure_writable, metrics::Gauges, writer::Command};

/// A store that does not take a test write within this time is as good as
/// unwritable to a device waiting for its Ack.
const PROBE_LIMIT: Duration = Duration::from_secs(5);

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// 200 when a test write to the store went through the writer and the data
/// directory takes a file; 503 with the reason otherwise.
async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    match check(&state).await {
        Ok(()) => (StatusCode::OK, plain, "ready\n").into_response(),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            plain,
            format!("not ready: {reason}\n"),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let ready = check(&state).await.is_ok();
    let body = state.metrics.render(&Gauges {
        connections_open: state.connections.open(),
        ready,
    });
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Why the relay cannot take writes now, in a few words for the operator.
async fn check(state: &AppState) -> Result<(), String> {
    if *state.shutdown.borrow() {
        return Err("the relay is shutting down".into());
    }
    let probe = async {
        let (done, result) = oneshot::channel();
        if !state.writer.submit(Command::Probe { done }).await {
            return Err("the writer has stopped".to_owned());
        }
        match result.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "health check: the store refused a write");
                Err(format!("the store refused a write: {err}"))
            }
            Err(_) => Err("the writer has stopped".to_owned()),
        }
    };
    match tokio::time::timeout(PROBE_LIMIT, probe).await {
        Ok(result) => result?,
        Err(_) => return Err("the store did not take a write in time".into()),
    }
    // SQLite may still write into a file that is open while its folder can
    // no longer take a new file (gone, read-only, full): the next start, a
    // backup or a new read connection would fail, so that is not ready.
    let dir = state.config.data_dir.clone();
    match tokio::task::spawn_blocking(move || ensure_writable(&dir)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: the data directory is not writable");
            Err(err.to_string())
        }
        Err(_) => Err("the data directory check stopped".into()),
    }
}
