//! Other tabs of this app in the same browser: a notice when one of them
//! stored something, and Web Locks so that only one compacts a dossier.
//!
//! The notice carries no content, only which dossier changed: the tab that
//! hears it reads the new chunks from IndexedDB itself, so storage stays
//! the one source of truth.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, prelude::*};
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "driehoek-store";

/// What one tab tells the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TabNotice {
    /// New chunks of this dossier are stored.
    Changed { dossier: String },
    /// This dossier was compacted: its snapshot was replaced.
    Compacted { dossier: String },
    /// The list of dossiers changed (one was created or its metadata moved).
    ListChanged,
    /// This dossier was removed from the device.
    Left { dossier: String },
}

/// This tab's end of the channel; `None` inside where the browser has no
/// BroadcastChannel (then tabs simply do not hear each other live).
pub struct TabChannel {
    channel: Option<BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl TabChannel {
    /// Opens the channel; `on_notice` hears what other tabs say (never this
    /// tab's own posts: BroadcastChannel does not echo).
    pub fn open(mut on_notice: impl FnMut(TabNotice) + 'static) -> Self {
        let Ok(channel) = BroadcastChannel::new(CHANNEL) else {
            return Self {
                channel: None,
                _listener: None,
            };
        };
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string()
                && let Ok(notice) = serde_json::from_str::<TabNotice>(&text)
            {
                on_notice(notice);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Self {
            channel: Some(channel),
            _listener: Some(listener),
        }
    }

    pub fn post(&self, notice: &TabNotice) {
        if let (Some(channel), Ok(text)) = (&self.channel, serde_json::to_string(notice)) {
            let _ = channel.post_message(&JsValue::from_str(&text));
        }
    }
}

/// Runs `work` while holding the Web Lock `name`, if no other tab holds it;
/// returns `false` without running it when the lock is taken or the
/// browser has no Web Locks.
pub async fn with_lock_if_available<F>(name: &str, work: F) -> bool
where
    F: std::future::Future<Output = ()> + 'static,
{
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    // Without Web Locks two tabs could compact at once: skip the work
    // (it is an optimisation; everything still loads from the chunks).
    let Some(locks) = locks else {
        return false;
    };
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else {
        return false;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let work = std::cell::RefCell::new(Some(work));
    // The lock is held until the promise the callback returns settles.
    let callback = Closure::once(move |lock: JsValue| -> js_sys::Promise {
        let work = work.borrow_mut().take();
        wasm_bindgen_futures::future_to_promise(async move {
            if lock.is_null() {
                return Ok(JsValue::FALSE);
            }
            if let Some(work) = work {
                work.await;
            }
            Ok(JsValue::TRUE)
        })
    });
    let promise = request.call3(
        &locks,
        &JsValue::from_str(name),
        &options,
        callback.as_ref().unchecked_ref(),
    );
    match promise.map(|p| p.dyn_into::<js_sys::Promise>()) {
        Ok(Ok(promise)) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|v| v.as_bool().unwrap_or(false))
            .unwrap_or(false),
        _ => false,
    }
}

/// Waits for the Web Lock `name` and keeps it for as long as this tab
/// lives, running `on_held` once it is ours: of all tabs of this app, one
/// holds it, and when that tab closes the next waiting one takes over.
/// Without Web Locks every tab runs `on_held` at once.
pub fn hold_lock_while_open(name: &str, on_held: impl FnOnce() + 'static) {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|locks| {
        js_sys::Reflect::get(locks, &JsValue::from_str("request"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        on_held();
        return;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
        on_held();
        // Never settles: the lock goes only with the tab.
        js_sys::Promise::new(&mut |_, _| {})
    });
    let _ = request.call2(&locks, &JsValue::from_str(name), &callback);
}
