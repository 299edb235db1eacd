use leptos::prelude::*;

use crate::i18n::{Text, use_locale};

/// The first screen: the dossiers on this device. Until the first dossier is
/// made or joined it explains how to start.
#[component]
pub fn DossierListPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="page dossier-list-page" aria-labelledby="dossiers-title">
            <h1 id="dossiers-title">{locale.t(Text::DossiersTitle)}</h1>
            <ul class="dossier-list" data-testid="dossier-list"></ul>
            <div class="empty-state" data-testid="empty-dossiers">
                <p class="empty-lead">{locale.t(Text::NoDossiersYet)}</p>
                <h2>{locale.t(Text::HowToStartTitle)}</h2>
                <ul class="how-to-start">
                    <li>{locale.t(Text::HowToStartTeacher)}</li>
                    <li>{locale.t(Text::HowToStartParent)}</li>
                    <li>{locale.t(Text::HowToStartInvite)}</li>
                </ul>
            </div>
        </section>
    }
}
