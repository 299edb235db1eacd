//! Handing a link to someone: the clipboard, the system's share sheet
//! where the browser has one, and the page's own address.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn navigator() -> Option<JsValue> {
    Some(web_sys::window()?.navigator().into())
}

/// A method of `navigator.<object>` (or of `navigator` itself).
fn method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

/// `https://school.example`: where invite links point.
pub fn origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// Puts `text` on the clipboard; `false` when the browser refuses (no
/// secure context, or no permission).
pub async fn copy(text: &str) -> bool {
    let Some(nav) = navigator() else { return false };
    let Ok(clipboard) = Reflect::get(&nav, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Some(write) = method(&clipboard, "writeText") else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    JsFuture::from(Promise::from(promise)).await.is_ok()
}

/// Whether the browser has a share sheet (most phones do).
pub fn can_share() -> bool {
    navigator().is_some_and(|nav| method(&nav, "share").is_some())
}

/// Opens the share sheet with a text and a link. A person closing the
/// sheet is not an error worth showing, so nothing is returned.
pub async fn share(title: &str, text: &str, url: &str) {
    let Some(nav) = navigator() else { return };
    let Some(share) = method(&nav, "share") else {
        return;
    };
    let data = Object::new();
    for (k, v) in [("title", title), ("text", text), ("url", url)] {
        let _ = Reflect::set(&data, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    if let Ok(promise) = share.call1(&nav, &data) {
        let _ = JsFuture::from(Promise::from(promise)).await;
    }
}

/// Opens the browser's print dialog (print to paper or to PDF).
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
