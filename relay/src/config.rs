use std::{net::SocketAddr, path::PathBuf};

use clap::Parser;

/// Every setting has a flag and an environment variable; the defaults keep
/// everything on this machine (loopback) and inside the project folder.
#[derive(Clone, Debug, Parser)]
#[command(name = "driehoek-relay", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "DRIEHOEK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder for the relay's stored data (created when missing).
    #[arg(long, env = "DRIEHOEK_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Folder with the built app to serve (Trunk's output).
    #[arg(long, env = "DRIEHOEK_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Largest WebSocket message accepted, in bytes.
    #[arg(long, env = "DRIEHOEK_MAX_FRAME_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_frame_bytes: usize,
}
