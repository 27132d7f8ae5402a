//! `ara-app`: ARA Planner in the browser (Leptos, client-side rendering, wasm).
//!
//! ## Map
//! - [`views`]: one module per area (programme, priority, meetings, …),
//!   with `views::toolkit` for what they share (focus, refusals, forms) and
//!   `views::form` for labelled fields; [`routes`]: the pages' addresses.
//! - [`i18n`]: every visible string, English and German, dates, numbers and
//!   time zones (`i18n::zone`).
//! - [`sync`]: the browser side of sync (`sync::connection`, the tab
//!   protocol in `sync::tabs`, `sync::persist`); [`offline`]: IndexedDB,
//!   BroadcastChannel and Web Locks; [`pwa`]: the service worker and
//!   updates. Imports go one way: `pwa` → `sync` → `offline`.
//! - [`api`]: the account API; [`browser`]: the clock, random ids and
//!   `Intl`, which every other module may use.
//!
//! ## Invariants
//! - State changes only through the typed mutations of `ara-shared`; the
//!   app never trusts its own permission check (the server decides) and
//!   knows nothing of the server's store.
//! - Every visible string goes through `i18n`, in every language.
//! - An edit is kept (IndexedDB) until the server acknowledges it.

pub mod api;
pub mod browser;
pub mod i18n;
pub mod offline;
pub mod pwa;
pub mod routes;
pub mod sync;
pub mod views;

use ara_shared::Role;
use ara_shared::account::AccountErrorCode;
use ara_shared::account::UserView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::i18n::nav::Nav;
use crate::i18n::{Lang, Msg, t};
use crate::sync::SyncHandle;
use crate::views::{
    AcceptInvitationView, AccountView, AppUpdate, BaselinesView, ConferencesView, ConnectionStatus,
    Dashboard, DevelopmentsView, KeptEdits, LanguageSelect, MainNav, MeetingDetail, MeetingsView,
    NotFound, Notices, PeopleView, PriorityDetail, ReferenceView, RegionsView, Session, SetUpView,
    SignInView, StakeholderNetwork, StorageStatus, Timeline, UserMenu, WorkProgramme,
};

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

fn path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Asks the server who is signed in.
fn check_session(session: RwSignal<Session>) {
    spawn_local(async move {
        let next = match api::get::<UserView>("/api/me").await {
            Ok(user) => Session::SignedIn(user),
            Err(api::ApiFailure::Network) => Session::Unreachable,
            Err(_) => Session::SignedOut,
        };
        session.set(next);
    });
}

/// Starts as the person last signed in on this device at once, from what
/// is stored here (offline if need be), then asks the server who is signed
/// in. A refused session leads to the sign-in; the stored edits stay.
fn start_session(session: RwSignal<Session>, sync: SyncHandle) {
    spawn_local(async move {
        let stored = sync.open_storage().await;
        if let Some(user) = &stored {
            sync.restore(user).await;
            session.set(Session::SignedIn(user.clone()));
        }
        let next = match api::get::<UserView>("/api/me").await {
            Ok(user) => Session::SignedIn(user),
            Err(failure) if failure.is(AccountErrorCode::NotSignedIn) => {
                sync.session_refused().await;
                Session::SignedOut
            }
            // Offline (or the server failing): keep working from what is stored.
            Err(_) if stored.is_some() => return,
            Err(api::ApiFailure::Network) => Session::Unreachable,
            Err(_) => Session::SignedOut,
        };
        // The same person again must not rebuild the page under their hands.
        if session.get_untracked() != next {
            session.set(next);
        }
    });
}

/// The person behind the sign-in, for the views; before the session is
/// known, nobody with no rights (the views are not shown then).
fn signed_in_user(session: RwSignal<Session>) -> Signal<UserView> {
    Signal::derive(move || match session.get() {
        Session::SignedIn(user) => user,
        _ => UserView {
            id: ara_shared::UserId(Default::default()),
            name: String::new(),
            email: String::new(),
            role: Role::Observer,
            region: None,
        },
    })
}

/// Every page of the signed-in app, by address.
#[component]
fn Pages() -> impl IntoView {
    // After a move to another page, focus goes to the content, so that a
    // keyboard or screen-reader user starts reading the new page.
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let current = location.pathname.get();
        if previous.is_some_and(|p| p != current)
            && let Some(main) = document().get_element_by_id("main")
        {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
        current
    });
    view! {
        <Notices/>
        <Routes fallback=|| view! { <NotFound/> }>
            <Route path=path!("/") view=Dashboard/>
            <Route path=path!("/programme") view=WorkProgramme/>
            <Route path=path!("/priorities/:id") view=PriorityDetail/>
            <Route path=path!("/timeline") view=Timeline/>
            <Route path=path!("/network") view=StakeholderNetwork/>
            <Route path=path!("/regions") view=RegionsView/>
            <Route path=path!("/conferences") view=ConferencesView/>
            <Route path=path!("/meetings") view=MeetingsView/>
            <Route path=path!("/meetings/:id") view=MeetingDetail/>
            <Route path=path!("/developments") view=DevelopmentsView/>
            <Route path=path!("/baselines") view=BaselinesView/>
            <Route path=path!("/reference") view=ReferenceView/>
            <Route path=path!("/people") view=PeopleView/>
            <Route path=path!("/account") view=AccountView/>
        </Routes>
    }
}

/// The whole app: header with navigation, language, connection state and
/// the person, then the page for where they are (setup, invitation and
/// sign-in before the session, the planner's pages after).
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    let sync = SyncHandle::new();
    provide_context(sync);
    pwa::start(sync);
    let session = RwSignal::new(Session::Checking);
    let user = signed_in_user(session);
    provide_context(user);
    let route = path();
    if route != "/setup" && route != "/invite" {
        start_session(session, sync);
    } else {
        session.set(Session::SignedOut);
    }

    // Sync starts once someone is signed in; a lost session ends it.
    Effect::new(move |_| {
        if let Session::SignedIn(user) = session.get() {
            sync.start(user);
        }
    });
    Effect::new(move |_| {
        if sync.session_lost.get() {
            session.set(Session::SignedOut);
            spawn_local(async move { sync.session_refused().await });
        }
    });
    // At every connection the server says who this is; a role or region the
    // secretariat changed since sign-in shows (navigation, menu, views).
    Effect::new(move |_| {
        let actor = sync.replica.with(|r| r.actor().clone());
        let changed = session.with_untracked(|s| match s {
            Session::SignedIn(u) => {
                u.id == actor.user && (u.role != actor.role || u.region != actor.region)
            }
            _ => false,
        });
        if changed {
            session.update(|s| {
                if let Session::SignedIn(u) = s {
                    u.role = actor.role;
                    u.region = actor.region;
                }
            });
        }
    });

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

    let body = move || match session.get() {
        Session::SignedIn(_) => view! { <Pages/> }.into_any(),
        Session::SignedOut if route == "/setup" => {
            view! { <SetUpView session=session/> }.into_any()
        }
        Session::SignedOut if route == "/invite" => {
            view! { <AcceptInvitationView session=session/> }.into_any()
        }
        Session::SignedOut => view! { <KeptEdits/><SignInView session=session/> }.into_any(),
        Session::Checking => {
            view! { <p class="loading">{move || t(lang.get(), Msg::Checking)}</p> }.into_any()
        }
        Session::Unreachable => view! {
            <div class="unreachable" role="alert">
                <p>{move || t(lang.get(), Msg::CannotReachServer)}</p>
                <button type="button" on:click=move |_| check_session(session)>
                    {move || t(lang.get(), Msg::Retry)}
                </button>
            </div>
        }
        .into_any(),
    };
    let signed_in = move || match session.get() {
        Session::SignedIn(user) => {
            Some(view! { <ConnectionStatus/><StorageStatus/><UserMenu user=user/> })
        }
        _ => None,
    };
    let navigation = move || {
        matches!(session.get(), Session::SignedIn(_))
            .then(|| view! { <MainNav role=Signal::derive(move || user.get().role)/> })
    };

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t(lang.get(), Nav::SkipToContent)}</a>
            <header class="app-header">
                <div class="brand">
                    <span class="app-name">{move || t(lang.get(), Msg::AppName)}</span>
                    <span class="tagline">{move || t(lang.get(), Msg::AppTagline)}</span>
                </div>
                {signed_in}
                <AppUpdate/>
                <LanguageSelect/>
            </header>
            {navigation}
            <main id="main" tabindex="-1">{body}</main>
        </Router>
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
