//! Writes the dossier the model benchmarks measure to a file, so that the
//! browser benchmarks load the very same history.
//!
//! ```sh
//! cargo run -p driehoek-core --example sample_dossier --release [PATH]
//! ```
//!
//! PATH defaults to `target/sample/dossier-2000.bin`. The file holds the
//! framed snapshot, as the app stores it; stdout gets one line of JSON with
//! what a benchmark script needs to open it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "../benches/support/generator.rs"]
mod generator;

use std::path::PathBuf;

use driehoek_core::model::read::{dossier_summary, members};
use driehoek_core::model::{Role, save_dossier};
use generator::{SEED, generate};

const DEFAULT_PATH: &str = "target/sample/dossier-2000.bin";

fn main() {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| DEFAULT_PATH.to_owned()),
    );
    let (mut doc, facts) = generate(SEED);

    // The script acts as someone who may write: the first parent to join.
    // Parents stay members through all the years.
    let person = members(&doc)
        .expect("the generated dossier has members")
        .people
        .into_iter()
        .find(|m| m.role == Role::Parent)
        .expect("the generated dossier has a parent")
        .id;
    let child_name = dossier_summary(&doc)
        .expect("the generated dossier has a summary")
        .child_name;

    let bytes = save_dossier(&mut doc);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(&path, &bytes)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));

    eprintln!(
        "generated in {} ms: {} commits from {} actors, {} entries, {} bytes of text typed, \
         {} bytes saved",
        facts.generate_ms,
        facts.commits,
        facts.actors,
        facts.entries,
        facts.text_bytes,
        facts.saved_bytes
    );
    println!(
        "{}",
        serde_json::json!({
            "path": path.display().to_string(),
            "bytes": bytes.len(),
            "entries": facts.entries,
            "commits": facts.commits,
            "person": person.as_str(),
            "child_name": child_name,
        })
    );
}
