//! Signing in, the first-run setup, accepting an invitation, and the signed-in
//! person's menu.

use ara_shared::account::{
    AcceptInvitationRequest, InvitationView, SetUpRequest, SignInRequest, UserView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::i18n::{self, Msg, t};
use crate::views::use_lang;

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

/// Leaves a setup or invitation link for the app's start page, so that a
/// reload does not try the used token again.
fn go_home() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
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

/// A labelled text input bound to a signal.
#[component]
fn TextField(
    id: &'static str,
    label: Msg,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id>{move || t(lang.get(), label)}</label>
            <input
                id=id
                type=kind
                required
                autocomplete=autocomplete
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || t(lang.get(), h)}</p> })}
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
                <TextField id="sign-in-email" label=Msg::Email value=email kind="email" autocomplete="username"/>
                <TextField id="sign-in-password" label=Msg::Password value=password kind="password" autocomplete="current-password"/>
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
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
                <TextField id="setup-name" label=Msg::YourName value=name autocomplete="name"/>
                <TextField id="setup-email" label=Msg::Email value=email kind="email" autocomplete="username"/>
                <TextField id="setup-password" label=Msg::Password value=password kind="password" autocomplete="new-password" hint=Msg::PasswordHint/>
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
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
                <TextField id="invitation-name" label=Msg::YourName value=name autocomplete="name"/>
                <TextField id="invitation-password" label=Msg::Password value=password kind="password" autocomplete="new-password" hint=Msg::PasswordHint/>
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
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::delete("/api/session").await;
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
