//! People and roles (secretariat only): everyone with an account, their
//! role and region; changing a role or removing access; inviting someone
//! with a one-time link; the invitations not accepted yet.

use ara_shared::account::{
    InvitationView, InviteRequest, OpenInvitation, SetRoleRequest, UserView,
};
use ara_shared::{RegionId, Role, UserId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiFailure};
use crate::i18n::admin::{self, AdminMsg};
use crate::i18n::nav::Nav;
use crate::i18n::{Msg, format, role_name, t};
use crate::views::account::{CopyField, absolute_url};
use crate::views::form::{Choice, SelectInput, TextInput, region_choices};
use crate::views::toolkit::focus_by_id;
use crate::views::{page_title, tr, use_lang, use_sync, use_user};

const ROLES: [Role; 3] = [Role::Secretariat, Role::RegionEditor, Role::Observer];

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Secretariat => "secretariat",
        Role::RegionEditor => "region_editor",
        Role::Observer => "observer",
    }
}

fn role_from_key(key: &str) -> Role {
    ROLES
        .into_iter()
        .find(|r| role_key(*r) == key)
        .unwrap_or(Role::Observer)
}

fn role_choices() -> Signal<Vec<Choice>> {
    let lang = use_lang();
    Signal::derive(move || {
        ROLES
            .into_iter()
            .map(|r| {
                Choice::new(
                    role_key(r),
                    Signal::derive(move || role_name(lang.get(), r).to_owned()),
                )
            })
            .collect()
    })
}

/// Member regions with an empty first choice, so that a region editor's
/// region is chosen on purpose.
fn region_choices_with_prompt() -> Signal<Vec<Choice>> {
    let regions = region_choices(true);
    let prompt = tr(AdminMsg::ChooseRegion);
    Signal::derive(move || {
        std::iter::once(Choice::new("", prompt))
            .chain(regions.get())
            .collect()
    })
}

/// A region's name from the replica, for showing a person's region (kept
/// up to date: the replica may still be loading when a list is drawn).
fn region_name(region: Option<RegionId>) -> Signal<Option<String>> {
    let sync = use_sync();
    Signal::derive(move || {
        let id = region?;
        sync.replica
            .with(|r| r.view().regions.get(&id).map(|r| r.name.clone()))
    })
}

/// What the last action on this page did, announced and shown above the lists.
#[derive(Clone, PartialEq)]
enum Outcome {
    RoleChanged { name: String, role: Role },
    AccessRemoved { name: String },
    InvitationWithdrawn,
}

/// The lists of this page and what happened last; cheap to copy into rows.
#[derive(Clone, Copy)]
struct PeopleData {
    people: RwSignal<Option<Vec<UserView>>>,
    invitations: RwSignal<Vec<OpenInvitation>>,
    failure: RwSignal<Option<ApiFailure>>,
    outcome: RwSignal<Option<Outcome>>,
}

impl PeopleData {
    fn new() -> Self {
        Self {
            people: RwSignal::new(None),
            invitations: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            outcome: RwSignal::new(None),
        }
    }

    /// Fetches both lists again from the server.
    fn load(self) {
        spawn_local(async move {
            match api::get::<Vec<UserView>>("/api/users").await {
                Ok(list) => {
                    self.failure.set(None);
                    self.people.set(Some(list));
                }
                Err(failure) => self.failure.set(Some(failure)),
            }
            if let Ok(list) = api::get::<Vec<OpenInvitation>>("/api/invitations").await {
                self.invitations.set(list);
            }
        });
    }

    /// Says what happened, moves focus to the words, and refreshes.
    fn done(self, outcome: Outcome) {
        self.outcome.set(Some(outcome));
        self.load();
        focus_by_id("people-outcome".into());
    }
}

#[component]
pub fn PeopleView() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    page_title(Nav::People);
    let secretariat = Memo::new(move |_| user.with(|u| u.role == Role::Secretariat));
    view! {
        <section class="page people-page" aria-labelledby="people-page-heading">
            <h1 id="people-page-heading">{move || t(lang.get(), Nav::People)}</h1>
            <Show when=move || secretariat.get() fallback=OnlySecretariat>
                <PeopleAdmin/>
            </Show>
        </section>
    }
}

/// What everyone but the secretariat finds at this address.
#[component]
fn OnlySecretariat() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="only-secretariat" id="only-secretariat">
            <p><span aria-hidden="true">"🔒 "</span>{move || t(lang.get(), AdminMsg::OnlySecretariat)}</p>
            <p><A href="/account">{move || t(lang.get(), AdminMsg::GoToAccount)}</A></p>
        </div>
    }
}

#[component]
fn PeopleAdmin() -> impl IntoView {
    let lang = use_lang();
    let data = PeopleData::new();
    data.load();
    let outcome_text = move || {
        data.outcome.get().map(|o| {
            let lang = lang.get();
            match o {
                Outcome::RoleChanged { name, role } => admin::role_changed(lang, &name, role),
                Outcome::AccessRemoved { name } => admin::access_removed(lang, &name),
                Outcome::InvitationWithdrawn => t(lang, AdminMsg::InvitationWithdrawn).to_owned(),
            }
        })
    };
    view! {
        <p class="intro">{move || t(lang.get(), AdminMsg::PeopleIntro)}</p>
        <p class="hint roles-explained">{move || t(lang.get(), AdminMsg::RolesExplained)}</p>
        <InviteForm data=data/>
        <div role="status" class="outcome">
            <p id="people-outcome" tabindex="-1" class:empty=move || data.outcome.with(Option::is_none)>
                {outcome_text}
            </p>
        </div>
        <div role="alert" class="form-error">
            {move || data.failure.get().map(|f| view! { <p>{admin::account_error(lang.get(), f.code(), None)}</p> })}
        </div>
        <OpenInvitations data=data/>
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">{move || t(lang.get(), AdminMsg::PeopleHeading)}</h2>
            <Show
                when=move || data.people.with(Option::is_some)
                fallback=move || view! { <p class="loading">{move || t(lang.get(), AdminMsg::LoadingPeople)}</p> }
            >
                <ul class="people-list" id="people-list">
                    <For
                        each=move || data.people.get().unwrap_or_default()
                        // A changed person is drawn anew (and any open form closes).
                        key=|p| (p.id, p.name.clone(), p.role, p.region)
                        let:person
                    >
                        <PersonRow person=person data=data/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// Why an invitation or a role change was not made, in words.
#[derive(Clone, PartialEq)]
enum FormProblem {
    RegionRequired,
    Refused(ApiFailure),
}

impl FormProblem {
    fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            FormProblem::RegionRequired => t(lang, AdminMsg::RegionRequired).to_owned(),
            FormProblem::Refused(failure) => {
                let retry = match failure {
                    ApiFailure::Refused(body) => body.retry_after_s,
                    _ => None,
                };
                admin::account_error(lang, failure.code(), retry)
            }
        }
    }
}

/// The region of a role choice: a region editor's chosen region, else none.
fn chosen_region(role: Role, region: &str) -> Result<Option<RegionId>, FormProblem> {
    if role != Role::RegionEditor {
        return Ok(None);
    }
    region
        .parse::<RegionId>()
        .map(Some)
        .map_err(|_| FormProblem::RegionRequired)
}

#[component]
fn InviteForm(data: PeopleData) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(role_key(Role::RegionEditor).to_owned());
    let region = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<FormProblem>);
    let created = RwSignal::new(None::<InvitationView>);
    let busy = RwSignal::new(false);
    let is_editor = move || role.with(|r| r == role_key(Role::RegionEditor));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = role_from_key(&role.get_untracked());
        let region = match chosen_region(chosen, &region.get_untracked()) {
            Ok(r) => r,
            Err(p) => {
                problem.set(Some(p));
                return;
            }
        };
        let request = InviteRequest {
            email: email.get_untracked(),
            role: chosen,
            region,
        };
        busy.set(true);
        spawn_local(async move {
            match api::call::<_, InvitationView>("POST", "/api/invitations", &request).await {
                Ok(invitation) => {
                    problem.set(None);
                    email.set(String::new());
                    created.set(Some(invitation));
                    data.load();
                    focus_by_id("invitation-result-heading".into());
                }
                Err(failure) => problem.set(Some(FormProblem::Refused(failure))),
            }
            busy.set(false);
        });
    };
    let close_result = move |_| {
        created.set(None);
        focus_by_id("invite-email".into());
    };

    view! {
        <section class="card invite" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{move || t(lang.get(), AdminMsg::InviteHeading)}</h2>
            <p>{move || t(lang.get(), AdminMsg::InviteIntro)}</p>
            <form id="invite-form" class="inline-form" novalidate=true on:submit=submit>
                <TextInput id="invite-email" label=tr(AdminMsg::InviteEmail) value=email kind="email" autocomplete="off" required=true/>
                <SelectInput id="invite-role" label=tr(AdminMsg::Role) value=role choices=role_choices()/>
                <Show when=is_editor>
                    <div class="region-field">
                        <SelectInput id="invite-region" label=tr(AdminMsg::Region) value=region choices=region_choices_with_prompt()/>
                    </div>
                </Show>
                <button id="create-invitation" type="submit" disabled=move || busy.get()>
                    {move || t(lang.get(), AdminMsg::CreateInvitation)}
                </button>
            </form>
            <div role="alert" class="form-error">
                {move || problem.get().map(|p| view! { <p id="invite-error">{p.text(lang.get())}</p> })}
            </div>
            {move || created.get().map(|inv| {
                let link = absolute_url(inv.link.as_deref().unwrap_or_default());
                let region = region_name(inv.region);
                let expires = inv.expires_ms;
                let email = inv.email.clone();
                let invited_role = inv.role;
                view! {
                    <div class="one-time" id="invitation-result">
                        <h3 tabindex="-1" id="invitation-result-heading">{move || t(lang.get(), AdminMsg::InvitationCreated)}</h3>
                        <p>{move || admin::invitation_for(lang.get(), &email, invited_role, region.get().as_deref())}</p>
                        <CopyField id="invitation-link" label=tr(AdminMsg::InvitationLink) value=link/>
                        <p class="warning-note" id="invitation-once">
                            <span aria-hidden="true">"⚠ "</span>
                            <strong>{move || t(lang.get(), AdminMsg::LinkShownOnce)}</strong>
                        </p>
                        <p id="invitation-expiry">
                            {move || admin::link_valid_until(lang.get(), &format::date_time(lang.get(), expires, None))}
                        </p>
                        <button type="button" id="close-invitation" on:click=close_result>
                            {move || t(lang.get(), AdminMsg::Close)}
                        </button>
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn OpenInvitations(data: PeopleData) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="open-invitations-heading">
            <h2 id="open-invitations-heading">{move || t(lang.get(), AdminMsg::OpenInvitationsHeading)}</h2>
            <Show
                when=move || data.invitations.with(|i| !i.is_empty())
                fallback=move || view! { <p class="empty">{move || t(lang.get(), AdminMsg::NoOpenInvitations)}</p> }
            >
                <ul class="invitation-list" id="invitation-list">
                    <For each=move || data.invitations.get() key=|i| i.id.clone() let:invitation>
                        <InvitationRow invitation=invitation data=data/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn InvitationRow(invitation: OpenInvitation, data: PeopleData) -> impl IntoView {
    let lang = use_lang();
    let error = RwSignal::new(None::<ApiFailure>);
    let expired = invitation.expires_ms <= crate::browser::now_ms();
    let region = region_name(invitation.region);
    let expires = invitation.expires_ms;
    let role = invitation.role;
    let id = invitation.id.clone();
    let email = invitation.email.clone();
    let withdraw = move |_| {
        let path = format!("/api/invitations/{id}");
        spawn_local(async move {
            match api::delete(&path).await {
                Ok(()) => data.done(Outcome::InvitationWithdrawn),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let when = move || format::date_time(lang.get(), expires, None);
    view! {
        <li class="invitation" data-email=invitation.email.clone()>
            <div class="row-main">
                <span class="person-email">{invitation.email.clone()}</span>
                <span class="person-role">
                    {move || role_name(lang.get(), role)}
                    {move || region.get().map(|r| format!(" · {r}"))}
                </span>
                <span class="expiry" class:expired=expired>
                    {move || if expired { admin::expired_on(lang.get(), &when()) } else { admin::expires(lang.get(), &when()) }}
                </span>
            </div>
            <div class="row-actions">
                <button type="button" class="withdraw" on:click=withdraw>
                    {move || t(lang.get(), AdminMsg::Withdraw)}
                    <span class="visually-hidden">": "{move || admin::withdraw_invitation_for(lang.get(), &email)}</span>
                </button>
            </div>
            <div role="alert" class="form-error">
                {move || error.get().map(|f| view! { <p>{admin::account_error(lang.get(), f.code(), None)}</p> })}
            </div>
        </li>
    }
}

/// What a person's row shows besides their details.
#[derive(Clone, Copy, PartialEq)]
enum RowMode {
    Showing,
    ChangingRole,
    ConfirmingRemoval,
}

#[component]
fn PersonRow(person: UserView, data: PeopleData) -> impl IntoView {
    let lang = use_lang();
    let me = use_user();
    let is_me = me.with_untracked(|u| u.id == person.id);
    let mode = RwSignal::new(RowMode::Showing);
    let problem = RwSignal::new(None::<FormProblem>);
    let role = RwSignal::new(role_key(person.role).to_owned());
    let region = RwSignal::new(person.region.map(|r| r.to_string()).unwrap_or_default());
    let id: UserId = person.id;
    let name = person.name.clone();
    let region_text = (person.role == Role::RegionEditor).then(|| region_name(person.region));
    let person_role = person.role;
    let dom = format!("person-{id}");
    let change_id = format!("change-role-{id}");
    let remove_id = format!("remove-access-{id}");
    let confirm_id = format!("confirm-remove-{id}");

    let close = {
        move |back_to: String| {
            mode.set(RowMode::Showing);
            problem.set(None);
            focus_by_id(back_to);
        }
    };
    let save_role = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = role_from_key(&role.get_untracked());
            let region = match chosen_region(chosen, &region.get_untracked()) {
                Ok(r) => r,
                Err(p) => {
                    problem.set(Some(p));
                    return;
                }
            };
            let name = name.clone();
            spawn_local(async move {
                let path = format!("/api/users/{id}/role");
                let request = SetRoleRequest {
                    role: chosen,
                    region,
                };
                match api::call::<_, UserView>("PUT", &path, &request).await {
                    Ok(_) if is_me => {
                        // My own rights changed: start afresh with them.
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    }
                    Ok(updated) => data.done(Outcome::RoleChanged {
                        name,
                        role: updated.role,
                    }),
                    Err(failure) => problem.set(Some(FormProblem::Refused(failure))),
                }
            });
        }
    };
    let remove = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            spawn_local(async move {
                match api::delete(&format!("/api/users/{id}")).await {
                    Ok(()) => data.done(Outcome::AccessRemoved { name }),
                    Err(failure) => problem.set(Some(FormProblem::Refused(failure))),
                }
            });
        }
    };
    let name_for_labels = name.clone();
    let name_for_remove = name.clone();
    let name_for_confirm = name.clone();
    let name_for_form = name.clone();
    let (change_id_button, change_id_escape, change_id_cancel) =
        (change_id.clone(), change_id.clone(), change_id);
    let (remove_id_button, remove_id_cancel) = (remove_id.clone(), remove_id);
    let (confirm_id_focus, confirm_id_button) = (confirm_id.clone(), confirm_id);
    let is_editor = move || role.with(|r| r == role_key(Role::RegionEditor));

    view! {
        <li class="person" id=dom.clone() data-email=person.email.clone() data-role=role_key(person.role)>
            <div class="row-main">
                <span class="person-name">
                    {person.name.clone()}
                    {is_me.then(|| view! { " " <span class="you">{move || t(lang.get(), AdminMsg::You)}</span> })}
                </span>
                <span class="person-email">{person.email.clone()}</span>
                <span class="person-role">
                    {move || role_name(lang.get(), person_role)}
                    {region_text.map(|r| view! {
                        " · " {move || r.get().unwrap_or_else(|| t(lang.get(), AdminMsg::NoRegion).to_owned())}
                    })}
                </span>
            </div>
            <Show when=move || mode.get() == RowMode::Showing>
                <div class="row-actions">
                    <button
                        type="button"
                        class="change-role"
                        id=change_id_button.clone()
                        on:click=move |_| {
                            mode.set(RowMode::ChangingRole);
                            focus_by_id(format!("role-{id}"));
                        }
                    >
                        {move || t(lang.get(), AdminMsg::ChangeRole)}
                        <span class="visually-hidden">": "{name_for_labels.clone()}</span>
                    </button>
                    {(!is_me).then(|| {
                        let name = name_for_remove.clone();
                        let confirm_id = confirm_id_focus.clone();
                        let remove_id = remove_id_button.clone();
                        view! {
                            <button
                                type="button"
                                class="remove-access"
                                id=remove_id.clone()
                                on:click=move |_| {
                                    mode.set(RowMode::ConfirmingRemoval);
                                    focus_by_id(confirm_id.clone());
                                }
                            >
                                {move || t(lang.get(), AdminMsg::RemoveAccess)}
                                <span class="visually-hidden">": "{name.clone()}</span>
                            </button>
                        }
                    })}
                </div>
            </Show>
            <Show when=move || mode.get() == RowMode::ChangingRole>
                <form class="role-form inline-form" novalidate=true on:submit=save_role.clone()
                    on:keydown={
                        let change_id = change_id_escape.clone();
                        move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                close(change_id.clone());
                            }
                        }
                    }
                >
                    <p class="role-form-title">
                        {let n = name_for_form.clone(); move || admin::change_role_of(lang.get(), &n)}
                    </p>
                    <SelectInput id=format!("role-{id}") label=tr(AdminMsg::Role) value=role choices=role_choices()/>
                    <Show when=is_editor>
                        <div class="region-field">
                            <SelectInput id=format!("region-{id}") label=tr(AdminMsg::Region) value=region choices=region_choices_with_prompt()/>
                        </div>
                    </Show>
                    <button type="submit" class="save-role">{move || t(lang.get(), AdminMsg::SaveRole)}</button>
                    <button type="button" class="cancel" on:click={let c = change_id_cancel.clone(); move |_| close(c.clone())}>
                        {move || t(lang.get(), Msg::Cancel)}
                    </button>
                </form>
            </Show>
            <Show when=move || mode.get() == RowMode::ConfirmingRemoval>
                <div class="confirm">
                    <p>{let n = name_for_confirm.clone(); move || admin::confirm_remove_access(lang.get(), &n)}</p>
                    <button type="button" class="danger confirm-remove" id=confirm_id_button.clone() on:click=remove.clone()>
                        {move || t(lang.get(), AdminMsg::ConfirmRemoveAccess)}
                    </button>
                    <button type="button" class="cancel" on:click={let r = remove_id_cancel.clone(); move |_| close(r.clone())}>
                        {move || t(lang.get(), Msg::Cancel)}
                    </button>
                </div>
            </Show>
            <div role="alert" class="form-error">
                {move || problem.get().map(|p| view! { <p class="row-error">{p.text(lang.get())}</p> })}
            </div>
        </li>
    }
}
