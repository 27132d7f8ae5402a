//! Regions and membership: the member regions, open applications, former
//! members and declined applications. Any signed-in person (not observers)
//! applies for a region; the secretariat admits or declines; a member's
//! editors or the secretariat edit its details or take it out.

use ara_shared::region::{Membership, Region};
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{Mutation, RegionId, RegionPatch, Rejection};
use leptos::prelude::*;

use crate::i18n::alliance::{self, AllianceMsg, RegionsMsg};
use crate::i18n::format;
use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::sync::new_id;
use crate::views::form::TextInput;
use crate::views::toolkit::{
    FormProblem, focus_by_id, parse_date, propose_checked, today_or_first_day,
};
use crate::views::{page_title, tr, use_lang, use_sync, use_user};

// --- The page ---

/// What is open under a region's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Closed,
    Edit,
    Admit,
    Leave,
}

#[component]
pub fn RegionsView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Regions);
    view! {
        <section class="page regions" aria-labelledby="regions-heading">
            <h1 id="regions-heading">{move || t(lang.get(), Nav::Regions)}</h1>
            <p class="intro">{move || t(lang.get(), RegionsMsg::Intro)}</p>
            <ApplyForMembership/>
            <Show
                when=move || sync.loaded.get()
                fallback=move || view! { <p class="loading">{move || t(lang.get(), AllianceMsg::Loading)}</p> }
            >
                <p class="hint nuts-note">{move || t(lang.get(), RegionsMsg::NutsNote)}</p>
                <RegionSection membership=Membership::Member title=RegionsMsg::Members empty=tr(RegionsMsg::NoMembers)/>
                <RegionSection membership=Membership::Applicant title=RegionsMsg::Applicants empty=tr(RegionsMsg::NoApplicants)/>
                <RegionSection membership=Membership::Former title=RegionsMsg::Former empty=tr(AllianceMsg::NoneYet)/>
                <RegionSection membership=Membership::Declined title=RegionsMsg::Declined empty=tr(AllianceMsg::NoneYet)/>
            </Show>
        </section>
    }
}

/// The regions of one membership status, by name, in a table.
#[component]
fn RegionSection(
    membership: Membership,
    title: RegionsMsg,
    empty: Signal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let ids = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut regions: Vec<(String, RegionId)> = r
                .view()
                .regions
                .values()
                .filter(|region| region.membership == membership)
                .map(|region| (region.name.to_lowercase(), region.id))
                .collect();
            regions.sort();
            regions.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    // Observers change nothing: their tables have no column of buttons.
    let can_act = Memo::new(move |_| {
        sync.replica
            .with(|r| r.actor().role != ara_shared::Role::Observer)
    });
    let heading_id = format!("regions-{}", membership.key());
    let section_label = heading_id.clone();
    let scroll_label = heading_id.clone();
    let with_joined = matches!(membership, Membership::Member | Membership::Former);
    view! {
        <section class="region-section" data-membership=membership.key() aria-labelledby=section_label>
            <h2 id=heading_id>
                {move || alliance::with_count(t(lang.get(), title), ids.with(Vec::len))}
            </h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{empty}</p> }
            >
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby=scroll_label.clone()>
                    <table class="regions-table" id=format!("regions-table-{}", membership.key())>
                        <thead>
                            <tr>
                                <th scope="col">{move || t(lang.get(), RegionsMsg::Region)}</th>
                                <th scope="col">{move || t(lang.get(), RegionsMsg::Country)}</th>
                                <th scope="col">{move || t(lang.get(), RegionsMsg::Nuts)}</th>
                                {with_joined.then(|| view! {
                                    <th scope="col">{move || t(lang.get(), RegionsMsg::Joined)}</th>
                                })}
                                <th scope="col">{move || t(lang.get(), RegionsMsg::Contact)}</th>
                                {move || can_act.get().then(|| view! {
                                    <th scope="col">{move || t(lang.get(), AllianceMsg::Actions)}</th>
                                })}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || ids.get() key=|id| *id let:id>
                                <RegionRow id=id with_joined=with_joined can_act=can_act/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// One region: its details and the buttons this person may use, with the
/// form or question they open in a row below.
#[component]
fn RegionRow(id: RegionId, with_joined: bool, can_act: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let user = use_user();
    let region = Memo::new(move |_| sync.replica.with(|r| r.view().regions.get(&id).cloned()));
    let panel = RwSignal::new(Panel::Closed);
    let name = move || region.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let membership = move || region.with(|r| r.as_ref().map(|r| r.membership));

    let can_edit = Memo::new(move |_| {
        sync.allows(&Mutation::UpdateRegion {
            id,
            patch: RegionPatch::default(),
        })
    });
    let can_decide = Memo::new(move |_| sync.allows(&Mutation::DeclineRegion { id }));
    let can_leave = Memo::new(move |_| {
        membership() == Some(Membership::Member) && sync.allows(&Mutation::LeaveAlliance { id })
    });
    let can_admit =
        Memo::new(move |_| membership() != Some(Membership::Member) && can_decide.get());
    let can_decline =
        Memo::new(move |_| membership() == Some(Membership::Applicant) && can_decide.get());

    let open = move |p: Panel| {
        panel.set(p);
        let first = match p {
            Panel::Edit => format!("region-name-input-{id}"),
            Panel::Admit => format!("admit-date-{id}"),
            Panel::Leave => format!("confirm-leave-{id}"),
            Panel::Closed => return,
        };
        focus_by_id(first);
    };
    let close = move |back_to: Option<String>| {
        panel.set(Panel::Closed);
        if let Some(button) = back_to {
            focus_by_id(button);
        }
    };
    let decline = move |_| {
        if sync.propose(Mutation::DeclineRegion { id }) {
            focus_by_id(format!("region-name-{id}"));
        }
    };

    let columns = 5 + usize::from(with_joined);
    let nuts = move || region.with(|r| r.as_ref().map(|r| r.nuts.clone()).unwrap_or_default());
    let confirmed = move || region.with(|r| r.as_ref().is_some_and(|r| r.nuts_confirmed));
    let mine = move || user.with(|u| u.region == Some(id));

    view! {
        <tr class="region" data-id=id.to_string() data-nuts=nuts>
            <th scope="row" id=format!("region-name-{id}") tabindex="-1" class="region-name">
                {name}
                {move || mine().then(|| view! {
                    <span class="your-region">" ("{move || t(lang.get(), RegionsMsg::YourRegion)}")"</span>
                })}
            </th>
            <td>{move || region.with(|r| r.as_ref().map(|r| alliance::country_label(lang.get(), &r.country)).unwrap_or_default())}</td>
            <td class="nuts">
                <span class="nuts-code">{nuts}</span>
                {move || (!confirmed()).then(|| view! {
                    " "
                    <span class="unconfirmed">
                        <span aria-hidden="true">"? "</span>
                        {move || t(lang.get(), AllianceMsg::Unconfirmed)}
                    </span>
                })}
            </td>
            {with_joined.then(|| view! {
                <td class="joined">
                    {move || region.with(|r| match r.as_ref().and_then(|r| r.joined) {
                        Some(d) => format::date(lang.get(), d),
                        None => t(lang.get(), RegionsMsg::JoinedUnknown).to_owned(),
                    })}
                </td>
            })}
            <td class="contact">
                {move || region.with(|r| match r.as_ref().map(|r| r.contact.clone()) {
                    Some(c) if !c.is_empty() => c,
                    _ => t(lang.get(), RegionsMsg::NoContact).to_owned(),
                })}
            </td>
            {move || can_act.get().then(|| view! {
                <td class="row-actions">
                    {move || can_admit.get().then(|| view! {
                        <button type="button" class="admit" id=format!("admit-{id}")
                            aria-expanded=move || (panel.get() == Panel::Admit).to_string()
                            on:click=move |_| open(Panel::Admit)>
                            {move || t(lang.get(), if membership() == Some(Membership::Applicant) { RegionsMsg::Admit } else { RegionsMsg::AdmitAgain })}
                            <span class="visually-hidden">": "{name}</span>
                        </button>
                    })}
                    {move || can_decline.get().then(|| view! {
                        <button type="button" class="decline" id=format!("decline-{id}") on:click=decline>
                            {move || t(lang.get(), RegionsMsg::Decline)}
                            <span class="visually-hidden">": "{name}</span>
                        </button>
                    })}
                    {move || can_edit.get().then(|| view! {
                        <button type="button" class="edit-region" id=format!("edit-region-{id}")
                            aria-expanded=move || (panel.get() == Panel::Edit).to_string()
                            on:click=move |_| open(Panel::Edit)>
                            {move || t(lang.get(), AllianceMsg::Edit)}
                            <span class="visually-hidden">": "{name}</span>
                        </button>
                    })}
                    {move || can_leave.get().then(|| view! {
                        <button type="button" class="leave" id=format!("leave-{id}")
                            aria-expanded=move || (panel.get() == Panel::Leave).to_string()
                            on:click=move |_| open(Panel::Leave)>
                            {move || t(lang.get(), RegionsMsg::Leave)}
                            <span class="visually-hidden">": "{name}</span>
                        </button>
                    })}
                </td>
            })}
        </tr>
        {move || {
            let body = match panel.get() {
                Panel::Closed => return None,
                Panel::Edit => view! {
                    <RegionEditForm id=id on_close=Callback::new(move |_| close(Some(format!("edit-region-{id}"))))/>
                }.into_any(),
                Panel::Admit => view! {
                    <AdmitForm id=id on_close=Callback::new(move |admitted: bool| {
                        close((!admitted).then(|| format!("admit-{id}")));
                        if admitted {
                            focus_by_id(format!("region-name-{id}"));
                        }
                    })/>
                }.into_any(),
                Panel::Leave => view! {
                    <LeaveQuestion id=id on_close=Callback::new(move |left: bool| {
                        close((!left).then(|| format!("leave-{id}")));
                        if left {
                            focus_by_id(format!("region-name-{id}"));
                        }
                    })/>
                }.into_any(),
            };
            Some(view! {
                <tr class="region-panel">
                    <td colspan=columns>{body}</td>
                </tr>
            })
        }}
    }
}

/// Edits a region's name, country, NUTS code and contact; the secretariat
/// also confirms the NUTS code once it is checked against Eurostat.
#[component]
fn RegionEditForm(id: RegionId, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let current: Option<Region> = sync
        .replica
        .with_untracked(|r| r.view().regions.get(&id).cloned());
    let Some(current) = current else {
        return ().into_any();
    };
    let name = RwSignal::new(current.name.clone());
    let country = RwSignal::new(current.country.clone());
    let nuts = RwSignal::new(current.nuts.clone());
    let contact = RwSignal::new(current.contact.clone());
    let confirmed = RwSignal::new(current.nuts_confirmed);
    let problem = RwSignal::new(None::<Rejection>);
    let can_confirm = sync.allows(&Mutation::UpdateRegion {
        id,
        patch: RegionPatch {
            nuts_confirmed: Some(true),
            ..RegionPatch::default()
        },
    });
    let title = current.name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Only what changed, so that someone else's edit of another field stays.
        let changed = |new: String, old: &str| (new.trim() != old).then(|| new.trim().to_owned());
        let patch = RegionPatch {
            name: changed(name.get_untracked(), &current.name),
            country: changed(country.get_untracked().to_uppercase(), &current.country),
            nuts: changed(nuts.get_untracked().to_uppercase(), &current.nuts),
            nuts_confirmed: (can_confirm && confirmed.get_untracked() != current.nuts_confirmed)
                .then(|| confirmed.get_untracked()),
            contact: changed(contact.get_untracked(), &current.contact),
            // Whether membership facts are confirmed is the secretariat's
            // record, not part of this form.
            unconfirmed: None,
        };
        if patch == RegionPatch::default() {
            on_close.run(());
            return;
        }
        if propose_checked(sync, Mutation::UpdateRegion { id, patch }, problem) {
            on_close.run(());
        }
    };
    let problem_id = format!("region-problem-{id}");
    let heading_id = format!("region-form-heading-{id}");
    let form_label = heading_id.clone();
    view! {
        <form class="region-form panel-form" novalidate aria-labelledby=form_label
            aria-describedby=move || problem.with(Option::is_some).then(|| problem_id.clone())
            on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(()) }>
            <h3 id=heading_id>{move || alliance::edit_region_title(lang.get(), &title)}</h3>
            <div class="form-grid">
                <TextInput id=format!("region-name-input-{id}") label=tr(RegionsMsg::RegionName) value=name maxlength=MAX_NAME_CHARS required=true/>
                <TextInput id=format!("region-country-{id}") label=tr(RegionsMsg::CountryCode) value=country maxlength=2 hint=tr(RegionsMsg::CountryHint) required=true/>
                <TextInput id=format!("region-nuts-{id}") label=tr(RegionsMsg::Nuts) value=nuts maxlength=5 hint=tr(RegionsMsg::NutsHint) required=true/>
                <TextInput id=format!("region-contact-{id}") label=tr(RegionsMsg::Contact) value=contact maxlength=MAX_NAME_CHARS hint=tr(RegionsMsg::ContactHint)/>
            </div>
            {can_confirm.then(|| view! {
                <div class="checkbox">
                    <input type="checkbox" id=format!("region-confirmed-{id}")
                        prop:checked=move || confirmed.get()
                        on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                    <label for=format!("region-confirmed-{id}")>{move || t(lang.get(), RegionsMsg::ConfirmNuts)}</label>
                </div>
            })}
            <FormProblem id=format!("region-problem-{id}") problem=problem/>
            <div class="form-buttons">
                <button type="submit" class="save-region">{move || t(lang.get(), AllianceMsg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(())>
                    {move || t(lang.get(), AllianceMsg::Cancel)}
                </button>
            </div>
        </form>
    }
    .into_any()
}

/// Admits an applicant (or a former or declined region again) on a date.
#[component]
fn AdmitForm(id: RegionId, on_close: Callback<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let joined = RwSignal::new(today_or_first_day().to_string());
    let problem = RwSignal::new(None::<Rejection>);
    let name = sync.replica.with_untracked(|r| {
        r.view()
            .regions
            .get(&id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date = match parse_date("joined", &joined.get_untracked()) {
            Ok(d) => d,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        if propose_checked(sync, Mutation::AdmitRegion { id, joined: date }, problem) {
            on_close.run(true);
        }
    };
    let heading_id = format!("admit-heading-{id}");
    let form_label = heading_id.clone();
    view! {
        <form class="admit-form panel-form" novalidate aria-labelledby=form_label on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(false) }>
            <h3 id=heading_id>{move || alliance::admit_title(lang.get(), &name)}</h3>
            <TextInput id=format!("admit-date-{id}") label=tr(RegionsMsg::JoiningDate) value=joined kind="date" required=true/>
            <FormProblem id=format!("admit-problem-{id}") problem=problem/>
            <div class="form-buttons">
                <button type="submit" class="confirm-admit">{move || t(lang.get(), RegionsMsg::Admit)}</button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(false)>
                    {move || t(lang.get(), AllianceMsg::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// Asks before a member region leaves.
#[component]
fn LeaveQuestion(id: RegionId, on_close: Callback<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let name = sync.replica.with_untracked(|r| {
        r.view()
            .regions
            .get(&id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    });
    let leave = move |_| {
        let left = sync.propose(Mutation::LeaveAlliance { id });
        on_close.run(left);
    };
    view! {
        <div class="confirm-question" role="group" aria-labelledby=format!("leave-question-{id}")
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(false) }>
            <p id=format!("leave-question-{id}")>{move || alliance::leave_question(lang.get(), &name)}</p>
            <div class="form-buttons">
                <button type="button" class="danger" id=format!("confirm-leave-{id}") on:click=leave>
                    {move || t(lang.get(), RegionsMsg::ConfirmLeave)}
                </button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(false)>
                    {move || t(lang.get(), AllianceMsg::Cancel)}
                </button>
            </div>
        </div>
    }
}

/// The application form, behind a button, for everyone who may apply.
#[component]
fn ApplyForMembership() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let open = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let nuts = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let may_apply = Memo::new(move |_| {
        sync.allows(&Mutation::ApplyForMembership {
            id: RegionId(Default::default()),
            name: String::new(),
            country: String::new(),
            nuts: String::new(),
            contact: String::new(),
        })
    });
    let close = move || {
        open.set(false);
        problem.set(None);
        focus_by_id("apply-open".into());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = new_id(RegionId::from_parts);
        let mutation = Mutation::ApplyForMembership {
            id,
            name: name.get_untracked(),
            country: country.get_untracked().trim().to_uppercase(),
            nuts: nuts.get_untracked().trim().to_uppercase(),
            contact: contact.get_untracked(),
        };
        if propose_checked(sync, mutation, problem) {
            for field in [name, country, nuts, contact] {
                field.set(String::new());
            }
            open.set(false);
            sent.set(true);
            focus_by_id(format!("region-name-{id}"));
        } else {
            focus_by_id("apply-name".into());
        }
    };
    view! {
        <Show when=move || may_apply.get()>
            <div class="apply">
                <Show
                    when=move || open.get()
                    fallback=move || view! {
                        <button type="button" id="apply-open" aria-expanded="false"
                            on:click=move |_| {
                                open.set(true);
                                sent.set(false);
                                focus_by_id("apply-name".into());
                            }>
                            <span aria-hidden="true">"+ "</span>
                            {move || t(lang.get(), RegionsMsg::Apply)}
                        </button>
                    }
                >
                    <form id="apply-form" class="card panel-form" novalidate aria-labelledby="apply-heading"
                        aria-describedby=move || problem.with(Option::is_some).then_some("apply-problem")
                        on:submit=submit
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                        <h2 id="apply-heading">{move || t(lang.get(), RegionsMsg::ApplyTitle)}</h2>
                        <p class="hint">{move || t(lang.get(), RegionsMsg::ApplyIntro)}</p>
                        <div class="form-grid">
                            <TextInput id="apply-name" label=tr(RegionsMsg::RegionName) value=name maxlength=MAX_NAME_CHARS required=true/>
                            <TextInput id="apply-country" label=tr(RegionsMsg::CountryCode) value=country maxlength=2 hint=tr(RegionsMsg::CountryHint) required=true/>
                            <TextInput id="apply-nuts" label=tr(RegionsMsg::Nuts) value=nuts maxlength=5 hint=tr(RegionsMsg::NutsHint) required=true/>
                            <TextInput id="apply-contact" label=tr(RegionsMsg::Contact) value=contact maxlength=MAX_NAME_CHARS hint=tr(RegionsMsg::ContactHint)/>
                        </div>
                        <FormProblem id="apply-problem" problem=problem/>
                        <div class="form-buttons">
                            <button type="submit" id="apply-send">{move || t(lang.get(), RegionsMsg::SendApplication)}</button>
                            <button type="button" class="cancel" on:click=move |_| close()>
                                {move || t(lang.get(), AllianceMsg::Cancel)}
                            </button>
                        </div>
                    </form>
                </Show>
                <p class="status-message" role="status">
                    {move || sent.get().then(|| t(lang.get(), RegionsMsg::Applied))}
                </p>
            </div>
        </Show>
    }
}
