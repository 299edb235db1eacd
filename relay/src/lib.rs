//! The Driehoek relay: serves the built app and passes end-to-end encrypted
//! changes between the devices of one dossier. It never sees their content.

mod config;
mod connections;
mod error;
mod hub;
mod outbox;
mod static_files;
pub mod store;
mod sync;
pub mod wire;
mod writer;

use std::{
    collections::HashMap,
    future::Future,
    net::SocketAddr,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, routing::any};
use driehoek_wire::keys::DossierId;
use tokio::{
    net::TcpListener,
    sync::{oneshot, watch},
};

pub use config::Config;
pub use error::RelayError;

use crate::{
    connections::Connections,
    hub::{HintPolicy, Hub},
    store::{BlobStore, SqliteStore, TokenHash},
    writer::{Command, Writer},
};

/// How long shutdown waits for open sockets to say goodbye.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How often blobs past their grace period are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);
/// Rows deleted per transaction, so appends get their turn in between.
const PURGE_CHUNK: usize = 10_000;

/// Shared by every request.
struct AppState {
    config: Config,
    store: Arc<dyn BlobStore>,
    writer: Writer,
    hub: Arc<Hub>,
    /// Token hashes of dossiers already registered or checked, so only the
    /// first request of a dossier asks the store.
    tokens: Mutex<HashMap<DossierId, TokenHash>>,
    connections: Arc<Connections>,
    /// Set once: the relay is shutting down and connections close.
    shutdown: watch::Sender<bool>,
}

/// Logs go to stderr; `RUST_LOG` picks the level (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in log files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Checks the configuration, binds the address and serves until Ctrl-C or
/// SIGTERM.
pub async fn run(config: Config) -> Result<(), RelayError> {
    raise_open_file_limit();
    let listener = prepare(&config).await?;
    serve(listener, config, shutdown_signal()).await
}

/// Everything that can refuse a start, done before anything is served: the
/// data directory must be writable and the address free.
pub async fn prepare(config: &Config) -> Result<TcpListener, RelayError> {
    ensure_writable(&config.data_dir)?;
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(
            dist = %config.dist.display(),
            "no built app found; only the sync endpoint will be useful"
        );
    }
    TcpListener::bind(config.listen)
        .await
        .map_err(|source| RelayError::Bind {
            addr: config.listen,
            source,
        })
}

/// Each WebSocket is a file descriptor: the default soft limit (often 1024)
/// would cap the relay far below what it can hold. Failing is not fatal.
pub fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(err) => tracing::warn!(error = %err, "could not raise the open-file limit"),
    }
}

/// Serves on an already bound listener, with the SQLite store in the data
/// directory, until `shutdown` completes; see [`serve_with_store`].
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let data_dir = config.data_dir.clone();
    let store = tokio::task::spawn_blocking(move || {
        ensure_writable(&data_dir)?;
        SqliteStore::open(&data_dir).map_err(RelayError::Store)
    })
    .await
    .map_err(|_| RelayError::Store(store::StoreError::Damaged("opening the store stopped")))??;
    tracing::info!(path = %store.path().display(), "blob store opened");
    serve_with_store(listener, config, Arc::new(store), shutdown).await
}

/// Serves until `shutdown` completes. Then it stops accepting, closes every
/// sync socket (Close frame) once the answers queued for it are written,
/// lets the writer commit what it was given, and closes the store: every
/// Ack that went out is a committed blob.
pub async fn serve_with_store(
    listener: TcpListener,
    config: Config,
    store: Arc<dyn BlobStore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let addr = listener.local_addr().map_err(RelayError::Serve)?;
    let hub = Arc::new(Hub::new(
        config.send_queue,
        HintPolicy {
            after_blobs: config.compact_after_blobs,
            interval: config.compact_hint_interval(),
        },
    ));
    let writer = Writer::start(
        Arc::clone(&store),
        Arc::clone(&hub),
        config.max_dossier_bytes,
    )
    .map_err(RelayError::Writer)?;
    let state = Arc::new(AppState {
        connections: Arc::new(Connections::new(config.max_connections_per_ip)),
        config,
        store,
        writer,
        hub,
        tokens: Mutex::new(HashMap::new()),
        shutdown: watch::Sender::new(false),
    });
    let purging = tokio::spawn(purge_periodically(Arc::clone(&state)));
    let app = Router::new()
        .route("/sync", any(sync::upgrade))
        .fallback(static_files::serve)
        .with_state(Arc::clone(&state));
    let signal = {
        let state = Arc::clone(&state);
        async move {
            shutdown.await;
            state.shutdown.send_replace(true);
        }
    };
    tracing::info!(url = %format!("http://{addr}/"), "relay listening");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal)
    .await;
    // Upgraded sockets are not axum's any more: they close themselves when
    // they see the flag.
    state.shutdown.send_replace(true);
    if !state.connections.wait_closed(SHUTDOWN_GRACE).await {
        tracing::warn!(
            open = state.connections.open(),
            "some sync connections did not close in time"
        );
    }
    purging.abort();
    let _ = purging.await;
    state.writer.stop().await;
    // The last reference: the store closes here, its log folded in.
    drop(state);
    served.map_err(RelayError::Serve)?;
    tracing::info!("relay stopped");
    Ok(())
}

/// Deletes what compactions replaced once the grace period is over: at
/// start, then every hour.
async fn purge_periodically(state: Arc<AppState>) {
    let grace = i64::try_from(state.config.replaced_grace().as_secs()).unwrap_or(i64::MAX);
    let mut ticks = tokio::time::interval(PURGE_EVERY);
    loop {
        ticks.tick().await;
        let before = store::now().saturating_sub(grace);
        let mut purged = 0;
        loop {
            let (done, result) = oneshot::channel();
            let command = Command::Purge {
                before,
                limit: PURGE_CHUNK,
                done,
            };
            if !state.writer.submit(command).await {
                return;
            }
            match result.await {
                Ok(Ok(rows)) => {
                    purged += rows;
                    if rows < PURGE_CHUNK {
                        break;
                    }
                }
                Ok(Err(err)) => {
                    tracing::error!(error = %err, "purging replaced blobs failed");
                    break;
                }
                Err(_) => return,
            }
        }
        if purged > 0 {
            tracing::info!(rows = purged, "purged replaced blobs");
        }
    }
}

fn ensure_writable(dir: &Path) -> Result<(), RelayError> {
    let not_writable = |source| RelayError::DataDir {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(not_writable)?;
    let probe = dir.join(".write-probe");
    std::fs::write(&probe, b"driehoek").map_err(not_writable)?;
    std::fs::remove_file(&probe).map_err(not_writable)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
