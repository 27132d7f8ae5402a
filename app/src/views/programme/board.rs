//! The programme as a board: a column per status, a card per priority in
//! programme order. A card moves to another status (only to one the rules
//! allow from its own) and to another place by drag and drop, or by the
//! arrow keys on its Move button; what happened is said in words.
//!
//! Speed with hundreds of cards: each column's cards are keyed, each card
//! reads its own priority through a small memo, and a drop is resolved by
//! one handler per column rather than one per card.

use ara_shared::{PriorityId, PriorityStatus, Quarter, Term};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::list::PresenceNote;
use super::{Programme, horizon_words};
use crate::i18n::programme::{self as words, Edge, ProgrammeMsg};
use crate::i18n::{status_name, t};
use crate::routes::priority_path;
use crate::views::toolkit::focus_by_id;
use crate::views::{use_lang, use_sync};

/// The card being dragged, with the status it had when picked up.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Dragged {
    id: PriorityId,
    from: PriorityStatus,
}

#[component]
pub fn Board(programme: Programme) -> impl IntoView {
    let lang = use_lang();
    let dragging = RwSignal::new(None::<Dragged>);
    let empty = Memo::new(move |_| programme.shown.with(Vec::is_empty));
    view! {
        <div class="board" id="board">
            <Show when=move || programme.can_reorder.get()>
                <p id="board-help" class="hint board-help">{move || t(lang.get(), ProgrammeMsg::KeyboardHelp)}</p>
            </Show>
            <Show when=move || empty.get()>
                <p class="empty" id="no-matches">{move || t(lang.get(), ProgrammeMsg::NoMatches)}</p>
            </Show>
            <div class="board-columns">
                {PriorityStatus::ALL
                    .into_iter()
                    .map(|status| view! { <BoardColumn status=status programme=programme dragging=dragging/> })
                    .collect_view()}
            </div>
        </div>
    }
}

/// The id on the card under the event's target, if the event happened on a card.
fn card_under(ev: &web_sys::DragEvent) -> Option<PriorityId> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target
        .closest("[data-card]")
        .ok()
        .flatten()?
        .get_attribute("data-card")?
        .parse()
        .ok()
}

/// The dragged card's id, from the drag's data (or, should a browser hold
/// it back, from what this page started dragging).
fn dragged_id(ev: &web_sys::DragEvent, dragging: RwSignal<Option<Dragged>>) -> Option<PriorityId> {
    ev.data_transfer()
        .and_then(|dt| dt.get_data("text/plain").ok())
        .and_then(|s| s.parse().ok())
        .or_else(|| dragging.get_untracked().map(|d| d.id))
}

#[component]
fn BoardColumn(
    status: PriorityStatus,
    programme: Programme,
    dragging: RwSignal<Option<Dragged>>,
) -> impl IntoView {
    let lang = use_lang();
    let ids = Memo::new(move |_| {
        programme.shown.with(|shown| {
            shown
                .iter()
                .filter(|(_, s)| *s == status)
                .map(|(id, _)| *id)
                .collect::<Vec<_>>()
        })
    });
    // While a card is dragged, each column says whether it can take it.
    let verdict = Memo::new(move |_| {
        dragging
            .get()
            .map(|d| d.from == status || d.from.can_become(status))
    });
    let heading_id = format!("column-{}", status.key());
    let labelled_by = heading_id.clone();
    let drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        let Some(id) = dragged_id(&ev, dragging) else {
            return;
        };
        dragging.set(None);
        if !programme.can_reorder.get_untracked() {
            return;
        }
        if !programme.set_status(id, status) {
            return;
        }
        if let Some(target) = card_under(&ev).filter(|t| *t != id) {
            programme.move_next_to(id, target, false);
        }
    };
    view! {
        <section
            class="board-column"
            data-status=status.key()
            aria-labelledby=labelled_by
            class:drop-ok=move || verdict.get() == Some(true)
            class:drop-refused=move || verdict.get() == Some(false)
            on:dragover=move |ev: web_sys::DragEvent| {
                // Every column accepts the drop, so that a refused move can
                // be explained rather than silently ignored.
                ev.prevent_default();
                if let Some(dt) = ev.data_transfer() {
                    dt.set_drop_effect(if verdict.get_untracked() == Some(false) { "none" } else { "move" });
                }
            }
            on:drop=drop
        >
            <h2 id=heading_id class="column-heading">
                {move || status_name(lang.get(), status)}
                <span class="column-count">{move || words::column_count(lang.get(), ids.with(Vec::len))}</span>
            </h2>
            {move || verdict.get().map(|ok| {
                let words = if ok { ProgrammeMsg::DropAllowed } else { ProgrammeMsg::DropNotAllowed };
                view! {
                    <p class="drop-hint" data-ok=ok.to_string()>
                        <span aria-hidden="true">{if ok { "↓ " } else { "⊘ " }}</span>
                        {move || t(lang.get(), words)}
                    </p>
                }
            })}
            <ol class="cards" data-status=status.key()>
                <For each=move || ids.get() key=|id| *id let:id>
                    <Card id=id status=status column=ids programme=programme dragging=dragging/>
                </For>
            </ol>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty-column">{move || t(lang.get(), ProgrammeMsg::EmptyColumn)}</p>
            </Show>
        </section>
    }
}

/// What a card shows of its priority, compared cheaply on every change.
#[derive(Clone, Debug, PartialEq)]
struct CardData {
    title: String,
    term: Term,
    start: Quarter,
    end: Quarter,
    lead: Option<String>,
}

/// The nearest status in the column order, left or right of `from`, that
/// the rules allow `from` to become.
fn next_status(from: PriorityStatus, right: bool) -> Option<PriorityStatus> {
    let all = PriorityStatus::ALL;
    let at = all.iter().position(|s| *s == from)?;
    let candidates: Vec<PriorityStatus> = if right {
        all[at + 1..].to_vec()
    } else {
        all[..at].iter().rev().copied().collect()
    };
    candidates.into_iter().find(|s| from.can_become(*s))
}

#[component]
fn Card(
    id: PriorityId,
    status: PriorityStatus,
    column: Memo<Vec<PriorityId>>,
    programme: Programme,
    dragging: RwSignal<Option<Dragged>>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let data = Memo::new(move |_| {
        sync.replica.with(|r| {
            let state = r.view();
            state.priorities.get(&id).map(|p| CardData {
                title: p.title.clone(),
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
    let presence = Memo::new(move |_| programme.presence.with(|p| p.get(&id).cloned()));
    let title = move || data.with(|d| d.as_ref().map(|d| d.title.clone()).unwrap_or_default());
    let handle_id = format!("move-{id}");

    let menu_open = RwSignal::new(false);
    // One place up or down among the column's cards.
    let step = move |down: bool| {
        let neighbour = column.with_untracked(|ids| {
            let at = ids.iter().position(|x| *x == id)?;
            if down {
                ids.get(at + 1).copied()
            } else {
                at.checked_sub(1).and_then(|i| ids.get(i).copied())
            }
        });
        match neighbour {
            Some(target) => {
                programme.move_next_to(id, target, down);
            }
            None => programme.say_edge(id, if down { Edge::Last } else { Edge::First }),
        }
        focus_by_id(format!("move-{id}"));
    };
    let to_status = move |next: PriorityStatus| {
        programme.set_status(id, next);
        focus_by_id(format!("move-{id}"));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "ArrowUp" | "ArrowDown" => step(key == "ArrowDown"),
            "ArrowLeft" | "ArrowRight" => match next_status(status, key == "ArrowRight") {
                Some(next) => to_status(next),
                None => programme.say_edge(id, Edge::NoStatus),
            },
            "Escape" if menu_open.get_untracked() => menu_open.set(false),
            _ => return,
        }
        // Arrow keys would scroll the page otherwise.
        ev.prevent_default();
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            menu_open.set(false);
            focus_by_id(format!("move-{id}"));
        }
    };
    let menu_id = format!("move-menu-{id}");
    let menu = move || {
        menu_open.get().then(|| {
            let targets: Vec<PriorityStatus> = PriorityStatus::ALL
                .into_iter()
                .filter(|s| *s != status && status.can_become(*s))
                .collect();
            let (first, last) = column.with_untracked(|ids| (ids.first() == Some(&id), ids.last() == Some(&id)));
            view! {
                <div
                    class="move-menu"
                    id=format!("move-menu-{id}")
                    role="group"
                    aria-label=move || words::move_card(lang.get(), &title())
                    on:keydown=close_on_escape
                >
                    {targets
                        .into_iter()
                        .map(|s| view! {
                            <button type="button" class="move-to" data-status=s.key() on:click=move |_| to_status(s)>
                                <span aria-hidden="true">"→ "</span>
                                {move || words::move_to(lang.get(), s)}
                            </button>
                        })
                        .collect_view()}
                    <button type="button" class="move-earlier" disabled=first on:click=move |_| step(false)>
                        <span aria-hidden="true">"↑ "</span>{move || t(lang.get(), ProgrammeMsg::Earlier)}
                    </button>
                    <button type="button" class="move-later" disabled=last on:click=move |_| step(true)>
                        <span aria-hidden="true">"↓ "</span>{move || t(lang.get(), ProgrammeMsg::Later)}
                    </button>
                </div>
            }
        })
    };

    view! {
        <li
            class="board-card"
            id=format!("card-{id}")
            data-card=id.to_string()
            data-status=status.key()
            draggable=move || programme.can_reorder.get().then_some("true")
            class:dragging=move || dragging.get().is_some_and(|d| d.id == id)
            on:dragstart=move |ev: web_sys::DragEvent| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &id.to_string());
                    dt.set_effect_allowed("move");
                }
                dragging.set(Some(Dragged { id, from: status }));
            }
            on:dragend=move |_| dragging.set(None)
        >
            <h3 class="card-title"><a href=priority_path(id)>{title}</a></h3>
            <p class="card-meta">
                <span class="horizon">
                    <span class="visually-hidden">{move || t(lang.get(), crate::i18n::Msg::Horizon)}": "</span>
                    {move || data.with(|d| d.as_ref().map(|d| horizon_words(lang.get(), d.term, d.start, d.end)))}
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
            </p>
            <PresenceNote presence=presence/>
            <Show when=move || programme.can_reorder.get()>
                <button
                    type="button"
                    class="move-handle"
                    id=handle_id.clone()
                    aria-describedby="board-help"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-controls=menu_id.clone()
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                    on:keydown=on_key
                >
                    <span aria-hidden="true">"⇅ "</span>
                    <span aria-hidden="true">{move || t(lang.get(), ProgrammeMsg::Move)}</span>
                    <span class="visually-hidden">{move || words::move_card(lang.get(), &title())}</span>
                </button>
                {menu}
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use PriorityStatus::*;

    #[test]
    fn arrow_keys_go_to_the_nearest_status_the_rules_allow() {
        assert_eq!(next_status(Proposed, true), Some(Adopted));
        assert_eq!(next_status(Proposed, false), None);
        assert_eq!(next_status(Adopted, true), Some(InProgress));
        assert_eq!(next_status(InProgress, true), Some(Done));
        assert_eq!(next_status(Done, true), None, "done cannot be dropped");
        assert_eq!(next_status(Done, false), Some(InProgress));
        assert_eq!(next_status(Dropped, false), Some(Proposed));
    }

    #[test]
    fn every_status_has_a_column_name() {
        for lang in Lang::ALL {
            for s in PriorityStatus::ALL {
                assert!(!status_name(lang, s).is_empty());
            }
        }
    }
}
