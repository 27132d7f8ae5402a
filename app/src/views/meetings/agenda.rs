//! A meeting's agenda: items linked to priorities, added, edited,
//! reordered and removed by the secretariat.

use ara_shared::meeting::{AgendaItem, Meeting};
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{AgendaItemId, MeetingId, MeetingPatch, PriorityId, Rejection};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::alliance::{self, AllianceMsg, MeetingsMsg};
use crate::i18n::t;
use crate::routes::priority_path;
use crate::sync::{SyncHandle, new_id};
use crate::views::form::{Choice, SelectInput, TextInput, priority_choices};
use crate::views::toolkit::{FormProblem, focus_by_id};
use crate::views::{tr, use_lang, use_sync};

use super::update_meeting;

/// "No priority" and the programme's priorities.
fn agenda_priority_choices() -> Signal<Vec<Choice>> {
    let priorities = priority_choices();
    let none = tr(MeetingsMsg::NoPriority);
    Signal::derive(move || {
        std::iter::once(Choice::new("", none))
            .chain(priorities.get())
            .collect()
    })
}

/// The agenda as it is now, for an edit of one item to start from.
fn current_agenda(sync: SyncHandle, id: MeetingId) -> Vec<AgendaItem> {
    sync.replica.with_untracked(|r| {
        r.view()
            .meetings
            .get(&id)
            .map(|m| m.agenda.clone())
            .unwrap_or_default()
    })
}

#[component]
pub(super) fn Agenda(
    id: MeetingId,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let items = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.agenda.iter().map(|i| i.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let new_title = RwSignal::new(String::new());
    let new_priority = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut agenda = current_agenda(sync, id);
        let item = AgendaItem {
            id: new_id(AgendaItemId::from_parts),
            title: new_title.get_untracked(),
            priority: new_priority.get_untracked().parse().ok(),
        };
        let item_id = item.id;
        agenda.push(item);
        if update_meeting(
            sync,
            id,
            MeetingPatch {
                agenda: Some(agenda),
                ..MeetingPatch::default()
            },
            problem,
        ) {
            new_title.set(String::new());
            new_priority.set(String::new());
            focus_by_id(format!("agenda-item-{item_id}"));
        }
    };
    view! {
        <section class="meeting-part" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{move || t(lang.get(), MeetingsMsg::Agenda)}</h2>
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoAgenda)}</p> }
            >
                <ol class="agenda" id="agenda">
                    <For each=move || items.get() key=|item| *item let:item>
                        <AgendaRow meeting_id=id item_id=item items=items meeting=meeting can_edit=can_edit/>
                    </For>
                </ol>
            </Show>
            {move || can_edit.get().then(|| view! {
                <form id="add-agenda-item" class="inline-form" novalidate aria-labelledby="add-agenda-heading" on:submit=add>
                    <h3 id="add-agenda-heading" class="visually-hidden">{move || t(lang.get(), MeetingsMsg::AddAgendaItem)}</h3>
                    <TextInput id="new-agenda-title" label=tr(MeetingsMsg::AgendaItem) value=new_title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id="new-agenda-priority" label=tr(MeetingsMsg::LinkedPriority) value=new_priority choices=agenda_priority_choices()/>
                    <button type="submit" id="add-agenda">{move || t(lang.get(), MeetingsMsg::AddAgendaItem)}</button>
                    <FormProblem id="agenda-problem" problem=problem/>
                </form>
            })}
        </section>
    }
}

#[component]
fn AgendaRow(
    meeting_id: MeetingId,
    item_id: AgendaItemId,
    items: Memo<Vec<AgendaItemId>>,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let item = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .and_then(|m| m.agenda.iter().find(|i| i.id == item_id).cloned())
        })
    });
    let position =
        Memo::new(move |_| items.with(|list| list.iter().position(|i| *i == item_id).unwrap_or(0)));
    let is_last = Memo::new(move |_| items.with(|list| list.last() == Some(&item_id)));
    let title = Signal::derive(move || {
        item.with(|i| i.as_ref().map(|i| i.title.clone()).unwrap_or_default())
    });
    let priority = Memo::new(move |_| {
        let pid = item.with(|i| i.as_ref().and_then(|i| i.priority));
        pid.map(|pid| {
            let name = sync
                .replica
                .with(|r| r.view().priorities.get(&pid).map(|p| p.title.clone()));
            (pid, name.unwrap_or_default())
        })
    });
    let editing = RwSignal::new(false);
    let draft_title = RwSignal::new(String::new());
    let draft_priority = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);

    let change = move |f: &dyn Fn(&mut Vec<AgendaItem>)| {
        let mut agenda = current_agenda(sync, meeting_id);
        f(&mut agenda);
        update_meeting(
            sync,
            meeting_id,
            MeetingPatch {
                agenda: Some(agenda),
                ..MeetingPatch::default()
            },
            problem,
        )
    };
    let shift = move |down: bool| {
        let moved = change(&|agenda| {
            if let Some(i) = agenda.iter().position(|x| x.id == item_id) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < agenda.len() {
                    agenda.swap(i, j);
                }
            }
        });
        if moved {
            // Keep focus on the same button as the item moves, unless it hit an end.
            let button = if down { "down" } else { "up" };
            focus_by_id(format!("agenda-{button}-{item_id}"));
        }
    };
    let start_edit = move |_| {
        draft_title.set(title.get_untracked());
        draft_priority.set(item.with_untracked(|i| {
            i.as_ref()
                .and_then(|i| i.priority)
                .map(|p| p.to_string())
                .unwrap_or_default()
        }));
        editing.set(true);
        focus_by_id(format!("agenda-title-input-{item_id}"));
    };
    let finish = move |save: bool| {
        if save {
            let new_title = draft_title.get_untracked();
            let new_priority: Option<PriorityId> = draft_priority.get_untracked().parse().ok();
            let saved = change(&|agenda| {
                if let Some(x) = agenda.iter_mut().find(|x| x.id == item_id) {
                    x.title = new_title.clone();
                    x.priority = new_priority;
                }
            });
            if !saved {
                return;
            }
        }
        problem.set(None);
        editing.set(false);
        focus_by_id(format!("agenda-edit-{item_id}"));
    };
    let remove = move |_| {
        if change(&|agenda| agenda.retain(|x| x.id != item_id)) {
            focus_by_id("agenda-heading".into());
        }
    };
    view! {
        <li class="agenda-item" data-id=item_id.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <div class="agenda-text">
                        <span class="agenda-title" id=format!("agenda-item-{item_id}") tabindex="-1">{title}</span>
                        {move || priority.get().map(|(pid, name)| view! {
                            " "<span class="agenda-priority">
                                {move || alliance::concerns_priority(lang.get())}" "
                                <A href=priority_path(pid)>{name}</A>
                            </span>
                        })}
                    </div>
                }
            >
                <form class="agenda-edit inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); finish(true); }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { finish(false) }>
                    <TextInput id=format!("agenda-title-input-{item_id}") label=tr(MeetingsMsg::AgendaItem) value=draft_title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id=format!("agenda-priority-input-{item_id}") label=tr(MeetingsMsg::LinkedPriority) value=draft_priority choices=agenda_priority_choices()/>
                    <div class="form-buttons">
                        <button type="submit">{move || t(lang.get(), AllianceMsg::Save)}</button>
                        <button type="button" class="cancel" on:click=move |_| finish(false)>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
            {move || (can_edit.get() && !editing.get()).then(|| view! {
                <div class="item-buttons" role="group" aria-label=move || alliance::action_of(t(lang.get(), AllianceMsg::Actions), &title.get())>
                    <button type="button" id=format!("agenda-edit-{item_id}") class="agenda-edit-button" on:click=start_edit>
                        {move || t(lang.get(), AllianceMsg::Edit)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" id=format!("agenda-up-{item_id}") class="agenda-up" disabled=move || position.get() == 0 on:click=move |_| shift(false)>
                        <span aria-hidden="true">"↑ "</span>{move || t(lang.get(), AllianceMsg::MoveUp)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" id=format!("agenda-down-{item_id}") class="agenda-down" disabled=move || is_last.get() on:click=move |_| shift(true)>
                        <span aria-hidden="true">"↓ "</span>{move || t(lang.get(), AllianceMsg::MoveDown)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" class="agenda-remove" on:click=remove>
                        {move || t(lang.get(), AllianceMsg::Remove)}<span class="visually-hidden">": "{title}</span>
                    </button>
                </div>
            })}
            <FormProblem id=format!("agenda-problem-{item_id}") problem=problem/>
        </li>
    }
}
