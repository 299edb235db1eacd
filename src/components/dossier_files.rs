//! The dossier's files: the encrypted sync file to carry to another device
//! without a network, reading one in, and open copies for the family's
//! own archive (plainly marked as unencrypted).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Text, use_locale};
use crate::platform::files;

/// Which file the person asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Encrypted, for another device of this dossier.
    Sync,
    /// The Automerge document, unencrypted.
    Automerge,
    /// Readable JSON, unencrypted.
    Json,
}

#[component]
pub fn DossierFiles(
    /// The person asked for the file of that kind.
    on_export: Callback<FileKind>,
    /// The person picked this file to read in.
    on_import: Callback<Vec<u8>>,
    /// What the last export or import came to: a message, or an error.
    status: Signal<Option<Result<String, String>>>,
    /// Shows why reading the picked file failed.
    on_read_error: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let export = move |kind: FileKind| on_export.run(kind);
    let picked = move |ev: leptos::ev::Event| {
        let Some(file) = files::take_picked(&ev) else {
            return;
        };
        spawn_local(async move {
            match files::read(&file).await {
                Ok(bytes) => on_import.run(bytes),
                Err(e) => on_read_error.run(e),
            }
        });
    };
    view! {
        <section class="card dossier-files" data-testid="dossier-files">
            <h2>{locale.t(Text::FilesTitle)}</h2>
            <p>{locale.t(Text::SyncFileExplained)}</p>
            <p class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="export-sync-file"
                    on:click=move |_| export(FileKind::Sync)
                >
                    {locale.t(Text::SaveSyncFile)}
                </button>
                <label class="button file-button">
                    {locale.t(Text::ReadSyncFile)}
                    <input
                        type="file"
                        class="visually-hidden"
                        data-testid="import-sync-file"
                        on:change=picked
                    />
                </label>
            </p>
            {move || {
                status
                    .get()
                    .map(|s| match s {
                        Ok(message) => {
                            view! {
                                <p class="notice" role="status" data-testid="files-status">
                                    {message}
                                </p>
                            }
                                .into_any()
                        }
                        Err(message) => {
                            view! {
                                <p class="notice warn" role="alert" data-testid="files-error">
                                    {message}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
            <h3>{locale.t(Text::ArchiveTitle)}</h3>
            <p class="notice warn">{locale.t(Text::ArchiveUnencrypted)}</p>
            <p class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="export-automerge"
                    on:click=move |_| export(FileKind::Automerge)
                >
                    {locale.t(Text::SaveArchiveAutomerge)}
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="export-json"
                    on:click=move |_| export(FileKind::Json)
                >
                    {locale.t(Text::SaveArchiveJson)}
                </button>
            </p>
        </section>
    }
}
