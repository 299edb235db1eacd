use std::path::PathBuf;

use clap::{Parser, Subcommand};
use driehoek_relay::{Config, backup, run};

/// Without a subcommand the relay serves; `backup` and `restore` look after
/// its store.
#[derive(Debug, Parser)]
#[command(name = "driehoek-relay", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Task>,
    #[command(flatten)]
    config: Config,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Serve the app and the sync endpoint (what happens without a subcommand).
    Serve,
    /// Copy the store into FILE while the relay runs: every blob committed
    /// before the backup began, checked, then moved into place.
    Backup {
        /// Where the backup goes; a previous backup there is replaced once
        /// the new one is complete.
        file: PathBuf,
    },
    /// Put a backup in place as the store; stop the relay first.
    Restore {
        /// A file made by `backup`.
        file: PathBuf,
        /// Replace a store that is there (it is moved aside, not deleted).
        #[arg(long)]
        force: bool,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let data_dir = cli.config.data_dir.clone();
    let result = match cli.command {
        None | Some(Task::Serve) => {
            driehoek_relay::init_logging(cli.config.log_format);
            run(cli.config).await.map_err(|err| err.to_string())
        }
        Some(Task::Backup { file }) => {
            tokio::task::spawn_blocking(move || backup::backup(&data_dir, &file).map(|s| (s, file)))
                .await
                .map_err(|err| err.to_string())
                .and_then(|done| done.map_err(|err| err.to_string()))
                .map(|(summary, file)| {
                    println!(
                        "backup written to {}: {} dossiers, {} blobs, {} bytes of ciphertext",
                        file.display(),
                        summary.dossiers,
                        summary.blobs,
                        summary.blob_bytes
                    );
                })
        }
        Some(Task::Restore { file, force }) => tokio::task::spawn_blocking(move || {
            backup::restore(&data_dir, &file, force).map(|s| (s, data_dir))
        })
        .await
        .map_err(|err| err.to_string())
        .and_then(|done| done.map_err(|err| err.to_string()))
        .map(|(summary, dir)| {
            println!(
                "restored into {}: {} dossiers, {} blobs, {} bytes of ciphertext",
                dir.display(),
                summary.dossiers,
                summary.blobs,
                summary.blob_bytes
            );
        }),
    };
    if let Err(err) = result {
        // One line, so that a script starting the relay shows the reason.
        eprintln!("driehoek-relay: {err}");
        std::process::exit(1);
    }
}
