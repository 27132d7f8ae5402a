//! The programme as a list in programme order: each priority with its place,
//! title (a link to its page), horizon, status and order controls for those
//! allowed to use them, and who else is looking at or editing it.

use ara_shared::{Mutation, PriorityId, PriorityStatus, Quarter, Term};
use leptos::html;
use leptos::prelude::*;

use super::{Presence, Programme, horizon_words};
use crate::i18n::programme::{self as words, Edge, ProgrammeMsg};
use crate::i18n::{self, Msg, status_name, t};
use crate::routes::priority_path;
use crate::views::toolkit::focus_by_id;
use crate::views::{use_lang, use_sync};

#[component]
pub fn PriorityList(programme: Programme) -> impl IntoView {
    let lang = use_lang();
    let ids = Memo::new(move |_| {
        programme
            .shown
            .with(|shown| shown.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    });
    view! {
        <Show
            when=move || ids.with(|ids| !ids.is_empty())
            fallback=move || view! { <p class="empty" id="no-matches">{move || t(lang.get(), ProgrammeMsg::NoMatches)}</p> }
        >
            <ol id="priority-list" class="priority-list">
                <For each=move || ids.get() key=|id| *id let:id>
                    <PriorityRow id=id ids=ids programme=programme/>
                </For>
            </ol>
        </Show>
    }
}

/// What a row shows of its priority, compared cheaply on every change.
#[derive(Clone, Debug, PartialEq)]
struct RowData {
    title: String,
    status: PriorityStatus,
    term: Term,
    start: Quarter,
    end: Quarter,
    lead: Option<String>,
}

/// The shown neighbour of `id` before (or after) it, if any.
fn neighbour(ids: Memo<Vec<PriorityId>>, id: PriorityId, after: bool) -> Option<PriorityId> {
    ids.with_untracked(|ids| {
        let at = ids.iter().position(|x| *x == id)?;
        if after {
            ids.get(at + 1).copied()
        } else {
            at.checked_sub(1).and_then(|i| ids.get(i).copied())
        }
    })
}

/// Who else is on this priority, said in words.
#[component]
pub fn PresenceNote(presence: Memo<Option<Presence>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        presence.get().map(|p| {
            let editing = (!p.editing.is_empty()).then(|| {
                let names = p.editing.join(", ");
                view! {
                    <p class="presence-note editing" role="status">
                        <span aria-hidden="true">"✎ "</span>
                        {move || i18n::editing_now(lang.get(), &names)}
                    </p>
                }
            });
            let viewing = (!p.viewing.is_empty()).then(|| {
                let names = p.viewing.join(", ");
                view! {
                    <p class="presence-note viewing">
                        <span aria-hidden="true">"👁 "</span>
                        {move || words::viewing_now(lang.get(), &names)}
                    </p>
                }
            });
            view! { {editing}{viewing} }
        })
    }
}

/// One priority in the list, kept by id so that an open edit survives
/// remote changes to other priorities.
#[component]
fn PriorityRow(id: PriorityId, ids: Memo<Vec<PriorityId>>, programme: Programme) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let data = Memo::new(move |_| {
        sync.replica.with(|r| {
            let state = r.view();
            state.priorities.get(&id).map(|p| RowData {
                title: p.title.clone(),
                status: p.status,
                term: p.horizon.term,
                start: p.horizon.start,
                end: p.horizon.end,
                lead: p
                    .lead_region
                    .and_then(|l| state.regions.get(&l))
                    .map(|r| r.name.clone()),
            })
        })
    });
    let can_edit = Memo::new(move |_| {
        sync.allows(&Mutation::RenamePriority {
            id,
            title: String::new(),
        })
    });
    let position = Memo::new(move |_| {
        programme
            .positions
            .with(|p| p.get(&id).copied().unwrap_or(0))
    });
    let is_first = Memo::new(move |_| ids.with(|ids| ids.first() == Some(&id)));
    let is_last = Memo::new(move |_| ids.with(|ids| ids.last() == Some(&id)));
    let presence = Memo::new(move |_| programme.presence.with(|p| p.get(&id).cloned()));
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let title_input: NodeRef<html::Input> = NodeRef::new();
    let edit_button: NodeRef<html::Button> = NodeRef::new();
    let status_select: NodeRef<html::Select> = NodeRef::new();

    let title = move || data.with(|d| d.as_ref().map(|d| d.title.clone()).unwrap_or_default());
    let status = move || {
        data.with(|d| d.as_ref().map(|d| d.status))
            .unwrap_or(PriorityStatus::Proposed)
    };
    let horizon = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| horizon_words(lang.get(), d.term, d.start, d.end))
                .unwrap_or_default()
        })
    };
    let dom_id = format!("priority-{id}");
    let title_id = format!("priority-title-{id}");
    let up_id = format!("move-up-{id}");
    let down_id = format!("move-down-{id}");

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
    // Up and down move past the neighbour that is shown, so that a move is
    // always visible even when filters hide part of the programme.
    let step = move |after: bool| {
        match neighbour(ids, id, after) {
            Some(target) => {
                programme.move_next_to(id, target, after);
            }
            None => programme.say_edge(id, if after { Edge::Last } else { Edge::First }),
        }
        // The row may have moved in the page; keep the focus on its control,
        // or on the other one when this one is now disabled.
        let (up, down) = (format!("move-up-{id}"), format!("move-down-{id}"));
        let first = neighbour(ids, id, false).is_none();
        let last = neighbour(ids, id, true).is_none();
        focus_by_id(match (after, first, last) {
            (false, true, _) => down,
            (true, _, true) => up,
            (false, _, _) => up,
            (true, _, _) => down,
        });
    };
    let set_status = move |value: String| {
        let Some(next) = PriorityStatus::from_key(&value) else {
            return;
        };
        if !programme.propose_status(id, next) {
            // The select shows what the person picked; put the real status back.
            if let Some(select) = status_select.get_untracked() {
                select.set_value(status().key());
            }
        }
    };

    let rename_form = move || {
        view! {
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
        }
    };

    view! {
        <li class="priority" id=dom_id data-id=id.to_string() data-status=move || status().key()>
            <div class="priority-main">
                <span class="position" aria-hidden="true">{move || position.get() + 1}</span>
                <Show
                    when=move || editing.get()
                    fallback=move || view! {
                        <h2 class="priority-title" id=title_id.clone()>
                            <a href=priority_path(id)>{title}</a>
                        </h2>
                        <Show when=move || can_edit.get()>
                            <button type="button" class="edit-title" node_ref=edit_button on:click=start_edit>
                                {move || t(lang.get(), Msg::EditTitle)}
                                <span class="visually-hidden">": "{title}</span>
                            </button>
                        </Show>
                    }
                >
                    {rename_form}
                </Show>
            </div>
            <PresenceNote presence=presence/>
            <div class="priority-meta">
                <span class="horizon">
                    <span class="visually-hidden">{move || t(lang.get(), Msg::Horizon)}": "</span>
                    {horizon}
                </span>
                <span class="lead">
                    {move || {
                        let lang = lang.get();
                        match data.with(|d| d.as_ref().and_then(|d| d.lead.clone())) {
                            Some(lead) => format!("{}: {lead}", t(lang, ProgrammeMsg::Lead)),
                            None => t(lang, ProgrammeMsg::NoLead).to_owned(),
                        }
                    }}
                </span>
                <Show
                    when=move || can_edit.get()
                    fallback=move || view! {
                        <span class="status-label">
                            <span class="visually-hidden">{move || t(lang.get(), Msg::Status)}": "</span>
                            {move || status_name(lang.get(), status())}
                        </span>
                    }
                >
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
                </Show>
                <Show when=move || programme.can_reorder.get()>
                    <div class="reorder" role="group" aria-label=move || t(lang.get(), Msg::Order)>
                        <button
                            type="button"
                            class="move-up"
                            id=up_id.clone()
                            disabled=move || is_first.get()
                            on:click=move |_| step(false)
                        >
                            <span aria-hidden="true">"↑ "</span>{move || t(lang.get(), Msg::MoveUp)}
                            <span class="visually-hidden">": "{title}</span>
                        </button>
                        <button
                            type="button"
                            class="move-down"
                            id=down_id.clone()
                            disabled=move || is_last.get()
                            on:click=move |_| step(true)
                        >
                            <span aria-hidden="true">"↓ "</span>{move || t(lang.get(), Msg::MoveDown)}
                            <span class="visually-hidden">": "{title}</span>
                        </button>
                    </div>
                </Show>
            </div>
        </li>
    }
}
