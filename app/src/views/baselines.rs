//! Baselines of the work programme: the secretariat adopts the programme as
//! it stands; everyone sees the list and, for a chosen baseline, what has
//! changed since (`/baselines?since={id}`), field by field, old and new
//! value in words. Baselines are records: there is no editing them.

use ara_shared::baseline::{Baseline, BaselineChange};
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{BaselineId, Mutation, Priority, PriorityId, Rejection, State};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::i18n::alliance::{self, AllianceMsg, BaselinesMsg};
use crate::i18n::model::{dimension_name, goal_name};
use crate::i18n::nav::Nav;
use crate::i18n::{Lang, format, status_name, t, term_name};
use crate::routes::priority_path;
use crate::sync::new_id;
use crate::views::form::TextInput;
use crate::views::toolkit::{
    FormProblem, focus_by_id, parse_date, propose_checked, today_or_first_day,
};
use crate::views::{page_title, tr, use_lang, use_sync};

fn baseline_path(id: BaselineId) -> String {
    format!("/baselines?since={id}")
}

/// Names of regions, joined, or "(none)".
fn region_names<'a>(
    lang: Lang,
    state: &State,
    ids: impl IntoIterator<Item = &'a ara_shared::RegionId>,
) -> String {
    let mut names: Vec<String> = ids
        .into_iter()
        .map(|id| {
            state
                .regions
                .get(id)
                .map_or_else(|| id.to_string(), |r| r.name.clone())
        })
        .collect();
    names.sort();
    or_none(lang, names.join(", "))
}

fn or_none(lang: Lang, text: String) -> String {
    if text.trim().is_empty() {
        t(lang, AllianceMsg::Nothing).to_owned()
    } else {
        text
    }
}

/// One field of a priority in words, as a person reads it.
fn field_text(lang: Lang, state: &State, p: &Priority, field: &str) -> String {
    let list = |items: Vec<String>| or_none(lang, items.join(", "));
    match field {
        "title" => p.title.clone(),
        "summary" => or_none(lang, p.summary.clone()),
        "description" => or_none(lang, p.description.clone()),
        "status" => status_name(lang, p.status).to_owned(),
        "horizon" => format!(
            "{}: {} – {}",
            term_name(lang, p.horizon.term),
            format::quarter(lang, p.horizon.start),
            format::quarter(lang, p.horizon.end)
        ),
        "ten_points" => list(p.ten_points.iter().map(ToString::to_string).collect()),
        "initiatives" => list(p.initiatives.iter().cloned().collect()),
        "dimensions" => list(
            p.dimensions
                .iter()
                .map(|d| dimension_name(lang, *d).to_owned())
                .collect(),
        ),
        "goals" => list(
            p.goals
                .iter()
                .map(|g| goal_name(lang, *g).to_owned())
                .collect(),
        ),
        "lead_region" => region_names(lang, state, p.lead_region.iter()),
        "supporting_regions" => region_names(lang, state, &p.supporting_regions),
        "endorsements" => region_names(lang, state, &p.endorsements),
        "actions" => list(
            p.actions
                .iter()
                .map(|a| {
                    if a.done {
                        format!("{} (✓)", a.title)
                    } else {
                        a.title.clone()
                    }
                })
                .collect(),
        ),
        "open_to_all" => t(
            lang,
            if p.open_to_all {
                AllianceMsg::Yes
            } else {
                AllianceMsg::No
            },
        )
        .to_owned(),
        // A field added to the model later: its stored form, still readable.
        other => serde_json::to_value(p)
            .ok()
            .and_then(|v| v.get(other).cloned())
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                v => v.to_string(),
            })
            .unwrap_or_default(),
    }
}

#[component]
pub fn BaselinesView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Baselines);
    let query = use_query_map();
    // Newest first.
    let baselines = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut list: Vec<(ara_shared::Date, BaselineId)> = r
                .view()
                .baselines
                .values()
                .map(|b| (b.adopted_on, b.id))
                .collect();
            list.sort_by(|a, b| b.cmp(a));
            list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    // The chosen baseline, else the newest one.
    let chosen = Memo::new(move |_| match query.with(|q| q.get("since")) {
        Some(text) => text
            .parse::<BaselineId>()
            .ok()
            .filter(|id| baselines.with(|b| b.contains(id)))
            .map(Some)
            .ok_or(()),
        None => Ok(baselines.with(|b| b.first().copied())),
    });
    view! {
        <section class="page baselines" aria-labelledby="baselines-heading">
            <h1 id="baselines-heading">{move || t(lang.get(), Nav::Baselines)}</h1>
            <p class="intro">{move || t(lang.get(), BaselinesMsg::Intro)}</p>
            <AdoptBaseline/>
            <Show
                when=move || sync.loaded.get() || !baselines.with(Vec::is_empty)
                fallback=move || view! { <p class="loading">{move || t(lang.get(), AllianceMsg::Loading)}</p> }
            >
                <h2 id="baseline-list-heading" tabindex="-1">{move || t(lang.get(), BaselinesMsg::List)}</h2>
                <Show
                    when=move || !baselines.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), BaselinesMsg::NoBaselines)}</p> }
                >
                    <div class="table-scroll" role="region" tabindex="0" aria-labelledby="baseline-list-heading">
                        <table id="baseline-list">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::Name)}</th>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::AdoptedOn)}</th>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::Priorities)}</th>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::ChangesColumn)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || baselines.get() key=|id| *id let:id>
                                    <BaselineRow id=id shown=Signal::derive(move || chosen.get() == Ok(Some(id)))/>
                                </For>
                            </tbody>
                        </table>
                    </div>
                </Show>
                {move || match chosen.get() {
                    Ok(Some(id)) => Some(view! { <ChangesSince id=id/> }.into_any()),
                    Ok(None) => None,
                    Err(()) => Some(view! {
                        <p class="empty" id="unknown-baseline">{move || t(lang.get(), BaselinesMsg::UnknownBaseline)}</p>
                    }.into_any()),
                }}
            </Show>
        </section>
    }
}

#[component]
fn BaselineRow(id: BaselineId, shown: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let baseline = Memo::new(move |_| {
        sync.replica.with(|r| {
            r.view()
                .baselines
                .get(&id)
                .map(|b| (b.name.clone(), b.adopted_on, b.priorities.len()))
        })
    });
    let name = move || baseline.with(|b| b.as_ref().map(|b| b.0.clone()).unwrap_or_default());
    view! {
        <tr class="baseline" class:shown=move || shown.get() data-id=id.to_string()>
            <th scope="row">{name}</th>
            <td>{move || baseline.with(|b| b.as_ref().map(|b| format::date(lang.get(), b.1)))}</td>
            <td>{move || baseline.with(|b| b.as_ref().map(|b| alliance::priority_count(lang.get(), b.2)))}</td>
            <td>
                <A href=baseline_path(id) attr:class="show-changes" attr:aria-current=move || shown.get().then_some("true")>
                    {move || t(lang.get(), BaselinesMsg::ShowChanges)}
                    <span class="visually-hidden">" "{name}</span>
                </A>
                {move || shown.get().then(|| view! {
                    " "<span class="badge">{move || t(lang.get(), BaselinesMsg::Shown)}</span>
                })}
            </td>
        </tr>
    }
}

/// What changed since a baseline: added, removed and changed priorities.
#[component]
fn ChangesSince(id: BaselineId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let header = Memo::new(move |_| {
        sync.replica.with(|r| {
            r.view()
                .baselines
                .get(&id)
                .map(|b| (b.name.clone(), b.adopted_on))
        })
    });
    let changes = Memo::new(move |_| {
        sync.replica.with(|r| {
            r.view()
                .baselines
                .get(&id)
                .map(|b| b.diff(r.view()))
                .unwrap_or_default()
        })
    });
    let of_kind = move |kind: &'static str| {
        Memo::new(move |_| {
            changes.with(|list| {
                list.iter()
                    .filter(|c| {
                        matches!(
                            (kind, c),
                            ("added", BaselineChange::Added { .. })
                                | ("removed", BaselineChange::Removed { .. })
                                | ("changed", BaselineChange::Changed { .. })
                        )
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let added = of_kind("added");
    let removed = of_kind("removed");
    let changed = of_kind("changed");
    view! {
        {move || header.get().map(|(name, on)| view! {
            <section class="changes-since" id="changes-since" data-baseline=id.to_string() aria-labelledby="changes-heading">
                <h2 id="changes-heading">{move || alliance::changes_since(lang.get(), &name, on)}</h2>
                <p class="change-count" role="status">{move || alliance::change_count(lang.get(), changes.with(Vec::len))}</p>
                <Show
                    when=move || !changes.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), BaselinesMsg::NoChanges)}</p> }
                >
                    <ChangeGroup kind="added" title=BaselinesMsg::Added changes=added baseline=id/>
                    <ChangeGroup kind="removed" title=BaselinesMsg::Removed changes=removed baseline=id/>
                    <ChangeGroup kind="changed" title=BaselinesMsg::Changed changes=changed baseline=id/>
                </Show>
            </section>
        })}
    }
}

fn change_key(c: &BaselineChange) -> PriorityId {
    match c {
        BaselineChange::Added { id, .. }
        | BaselineChange::Removed { id, .. }
        | BaselineChange::Changed { id, .. } => *id,
    }
}

#[component]
fn ChangeGroup(
    kind: &'static str,
    title: BaselinesMsg,
    changes: Memo<Vec<BaselineChange>>,
    baseline: BaselineId,
) -> impl IntoView {
    let lang = use_lang();
    let heading_id = format!("changes-{kind}-heading");
    view! {
        <Show when=move || !changes.with(Vec::is_empty)>
            <section class="change-group" data-kind=kind aria-labelledby=heading_id.clone()>
                <h3 id=heading_id.clone()>{move || alliance::with_count(t(lang.get(), title), changes.with(Vec::len))}</h3>
                <ul class="changes" id=format!("changes-{kind}")>
                    <For
                        each=move || changes.get()
                        key=|c| (change_key(c), serde_json::to_string(c).unwrap_or_default())
                        let:change
                    >
                        <ChangeItem change=change baseline=baseline/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn ChangeItem(change: BaselineChange, baseline: BaselineId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    match change {
        BaselineChange::Added { id, title } => view! {
            <li class="change" data-id=id.to_string()>
                <span aria-hidden="true">"+ "</span>
                <A href=priority_path(id)>{title}</A>
            </li>
        }
        .into_any(),
        BaselineChange::Removed { id, title } => {
            // Left the programme: dropped or proposed again, or deleted.
            let now = move || {
                sync.replica.with(|r| match r.view().priorities.get(&id) {
                    Some(p) => alliance::now_status(lang.get(), status_name(lang.get(), p.status)),
                    None => t(lang.get(), BaselinesMsg::NoLongerExists).to_owned(),
                })
            };
            let exists = sync
                .replica
                .with_untracked(|r| r.view().priorities.contains_key(&id));
            view! {
                <li class="change" data-id=id.to_string()>
                    <span aria-hidden="true">"− "</span>
                    {if exists {
                        view! { <A href=priority_path(id)>{title}</A> }.into_any()
                    } else {
                        view! { <span>{title}</span> }.into_any()
                    }}
                    " (" {now} ")"
                </li>
            }
            .into_any()
        }
        BaselineChange::Changed { id, title, fields } => {
            let rows = move || {
                let lang = lang.get();
                sync.replica.with(|r| {
                    let state = r.view();
                    let old: Option<&Priority> = state
                        .baselines
                        .get(&baseline)
                        .and_then(|b: &Baseline| b.priorities.iter().find(|p| p.id == id));
                    let new = state.priorities.get(&id);
                    let (Some(old), Some(new)) = (old, new) else {
                        return Vec::new();
                    };
                    fields
                        .iter()
                        .map(|f| {
                            (
                                f.clone(),
                                alliance::priority_field(lang, f),
                                field_text(lang, state, old, f),
                                field_text(lang, state, new, f),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            };
            let table_id = format!("change-{id}");
            let heading_id = format!("{table_id}-heading");
            let label_id = heading_id.clone();
            view! {
                <li class="change changed" data-id=id.to_string()>
                    <h4 id=heading_id><A href=priority_path(id)>{title}</A></h4>
                    <div class="table-scroll" role="region" tabindex="0" aria-labelledby=label_id>
                        <table class="field-changes" id=table_id>
                            <thead>
                                <tr>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::Field)}</th>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::Before)}</th>
                                    <th scope="col">{move || t(lang.get(), BaselinesMsg::Now)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || rows().into_iter().map(|(key, name, old, new)| view! {
                                    <tr data-field=key>
                                        <th scope="row">{name}</th>
                                        <td class="old"><del>{old}</del></td>
                                        <td class="new"><ins>{new}</ins></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </li>
            }
            .into_any()
        }
    }
}

/// The secretariat records the programme as it stands under a name and date.
#[component]
fn AdoptBaseline() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let navigate = leptos_router::hooks::use_navigate();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let may_adopt = Memo::new(move |_| {
        sync.allows(&Mutation::AdoptBaseline {
            id: BaselineId(Default::default()),
            name: String::new(),
            adopted_on: today_or_first_day(),
        })
    });
    let close = move || {
        open.set(false);
        problem.set(None);
        focus_by_id("adopt-open".into());
    };
    let submit = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let adopted_on = match parse_date("date", &date.get_untracked()) {
            Ok(d) => d,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let id = new_id(BaselineId::from_parts);
        let mutation = Mutation::AdoptBaseline {
            id,
            name: name.get_untracked(),
            adopted_on,
        };
        if propose_checked(sync, mutation, problem) {
            open.set(false);
            name.set(String::new());
            navigate(&baseline_path(id), Default::default());
            focus_by_id("changes-heading".into());
        }
    });
    view! {
        <Show when=move || may_adopt.get()>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" id="adopt-open" aria-expanded="false" on:click=move |_| {
                        date.set(today_or_first_day().to_string());
                        open.set(true);
                        focus_by_id("baseline-name".into());
                    }>
                        {move || t(lang.get(), BaselinesMsg::Adopt)}
                    </button>
                }
            >
                <form id="adopt-form" class="card panel-form" novalidate aria-labelledby="adopt-heading" on:submit=move |ev| submit.run(ev)
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <h2 id="adopt-heading">{move || t(lang.get(), BaselinesMsg::Adopt)}</h2>
                    <div class="form-grid">
                        <TextInput id="baseline-name" label=tr(BaselinesMsg::Name) value=name maxlength=MAX_NAME_CHARS hint=tr(BaselinesMsg::NameHint) required=true/>
                        <TextInput id="baseline-date" label=tr(BaselinesMsg::AdoptedOn) value=date kind="date" required=true/>
                    </div>
                    <FormProblem id="adopt-problem" problem=problem/>
                    <div class="form-buttons">
                        <button type="submit" id="adopt-baseline">{move || t(lang.get(), BaselinesMsg::AdoptButton)}</button>
                        <button type="button" class="cancel" on:click=move |_| close()>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
        </Show>
    }
}
