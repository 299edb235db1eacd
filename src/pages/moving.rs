//! Settings cards for moving to a new device (a passphrase-protected file
//! with every dossier of this device) and for opening such a file.

use driehoek_wire::transfer::{MIN_PASSPHRASE_CHARS, TransferError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Lang, PeopleWords as W, Phrase, Text, use_locale};
use crate::platform::files;
use crate::store::{MovingError, use_store};
use driehoek_core::sync::moving::MoveError;

/// A moving file holds secrets and names only: anything this big is not
/// one, and is refused before it is read.
const MOST_BYTES: f64 = 1_000_000.0;

pub fn moving_error_text(error: &MovingError, lang: Lang) -> String {
    let words = match error {
        MovingError::Nothing => W::MoveNothing,
        MovingError::Storage(e) => return crate::i18n::messages::storage_error_text(e, lang),
        MovingError::NotPlaced(_) => return Text::SomethingWentWrong.get(lang).into(),
        MovingError::File(MoveError::Unreadable) => W::MoveFileNewer,
        MovingError::File(MoveError::Transfer(e)) => match e {
            TransferError::NotAMoveFile => W::NotAMoveFile,
            TransferError::UnsupportedVersion(_) => W::MoveFileNewer,
            TransferError::Damaged => W::MoveFileDamaged,
            TransferError::WrongPassphrase => W::WrongPassphrase,
            TransferError::PassphraseTooShort => W::PassphraseTooShort,
            TransferError::CostTooHigh => W::MoveFileTooCostly,
            TransferError::Random(_) => return Text::SomethingWentWrong.get(lang).into(),
        },
    };
    words.text(lang).into()
}

/// What the last action came to.
#[derive(Clone, PartialEq)]
enum Outcome {
    Working,
    Done(String),
    Failed(String),
}

#[component]
fn OutcomeLine(outcome: RwSignal<Option<Outcome>>, test_id: &'static str) -> impl IntoView {
    let locale = use_locale();
    move || {
        outcome.get().map(|o| match o {
            Outcome::Working => view! {
                <p class="notice" role="status" data-testid=test_id>{locale.t(W::Working)}</p>
            }
            .into_any(),
            Outcome::Done(m) => view! {
                <p class="notice" role="status" data-testid=test_id>{m}</p>
            }
            .into_any(),
            Outcome::Failed(m) => view! {
                <p class="notice warn" role="alert" data-testid=test_id>{m}</p>
            }
            .into_any(),
        })
    }
}

#[component]
pub fn MoveOutCard() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if outcome.get_untracked() == Some(Outcome::Working) {
            return;
        }
        let lang = locale.lang().get_untracked();
        let pass = first.get_untracked();
        if pass.chars().count() < MIN_PASSPHRASE_CHARS {
            outcome.set(Some(Outcome::Failed(
                W::PassphraseTooShort.text(lang).into(),
            )));
            return;
        }
        if pass != again.get_untracked() {
            outcome.set(Some(Outcome::Failed(
                W::PassphrasesDiffer.text(lang).into(),
            )));
            return;
        }
        outcome.set(Some(Outcome::Working));
        spawn_local(async move {
            let result = store.export_moving_file(&pass).await;
            outcome.set(Some(match result {
                Ok((bytes, n)) => {
                    match files::download(
                        "driehoek.driehoek-move",
                        "application/octet-stream",
                        &bytes,
                    ) {
                        Ok(()) => {
                            first.set(String::new());
                            again.set(String::new());
                            Outcome::Done(W::MoveFileMade.text(lang).replace("{n}", &n.to_string()))
                        }
                        Err(_) => Outcome::Failed(Text::SomethingWentWrong.get(lang).into()),
                    }
                }
                Err(e) => Outcome::Failed(moving_error_text(&e, lang)),
            }));
        });
    };
    view! {
        <form class="card form" on:submit=submit data-testid="move-out">
            <h2>{locale.t(W::MoveTitle)}</h2>
            <p class="hint">{locale.t(W::MoveExplained)}</p>
            <label>
                <span>{locale.t(W::Passphrase)}</span>
                <input
                    type="password"
                    autocomplete="new-password"
                    minlength=MIN_PASSPHRASE_CHARS.to_string()
                    data-testid="move-passphrase"
                    prop:value=first
                    on:input=move |ev| first.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>{locale.t(W::PassphraseAgain)}</span>
                <input
                    type="password"
                    autocomplete="new-password"
                    data-testid="move-passphrase-again"
                    prop:value=again
                    on:input=move |ev| again.set(event_target_value(&ev))
                />
            </label>
            <p class="actions">
                <button type="submit" class="button primary" data-testid="make-move-file">
                    {locale.t(W::MakeMoveFile)}
                </button>
            </p>
            <OutcomeLine outcome=outcome test_id="move-out-status" />
        </form>
    }
}

#[component]
pub fn MoveInCard() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let pass = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let picked = move |ev: leptos::ev::Event| {
        let lang = locale.lang().get_untracked();
        // Cleared, so the same file may be picked again with another
        // passphrase.
        let Some(file) = files::take_picked(&ev) else {
            return;
        };
        if file.size() > MOST_BYTES {
            outcome.set(Some(Outcome::Failed(W::NotAMoveFile.text(lang).into())));
            return;
        }
        let passphrase = pass.get_untracked();
        outcome.set(Some(Outcome::Working));
        spawn_local(async move {
            let bytes = match files::read(&file).await {
                Ok(b) => b,
                Err(_) => {
                    outcome.set(Some(Outcome::Failed(
                        Text::SomethingWentWrong.get(lang).into(),
                    )));
                    return;
                }
            };
            outcome.set(Some(
                match store.import_moving_file(&passphrase, &bytes).await {
                    Ok(ids) => {
                        pass.set(String::new());
                        Outcome::Done(
                            W::MoveImported
                                .text(lang)
                                .replace("{n}", &ids.len().to_string()),
                        )
                    }
                    Err(e) => Outcome::Failed(moving_error_text(&e, lang)),
                },
            ));
        });
    };
    view! {
        <form class="card form" data-testid="move-in" on:submit=|ev| ev.prevent_default()>
            <h2>{locale.t(W::OpenMoveTitle)}</h2>
            <p class="hint">{locale.t(W::OpenMoveExplained)}</p>
            <label>
                <span>{locale.t(W::Passphrase)}</span>
                <input
                    type="password"
                    autocomplete="current-password"
                    data-testid="move-in-passphrase"
                    prop:value=pass
                    on:input=move |ev| pass.set(event_target_value(&ev))
                />
            </label>
            <p class="actions">
                <label class="button file-button">
                    {locale.t(W::OpenMoveFile)}
                    <input
                        type="file"
                        class="visually-hidden"
                        data-testid="move-in-file"
                        on:change=picked
                    />
                </label>
            </p>
            <OutcomeLine outcome=outcome test_id="move-in-status" />
        </form>
    }
}
