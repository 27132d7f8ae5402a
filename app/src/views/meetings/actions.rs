//! A meeting's action items: title, owner region, due date, done.

use ara_shared::meeting::Meeting;
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{Action, ActionId, MeetingId, MeetingPatch, Rejection};
use leptos::prelude::*;

use crate::i18n::alliance::{AllianceMsg, MeetingsMsg};
use crate::i18n::{format, t};
use crate::sync::{SyncHandle, new_id};
use crate::views::form::{Choice, SelectInput, TextInput, region_choices};
use crate::views::toolkit::{FormProblem, focus_by_id, parse_date};
use crate::views::{tr, use_lang, use_sync};

use super::update_meeting;

/// "No owner" and the member regions.
fn owner_choices() -> Signal<Vec<Choice>> {
    let regions = region_choices(true);
    let none = tr(MeetingsMsg::NoOwner);
    Signal::derive(move || {
        std::iter::once(Choice::new("", none))
            .chain(regions.get())
            .collect()
    })
}

fn current_actions(sync: SyncHandle, id: MeetingId) -> Vec<Action> {
    sync.replica.with_untracked(|r| {
        r.view()
            .meetings
            .get(&id)
            .map(|m| m.actions.clone())
            .unwrap_or_default()
    })
}

/// An action item as typed, or why it cannot be.
fn typed_action(
    id: ActionId,
    title: &str,
    owner: &str,
    due: &str,
    done: bool,
) -> Result<Action, Rejection> {
    let due = match due.trim() {
        "" => None,
        text => Some(parse_date("due", text)?),
    };
    Ok(Action {
        id,
        title: title.to_owned(),
        owner: owner.parse().ok(),
        due,
        done,
    })
}

#[component]
pub(super) fn ActionItems(
    id: MeetingId,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let ids = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.actions.iter().map(|a| a.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action_id = new_id(ActionId::from_parts);
        let action = match typed_action(
            action_id,
            &title.get_untracked(),
            &owner.get_untracked(),
            &due.get_untracked(),
            false,
        ) {
            Ok(a) => a,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let mut actions = current_actions(sync, id);
        actions.push(action);
        if update_meeting(
            sync,
            id,
            MeetingPatch {
                actions: Some(actions),
                ..MeetingPatch::default()
            },
            problem,
        ) {
            title.set(String::new());
            owner.set(String::new());
            due.set(String::new());
            focus_by_id("new-action-title".into());
        }
    };
    view! {
        <section class="meeting-part" aria-labelledby="actions-heading">
            <h2 id="actions-heading" tabindex="-1">{move || t(lang.get(), MeetingsMsg::ActionItems)}</h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoActions)}</p> }
            >
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="actions-heading">
                    <table class="action-items" id="action-items">
                        <thead>
                            <tr>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::ActionTitle)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Owner)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Due)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Done)}</th>
                                {move || can_edit.get().then(|| view! { <th scope="col">{move || t(lang.get(), AllianceMsg::Actions)}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || ids.get() key=|a| *a let:action_id>
                                <ActionRow meeting_id=id action_id=action_id meeting=meeting can_edit=can_edit/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
            {move || can_edit.get().then(|| view! {
                <form id="add-action" class="inline-form" novalidate aria-labelledby="add-action-heading" on:submit=add>
                    <h3 id="add-action-heading" class="visually-hidden">{move || t(lang.get(), MeetingsMsg::AddAction)}</h3>
                    <TextInput id="new-action-title" label=tr(MeetingsMsg::ActionTitle) value=title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id="new-action-owner" label=tr(MeetingsMsg::Owner) value=owner choices=owner_choices()/>
                    <TextInput id="new-action-due" label=tr(MeetingsMsg::Due) value=due kind="date"/>
                    <button type="submit" id="add-action-button">{move || t(lang.get(), MeetingsMsg::AddAction)}</button>
                    <FormProblem id="action-problem" problem=problem/>
                </form>
            })}
        </section>
    }
}

#[component]
fn ActionRow(
    meeting_id: MeetingId,
    action_id: ActionId,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let action = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .and_then(|m| m.actions.iter().find(|a| a.id == action_id).cloned())
        })
    });
    let title = Signal::derive(move || {
        action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default())
    });
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let owner = move || {
        let owner = action.with(|a| a.as_ref().and_then(|a| a.owner));
        match owner {
            Some(o) => sync.replica.with(|r| {
                r.view()
                    .regions
                    .get(&o)
                    .map(|r| r.name.clone())
                    .unwrap_or_default()
            }),
            None => t(lang.get(), MeetingsMsg::NoOwner).to_owned(),
        }
    };
    let due = move || match action.with(|a| a.as_ref().and_then(|a| a.due)) {
        Some(d) => format::date_short(lang.get(), d),
        None => t(lang.get(), MeetingsMsg::NoDue).to_owned(),
    };
    let editing = RwSignal::new(false);
    let draft_title = RwSignal::new(String::new());
    let draft_owner = RwSignal::new(String::new());
    let draft_due = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let change = move |f: &dyn Fn(&mut Vec<Action>)| {
        let mut actions = current_actions(sync, meeting_id);
        f(&mut actions);
        update_meeting(
            sync,
            meeting_id,
            MeetingPatch {
                actions: Some(actions),
                ..MeetingPatch::default()
            },
            problem,
        )
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        change(&|actions| {
            if let Some(a) = actions.iter_mut().find(|a| a.id == action_id) {
                a.done = on;
            }
        });
    };
    let start_edit = move |_| {
        action.with_untracked(|a| {
            if let Some(a) = a {
                draft_title.set(a.title.clone());
                draft_owner.set(a.owner.map(|o| o.to_string()).unwrap_or_default());
                draft_due.set(a.due.map(|d| d.to_string()).unwrap_or_default());
            }
        });
        editing.set(true);
        focus_by_id(format!("action-title-input-{action_id}"));
    };
    let finish = move |save: bool| {
        if save {
            let typed = typed_action(
                action_id,
                &draft_title.get_untracked(),
                &draft_owner.get_untracked(),
                &draft_due.get_untracked(),
                action.with_untracked(|a| a.as_ref().is_some_and(|a| a.done)),
            );
            let saved = match typed {
                Ok(new) => change(&|actions| {
                    if let Some(a) = actions.iter_mut().find(|a| a.id == action_id) {
                        *a = new.clone();
                    }
                }),
                Err(r) => {
                    problem.set(Some(r));
                    false
                }
            };
            if !saved {
                return;
            }
        }
        problem.set(None);
        editing.set(false);
        focus_by_id(format!("action-edit-{action_id}"));
    };
    let remove = move |_| {
        if change(&|actions| actions.retain(|a| a.id != action_id)) {
            focus_by_id("actions-heading".into());
        }
    };
    let columns = move || if can_edit.get() { 5 } else { 4 };
    view! {
        <tr class="action-item" data-id=action_id.to_string() data-done=move || done().to_string()>
            <th scope="row" class="action-title">{title}</th>
            <td class="action-owner">{owner}</td>
            <td class="action-due">{due}</td>
            <td class="action-done">
                {move || if can_edit.get() {
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=format!("action-done-{action_id}") prop:checked=done on:change=toggle/>
                            <label for=format!("action-done-{action_id}")>
                                {move || t(lang.get(), MeetingsMsg::Done)}<span class="visually-hidden">": "{title}</span>
                            </label>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <span>{move || if done() {
                            format!("✓ {}", t(lang.get(), MeetingsMsg::Done))
                        } else {
                            t(lang.get(), MeetingsMsg::Open).to_owned()
                        }}</span>
                    }.into_any()
                }}
            </td>
            {move || can_edit.get().then(|| view! {
                <td class="row-actions">
                    <button type="button" id=format!("action-edit-{action_id}") class="action-edit" aria-expanded=move || editing.get().to_string() on:click=start_edit>
                        {move || t(lang.get(), AllianceMsg::Edit)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" class="action-remove" on:click=remove>
                        {move || t(lang.get(), AllianceMsg::Remove)}<span class="visually-hidden">": "{title}</span>
                    </button>
                </td>
            })}
        </tr>
        {move || (editing.get() || problem.with(Option::is_some)).then(|| view! {
            <tr class="action-panel">
                <td colspan=columns>
                    {move || editing.get().then(|| view! {
                        <form class="action-edit-form inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); finish(true); }
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { finish(false) }>
                            <TextInput id=format!("action-title-input-{action_id}") label=tr(MeetingsMsg::ActionTitle) value=draft_title maxlength=MAX_NAME_CHARS/>
                            <SelectInput id=format!("action-owner-input-{action_id}") label=tr(MeetingsMsg::Owner) value=draft_owner choices=owner_choices()/>
                            <TextInput id=format!("action-due-input-{action_id}") label=tr(MeetingsMsg::Due) value=draft_due kind="date"/>
                            <div class="form-buttons">
                                <button type="submit">{move || t(lang.get(), AllianceMsg::Save)}</button>
                                <button type="button" class="cancel" on:click=move |_| finish(false)>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                            </div>
                        </form>
                    })}
                    <FormProblem id=format!("action-problem-{action_id}") problem=problem/>
                </td>
            </tr>
        })}
    }
}
