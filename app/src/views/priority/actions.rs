//! The priority's actions and milestones: title, owner region, due date,
//! done; added, edited, marked done and removed by those who may edit the
//! priority. Overdue ones say so in words.

use ara_shared::{Action, ActionId, Date, Mutation, RegionId};
use leptos::html;
use leptos::prelude::*;

use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::{format, t};
use crate::sync::new_id;
use crate::views::form::{Choice, SelectInput, TextInput, region_choices};
use crate::views::{tr, use_lang, use_sync};

use super::section::OthersEditingNote;
use super::use_page;
use crate::views::toolkit::focus_by_id;

/// "No owner" and the member regions.
fn owner_choices() -> Signal<Vec<Choice>> {
    let lang = use_lang();
    let members = region_choices(true);
    Signal::derive(move || {
        let mut choices = vec![Choice::new(
            "",
            Signal::derive(move || t(lang.get(), PriorityMsg::NoOwner).to_owned()),
        )];
        choices.extend(members.get());
        choices
    })
}

/// The due date from a date field: empty is none; anything else must be a day.
fn parse_due(text: &str) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

/// May the person change the actions of this priority (reactive)?
fn may_edit_actions() -> Signal<bool> {
    let sync = use_sync();
    let priority = use_page().id;
    Signal::derive(move || {
        sync.allows(&Mutation::SetPriorityAction {
            priority,
            action: Action {
                id: ActionId(Default::default()),
                title: String::new(),
                owner: None,
                due: None,
                done: false,
            },
        })
    })
}

#[component]
pub(super) fn ActionsSection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let ids = Memo::new(move |_| {
        page.priority.with(|p| {
            p.as_ref()
                .map(|p| p.actions.iter().map(|a| a.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let can_edit = may_edit_actions();
    view! {
        <section class="detail-section card" id="section-actions" aria-labelledby="section-actions-heading">
            <h2 id="section-actions-heading" tabindex="-1">{move || t(lang.get(), PriorityMsg::Actions)}</h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), PriorityMsg::NoActions)}</p> }
            >
                <ul class="action-list" id="action-list">
                    <For each=move || ids.get() key=|id| *id let:id>
                        <ActionItem id=id can_edit=can_edit/>
                    </For>
                </ul>
            </Show>
            <Show when=move || can_edit.get()>
                <AddActionForm/>
            </Show>
        </section>
    }
}

#[component]
fn ActionItem(id: ActionId, can_edit: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let action = Memo::new(move |_| {
        page.priority.with(|p| {
            p.as_ref()
                .and_then(|p| p.actions.iter().find(|a| a.id == id).cloned())
        })
    });
    let title = move || action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default());
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let overdue = move || {
        action.with(|a| {
            a.as_ref().is_some_and(|a| {
                !a.done
                    && a.due
                        .is_some_and(|d| crate::browser::today().is_some_and(|t| d < t))
            })
        })
    };
    let owner = move || {
        let lang = lang.get();
        action
            .with(|a| a.as_ref().and_then(|a| a.owner))
            .map(|r| {
                sync.replica.with(|s| {
                    s.view()
                        .regions
                        .get(&r)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| r.to_string())
                })
            })
            .unwrap_or_else(|| t(lang, PriorityMsg::NoOwner).to_owned())
    };
    let due = move || {
        let lang = lang.get();
        action
            .with(|a| a.as_ref().and_then(|a| a.due))
            .map(|d| format::date(lang, d))
            .unwrap_or_else(|| t(lang, PriorityMsg::NoDue).to_owned())
    };
    let set = move |change: &dyn Fn(&mut Action)| {
        if let Some(mut a) = action.get_untracked() {
            change(&mut a);
            sync.propose(Mutation::SetPriorityAction {
                priority: page.id,
                action: a,
            });
        }
    };

    // Editing in place.
    let editing = RwSignal::new(false);
    let draft_title = RwSignal::new(String::new());
    let draft_owner = RwSignal::new(String::new());
    let draft_due = RwSignal::new(String::new());
    let bad_date = RwSignal::new(false);
    let edit_button: NodeRef<html::Button> = NodeRef::new();
    let form_key = format!("action-{id}");
    let close = {
        let form_key = form_key.clone();
        move || {
            editing.set(false);
            page.form_closed(&form_key);
            request_animation_frame(move || {
                if let Some(b) = edit_button.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    };
    let open = {
        let form_key = form_key.clone();
        move |_| {
            let Some(a) = action.get_untracked() else {
                return;
            };
            draft_title.set(a.title.clone());
            draft_owner.set(a.owner.map(|r| r.to_string()).unwrap_or_default());
            draft_due.set(a.due.map(|d| d.to_string()).unwrap_or_default());
            bad_date.set(false);
            editing.set(true);
            page.form_opened(&form_key);
            focus_by_id(format!("action-title-{id}"));
        }
    };
    on_cleanup({
        let form_key = form_key.clone();
        move || page.form_closed(&form_key)
    });
    let save = {
        let close = close.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Ok(due) = parse_due(&draft_due.get_untracked()) else {
                bad_date.set(true);
                return;
            };
            let Some(mut a) = action.get_untracked() else {
                return;
            };
            a.title = draft_title.get_untracked();
            a.owner = draft_owner.get_untracked().parse::<RegionId>().ok();
            a.due = due;
            if sync.propose(Mutation::SetPriorityAction {
                priority: page.id,
                action: a,
            }) {
                close();
            }
        }
    };
    let remove = move |_| {
        if sync.propose(Mutation::RemovePriorityAction {
            priority: page.id,
            action: id,
        }) {
            focus_by_id("section-actions-heading".into());
        }
    };
    let done_id = format!("action-done-{id}");

    view! {
        <li
            class="action"
            id=format!("action-{id}")
            data-done=move || done().to_string()
            data-overdue=move || overdue().to_string()
        >
            <div class="action-main">
                <span class="action-title">{title}</span>
                <span class="action-state">
                    {move || if done() {
                        view! { <span class="state-done"><span aria-hidden="true">"✓ "</span>{t(lang.get(), PriorityMsg::Done)}</span> }.into_any()
                    } else if overdue() {
                        view! { <span class="state-overdue"><span aria-hidden="true">"⚠ "</span>{t(lang.get(), PriorityMsg::Overdue)}</span> }.into_any()
                    } else {
                        view! { <span class="state-open">{t(lang.get(), PriorityMsg::OpenState)}</span> }.into_any()
                    }}
                </span>
            </div>
            <dl class="action-meta">
                <dt>{move || t(lang.get(), PriorityMsg::Owner)}</dt>
                <dd class="action-owner">{owner}</dd>
                <dt>{move || t(lang.get(), PriorityMsg::Due)}</dt>
                <dd class="action-due">{due}</dd>
            </dl>
            <Show when=move || can_edit.get()>
                <div class="action-controls" hidden=move || editing.get()>
                    <div class="checkbox">
                        <input
                            type="checkbox"
                            class="action-done"
                            id=done_id.clone()
                            prop:checked=done
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set(&move |a: &mut Action| a.done = on);
                            }
                        />
                        <label for=done_id.clone()>
                            {move || t(lang.get(), PriorityMsg::Done)}
                            <span class="visually-hidden">": "{title}</span>
                        </label>
                    </div>
                    <button type="button" class="edit-action" node_ref=edit_button on:click=open.clone()>
                        {move || t(lang.get(), PriorityMsg::Edit)}
                        <span class="visually-hidden">": "{title}</span>
                    </button>
                    <button
                        type="button"
                        class="remove-action"
                        aria-label=move || words::remove_action(lang.get(), &title())
                        on:click=remove
                    >
                        {move || t(lang.get(), PriorityMsg::Remove)}
                    </button>
                </div>
            </Show>
            <Show when=move || editing.get()>
                <form
                    class="action-form"
                    aria-label=move || t(lang.get(), PriorityMsg::EditAction)
                    on:submit=save.clone()
                    on:keydown={
                        let close = close.clone();
                        move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                close();
                            }
                        }
                    }
                >
                    <OthersEditingNote/>
                    <TextInput id=format!("action-title-{id}") label=tr(PriorityMsg::Title) value=draft_title maxlength=200 required=true/>
                    <SelectInput id=format!("action-owner-{id}") label=tr(PriorityMsg::Owner) value=draft_owner choices=owner_choices()/>
                    <TextInput id=format!("action-due-{id}") label=tr(PriorityMsg::Due) value=draft_due kind="date"/>
                    <Show when=move || bad_date.get()>
                        <p class="form-error-text" role="alert">{move || t(lang.get(), PriorityMsg::BadDate)}</p>
                    </Show>
                    <div class="form-actions">
                        <button type="submit" class="save">{move || t(lang.get(), PriorityMsg::Save)}</button>
                        <button type="button" class="cancel" on:click={
                            let close = close.clone();
                            move |_| close()
                        }>{move || t(lang.get(), PriorityMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
        </li>
    }
}

#[component]
fn AddActionForm() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let bad_date = RwSignal::new(false);
    // A new action being written counts as editing the priority.
    Effect::new(move |_| {
        if title.with(String::is_empty) {
            page.form_closed("new-action");
        } else {
            page.form_opened("new-action");
        }
    });
    on_cleanup(move || page.form_closed("new-action"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(due_date) = parse_due(&due.get_untracked()) else {
            bad_date.set(true);
            return;
        };
        bad_date.set(false);
        let added = sync.propose(Mutation::SetPriorityAction {
            priority: page.id,
            action: Action {
                id: new_id(ActionId::from_parts),
                title: title.get_untracked(),
                owner: owner.get_untracked().parse::<RegionId>().ok(),
                due: due_date,
                done: false,
            },
        });
        if added {
            title.set(String::new());
            due.set(String::new());
        }
        focus_by_id("new-action-title".into());
    };
    view! {
        <form class="add-action" id="add-action-form" aria-labelledby="new-action-heading" on:submit=submit>
            <h3 id="new-action-heading">{move || t(lang.get(), PriorityMsg::NewAction)}</h3>
            <div class="add-action-fields">
                <TextInput id="new-action-title" label=tr(PriorityMsg::Title) value=title maxlength=200/>
                <SelectInput id="new-action-owner" label=tr(PriorityMsg::Owner) value=owner choices=owner_choices()/>
                <TextInput id="new-action-due" label=tr(PriorityMsg::Due) value=due kind="date"/>
                <button type="submit" id="add-action">{move || t(lang.get(), PriorityMsg::AddAction)}</button>
            </div>
            <Show when=move || bad_date.get()>
                <p class="form-error-text" role="alert">{move || t(lang.get(), PriorityMsg::BadDate)}</p>
            </Show>
        </form>
    }
}
