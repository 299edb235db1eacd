use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Parser, ValueEnum};

const MIB: usize = 1024 * 1024;

/// Every setting has a flag and an environment variable; the defaults keep
/// everything on this machine (loopback) and inside the project folder.
#[derive(Clone, Debug, Parser)]
#[command(name = "driehoek-relay", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "DRIEHOEK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder for the relay's stored data (created when missing).
    #[arg(long, env = "DRIEHOEK_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Folder with the built app to serve (Trunk's output).
    #[arg(long, env = "DRIEHOEK_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Largest WebSocket message accepted, in bytes; backlogs are split
    /// into messages of at most this size.
    #[arg(long, env = "DRIEHOEK_MAX_FRAME_BYTES", default_value_t = 4 * MIB)]
    pub max_frame_bytes: usize,

    /// Largest live size of one dossier's log (blobs and snapshot), in
    /// bytes.
    #[arg(long, env = "DRIEHOEK_MAX_DOSSIER_BYTES", default_value_t = 256 * MIB as u64)]
    pub max_dossier_bytes: u64,

    /// Open sync connections allowed from one IP address; more get HTTP 429.
    #[arg(long, env = "DRIEHOEK_MAX_CONNECTIONS_PER_IP", default_value_t = 256)]
    pub max_connections_per_ip: usize,

    /// Messages waiting to be sent to one connection; a connection whose
    /// queue is full reads too slowly and is dropped.
    #[arg(long, env = "DRIEHOEK_SEND_QUEUE", default_value_t = 1024)]
    pub send_queue: usize,

    /// Live blobs since the last compaction after which one subscriber is
    /// asked to compact (0: never ask).
    #[arg(long, env = "DRIEHOEK_COMPACT_AFTER_BLOBS", default_value_t = 500)]
    pub compact_after_blobs: u64,

    /// Seconds before a dossier's compaction hint may go out again when
    /// nobody compacted.
    #[arg(
        long,
        env = "DRIEHOEK_COMPACT_HINT_INTERVAL_SECS",
        default_value_t = 600
    )]
    pub compact_hint_interval_secs: u64,

    /// Days that blobs replaced by a compaction are kept before they are
    /// deleted, so a device with an older app can still be helped.
    #[arg(long, env = "DRIEHOEK_REPLACED_GRACE_DAYS", default_value_t = 30)]
    pub replaced_grace_days: u64,

    /// TLS certificate chain (PEM, the server's certificate first). With
    /// --tls-key the relay serves HTTPS and `wss:`; SIGHUP reads both files
    /// again, so a renewed certificate needs no restart.
    #[arg(long, env = "DRIEHOEK_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM: PKCS#8, PKCS#1 or SEC1) of --tls-cert.
    #[arg(long, env = "DRIEHOEK_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// The address people open, such as `https://driehoek.school.example`,
    /// when it differs from what the relay sees (behind a reverse proxy):
    /// the Content-Security-Policy names its sync endpoint. Without it the
    /// relay uses the request's Host.
    #[arg(long, env = "DRIEHOEK_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Address for `/healthz` and `/metrics`, kept apart from the public
    /// one; off unless given. Give it a loopback address.
    #[arg(long, env = "DRIEHOEK_ADMIN_LISTEN")]
    pub admin_listen: Option<SocketAddr>,

    /// A code a device must present before the relay registers a new
    /// dossier for it, so an open relay is not free storage for anyone.
    /// Dossiers already registered keep working without it.
    #[arg(long, env = "DRIEHOEK_CREATION_CODE", hide_env_values = true)]
    pub creation_code: Option<CreationCode>,

    /// Most bytes the relay stores in all dossiers together, replaced blobs
    /// in their grace period included (0: no limit).
    #[arg(long, env = "DRIEHOEK_MAX_TOTAL_BYTES", default_value_t = 0)]
    pub max_total_bytes: u64,

    /// Most dossiers the relay registers (0: no limit).
    #[arg(long, env = "DRIEHOEK_MAX_DOSSIERS", default_value_t = 0)]
    pub max_dossiers: u64,

    /// Log lines as text for people or as JSON objects for a log collector.
    #[arg(long, env = "DRIEHOEK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// The creation code; never printed, so a logged configuration does not
/// give it away.
#[derive(Clone, PartialEq, Eq)]
pub struct CreationCode(pub String);

impl std::fmt::Debug for CreationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CreationCode(..)")
    }
}

impl std::str::FromStr for CreationCode {
    type Err = std::convert::Infallible;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Ok(CreationCode(code.to_owned()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    /// The same values as the flags' defaults.
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            dist: PathBuf::from("dist"),
            max_frame_bytes: 4 * MIB,
            max_dossier_bytes: 256 * MIB as u64,
            max_connections_per_ip: 256,
            send_queue: 1024,
            compact_after_blobs: 500,
            compact_hint_interval_secs: 600,
            replaced_grace_days: 30,
            tls_cert: None,
            tls_key: None,
            public_url: None,
            admin_listen: None,
            creation_code: None,
            max_total_bytes: 0,
            max_dossiers: 0,
            log_format: LogFormat::Text,
        }
    }
}

impl Config {
    pub fn compact_hint_interval(&self) -> Duration {
        Duration::from_secs(self.compact_hint_interval_secs)
    }

    pub fn replaced_grace(&self) -> Duration {
        Duration::from_secs(self.replaced_grace_days.saturating_mul(24 * 60 * 60))
    }

    /// The creation code, when one is required; an empty one counts as
    /// none, so `DRIEHOEK_CREATION_CODE=` in a unit file switches it off.
    pub fn required_creation_code(&self) -> Option<&str> {
        self.creation_code
            .as_ref()
            .map(|code| code.0.as_str())
            .filter(|code| !code.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_of_the_flags_and_of_default_agree() {
        // The flags read environment variables, which would change them.
        if std::env::vars().any(|(name, _)| name.starts_with("DRIEHOEK_")) {
            return;
        }
        let parsed = Config::try_parse_from(["driehoek-relay"]).expect("defaults parse");
        let default = Config::default();
        assert_eq!(format!("{parsed:?}"), format!("{default:?}"));
    }
}
