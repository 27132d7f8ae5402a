//! `ara-app`: ARA Planner in the browser (Leptos, client-side rendering, wasm).
//!
//! Owns the views, the interface languages and the browser side of sync. It
//! changes state only through the typed mutations of `ara-shared` and knows
//! nothing of the server's store; the server only knows it as static assets.

pub mod i18n;
pub mod sync;
pub mod views;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::i18n::{Lang, Msg, t};
use crate::sync::SyncHandle;
use crate::views::{ConnectionStatus, LanguageSelect, Notices, WorkProgramme};

const LANG_KEY: &str = "ara.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored choice, else the browser's language, else English.
fn initial_lang() -> Lang {
    let stored = local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    stored
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| browser.as_deref().and_then(Lang::from_tag))
        .unwrap_or(Lang::En)
}

/// The whole app: header with language and connection state, then the view.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    let sync = SyncHandle::new();
    provide_context(sync);
    sync.connect();

    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
        document().set_title(t(lang, Msg::AppName));
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, lang.tag());
        }
    });

    view! {
        <a class="skip-link" href="#main">{move || t(lang.get(), Msg::WorkProgramme)}</a>
        <header class="app-header">
            <div class="brand">
                <span class="app-name">{move || t(lang.get(), Msg::AppName)}</span>
                <span class="tagline">{move || t(lang.get(), Msg::AppTagline)}</span>
            </div>
            <ConnectionStatus/>
            <LanguageSelect/>
        </header>
        <main id="main" tabindex="-1">
            <Notices/>
            <WorkProgramme/>
        </main>
    }
}

/// Entry point called by the generated JS glue.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-ready", "true");
    }
}
