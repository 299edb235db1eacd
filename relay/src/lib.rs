//! The Driehoek relay: serves the built app and passes end-to-end encrypted
//! changes between the devices of one dossier. It never sees their content.

mod config;
mod error;
mod static_files;
mod sync;
pub mod wire;

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc};

use axum::{Router, routing::any};
use tokio::net::TcpListener;

pub use config::Config;
pub use error::RelayError;

/// Shared by every request.
#[derive(Debug)]
struct AppState {
    config: Config,
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

/// Serves on an already bound listener until `shutdown` completes, then lets
/// open requests finish.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let addr = listener.local_addr().map_err(RelayError::Serve)?;
    let state = Arc::new(AppState { config });
    let app = Router::new()
        .route("/sync", any(sync::upgrade))
        .fallback(static_files::serve)
        .with_state(state);
    tracing::info!(url = %format!("http://{addr}/"), "relay listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(RelayError::Serve)?;
    tracing::info!("relay stopped");
    Ok(())
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
