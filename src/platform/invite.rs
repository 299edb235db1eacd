//! The invite secret in the address: `…/#join=<secret>&as=parent`.
//! Browsers never send the fragment to a server; the app takes it out of
//! the address bar at once, so it does not stay in the history or get
//! shared by accident.

/// The address's fragment, if it holds an invite (`join=`); the fragment
/// is removed from the address bar either way.
pub fn take_join_fragment() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    if !hash.contains("join=") {
        return None;
    }
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(hash)
}
