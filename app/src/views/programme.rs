//! The work programme: its priorities as a list in programme order or as a
//! board by status, narrowed by filters that live in the address. People
//! allowed to add, rename, change the status and reorder priorities; the
//! board also moves them by drag and drop or by keyboard, and every move is
//! said in words.

mod board;
pub(crate) mod filters;
mod list;

use std::collections::HashMap;

use ara_shared::{Horizon, Mutation, PriorityId, PriorityStatus, Quarter, Term};
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::i18n::model::dimension_name;
use crate::i18n::nav::Nav;
use crate::i18n::programme::{self as words, Edge, ProgrammeMsg};
use crate::i18n::{Lang, Msg, status_name, t, term_name};
use crate::sync::new_id;
use crate::views::{page_title, use_lang, use_sync};

use self::board::Board;
use self::filters::{Filters, ViewMode};
use self::list::PriorityList;

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

/// Who else is looking at or editing a priority, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Presence {
    pub viewing: Vec<String>,
    pub editing: Vec<String>,
}

/// The last thing that happened to the programme by this person's hand,
/// kept as facts so that it follows a change of language.
#[derive(Clone, Debug, PartialEq)]
enum Said {
    Nothing,
    Added(String),
    Status(String, PriorityStatus),
    Position(String, usize, usize),
    Refused(String, PriorityStatus, PriorityStatus),
    Edge(String, Edge),
}

impl Said {
    fn words(&self, lang: Lang) -> String {
        match self {
            Said::Nothing => String::new(),
            Said::Added(title) => words::added(lang, title),
            Said::Status(title, s) => words::moved_to_status(lang, title, *s),
            Said::Position(title, at, of) => words::moved_to_position(lang, title, *at, *of),
            Said::Refused(title, from, to) => words::cannot_move(lang, title, *from, *to),
            Said::Edge(title, edge) => words::no_further(lang, title, *edge),
        }
    }
}

/// What the board and the list share, cheap to copy into every card.
#[derive(Clone, Copy)]
pub(super) struct Programme {
    /// The priorities that pass the filters, in programme order, with status.
    pub shown: Memo<Vec<(PriorityId, PriorityStatus)>>,
    /// Every priority's place in the whole programme (0-based).
    pub positions: Memo<HashMap<PriorityId, usize>>,
    pub total: Memo<usize>,
    pub presence: Memo<HashMap<PriorityId, Presence>>,
    /// Whether this person may reorder the programme (all but observers).
    pub can_reorder: Memo<bool>,
    said: RwSignal<Said>,
}

impl Programme {
    fn new(filters: Memo<Filters>) -> Self {
        let sync = use_sync();
        let shown = Memo::new(move |_| {
            filters.with(|f| {
                let words = f.words();
                sync.replica.with(|r| {
                    r.view()
                        .priorities_in_order()
                        .filter(|p| f.matches(p, &words))
                        .map(|p| (p.id, p.status))
                        .collect()
                })
            })
        });
        let positions = Memo::new(move |_| {
            sync.replica.with(|r| {
                r.view()
                    .programme_order
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (*id, i))
                    .collect()
            })
        });
        let total = Memo::new(move |_| sync.replica.with(|r| r.view().programme_order.len()));
        let presence = Memo::new(move |_| {
            let mut map: HashMap<PriorityId, Presence> = HashMap::new();
            sync.peers.with(|peers| {
                for peer in peers {
                    if let Some(id) = peer.editing {
                        map.entry(id).or_default().editing.push(peer.name.clone());
                    } else if let Some(id) = peer.viewing {
                        map.entry(id).or_default().viewing.push(peer.name.clone());
                    }
                }
            });
            for p in map.values_mut() {
                p.viewing.sort();
                p.viewing.dedup();
                p.editing.sort();
                p.editing.dedup();
            }
            map
        });
        let can_reorder = Memo::new(move |_| {
            sync.allows(&Mutation::MovePriority {
                id: PriorityId(Default::default()),
                index: 0,
            })
        });
        Self {
            shown,
            positions,
            total,
            presence,
            can_reorder,
            said: RwSignal::new(Said::Nothing),
        }
    }

    fn title_of(&self, id: PriorityId) -> String {
        use_sync().replica.with_untracked(|r| {
            r.view()
                .priorities
                .get(&id)
                .map(|p| p.title.clone())
                .unwrap_or_default()
        })
    }

    fn say(&self, said: Said) {
        self.said.set(said);
    }

    /// Gives `id` the status `to`, if the rules allow it from where it is;
    /// a move they refuse is explained. True when the status is `to` now.
    pub fn set_status(&self, id: PriorityId, to: PriorityStatus) -> bool {
        let sync = use_sync();
        let Some(from) = sync
            .replica
            .with_untracked(|r| r.view().priorities.get(&id).map(|p| p.status))
        else {
            return false;
        };
        if from == to {
            return true;
        }
        let title = self.title_of(id);
        if !from.can_become(to) {
            self.say(Said::Refused(title, from, to));
            return false;
        }
        // A refusal by the rules (e.g. another region's priority) becomes a
        // notice in words by itself.
        let done = sync.propose(Mutation::SetPriorityStatus { id, status: to });
        if done {
            self.say(Said::Status(title, to));
        }
        done
    }

    /// Proposes the status `to` for `id` as it is, so that a refusal by the
    /// rules is explained by the notices (the list's status menu).
    pub fn propose_status(&self, id: PriorityId, to: PriorityStatus) -> bool {
        let done = use_sync().propose(Mutation::SetPriorityStatus { id, status: to });
        if done {
            self.say(Said::Status(self.title_of(id), to));
        }
        done
    }

    /// Moves `id` next to `target` in the programme: just before it, or just
    /// after it when `after`.
    pub fn move_next_to(&self, id: PriorityId, target: PriorityId, after: bool) -> bool {
        if id == target {
            return true;
        }
        let (from, to) = self
            .positions
            .with_untracked(|p| (p.get(&id).copied(), p.get(&target).copied()));
        let (Some(from), Some(to)) = (from, to) else {
            return false;
        };
        // The index is where it goes once taken out of its old place.
        let index = match (after, from < to) {
            (false, true) => to - 1,
            (false, false) | (true, true) => to,
            (true, false) => to + 1,
        };
        let done = use_sync().propose(Mutation::MovePriority {
            id,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        });
        if done {
            let total = self.total.get_untracked();
            self.say(Said::Position(self.title_of(id), index + 1, total));
        }
        done
    }

    /// Says that a keyboard move found no room in that direction.
    pub fn say_edge(&self, id: PriorityId, edge: Edge) {
        self.say(Said::Edge(self.title_of(id), edge));
    }
}

/// "Short term · Q1 2025 – Q4 2026", as the language writes quarters.
pub(super) fn horizon_words(lang: Lang, term: Term, start: Quarter, end: Quarter) -> String {
    format!(
        "{} · {} – {}",
        term_name(lang, term),
        crate::i18n::format::quarter_short(lang, start),
        crate::i18n::format::quarter_short(lang, end)
    )
}

#[component]
pub fn WorkProgramme() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Programme);
    let query = use_query_map();
    let address = Memo::new(move |_| query.with(|q| Filters::from_query(|k| q.get_str(k))));
    let mode = Memo::new(move |_| address.with(|a| a.0));
    let filters = Memo::new(move |_| address.with(|a| a.1.clone()));
    let programme = Programme::new(filters);
    let can_add = Memo::new(move |_| {
        sync.allows(&Mutation::CreatePriority {
            id: PriorityId(Default::default()),
            title: String::new(),
            horizon: default_horizon(Term::Short),
        })
    });
    let navigate = use_navigate();
    let go = Callback::new(move |(href, replace): (String, bool)| {
        navigate(
            &href,
            NavigateOptions {
                replace,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });

    let body = move || {
        let total = programme.total.get();
        if total == 0 && !sync.loaded.get() {
            return view! { <p class="loading">{move || t(lang.get(), Msg::Loading)}</p> }
                .into_any();
        }
        if total == 0 {
            return view! { <p class="empty">{move || t(lang.get(), Msg::NoPriorities)}</p> }
                .into_any();
        }
        match mode.get() {
            ViewMode::Board => view! { <Board programme=programme/> }.into_any(),
            ViewMode::List => view! { <PriorityList programme=programme/> }.into_any(),
        }
    };

    view! {
        <section class="programme" aria-labelledby="programme-heading">
            <h1 id="programme-heading">{move || t(lang.get(), Msg::WorkProgramme)}</h1>
            <p class="intro">{move || t(lang.get(), Msg::WorkProgrammeIntro)}</p>
            <Show
                when=move || can_add.get()
                fallback=move || view! {
                    <p class="read-only" id="read-only-note">{move || t(lang.get(), ProgrammeMsg::ReadOnly)}</p>
                }
            >
                <AddPriorityForm programme=programme/>
            </Show>
            <ViewSwitch mode=mode filters=filters/>
            <FilterBar mode=mode filters=filters programme=programme go=go/>
            <p id="programme-announcer" class="announcer" role="status" aria-live="polite">
                {move || programme.said.with(|s| s.words(lang.get()))}
            </p>
            {body}
        </section>
    }
}

/// List or board, as links so that the choice is in the address.
#[component]
fn ViewSwitch(mode: Memo<ViewMode>, filters: Memo<Filters>) -> impl IntoView {
    let lang = use_lang();
    let link = move |target: ViewMode, label: ProgrammeMsg, icon: &'static str| {
        view! {
            <a
                id=format!("view-{}", target.key())
                href=move || filters.with(|f| f.href(target))
                aria-current=move || (mode.get() == target).then_some("page")
            >
                <span aria-hidden="true">{icon}" "</span>
                {move || t(lang.get(), label)}
            </a>
        }
    };
    view! {
        <div class="view-switch" role="group" aria-labelledby="view-switch-label">
            <span id="view-switch-label">{move || t(lang.get(), ProgrammeMsg::ShowAs)}</span>
            {link(ViewMode::List, ProgrammeMsg::List, "☰")}
            {link(ViewMode::Board, ProgrammeMsg::Board, "▥")}
        </div>
    }
}

/// One filter drop-down: "All" and the choices; picking one changes the address.
#[component]
fn FilterSelect(
    id: &'static str,
    label: ProgrammeMsg,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] choices: Signal<Vec<(String, String)>>,
    pick: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id>{move || t(lang.get(), label)}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| pick.run(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>
                    {move || t(lang.get(), ProgrammeMsg::Any)}
                </option>
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|(key, words)| {
                            let this = key.clone();
                            view! { <option value=key selected=move || value.with(|v| *v == this)>{words}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// Search, the six filters, how many match, and a way to clear them.
#[component]
fn FilterBar(
    mode: Memo<ViewMode>,
    filters: Memo<Filters>,
    programme: Programme,
    go: Callback<(String, bool)>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    // Typing a search replaces the address as it goes; the first letter
    // makes a new history entry, so that back returns to before the search.
    let typing = StoredValue::new(false);
    let change = move |edit: Box<dyn FnOnce(&mut Filters)>, typed: bool| {
        // A search typed into an empty field starts a new history entry.
        let replace = typed && typing.get_value() && filters.with_untracked(|f| !f.text.is_empty());
        typing.set_value(typed);
        let mut next = filters.get_untracked();
        edit(&mut next);
        go.run((next.href(mode.get_untracked()), replace));
    };
    let search_input: NodeRef<html::Input> = NodeRef::new();

    let points = Memo::new(move |_| {
        let lang = lang.get();
        sync.replica.with(|r| {
            r.view()
                .ten_points
                .values()
                .map(|p| {
                    let title = match lang {
                        Lang::En => &p.title_en,
                        Lang::De => &p.title_de,
                    };
                    let mut words = format!("{} · {title}", p.n);
                    if p.unconfirmed {
                        words.push_str(&format!(" ({})", t(lang, ProgrammeMsg::Unconfirmed)));
                    }
                    (p.n.to_string(), words)
                })
                .collect::<Vec<_>>()
        })
    });
    let terms = Memo::new(move |_| {
        Term::ALL
            .into_iter()
            .map(|x| (x.key().to_owned(), term_name(lang.get(), x).to_owned()))
            .collect::<Vec<_>>()
    });
    let statuses = Memo::new(move |_| {
        PriorityStatus::ALL
            .into_iter()
            .map(|s| (s.key().to_owned(), status_name(lang.get(), s).to_owned()))
            .collect::<Vec<_>>()
    });
    let regions = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut regions: Vec<(String, String)> = r
                .view()
                .regions
                .values()
                .map(|region| (region.id.to_string(), region.name.clone()))
                .collect();
            regions.sort_by(|a, b| a.1.cmp(&b.1));
            regions
        })
    });
    let dimensions = Memo::new(move |_| {
        ara_shared::Dimension::ALL
            .into_iter()
            .map(|d| (d.key().to_owned(), dimension_name(lang.get(), d).to_owned()))
            .collect::<Vec<_>>()
    });
    let initiatives = Memo::new(move |_| {
        sync.replica.with(|r| {
            r.view()
                .initiatives
                .values()
                .map(|i| (i.code.clone(), format!("{} – {}", i.code, i.title)))
                .collect::<Vec<_>>()
        })
    });

    let value = move |read: fn(&Filters) -> String| Signal::derive(move || filters.with(read));
    let pick = move |write: fn(&mut Filters, &str)| {
        Callback::new(move |key: String| change(Box::new(move |f| write(f, &key)), false))
    };
    let active = move || {
        filters.with(|f| {
            [
                f.point.is_some(),
                f.term.is_some(),
                f.status.is_some(),
                f.region.is_some(),
                f.dimension.is_some(),
                f.initiative.is_some(),
            ]
            .into_iter()
            .filter(|on| *on)
            .count()
        })
    };
    let open_at_start = active() > 0;

    view! {
        <section class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="visually-hidden">{move || t(lang.get(), ProgrammeMsg::Filters)}</h2>
            <form role="search" class="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <div class="field">
                    <label for="filter-text">{move || t(lang.get(), ProgrammeMsg::Search)}</label>
                    <input
                        id="filter-text"
                        type="search"
                        autocomplete="off"
                        node_ref=search_input
                        prop:value=move || filters.with(|f| f.text.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            change(Box::new(move |f| f.text = text), true);
                        }
                    />
                </div>
            </form>
            <details id="filter-panel" class="filter-panel" open=open_at_start>
                <summary>
                    {move || t(lang.get(), ProgrammeMsg::Filters)}
                    {move || (active() > 0).then(|| format!(" ({})", active()))}
                </summary>
                <div class="filter-fields">
                    <FilterSelect id="filter-point" label=ProgrammeMsg::TenPoint choices=points
                        value=value(|f| f.point.map(|p| p.to_string()).unwrap_or_default())
                        pick=pick(|f, k| f.point = k.parse().ok())/>
                    <FilterSelect id="filter-term" label=ProgrammeMsg::Term choices=terms
                        value=value(|f| f.term.map(|x| x.key().to_owned()).unwrap_or_default())
                        pick=pick(|f, k| f.term = Term::ALL.into_iter().find(|x| x.key() == k))/>
                    <FilterSelect id="filter-status" label=ProgrammeMsg::Status choices=statuses
                        value=value(|f| f.status.map(|s| s.key().to_owned()).unwrap_or_default())
                        pick=pick(|f, k| f.status = PriorityStatus::from_key(k))/>
                    <FilterSelect id="filter-region" label=ProgrammeMsg::Region choices=regions
                        value=value(|f| f.region.map(|r| r.to_string()).unwrap_or_default())
                        pick=pick(|f, k| f.region = k.parse().ok())/>
                    <FilterSelect id="filter-dimension" label=ProgrammeMsg::Dimension choices=dimensions
                        value=value(|f| f.dimension.map(|d| d.key().to_owned()).unwrap_or_default())
                        pick=pick(|f, k| f.dimension = ara_shared::Dimension::ALL.into_iter().find(|d| d.key() == k))/>
                    <FilterSelect id="filter-initiative" label=ProgrammeMsg::Initiative choices=initiatives
                        value=value(|f| f.initiative.clone().unwrap_or_default())
                        pick=pick(|f, k| f.initiative = (!k.is_empty()).then(|| k.to_owned()))/>
                </div>
            </details>
            <div class="filter-summary">
                <p id="match-count">
                    {move || words::matches(lang.get(), programme.shown.with(Vec::len), programme.total.get())}
                </p>
                <Show when=move || filters.with(|f| !f.is_empty())>
                    <button
                        type="button"
                        id="clear-filters"
                        on:click=move |_| {
                            typing.set_value(false);
                            go.run((Filters::default().href(mode.get_untracked()), false));
                            if let Some(input) = search_input.get_untracked() {
                                let _ = input.focus();
                            }
                        }
                    >
                        {move || t(lang.get(), ProgrammeMsg::ClearFilters)}
                    </button>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn AddPriorityForm(programme: Programme) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let title = RwSignal::new(String::new());
    let term = RwSignal::new(Term::Short);
    let input: NodeRef<html::Input> = NodeRef::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = new_id(PriorityId::from_parts);
        let text = title.get_untracked();
        let accepted = sync.propose(Mutation::CreatePriority {
            id,
            title: text.clone(),
            horizon: default_horizon(term.get_untracked()),
        });
        if accepted {
            title.set(String::new());
            programme.say(Said::Added(text.trim().to_owned()));
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
