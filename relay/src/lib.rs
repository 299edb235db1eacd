//! The Driehoek relay: serves the built app and passes end-to-end encrypted
//! changes between the devices of one dossier. It never sees their content.

mod admin;
pub mod backup;
mod config;
mod connections;
mod error;
mod headers;
mod hub;
mod metrics;
mod outbox;
mod refusal;
mod static_files;
pub mod store;
mod sync;
pub mod tls;
pub mod wire;
mod writer;

use std::{
    collections::HashMap,
    future::Future,
    io,
    net::SocketAddr,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, middleware, routing::any, serve::ListenerExt};
use driehoek_wire::keys::DossierId;
use tokio::{
    net::TcpListener,
    sync::{oneshot, watch},
};

pub use config::{Config, CreationCode, LogFormat};
pub use error::RelayError;

use crate::{
    connections::Connections,
    headers::{HeaderPolicy, PublicOrigin},
    hub::{HintPolicy, Hub},
    metrics::Metrics,
    store::{BlobStore, SqliteStore, TokenHash},
    tls::{Tls, TlsListener},
    writer::{Command, Limits, Writer},
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
    metrics: Arc<Metrics>,
    /// Set once: the relay is shutting down and connections close.
    shutdown: watch::Sender<bool>,
    /// Dropped with the state, after every field above (fields drop in
    /// order): its receiver learns that the store is closed. Keep it last.
    _released: tokio::sync::mpsc::Sender<()>,
}

/// Logs go to stderr; `RUST_LOG` picks the level (default `info`). Lines
/// carry ids, sizes, counts and addresses, never content, tokens or codes.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder
            // Colour codes only for a person at a terminal, not in log files.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
}

/// Checks the configuration, binds the addresses and serves until Ctrl-C
/// or SIGTERM; SIGHUP reads the TLS certificate and key again.
pub async fn run(config: Config) -> Result<(), RelayError> {
    raise_open_file_limit();
    let bound = prepare(&config).await?;
    let reloading = tokio::spawn(reload_on_hangup(bound.tls()));
    let served = serve(bound, config, shutdown_signal()).await;
    reloading.abort();
    served
}

/// What [`prepare`] checked and bound, for [`serve`].
#[derive(Debug)]
pub struct Bound {
    listener: TcpListener,
    admin: Option<TcpListener>,
    tls: Option<Arc<Tls>>,
    header_policy: HeaderPolicy,
}

impl Bound {
    /// Where the app and `/sync` are served.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Where `/healthz` and `/metrics` are served, when they are.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin
            .as_ref()
            .and_then(|admin| admin.local_addr().ok())
    }

    /// The certificate in use, to reload it.
    pub fn tls(&self) -> Option<Arc<Tls>> {
        self.tls.clone()
    }
}

/// Everything that can refuse a start, done before anything is served: the
/// data directory must be writable, the certificate and key readable, the
/// public address well-formed, and both addresses free.
pub async fn prepare(config: &Config) -> Result<Bound, RelayError> {
    ensure_writable(&config.data_dir)?;
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(
            dist = %config.dist.display(),
            "no built app found; only the sync endpoint will be useful"
        );
    }
    let tls = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(Arc::new(Tls::load(cert, key)?)),
        (None, None) => None,
        _ => return Err(RelayError::TlsPair),
    };
    let public = match &config.public_url {
        Some(url) => Some(
            PublicOrigin::parse(url).ok_or_else(|| RelayError::PublicUrl { url: url.clone() })?,
        ),
        None => None,
    };
    let bind = |addr: SocketAddr| async move {
        TcpListener::bind(addr)
            .await
            .map_err(|source| RelayError::Bind { addr, source })
    };
    let listener = bind(config.listen).await?;
    let admin = match config.admin_listen {
        Some(addr) => {
            if !addr.ip().is_loopback() {
                tracing::warn!(%addr, "the admin address is not a loopback address: anyone who reaches it sees the metrics");
            }
            Some(bind(addr).await?)
        }
        None => None,
    };
    Ok(Bound {
        listener,
        admin,
        header_policy: HeaderPolicy {
            tls: tls.is_some(),
            public,
        },
        tls,
    })
}

/// Reads the certificate and key again on every SIGHUP (as `systemctl
/// reload` sends); a reload that fails is logged and changes nothing.
async fn reload_on_hangup(tls: Option<Arc<Tls>>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Listening also keeps SIGHUP from ending the process.
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; a new certificate needs a restart");
            return;
        };
        while hangups.recv().await.is_some() {
            match &tls {
                Some(tls) => match tls.reload() {
                    Ok(()) => tracing::info!("tls certificate reloaded"),
                    Err(err) => {
                        tracing::error!(error = %err, "tls reload failed; the previous certificate stays in use");
                    }
                },
                None => tracing::info!("SIGHUP: no tls certificate to reload"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tls;
}

/// Each WebSocket is a file descriptor: the default soft limit (often 1024)
/// would cap the relay far below what it can hold. Failing is not fatal.
pub fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(err) => tracing::warn!(error = %err, "could not raise the open-file limit"),
    }
}

/// Serves on what [`prepare`] bound, with the SQLite store in the data
/// directory, until `shutdown` completes; see [`serve_with_store`].
pub async fn serve(
    bound: Bound,
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
    serve_with_store(bound, config, Arc::new(store), shutdown).await
}

/// Serves until `shutdown` completes. Then it stops accepting, closes every
/// sync socket (Close frame) once the answers queued for it are written,
/// lets the writer commit what it was given, and closes the store: every
/// Ack that went out is a committed blob.
pub async fn serve_with_store(
    bound: Bound,
    config: Config,
    store: Arc<dyn BlobStore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let Bound {
        listener,
        admin,
        tls,
        header_policy,
    } = bound;
    let addr = listener.local_addr().map_err(RelayError::Serve)?;
    let totals = {
        let store = Arc::clone(&store);
        tokio::task::spawn_blocking(move || store.totals())
            .await
            .map_err(|_| RelayError::Store(store::StoreError::Damaged("counting stopped")))??
    };
    let metrics = Arc::new(Metrics::default());
    metrics
        .dossiers
        .store(totals.dossiers, std::sync::atomic::Ordering::Relaxed);
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
        Limits {
            max_dossier_bytes: config.max_dossier_bytes,
            max_total_bytes: config.max_total_bytes,
        },
        Arc::clone(&metrics),
        totals.stored_bytes,
    )
    .map_err(RelayError::Writer)?;
    tracing::info!(
        dossiers = totals.dossiers,
        stored_bytes = totals.stored_bytes,
        creation_code_required = config.required_creation_code().is_some(),
        max_dossiers = config.max_dossiers,
        max_total_bytes = config.max_total_bytes,
        max_dossier_bytes = config.max_dossier_bytes,
        "store counted"
    );
    let (released, mut state_released) = tokio::sync::mpsc::channel::<()>(1);
    let state = Arc::new(AppState {
        connections: Arc::new(Connections::new(config.max_connections_per_ip)),
        config,
        store,
        writer,
        hub,
        tokens: Mutex::new(HashMap::new()),
        metrics: Arc::clone(&metrics),
        shutdown: watch::Sender::new(false),
        _released: released,
    });
    let purging = tokio::spawn(purge_periodically(Arc::clone(&state)));
    let header_policy = Arc::new(header_policy);
    let app = Router::new()
        .route("/sync", any(sync::upgrade))
        .fallback(static_files::serve)
        .with_state(Arc::clone(&state))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&header_policy),
            headers::add_security_headers,
        ));
    let admin_serving = match admin {
        Some(admin) => {
            let admin_addr = admin.local_addr().map_err(RelayError::Serve)?;
            let router = admin::router(Arc::clone(&state)).layer(middleware::from_fn_with_state(
                Arc::new(HeaderPolicy {
                    tls: false,
                    public: None,
                }),
                headers::add_security_headers,
            ));
            let mut stopping = state.shutdown.subscribe();
            // `admin=`, not `admin_url=`: scripts look for `url=` to find
            // the app's address.
            tracing::info!(admin = %format!("http://{admin_addr}/"), "health and metrics listening");
            Some(tokio::spawn(
                axum::serve(admin, router)
                    .with_graceful_shutdown(async move {
                        let _ = stopping.wait_for(|stopping| *stopping).await;
                    })
                    .into_future(),
            ))
        }
        None => None,
    };
    let signal = {
        let state = Arc::clone(&state);
        async move {
            shutdown.await;
            state.shutdown.send_replace(true);
        }
    };
    let make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let served = match tls {
        Some(tls) => {
            tracing::info!(url = %format!("https://{addr}/"), "relay listening");
            // `tap_io` only so that axum's connect-info knows this listener.
            let listener = TlsListener::new(listener, tls, Arc::clone(&metrics)).tap_io(|_| {});
            axum::serve(listener, make_service)
                .with_graceful_shutdown(signal)
                .await
        }
        None => {
            tracing::info!(url = %format!("http://{addr}/"), "relay listening");
            axum::serve(listener, make_service)
                .with_graceful_shutdown(signal)
                .await
        }
    };
    // Upgraded sockets are not axum's any more: they close themselves when
    // they see the flag.
    state.shutdown.send_replace(true);
    if let Some(admin_serving) = admin_serving {
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, admin_serving).await;
    }
    if !state.connections.wait_closed(SHUTDOWN_GRACE).await {
        tracing::warn!(
            open = state.connections.open(),
            "some sync connections did not close in time"
        );
    }
    purging.abort();
    let _ = purging.await;
    state.writer.stop().await;
    // The store closes with the state's last reference, its log folded
    // in, and only then lets go of the data folder's lock. A sync task that
    // just closed its socket may hold the state a moment longer; waiting
    // for it means a relay started, or a backup restored, right after this
    // returns finds the folder free.
    drop(state);
    // Nothing is ever sent: `recv` ends when the state's last reference,
    // and with it the sender, is gone.
    if tokio::time::timeout(SHUTDOWN_GRACE, state_released.recv())
        .await
        .is_err()
    {
        tracing::warn!("a sync task still held the store when the relay stopped");
    }
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

pub(crate) fn ensure_writable(dir: &Path) -> Result<(), RelayError> {
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
