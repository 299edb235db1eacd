//! Settings of this device: language and what the browser keeps.

use leptos::prelude::*;

use crate::components::sync_banner::CreationCodeForm;
use crate::i18n::{Text, use_locale};
use crate::platform::persistence::{Durability, usage};
use crate::store::{StorageHealth, use_store};

use super::moving::{MoveInCard, MoveOutCard};
use crate::i18n::messages::health_text;

/// Durability as asked at start, shared through context.
#[derive(Clone, Copy)]
pub struct DurabilityState(pub RwSignal<Option<Durability>>);

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let health = store.health();
    let durability = use_context::<DurabilityState>().map(|d| d.0);
    let usage = LocalResource::new(usage);
    view! {
        <section class="page settings-page">
            <h1>{locale.t(Text::Settings)}</h1>
            <div class="card">
                <h2>{locale.t(Text::LanguageLabel)}</h2>
                <p>
                    {move || locale.lang().get().own_name()}
                    " · "
                    {locale.t(Text::LanguageHint)}
                </p>
            </div>
            <div class="card" data-testid="storage-settings">
                <h2>{locale.t(Text::StorageTitle)}</h2>
                <p data-testid="durability">
                    {move || {
                        let lang = locale.lang().get();
                        if matches!(health.get(), StorageHealth::MemoryOnly(_)) {
                            return health_text(&health.get(), lang).unwrap_or_default();
                        }
                        match durability.and_then(|d| d.get()) {
                            Some(Durability::Persistent) => Text::StoragePersistent.get(lang).to_string(),
                            Some(Durability::BestEffort) => Text::StorageBestEffort.get(lang).to_string(),
                            Some(Durability::Unknown) | None => Text::StorageUnknown.get(lang).to_string(),
                        }
                    }}
                </p>
                <p data-testid="storage-usage">
                    {move || match usage.get().flatten() {
                        Some(u) => locale.t(Text::StorageUsage)()
                            .replace("{used}", &megabytes(u.used))
                            .replace("{quota}", &megabytes(u.quota)),
                        None => String::new(),
                    }}
                </p>
                <p class="hint">{locale.t(Text::StorageAdvice)}</p>
            </div>
            <div class="card" data-testid="sync-settings">
                <h2>{locale.t(Text::SyncSettingsTitle)}</h2>
                <p class="hint">{locale.t(Text::CreationCodeHint)}</p>
                <CreationCodeForm />
            </div>
            <MoveOutCard />
            <MoveInCard />
        </section>
    }
}
