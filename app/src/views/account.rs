//! Signing in, the first-run setup, accepting an invitation, and the signed-in
//! person's menu.

use ara_shared::account::{
    AcceptInvitationRequest, InvitationView, SetUpRequest, SignInRequest, UserView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::i18n::{self, Msg, t};
use crate::views::form::TextInput;
use crate::views::{tr, use_lang};

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
                <TextInput id="setup-password" label=tr(Msg::Password) value=password kind="password" autocomplete="new-password" hint=tr(Msg::PasswordHint) required=true/>
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
                <TextInput id="invitation-password" label=tr(Msg::Password) value=password kind="password" autocomplete="new-password" hint=tr(Msg::PasswordHint) required=true/>
                <FormError error=error/>
                <button id="accept-invitation" type="submit" disabled=move || invitation.get().is_none()>
                    {move || t(lang.get(), Msg::CreateAccount)}
                </button>
            </form>
        </section>
    }
}

/// The signed-in person, with sign-out.
#[component]
pub fn UserMenu(user: UserView) -> impl IntoView {
    let lang = use_lang();
    let role = user.role;
    let sync = crate::views::use_sync();
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::delete("/api/session").await;
            sync.sign_out().await;
            // A full reload drops the state of this person's session.
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign("/");
            }
        });
    };
    view! {
        <div class="user-menu">
            <span class="visually-hidden">{move || t(lang.get(), Msg::Account)}" "</span>
            <span id="user-name">{user.name}</span>
            <span class="role">"("{move || i18n::role_name(lang.get(), role)}")"</span>
            <button id="sign-out" type="button" on:click=sign_out>{move || t(lang.get(), Msg::SignOut)}</button>
        </div>
    }
}

/// The signed-in person's own account page.
#[component]
pub fn AccountView() -> impl IntoView {
    let lang = use_lang();
    crate::views::page_title(crate::i18n::nav::Nav::Account);
    view! {
        <section class="page">
            <h1>{move || t(lang.get(), crate::i18n::nav::Nav::Account)}</h1>
        </section>
    }
}
