//! Timing marks for the browser benchmark (`tools/bench-app.mjs`): User
//! Timing entries cost microseconds and show in the browser's profiler too.

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// Starts the span `name`; [`end`] records it as a measure.
pub fn start(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// Records the measure `name` from its [`start`] until now.
pub fn end(name: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, &format!("{name}:start"));
    }
}

/// Resolves once the browser has produced the next frame: a
/// `requestAnimationFrame` callback runs just before the frame, a task
/// queued from it runs after. Long work started after this cannot delay
/// what was rendered before it from reaching the screen.
pub async fn after_next_paint() {
    use wasm_bindgen::{JsCast, closure::Closure};
    let Some(window) = web_sys::window() else {
        return;
    };
    let (done, painted) = futures::channel::oneshot::channel::<()>();
    let on_frame = Closure::once_into_js(move || {
        let after = Closure::once_into_js(move || {
            let _ = done.send(());
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(after.unchecked_ref());
        }
    });
    if window
        .request_animation_frame(on_frame.unchecked_ref())
        .is_err()
    {
        return;
    }
    let _ = painted.await;
}
