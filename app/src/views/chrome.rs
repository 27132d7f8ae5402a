//! What frames every view: the navigation, connection state, language menu,
//! notices, and the page for an unknown address.

use ara_shared::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::nav::Nav;
use crate::i18n::pwa::PwaMsg;
use crate::i18n::{self, Lang, Msg, t};
use crate::offline::storage::StorageProblem;
use crate::routes::Page;
use crate::sync::{ConnectionState, NoticeBody, UpdateState};
use crate::views::{page_title, use_lang, use_sync};

/// The pages a person with `role` can go to. On a narrow screen the list
/// folds behind a menu button; following a link folds it again.
#[component]
pub fn MainNav(#[prop(into)] role: Signal<Role>) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    view! {
        <nav class="main-nav" aria-label=move || t(lang.get(), Nav::MainNavigation)>
            <button
                type="button"
                class="menu-toggle"
                aria-controls="main-nav-list"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">"☰ "</span>
                {move || t(lang.get(), Nav::Menu)}
            </button>
            <ul id="main-nav-list" class:open=move || open.get()>
                {move || {
                    Page::ALL
                        .into_iter()
                        .filter(|page| page.listed_for(role.get()))
                        .map(|page| view! {
                            <li>
                                <A href=page.path() on:click=move |_| open.set(false)>
                                    {move || t(lang.get(), page.name())}
                                </A>
                            </li>
                        })
                        .collect_view()
                }}
            </ul>
        </nav>
    }
}

/// What an address without a page shows.
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    page_title(Nav::NotFoundTitle);
    view! {
        <section class="page not-found">
            <h1>{move || t(lang.get(), Nav::NotFoundTitle)}</h1>
            <p>{move || t(lang.get(), Nav::NotFoundText)}</p>
            <p><A href="/">{move || t(lang.get(), Nav::BackToOverview)}</A></p>
        </section>
    }
}

/// Connection state and the number of edits not yet confirmed, always visible.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let state = move || sync.connection.get();
    let pending = move || sync.replica.with(|r| r.pending().len());
    view! {
        <div class="connection" role="status" aria-live="polite">
            <span id="connection-state" class="connection-state" data-state=move || state().key()>
                <span class="dot" aria-hidden="true"></span>
                {move || match state() {
                    ConnectionState::Online => t(lang.get(), Msg::Online),
                    ConnectionState::Connecting => t(lang.get(), Msg::Connecting),
                    ConnectionState::Offline => t(lang.get(), Msg::Offline),
                }}
            </span>
            {move || {
                let me = sync.replica.with(|r| r.actor().user);
                let mut names: Vec<String> = sync
                    .peers
                    .with(|peers| peers.iter().filter(|p| p.user != me).map(|p| p.name.clone()).collect());
                names.sort();
                names.dedup();
                (!names.is_empty()).then(|| view! {
                    <span id="online-people" class="online">{move || i18n::online_now(lang.get(), &names.join(", "))}</span>
                })
            }}
            <span class="pending" title=move || t(lang.get(), Msg::Pending)>
                <span class="visually-hidden">{move || t(lang.get(), Msg::Pending)}": "</span>
                <span id="pending-count">{pending}</span>
            </span>
        </div>
    }
}

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="language">
            <label for="language">{move || t(lang.get(), Msg::Language)}</label>
            <select
                id="language"
                prop:value=move || lang.get().tag()
                on:change=move |ev| {
                    if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                        lang.set(l);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|l| view! { <option value=l.tag() lang=l.tag()>{l.native_name()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A field's value in words (region names, quarters, lists, statuses),
/// shortened so that a long text does not fill the screen.
fn value_text(
    value: &serde_json::Value,
    field: &str,
    lang: Lang,
    state: &ara_shared::State,
) -> String {
    i18n::priority::shortened(&i18n::priority::field_value(lang, state, field, value), 200)
}

/// Rejections, overwrites and connection refusals, in words.
#[component]
pub fn Notices() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    view! {
        <section id="notices" class="notices" aria-label=move || t(lang.get(), Msg::Notices)>
            <For each=move || sync.notices.get() key=|n| n.id let:notice>
                {
                    let id = notice.id;
                    let body = notice.body.clone();
                    let restore = match &notice.body {
                        NoticeBody::Overwritten(o) => o.restore.clone(),
                        _ => None,
                    };
                    let text = move || {
                        let lang = lang.get();
                        match &body {
                            NoticeBody::Rejected(r) => i18n::rejection_message(lang, r),
                            NoticeBody::ServerError(code) => i18n::error_message(lang, *code).to_owned(),
                            NoticeBody::Overwritten(o) => sync.replica.with(|r| i18n::overwrite_message(
                                lang,
                                &o.field,
                                &value_text(&o.yours, &o.field, lang, r.view()),
                                &value_text(&o.theirs, &o.field, lang, r.view()),
                                &o.by.name,
                            )),
                        }
                    };
                    view! {
                        <div class="notice" role="alert">
                            <p>{text}</p>
                            {restore.map(|m| view! {
                                <button type="button" class="restore" on:click=move |_| {
                                    sync.propose(m.clone());
                                    sync.dismiss(id);
                                }>{move || t(lang.get(), Msg::Restore)}</button>
                            })}
                            <button type="button" class="dismiss" on:click=move |_| sync.dismiss(id)>
                                {move || t(lang.get(), Msg::Dismiss)}
                            </button>
                        </div>
                    }
                }
            </For>
        </section>
    }
}

/// "A new version is ready — Reload to update", or the server needs one.
/// Shown whenever it applies, signed in or not.
#[component]
pub fn AppUpdate() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    move || {
        let text = match sync.update.get() {
            UpdateState::Current => return None,
            UpdateState::Ready => PwaMsg::UpdateReady,
            UpdateState::Required => PwaMsg::UpdateRequired,
        };
        Some(view! {
            <div id="app-update" class="app-update" role="status">
                <span>{move || t(lang.get(), text)}</span>
                <button id="reload-to-update" type="button" on:click=move |_| crate::pwa::apply_update()>
                    {move || t(lang.get(), PwaMsg::ReloadToUpdate)}
                </button>
            </div>
        })
    }
}

/// What the stored data means for unsent edits, when it matters: storage
/// refused, full or unreadable, or unsent edits the browser may clear.
#[component]
pub fn StorageStatus() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let pending = move || sync.replica.with(|r| r.pending().len());
    move || {
        let lang_now = lang.get();
        let text = match sync.storage.get() {
            Some(StorageProblem::Unavailable) => t(lang_now, PwaMsg::StorageUnavailable).to_owned(),
            Some(StorageProblem::Full) => t(lang_now, PwaMsg::StorageFull).to_owned(),
            Some(StorageProblem::Unreadable) => t(lang_now, PwaMsg::StorageUnreadable).to_owned(),
            None if sync.persisted.get() == Some(false)
                && sync.connection.get() != ConnectionState::Online
                && pending() > 0 =>
            {
                i18n::pwa::unsent_not_guaranteed(lang_now, pending())
            }
            None => return None,
        };
        let serious = sync
            .storage
            .get()
            .is_some_and(|p| p != StorageProblem::Unreadable);
        Some(view! {
            <p id="storage-status" class="storage-status" class:serious=serious role="status">
                {serious.then(|| view! { <span aria-hidden="true">"⚠ "</span> })}
                {text}
            </p>
        })
    }
}

/// On the sign-in page: edits of the last person that this device still
/// holds, and that are sent once they sign in again.
#[component]
pub fn KeptEdits() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    move || {
        let account = sync.account()?;
        let count = sync.replica.with(|r| r.pending().len());
        (count > 0).then(|| {
            view! {
                <p id="kept-edits" class="kept-edits" role="status">
                    {move || i18n::pwa::kept_edits(lang.get(), count, &account.name)}
                </p>
            }
        })
    }
}
