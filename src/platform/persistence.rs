//! Whether the browser keeps this site's data when space runs low, and how
//! much it uses: `navigator.storage` (the Storage API).

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// What the browser said about keeping our data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// The browser promised not to clear the data on its own.
    Persistent,
    /// The browser may clear the data when the device runs short of space
    /// (or, in Safari, after weeks without a visit).
    BestEffort,
    /// This browser has no Storage API; nothing is known.
    Unknown,
}

/// Storage use and quota, in bytes, as the browser estimates them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usage {
    pub used: f64,
    pub quota: f64,
}

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers lack it; `storage()` would then throw.
    let has = js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false);
    has.then(|| navigator.storage())
}

async fn promised_bool(promise: Result<js_sys::Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Asks the browser to keep our data. Chromium decides without a prompt
/// (by how the site is used, installed apps get it); Firefox may ask.
pub async fn request_persistence() -> Durability {
    let Some(manager) = manager() else {
        return Durability::Unknown;
    };
    if promised_bool(manager.persisted()).await == Some(true) {
        return Durability::Persistent;
    }
    match promised_bool(manager.persist()).await {
        Some(true) => Durability::Persistent,
        Some(false) => Durability::BestEffort,
        None => Durability::Unknown,
    }
}

/// How much this site stores and may store.
pub async fn usage() -> Option<Usage> {
    let manager = manager()?;
    let estimate = JsFuture::from(manager.estimate().ok()?).await.ok()?;
    let field = |name: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_f64())
    };
    Some(Usage {
        used: field("usage").unwrap_or(0.0),
        quota: field("quota").unwrap_or(0.0),
    })
}
