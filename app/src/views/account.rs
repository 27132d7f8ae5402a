//! Signing in, the first-run setup, accepting an invitation, the signed-in
//! person's menu, and their own account page (details, password, calendar
//! feed, sign-out).

use ara_shared::Role;
use ara_shared::account::{
    AcceptInvitationRequest, BackupsStatus, CalendarFeedLink, CalendarFeedStatus,
    ChangePasswordRequest, InvitationView, SetUpRequest, SignInRequest, UserView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiFailure};
use crate::i18n::admin::{self, AdminMsg};
use crate::i18n::nav::Nav;
use crate::i18n::{self, Msg, t};
use crate::views::form::TextInput;
use crate::views::{tr, tr_with, use_lang, use_sync, use_user};

/// Where the person stands with the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Session {
    Checking,
    SignedOut,
    /// The server could not be reached to check the session.
    Unreachable,
    SignedIn(UserView),
}

/// The token in the fragment of a setup or invitation link. Fragments are
/// not sent to servers, so the token stays out of access logs.
pub fn link_token() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Leaves a setup or invitation link for the app's start page (replacing it
/// in the history), so that a reload or "back" does not try the used token
/// again. Call while the view is set up: it needs the router.
fn go_home() -> impl Fn() + Clone {
    let navigate = leptos_router::hooks::use_navigate();
    move || {
        navigate(
            "/",
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    }
}

/// A refusal shown under a form, announced to screen readers.
#[component]
fn FormError(error: RwSignal<Option<ApiFailure>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="form-error" role="alert" aria-live="assertive">
            {move || error.get().map(|failure| {
                let retry = match &failure {
                    ApiFailure::Refused(body) => body.retry_after_s,
                    _ => None,
                };
                view! { <p id="form-error">{i18n::api_error_message(lang.get(), failure.code(), retry)}</p> }
            })}
        </div>
    }
}

#[component]
pub fn SignInView(session: RwSignal<Session>) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiFailure>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let request = SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, UserView>("POST", "/api/session", &request).await {
                Ok(user) => session.set(Session::SignedIn(user)),
                Err(failure) => {
                    password.set(String::new());
                    error.set(Some(failure));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="account-form" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">{move || t(lang.get(), Msg::SignIn)}</h1>
            <p>{move || t(lang.get(), Msg::SignInIntro)}</p>
            <form id="sign-in-form" on:submit=submit>
                <TextInput id="sign-in-email" label=tr(Msg::Email) value=email kind="email" autocomplete="username" required=true/>
                <TextInput id="sign-in-password" label=tr(Msg::Password) value=password kind="password" autocomplete="current-password" required=true/>
                <FormError error=error/>
                <button id="sign-in" type="submit" disabled=move || busy.get()>{move || t(lang.get(), Msg::SignIn)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn SetUpView(session: RwSignal<Session>) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiFailure>);
    let go_home = go_home();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let go_home = go_home.clone();
        let request = SetUpRequest {
            token: link_token(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, UserView>("POST", "/api/setup", &request).await {
                Ok(user) => {
                    go_home();
                    session.set(Session::SignedIn(user));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="account-form" aria-labelledby="setup-heading">
            <h1 id="setup-heading">{move || t(lang.get(), Msg::SetUpTitle)}</h1>
            <p>{move || t(lang.get(), Msg::SetUpIntro)}</p>
            <form id="setup-form" on:submit=submit>
                <TextInput id="setup-name" label=tr(Msg::YourName) value=name autocomplete="name" required=true/>
                <TextInput id="setup-email" label=tr(Msg::Email) value=email kind="email" autocomplete="username" required=true/>
                <TextInput id="setup-password" label=tr(Msg::Password) value=password kind="password" autocomplete="new-password" hint=tr_with(i18n::password_hint) required=true/>
                <FormError error=error/>
                <button id="create-account" type="submit">{move || t(lang.get(), Msg::CreateAccount)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn AcceptInvitationView(session: RwSignal<Session>) -> impl IntoView {
    let lang = use_lang();
    let token = link_token();
    let invitation = RwSignal::new(None::<InvitationView>);
    let error = RwSignal::new(None::<ApiFailure>);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    {
        let token = token.clone();
        spawn_local(async move {
            match api::get::<InvitationView>(&format!("/api/invitations/{token}")).await {
                Ok(found) => invitation.set(Some(found)),
                Err(failure) => error.set(Some(failure)),
            }
        });
    }
    let go_home = go_home();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let go_home = go_home.clone();
        let request = AcceptInvitationRequest {
            name: name.get_untracked(),
            password: password.get_untracked(),
        };
        let path = format!("/api/invitations/{token}/accept");
        spawn_local(async move {
            match api::call::<_, UserView>("POST", &path, &request).await {
                Ok(user) => {
                    go_home();
                    session.set(Session::SignedIn(user));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="account-form" aria-labelledby="invitation-heading">
            <h1 id="invitation-heading">{move || t(lang.get(), Msg::InvitationTitle)}</h1>
            {move || invitation.get().map(|inv| view! {
                <p>{move || i18n::invitation_intro(lang.get(), &inv.email, inv.role)}</p>
            })}
            <form id="invitation-form" on:submit=submit>
                <TextInput id="invitation-name" label=tr(Msg::YourName) value=name autocomplete="name" required=true/>
                <TextInput id="invitation-password" label=tr(Msg::Password) value=password kind="password" autocomplete="new-password" hint=tr_with(i18n::password_hint) required=true/>
                <FormError error=error/>
                <button id="accept-invitation" type="submit" disabled=move || invitation.get().is_none()>
                    {move || t(lang.get(), Msg::CreateAccount)}
                </button>
            </form>
        </section>
    }
}

/// Ends the session and starts the app afresh (a full reload drops the
/// state of this person's session).
fn sign_out(sync: crate::sync::SyncHandle) {
    spawn_local(async move {
        let _ = api::delete("/api/session").await;
        sync.sign_out().await;
        // A full reload drops the state of this person's session.
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign("/");
        }
    });
}

/// The signed-in person (a link to their account), with sign-out.
#[component]
pub fn UserMenu(user: UserView) -> impl IntoView {
    let lang = use_lang();
    let role = user.role;
    let sync = crate::views::use_sync();
    view! {
        <div class="user-menu">
            <span class="visually-hidden">{move || t(lang.get(), Msg::Account)}" "</span>
            <A href="/account" attr:class="user-link">
                <span id="user-name">{user.name}</span>
            </A>
            <span class="role">"("{move || i18n::role_name(lang.get(), role)}")"</span>
            <button id="sign-out" type="button" on:click=move |_| sign_out(sync)>{move || t(lang.get(), Msg::SignOut)}</button>
        </div>
    }
}

/// The origin of the app (`https://host`), to make a path into an address
/// someone can use elsewhere.
pub(crate) fn absolute_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// Asks the browser to copy `text`; `false` where the Clipboard API is
/// missing or refused (an insecure origin, no permission).
async fn copy_to_clipboard(text: &str) -> bool {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsCast;
    let promise = (|| {
        let navigator = web_sys::window()?.navigator();
        let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
        if clipboard.is_undefined() || clipboard.is_null() {
            return None;
        }
        let write: Function = Reflect::get(&clipboard, &"writeText".into())
            .ok()?
            .dyn_into()
            .ok()?;
        write
            .call1(&clipboard, &text.into())
            .ok()?
            .dyn_into::<Promise>()
            .ok()
    })();
    match promise {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

/// A value to hand on (a one-time link, a calendar address): shown in a
/// read-only field with a copy button, and what the copy did, in words.
#[component]
pub(crate) fn CopyField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: String,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(None::<bool>);
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    let text = value.clone();
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move {
            let ok = copy_to_clipboard(&text).await;
            if !ok && let Some(input) = input.get_untracked() {
                // The person can still copy it by hand.
                let _ = input.focus();
                input.select();
            }
            copied.set(Some(ok));
        });
    };
    view! {
        <div class="field copy-field">
            <label for=id.clone()>{label}</label>
            <div class="copy-row">
                <input
                    id=id.clone()
                    type="text"
                    readonly=true
                    node_ref=input
                    aria-describedby=described
                    prop:value=value
                    on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            el.select();
                        }
                    }
                />
                <button type="button" class="copy" id=format!("{id}-copy") on:click=copy>
                    {move || t(lang.get(), AdminMsg::Copy)}
                    <span class="visually-hidden">": "{label}</span>
                </button>
            </div>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="copy-status" role="status">
                {move || copied.get().map(|ok| t(lang.get(), if ok { AdminMsg::Copied } else { AdminMsg::CopyFailed }))}
            </p>
        </div>
    }
}

/// What the person's account says about them.
#[component]
fn AccountDetails() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    let sync = use_sync();
    let region = move || {
        let u = user.get();
        (u.role == Role::RegionEditor).then(|| {
            u.region
                .and_then(|id| {
                    sync.replica
                        .with(|r| r.view().regions.get(&id).map(|r| r.name.clone()))
                })
                .unwrap_or_else(|| t(lang.get(), AdminMsg::NoRegion).to_owned())
        })
    };
    view! {
        <section class="card account-section" aria-labelledby="details-heading">
            <h2 id="details-heading">{move || t(lang.get(), AdminMsg::YourDetails)}</h2>
            <dl class="details">
                <dt>{move || t(lang.get(), AdminMsg::Name)}</dt>
                <dd id="account-name">{move || user.get().name}</dd>
                <dt>{move || t(lang.get(), Msg::Email)}</dt>
                <dd id="account-email">{move || user.get().email}</dd>
                <dt>{move || t(lang.get(), AdminMsg::Role)}</dt>
                <dd id="account-role">{move || i18n::role_name(lang.get(), user.get().role)}</dd>
                {move || region().map(|name| view! {
                    <dt>{move || t(lang.get(), AdminMsg::Region)}</dt>
                    <dd id="account-region">{name}</dd>
                })}
            </dl>
        </section>
    }
}

/// What happened to a password change, in words.
#[derive(Clone, PartialEq)]
enum PasswordOutcome {
    Changed,
    Differ,
    Refused(ApiFailure),
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<PasswordOutcome>);
    let busy = RwSignal::new(false);
    let message: NodeRef<leptos::html::P> = NodeRef::new();
    let show = move |o: PasswordOutcome| {
        outcome.set(Some(o));
        request_animation_frame(move || {
            if let Some(p) = message.get_untracked() {
                let _ = p.focus();
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != repeat.get_untracked() {
            show(PasswordOutcome::Differ);
            return;
        }
        busy.set(true);
        let request = ChangePasswordRequest {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, ()>("POST", "/api/me/password", &request).await {
                Ok(()) => {
                    for field in [current, new, repeat] {
                        field.set(String::new());
                    }
                    show(PasswordOutcome::Changed);
                }
                Err(failure) => {
                    current.set(String::new());
                    show(PasswordOutcome::Refused(failure));
                }
            }
            busy.set(false);
        });
    };
    let text = move || {
        outcome.get().map(|o| match o {
            PasswordOutcome::Changed => t(lang.get(), AdminMsg::PasswordChanged).to_owned(),
            PasswordOutcome::Differ => t(lang.get(), AdminMsg::PasswordsDiffer).to_owned(),
            PasswordOutcome::Refused(failure) => {
                let retry = match &failure {
                    ApiFailure::Refused(body) => body.retry_after_s,
                    _ => None,
                };
                admin::password_error(lang.get(), failure.code(), retry)
            }
        })
    };
    let ok = move || outcome.with(|o| matches!(o, Some(PasswordOutcome::Changed)));
    view! {
        <section class="card account-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{move || t(lang.get(), AdminMsg::ChangePassword)}</h2>
            <form id="password-form" class="stacked-form" on:submit=submit>
                <TextInput id="current-password" label=tr(AdminMsg::CurrentPassword) value=current kind="password" autocomplete="current-password" required=true/>
                <TextInput id="new-password" label=tr(AdminMsg::NewPassword) value=new kind="password" autocomplete="new-password" hint=tr_with(i18n::password_hint) required=true/>
                <TextInput id="repeat-password" label=tr(AdminMsg::RepeatPassword) value=repeat kind="password" autocomplete="new-password" required=true/>
                <div role="alert" aria-live="assertive" class="form-message">
                    {move || text().map(|text| view! {
                        <p id="password-message" class:success=ok class:form-error-text=move || !ok() tabindex="-1" node_ref=message>{text}</p>
                    })}
                </div>
                <button id="change-password" type="submit" disabled=move || busy.get()>
                    {move || t(lang.get(), AdminMsg::ChangePassword)}
                </button>
            </form>
        </section>
    }
}

/// The person's secret, subscribable calendar address.
#[component]
fn CalendarFeed() -> impl IntoView {
    let lang = use_lang();
    let active = RwSignal::new(None::<bool>);
    let made = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiFailure>);
    let heading: NodeRef<leptos::html::H3> = NodeRef::new();
    let start_button: NodeRef<leptos::html::Button> = NodeRef::new();
    spawn_local(async move {
        match api::get::<CalendarFeedStatus>("/api/me/calendar-feed").await {
            Ok(status) => active.set(Some(status.active)),
            Err(failure) => error.set(Some(failure)),
        }
    });
    let make = move || {
        confirming.set(false);
        spawn_local(async move {
            match api::call::<_, CalendarFeedLink>("POST", "/api/me/calendar-feed", &()).await {
                Ok(link) => {
                    error.set(None);
                    made.set(Some(absolute_url(&link.url)));
                    active.set(Some(true));
                    request_animation_frame(move || {
                        if let Some(h) = heading.get_untracked() {
                            let _ = h.focus();
                        }
                    });
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let cancel = move |_| {
        confirming.set(false);
        request_animation_frame(move || {
            if let Some(b) = start_button.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let webcal = move || {
        made.get().map(|url| {
            url.replacen("https://", "webcal://", 1)
                .replacen("http://", "webcal://", 1)
        })
    };
    view! {
        <section class="card account-section" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">{move || t(lang.get(), AdminMsg::CalendarHeading)}</h2>
            <p>{move || t(lang.get(), AdminMsg::CalendarIntro)}</p>
            <ol class="steps">
                <li>{move || t(lang.get(), AdminMsg::CalendarStep1)}</li>
                <li>{move || t(lang.get(), AdminMsg::CalendarStep2)}</li>
                <li>{move || t(lang.get(), AdminMsg::CalendarStep3)}</li>
            </ol>
            <p class="warning-note"><span aria-hidden="true">"⚠ "</span>{move || t(lang.get(), AdminMsg::CalendarSecret)}</p>
            {move || made.get().map(|url| view! {
                <div class="one-time" id="feed-result">
                    <h3 tabindex="-1" node_ref=heading>{move || t(lang.get(), AdminMsg::FeedAddress)}</h3>
                    <CopyField id="feed-url" label=tr(AdminMsg::FeedAddress) value=url hint=tr(AdminMsg::FeedShownOnce)/>
                    <p><a id="feed-webcal" href=webcal>{move || t(lang.get(), AdminMsg::OpenInCalendarApp)}</a></p>
                </div>
            })}
            <p id="feed-state">
                {move || active.get().map(|on| t(lang.get(), if on { AdminMsg::CalendarActive } else { AdminMsg::CalendarNone }))}
            </p>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-labelledby="renew-warning">
                    <p id="renew-warning"><strong>{move || t(lang.get(), AdminMsg::RenewWarning)}</strong></p>
                    <button id="confirm-renew-feed" type="button" class="danger" on:click=move |_| make()>
                        {move || t(lang.get(), AdminMsg::RenewFeed)}
                    </button>
                    <button type="button" on:click=cancel>{move || t(lang.get(), Msg::Cancel)}</button>
                </div>
            </Show>
            <Show when=move || !confirming.get() && active.get().is_some()>
                <button
                    id="make-feed"
                    type="button"
                    node_ref=start_button
                    on:click=move |_| {
                        if active.get_untracked() == Some(true) {
                            confirming.set(true);
                        } else {
                            make();
                        }
                    }
                >
                    {move || t(lang.get(), if active.get() == Some(true) { AdminMsg::RenewFeed } else { AdminMsg::CreateFeed })}
                </button>
            </Show>
            <div role="alert" class="form-error">
                {move || error.get().map(|f| view! { <p>{admin::account_error(lang.get(), f.code(), None)}</p> })}
            </div>
        </section>
    }
}

/// For the secretariat: how the server's automatic backups go, and a
/// backup to download now.
#[component]
fn BackupsSection() -> impl IntoView {
    let lang = use_lang();
    let status = RwSignal::new(None::<BackupsStatus>);
    let error = RwSignal::new(None::<ApiFailure>);
    spawn_local(async move {
        match api::get::<BackupsStatus>("/api/backups").await {
            Ok(s) => status.set(Some(s)),
            Err(failure) => error.set(Some(failure)),
        }
    });
    let when = move |ms: i64| i18n::format::date_time(lang.get(), ms, None);
    let schedule = move || {
        status.get().map(|s| {
            let l = lang.get();
            if !s.automatic {
                return t(l, AdminMsg::BackupsOff).to_owned();
            }
            let newest = match s.latest {
                Some(b) => admin::newest_backup(
                    l,
                    &when(b.created_ms),
                    &admin::size(l, b.bytes),
                    b.version.0,
                ),
                None => t(l, AdminMsg::BackupsNoneYet).to_owned(),
            };
            format!(
                "{} {newest}",
                admin::backups_schedule(l, s.every_secs, s.keep)
            )
        })
    };
    let failed = move || status.get().and_then(|s| s.failed_ms);
    view! {
        <section class="card account-section" aria-labelledby="backups-heading">
            <h2 id="backups-heading">{move || t(lang.get(), AdminMsg::BackupsHeading)}</h2>
            <p id="backups-state">{schedule}</p>
            {move || failed().map(|ms| view! {
                <p id="backups-failed" class="warning-note">
                    <span aria-hidden="true">"⚠ "</span>{move || admin::backup_failed(lang.get(), &when(ms))}
                </p>
            })}
            <p class="warning-note"><span aria-hidden="true">"⚠ "</span>{move || t(lang.get(), AdminMsg::BackupSecret)}</p>
            <p><a id="download-backup" href="/api/backup" download="">{move || t(lang.get(), AdminMsg::DownloadBackup)}</a></p>
            <div role="alert" class="form-error">
                {move || error.get().map(|f| view! { <p>{admin::account_error(lang.get(), f.code(), None)}</p> })}
            </div>
        </section>
    }
}

/// The signed-in person's own account page: details, password, calendar
/// feed, backups (for the secretariat), sign-out.
#[component]
pub fn AccountView() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    let sync = crate::views::use_sync();
    crate::views::page_title(Nav::Account);
    view! {
        <section class="page account-page" aria-labelledby="account-heading">
            <h1 id="account-heading">{move || t(lang.get(), Nav::Account)}</h1>
            <p class="intro">{move || t(lang.get(), AdminMsg::AccountIntro)}</p>
            <AccountDetails/>
            <ChangePasswordForm/>
            <CalendarFeed/>
            <Show when=move || user.get().role == Role::Secretariat>
                <BackupsSection/>
            </Show>
            <section class="card account-section" aria-labelledby="sign-out-heading">
                <h2 id="sign-out-heading">{move || t(lang.get(), Msg::SignOut)}</h2>
                <p>{move || t(lang.get(), AdminMsg::SignOutIntro)}</p>
                <button id="account-sign-out" type="button" on:click=move |_| sign_out(sync)>
                    {move || t(lang.get(), Msg::SignOut)}
                </button>
            </section>
        </section>
    }
}
