//! The installable app: the service worker (`/sw.js`, which keeps this
//! build's shell so that the app starts offline), noticing a new build, and
//! asking the browser to keep the stored data.
//!
//! A new build never replaces the running one behind the person's back: its
//! worker installs and waits, the app offers "Reload to update", and only
//! that click lets it take over (see `app/sw.js`). The same offer appears
//! when the server speaks a sync protocol this build does not.
//!
//! Uses the sync handle (`pwa` → `sync`, never back): it sets the handle's
//! `update` and `persisted` signals, tells it about the network, and gives
//! it [`check_for_update`] to call at every reconnect.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use gloo_events::EventListener;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

use crate::sync::{SyncHandle, UpdateState};

/// How often an open app asks the server for a new build, besides every
/// reconnect.
const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    /// The person chose to update: reload once the new worker controls the page.
    static RELOAD_ON_CHANGE: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Missing outside a secure context (plain http other than localhost).
    let worker = Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    (!worker.is_undefined()).then(|| navigator.service_worker())
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Registers the service worker, watches for new builds, and asks for
/// persistent storage. Call once, in the browser.
pub fn start(sync: SyncHandle) {
    sync.when_a_new_build_may_exist(check_for_update);
    request_persistence(sync);
    watch_network(sync);
    let Some(container) = container() else {
        return;
    };
    // Whether a worker served this page: then a change of worker is an
    // update; otherwise it is the first install taking the page.
    let served_by_worker = container.controller().is_some();
    EventListener::new(&container, "controllerchange", move |_| {
        if RELOAD_ON_CHANGE.get() {
            reload();
        } else if served_by_worker {
            // Another tab updated: this page still runs the old build in
            // memory, complete; offer the reload rather than force it.
            sync.update.set(UpdateState::Ready);
        }
    })
    .forget();
    spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        watch(&registration, sync);
        REGISTRATION.with(|r| *r.borrow_mut() = Some(registration));
    });
    set_interval(check_for_update, CHECK_EVERY);
}

/// The browser's own word on the network: when it says the network is
/// gone, the socket is closed (so the state shows it at once); when it comes
/// back, the app reconnects at once instead of after the back-off.
fn watch_network(sync: SyncHandle) {
    let Some(window) = web_sys::window() else {
        return;
    };
    for (event, online) in [("online", true), ("offline", false)] {
        EventListener::new(&window, event, move |_| sync.network_changed(online)).forget();
    }
}

/// Offers the update whenever a new worker has installed while an old one
/// controls the page.
fn watch(registration: &ServiceWorkerRegistration, sync: SyncHandle) {
    let controlled = || container().is_some_and(|c| c.controller().is_some());
    if registration.waiting().is_some() && controlled() {
        sync.update.set(UpdateState::Ready);
    }
    let this = registration.clone();
    EventListener::new(registration, "updatefound", move |_| {
        let Some(installing) = this.installing() else {
            return;
        };
        let worker = installing.clone();
        EventListener::new(&installing, "statechange", move |_| {
            if worker.state() == ServiceWorkerState::Installed && controlled() {
                sync.update.update(|u| {
                    if *u == UpdateState::Current {
                        *u = UpdateState::Ready;
                    }
                });
            }
        })
        .forget();
    })
    .forget();
}

/// Asks the server whether a new build is there (the browser compares the
/// service worker's bytes, which carry the build id).
pub fn check_for_update() {
    REGISTRATION.with(|r| {
        if let Some(registration) = r.borrow().as_ref() {
            let _ = registration.update();
        }
    });
}

/// "Reload to update": the waiting build takes over and the page reloads
/// into it. When none waits yet (the server changed its protocol before the
/// browser noticed the new build), the update is fetched and installed
/// first, since a plain reload would start this build again from the cache.
/// Without a service worker a plain reload fetches the newest.
pub fn apply_update() {
    let Some(registration) = REGISTRATION.with(|r| r.borrow().clone()) else {
        reload();
        return;
    };
    spawn_local(async move {
        if registration.waiting().is_none()
            && let Ok(promise) = registration.update()
        {
            let _ = JsFuture::from(promise).await;
        }
        // An installing worker becomes waiting once its shell is cached.
        for _ in 0..100 {
            if registration.waiting().is_some() || registration.installing().is_none() {
                break;
            }
            sleep_ms(100).await;
        }
        match registration.waiting() {
            Some(worker) => {
                RELOAD_ON_CHANGE.set(true);
                let message = Object::new();
                let _ = Reflect::set(&message, &"type".into(), &"skip-waiting".into());
                let _ = worker.post_message(&message);
            }
            None => reload(),
        }
    });
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Asks the browser not to clear this site's data under storage pressure,
/// and records its answer for the person.
fn request_persistence(sync: SyncHandle) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let has_storage =
        Reflect::get(&navigator, &JsValue::from_str("storage")).is_ok_and(|s| !s.is_undefined());
    if !has_storage {
        sync.persisted.set(Some(false));
        return;
    }
    let manager = navigator.storage();
    spawn_local(async move {
        let already = match manager.persisted() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        };
        let granted = if already == Some(true) {
            Some(true)
        } else {
            match manager.persist() {
                Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            }
        };
        sync.persisted.set(Some(granted.unwrap_or(false)));
    });
}
