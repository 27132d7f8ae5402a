//! The work programme: its priorities in order, and the edits of the first
//! slice (add, rename, status, order).

use ara_shared::{Horizon, Mutation, PriorityId, PriorityStatus, Quarter, Term};
use leptos::html;
use leptos::prelude::*;

use crate::i18n::{self, Msg, status_name, t, term_name};
use crate::sync::new_id;
use crate::views::{use_lang, use_sync};

/// The current quarter by the browser's clock.
fn this_quarter() -> Quarter {
    let date = js_sys::Date::new_0();
    let year = u16::try_from(date.get_full_year()).unwrap_or(Quarter::MIN_YEAR);
    let q = u8::try_from(date.get_month() / 3 + 1).unwrap_or(1);
    Quarter::new(year, q)
        .or_else(|_| Quarter::new(Quarter::MIN_YEAR, 1))
        .expect("2000-Q1 is a valid quarter")
}

/// A horizon starting this quarter: a year for short term, three for medium.
fn default_horizon(term: Term) -> Horizon {
    let start = this_quarter();
    let span = match term {
        Term::Short => 3,
        Term::Medium => 11,
    };
    let end_index = start.index() + span;
    let end = u16::try_from(end_index / 4)
        .ok()
        .and_then(|year| Quarter::new(year, (end_index % 4) as u8 + 1).ok())
        .unwrap_or(start);
    Horizon { term, start, end }
}

#[component]
pub fn WorkProgramme() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    crate::views::page_title(crate::i18n::nav::Nav::Programme);
    let order = Memo::new(move |_| sync.replica.with(|r| r.view().programme_order.clone()));
    view! {
        <section class="programme" aria-labelledby="programme-heading">
            <h1 id="programme-heading">{move || t(lang.get(), Msg::WorkProgramme)}</h1>
            <p class="intro">{move || t(lang.get(), Msg::WorkProgrammeIntro)}</p>
            <AddPriorityForm/>
            <Show
                when=move || sync.loaded.get() || !order.get().is_empty()
                fallback=move || view! { <p class="loading">{move || t(lang.get(), Msg::Loading)}</p> }
            >
                <Show
                    when=move || !order.get().is_empty()
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), Msg::NoPriorities)}</p> }
                >
                    <ol id="priority-list" class="priority-list">
                        <For each=move || order.get() key=|id| *id let:id>
                            <PriorityRow id=id order=order/>
                        </For>
                    </ol>
                </Show>
            </Show>
        </section>
    }
}

#[component]
fn AddPriorityForm() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let title = RwSignal::new(String::new());
    let term = RwSignal::new(Term::Short);
    let input: NodeRef<html::Input> = NodeRef::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = new_id(PriorityId::from_parts);
        let accepted = sync.propose(Mutation::CreatePriority {
            id,
            title: title.get_untracked(),
            horizon: default_horizon(term.get_untracked()),
        });
        if accepted {
            title.set(String::new());
        }
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    view! {
        <form id="add-priority-form" class="add-priority" on:submit=submit>
            <div class="field">
                <label for="new-priority-title">{move || t(lang.get(), Msg::NewPriority)}</label>
                <input
                    id="new-priority-title"
                    type="text"
                    autocomplete="off"
                    maxlength="200"
                    node_ref=input
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="new-priority-term">{move || t(lang.get(), Msg::NewPriorityTerm)}</label>
                <select
                    id="new-priority-term"
                    prop:value=move || term.get().key()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(t) = Term::ALL.into_iter().find(|t| t.key() == value) {
                            term.set(t);
                        }
                    }
                >
                    {Term::ALL
                        .into_iter()
                        .map(|t| view! { <option value=t.key()>{move || term_name(lang.get(), t)}</option> })
                        .collect_view()}
                </select>
            </div>
            <button id="add-priority" type="submit">{move || t(lang.get(), Msg::Add)}</button>
        </form>
    }
}

/// One priority in the list, kept by id so that an open edit survives
/// remote changes to other priorities.
#[component]
fn PriorityRow(id: PriorityId, order: Memo<Vec<PriorityId>>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let priority = Memo::new(move |_| sync.replica.with(|r| r.view().priorities.get(&id).cloned()));
    let position = Memo::new(move |_| order.with(|o| o.iter().position(|p| *p == id).unwrap_or(0)));
    let is_last = Memo::new(move |_| order.with(|o| o.last() == Some(&id)));
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let title_input: NodeRef<html::Input> = NodeRef::new();
    let edit_button: NodeRef<html::Button> = NodeRef::new();
    let status_select: NodeRef<html::Select> = NodeRef::new();

    let title = move || priority.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let status = move || {
        priority
            .with(|p| p.as_ref().map(|p| p.status))
            .unwrap_or(PriorityStatus::Proposed)
    };
    let horizon = move || {
        priority.with(|p| {
            p.as_ref()
                .map(|p| {
                    format!(
                        "{} · {} – {}",
                        term_name(lang.get(), p.horizon.term),
                        p.horizon.start,
                        p.horizon.end
                    )
                })
                .unwrap_or_default()
        })
    };
    let dom_id = format!("priority-{id}");
    let title_id = format!("priority-title-{id}");

    let editors = Memo::new(move |_| sync.editors_of(id));
    let start_edit = move |_| {
        draft.set(title());
        editing.set(true);
        sync.set_focus(Some(id), Some(id));
        request_animation_frame(move || {
            if let Some(input) = title_input.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        });
    };
    let finish_edit = move |save: bool| {
        if save {
            sync.propose(Mutation::RenamePriority {
                id,
                title: draft.get_untracked(),
            });
        }
        editing.set(false);
        sync.set_focus(None, None);
        request_animation_frame(move || {
            if let Some(button) = edit_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let move_to = move |index: usize| {
        sync.propose(Mutation::MovePriority {
            id,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        });
    };
    let set_status = move |value: String| {
        let Some(next) = PriorityStatus::from_key(&value) else {
            return;
        };
        if !sync.propose(Mutation::SetPriorityStatus { id, status: next }) {
            // The select shows what the person picked; put the real status back.
            if let Some(select) = status_select.get_untracked() {
                select.set_value(status().key());
            }
        }
    };

    view! {
        <li class="priority" id=dom_id data-id=id.to_string() data-status=move || status().key()>
            <div class="priority-main">
                <span class="position" aria-hidden="true">{move || position.get() + 1}</span>
                <Show
                    when=move || editing.get()
                    fallback=move || view! {
                        <h2 class="priority-title" id=title_id.clone()>{title}</h2>
                        <button type="button" class="edit-title" node_ref=edit_button on:click=start_edit>
                            {move || t(lang.get(), Msg::EditTitle)}
                            <span class="visually-hidden">": "{title}</span>
                        </button>
                    }
                >
                    <form class="rename" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        finish_edit(true);
                    }>
                        <label class="visually-hidden" for=format!("title-input-{id}")>
                            {move || t(lang.get(), Msg::EditTitleOf)}
                        </label>
                        <input
                            class="title-input"
                            id=format!("title-input-{id}")
                            type="text"
                            maxlength="200"
                            node_ref=title_input
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    ev.prevent_default();
                                    finish_edit(false);
                                }
                            }
                        />
                        <button type="submit" class="save-title">{move || t(lang.get(), Msg::Save)}</button>
                        <button type="button" class="cancel-title" on:click=move |_| finish_edit(false)>
                            {move || t(lang.get(), Msg::Cancel)}
                        </button>
                    </form>
                </Show>
            </div>
            {move || {
                let names = editors.get();
                (!names.is_empty()).then(|| view! {
                    <p class="presence-note" role="status">
                        <span aria-hidden="true">"✎ "</span>
                        {move || i18n::editing_now(lang.get(), &names.join(", "))}
                    </p>
                })
            }}
            <div class="priority-meta">
                <span class="horizon">
                    <span class="visually-hidden">{move || t(lang.get(), Msg::Horizon)}": "</span>
                    {horizon}
                </span>
                <label class="visually-hidden" for=format!("status-{id}")>
                    {move || t(lang.get(), Msg::StatusOf)}" "{title}
                </label>
                <select
                    class="status-select"
                    id=format!("status-{id}")
                    node_ref=status_select
                    prop:value=move || status().key()
                    on:change=move |ev| set_status(event_target_value(&ev))
                >
                    {PriorityStatus::ALL
                        .into_iter()
                        .map(|s| view! {
                            <option value=s.key() disabled=move || !status().can_become(s)>
                                {move || status_name(lang.get(), s)}
                            </option>
                        })
                        .collect_view()}
                </select>
                <div class="reorder" role="group" aria-label=move || t(lang.get(), Msg::Order)>
                    <button
                        type="button"
                        class="move-up"
                        disabled=move || position.get() == 0
                        on:click=move |_| move_to(position.get_untracked().saturating_sub(1))
                    >
                        <span aria-hidden="true">"↑ "</span>{move || t(lang.get(), Msg::MoveUp)}
                        <span class="visually-hidden">": "{title}</span>
                    </button>
                    <button
                        type="button"
                        class="move-down"
                        disabled=move || is_last.get()
                        on:click=move |_| move_to(position.get_untracked() + 1)
                    >
                        <span aria-hidden="true">"↓ "</span>{move || t(lang.get(), Msg::MoveDown)}
                        <span class="visually-hidden">": "{title}</span>
                    </button>
                </div>
            </div>
        </li>
    }
}
