//! The history of the priority: every change of every field with who and
//! when, newest first, in words; an earlier value can be put back with one
//! click. The browser starts from a snapshot and has no log, so the
//! history comes from the server (`GET /api/history/priority/{id}`), asked
//! again whenever a confirmed change of this priority arrives.

use ara_shared::account::AccountErrorCode;
use std::collections::BTreeMap;

use ara_shared::history::HistoryItem;
use ara_shared::priority::{Action, Comment};
use ara_shared::replica::restore_mutation;
use ara_shared::{EntityRef, PriorityId, PriorityStatus, RegionId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::api::{self, ApiFailure};
use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::{Lang, format, t};
use crate::sync::ConnectionState;
use crate::views::{use_lang, use_sync};

use super::use_page;
use crate::views::toolkit::focus_by_id;

/// Items shown at first, and added by "Show older changes".
const PAGE: usize = 25;
/// Values longer than this are shortened, with a way to see all.
const SHORT: usize = 160;

/// The fields a restore can write back (those of `PriorityPatch`).
const RESTORABLE: [&str; 12] = [
    "title",
    "summary",
    "description",
    "status",
    "horizon",
    "ten_points",
    "initiatives",
    "dimensions",
    "goals",
    "lead_region",
    "supporting_regions",
    "open_to_all",
];

#[derive(Clone, Debug, PartialEq)]
pub(super) enum HistoryState {
    Loading,
    /// Not connected: the history comes once the app is online.
    Offline,
    Failed,
    /// The server's log never had this priority.
    Missing,
    /// Newest first.
    Loaded(Vec<HistoryItem>),
}

/// The history of `id`, fetched now and again after every confirmed change
/// of the priority (and after a reconnect).
pub(super) fn use_history(id: PriorityId) -> RwSignal<HistoryState> {
    let sync = use_sync();
    let state = RwSignal::new(HistoryState::Loading);
    let generation = StoredValue::new(0u64);
    let confirmed = Memo::new(move |_| {
        sync.replica
            .with(|r| r.confirmed().priorities.get(&id).cloned())
    });
    Effect::new(move |_| {
        // Read, not only tracked: a memo nobody reads is never computed,
        // and so never hears of the replica's changes.
        confirmed.with(|_| ());
        if sync.connection.get() != ConnectionState::Online {
            if !matches!(state.get_untracked(), HistoryState::Loaded(_)) {
                state.set(HistoryState::Offline);
            }
            return;
        }
        let n = generation.get_value() + 1;
        generation.set_value(n);
        spawn_local(async move {
            let result = api::get::<Vec<HistoryItem>>(&format!("/api/history/priority/{id}")).await;
            // A newer request is under way, or the page is gone.
            if generation.try_get_value() != Some(n) {
                return;
            }
            let next = match result {
                // The log never forgets a priority it has seen: none at all
                // means there never was one with this id.
                Ok(items) if items.is_empty() => HistoryState::Missing,
                // The server lists oldest first; the page shows newest first.
                Ok(mut items) => {
                    items.reverse();
                    HistoryState::Loaded(items)
                }
                Err(failure) if failure.is(AccountErrorCode::NotFound) => HistoryState::Missing,
                Err(ApiFailure::Network) => HistoryState::Offline,
                Err(_) => HistoryState::Failed,
            };
            state.try_set(next);
        });
    });
    state
}

#[component]
pub(super) fn HistorySection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let history = use_history(page.id);
    let shown = RwSignal::new(PAGE);
    let announcement = RwSignal::new(String::new());
    // The current values as JSON, to tell which earlier values differ.
    let current = Memo::new(move |_| {
        page.priority
            .with(|p| p.as_ref().and_then(|p| serde_json::to_value(p).ok()))
    });
    let visible = move || {
        history.with(|h| match h {
            HistoryState::Loaded(items) => items.iter().take(shown.get()).cloned().collect(),
            _ => Vec::new(),
        })
    };
    let more = move || {
        history.with(|h| matches!(h, HistoryState::Loaded(items) if items.len() > shown.get()))
    };
    let message = move || {
        let lang = lang.get();
        history.with(|h| match h {
            HistoryState::Loading => Some(t(lang, PriorityMsg::HistoryLoading)),
            HistoryState::Offline => Some(t(lang, PriorityMsg::HistoryOffline)),
            HistoryState::Failed => Some(t(lang, PriorityMsg::HistoryFailed)),
            HistoryState::Missing => Some(t(lang, PriorityMsg::NoHistory)),
            HistoryState::Loaded(items) if items.is_empty() => {
                Some(t(lang, PriorityMsg::NoHistory))
            }
            HistoryState::Loaded(_) => None,
        })
    };
    view! {
        <section class="detail-section card" id="section-history" aria-labelledby="section-history-heading">
            <h2 id="section-history-heading" tabindex="-1">{move || t(lang.get(), PriorityMsg::History)}</h2>
            <p id="history-status" class="status-message" role="status">{move || announcement.get()}</p>
            {move || message().map(|m| view! { <p class="empty" id="history-message">{m}</p> })}
            <ol class="history-list" id="history-list">
                <For each=visible key=|i| (i.version, i.field.clone()) let:item>
                    <HistoryEntry item=item current=current announcement=announcement/>
                </For>
            </ol>
            <Show when=more>
                <button type="button" id="history-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || t(lang.get(), PriorityMsg::ShowOlder)}
                </button>
            </Show>
        </section>
    }
}

/// A value in words; a long one shortened, with a way to see all of it.
fn value_view(text: String) -> AnyView {
    if text.chars().count() <= SHORT {
        return view! { <span class="value">{text}</span> }.into_any();
    }
    let short = words::shortened(&text, SHORT);
    let lang = use_lang();
    view! {
        <span class="value">{short}</span>
        <details class="full-value">
            <summary>{move || t(lang.get(), PriorityMsg::ShowAll)}</summary>
            <div class="long-text">{text}</div>
        </details>
    }
    .into_any()
}

fn region_names(state: &ara_shared::State, ids: &[RegionId]) -> String {
    ids.iter()
        .map(|id| {
            state
                .regions
                .get(id)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| id.to_string())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What changed in a list field, as "added: …; removed: …; changed: …".
fn list_change(
    lang: Lang,
    state: &ara_shared::State,
    field: &str,
    old: &Value,
    new: &Value,
) -> String {
    let mut parts = Vec::new();
    let mut say = |added: Vec<String>, removed: Vec<String>, changed: Vec<String>| {
        if !added.is_empty() {
            parts.push(words::added_items(lang, &added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(words::removed_items(lang, &removed.join(", ")));
        }
        if !changed.is_empty() {
            parts.push(words::changed_items(lang, &changed.join(", ")));
        }
    };
    match field {
        "endorsements" => {
            let old: Vec<RegionId> = serde_json::from_value(old.clone()).unwrap_or_default();
            let new: Vec<RegionId> = serde_json::from_value(new.clone()).unwrap_or_default();
            let added: Vec<RegionId> = new.iter().filter(|r| !old.contains(r)).copied().collect();
            let removed: Vec<RegionId> = old.iter().filter(|r| !new.contains(r)).copied().collect();
            let name = |ids: Vec<RegionId>| {
                if ids.is_empty() {
                    Vec::new()
                } else {
                    vec![region_names(state, &ids)]
                }
            };
            say(name(added), name(removed), Vec::new());
        }
        "actions" => {
            let old: Vec<Action> = serde_json::from_value(old.clone()).unwrap_or_default();
            let new: Vec<Action> = serde_json::from_value(new.clone()).unwrap_or_default();
            let before: BTreeMap<_, _> = old.iter().map(|a| (a.id, a)).collect();
            let after: BTreeMap<_, _> = new.iter().map(|a| (a.id, a)).collect();
            let text =
                |a: &Action| words::field_value(lang, state, "actions", &serde_json::json!([a]));
            say(
                new.iter()
                    .filter(|a| !before.contains_key(&a.id))
                    .map(text)
                    .collect(),
                old.iter()
                    .filter(|a| !after.contains_key(&a.id))
                    .map(text)
                    .collect(),
                new.iter()
                    .filter(|a| before.get(&a.id).is_some_and(|b| b != a))
                    .map(text)
                    .collect(),
            );
        }
        _ => {
            let old: Vec<Comment> = serde_json::from_value(old.clone()).unwrap_or_default();
            let new: Vec<Comment> = serde_json::from_value(new.clone()).unwrap_or_default();
            let text =
                |c: &Comment| format!("{}: “{}”", c.author_name, words::shortened(&c.text, 80));
            say(
                new.iter()
                    .filter(|c| !old.iter().any(|o| o.id == c.id))
                    .map(text)
                    .collect(),
                old.iter()
                    .filter(|c| !new.iter().any(|n| n.id == c.id))
                    .map(text)
                    .collect(),
                Vec::new(),
            );
        }
    }
    parts.join("; ")
}

/// An instant as the `datetime` of a `<time>`.
fn iso(ms: i64) -> String {
    js_sys::Date::new(&(ms as f64).into())
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

#[component]
fn HistoryEntry(
    item: HistoryItem,
    current: Memo<Option<Value>>,
    announcement: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let HistoryItem {
        version,
        at_ms,
        actor,
        field,
        old,
        new,
    } = item;
    let old_id = format!("history-old-{version}-{field}");

    let change = {
        let field = field.clone();
        let old_id = old_id.clone();
        let old = old.clone();
        move || {
            let lang = lang.get();
            sync.replica.with(|r| {
                let state = r.view();
                match (field.as_str(), &old) {
                    ("*", None) => {
                        let title = new.get("title").and_then(Value::as_str).unwrap_or_default();
                        view! { <p class="history-change">{t(lang, PriorityMsg::Created)}": “"{title.to_owned()}"”"</p> }.into_any()
                    }
                    ("*", Some(_)) => view! { <p class="history-change">{t(lang, PriorityMsg::DeletedIt)}</p> }.into_any(),
                    ("endorsements" | "actions" | "comments", old) => {
                        let summary = list_change(lang, state, &field, old.as_ref().unwrap_or(&Value::Null), &new);
                        view! {
                            <p class="history-change">
                                <span class="history-field">{words::changed_field(lang, &field)}</span>": "
                                {value_view(summary)}
                            </p>
                        }
                        .into_any()
                    }
                    (_, old) => {
                        let before = old
                            .as_ref()
                            .map(|v| words::field_value(lang, state, &field, v))
                            .unwrap_or_else(|| t(lang, PriorityMsg::NoneValue).to_owned());
                        let after = words::field_value(lang, state, &field, &new);
                        view! {
                            <p class="history-change history-field">{words::changed_field(lang, &field)}</p>
                            <dl class="history-values">
                                <dt>{t(lang, PriorityMsg::Before)}</dt>
                                <dd class="history-old" id=old_id.clone()>{value_view(before)}</dd>
                                <dt>{t(lang, PriorityMsg::After)}</dt>
                                <dd class="history-new">{value_view(after)}</dd>
                            </dl>
                        }
                        .into_any()
                    }
                }
            })
        }
    };

    // Putting the earlier value back: for the fields a patch can write, when
    // it differs from today's, the person may, and the rules allow it.
    let restore = old
        .filter(|_| RESTORABLE.contains(&field.as_str()))
        .and_then(|value| {
            let mutation = restore_mutation(&EntityRef::Priority(page.id), &field, &value)?;
            Some((value, mutation))
        });
    let restore_button = restore.map(|(value, mutation)| {
        let field = field.clone();
        let offered = {
            let field = field.clone();
            let value = value.clone();
            let mutation = mutation.clone();
            move || {
                let differs = current.with(|c| {
                    c.as_ref()
                        .and_then(|c| c.get(&field))
                        .is_some_and(|v| *v != value)
                });
                let transition_ok = field != "status"
                    || serde_json::from_value::<PriorityStatus>(value.clone()).is_ok_and(|to| {
                        page.priority
                            .with(|p| p.as_ref().is_some_and(|p| p.status.can_become(to)))
                    });
                differs && transition_ok && sync.allows(&mutation)
            }
        };
        view! {
            <Show when=offered.clone()>
                <button
                    type="button"
                    class="restore-value"
                    aria-describedby=old_id.clone()
                    on:click={
                        let mutation = mutation.clone();
                        let field = field.clone();
                        move |_| {
                            if sync.propose(mutation.clone()) {
                                announcement.set(words::restored(lang.get_untracked(), &field));
                                focus_by_id("section-history-heading".into());
                            }
                        }
                    }
                >
                    {move || t(lang.get(), PriorityMsg::RestoreValue)}
                </button>
            </Show>
        }
    });

    view! {
        <li class="history-item" data-field=field.clone()>
            <p class="history-meta">
                <span class="history-who">{actor.name.clone()}</span>
                " · "
                <time datetime=iso(at_ms)>{move || format::date_time(lang.get(), at_ms, None)}</time>
            </p>
            {change}
            {restore_button}
        </li>
    }
}
