use std::{io, net::SocketAddr, path::PathBuf};

use crate::{store::StoreError, tls::TlsError};

/// Why the relay could not start or stopped serving. Messages are one line,
/// lowercase, and say what to do where that is clear.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("data directory {} is not writable: {source}", dir.display())]
    DataDir { dir: PathBuf, source: io::Error },
    #[error("cannot listen on {addr}: {source}{}", bind_hint(source))]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("the blob store failed: {0}")]
    Store(#[from] StoreError),
    #[error("tls: {0}")]
    Tls(#[from] TlsError),
    #[error("--tls-cert and --tls-key go together: give both or neither")]
    TlsPair,
    #[error("--public-url {url:?} is not of the form https://host[:port]")]
    PublicUrl { url: String },
    #[error("cannot start the writer thread: {0}")]
    Writer(io::Error),
    #[error("serving failed: {0}")]
    Serve(io::Error),
}

fn bind_hint(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::AddrInUse => " (is another relay running? choose a port with --listen)",
        io::ErrorKind::PermissionDenied => " (ports below 1024 need extra rights)",
        _ => "",
    }
}
