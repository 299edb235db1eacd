//! What went wrong with a form, read out at once by screen readers.

use leptos::prelude::*;

/// The form's error, when it has one.
#[component]
pub fn FormError(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
    }
}
