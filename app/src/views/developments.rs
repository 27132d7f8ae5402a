//! Developments: what is new (environmental, economic, technical,
//! political), newest first, with the priorities each one affects; filtered
//! by kind in the address; added and edited by everyone who may edit,
//! deleted by the secretariat.

use std::collections::BTreeSet;

use ara_shared::development::{Development, DevelopmentKind};
use ara_shared::{Date, DevelopmentId, Mutation, PriorityId, Rejection};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::i18n::admin::{self, AdminMsg};
use crate::i18n::model::development_kind_name;
use crate::i18n::nav::Nav;
use crate::i18n::{Msg, format, t};
use crate::routes::priority_path;
use crate::sync::new_id;
use crate::views::form::{
    CheckboxGroup, Choice, SelectInput, TextArea, TextInput, priority_choices,
};
use crate::views::toolkit::{field_of, focus_by_id, refusal};
use crate::views::{page_title, tr, use_lang, use_sync};

fn kind_from_key(key: &str) -> Option<DevelopmentKind> {
    DevelopmentKind::ALL.into_iter().find(|k| k.key() == key)
}

/// A development any non-observer could propose: to ask the rules whether
/// this person may add one.
fn sample_development() -> Development {
    Development {
        id: DevelopmentId(Default::default()),
        kind: DevelopmentKind::Political,
        title: String::new(),
        date: Date::new(2025, 1, 1).expect("a valid date"),
        source: String::new(),
        summary: String::new(),
        priorities: BTreeSet::new(),
    }
}

/// The host of a source address, for a short link text.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

#[component]
pub fn DevelopmentsView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Developments);
    let query = use_query_map();
    let navigate = use_navigate();
    let kind = Memo::new(move |_| query.with(|q| q.get("kind").and_then(|k| kind_from_key(&k))));
    // Newest first; the same day by id, so the order is stable.
    let shown = Memo::new(move |_| {
        let kind = kind.get();
        sync.replica.with(|r| {
            let mut list: Vec<(Date, DevelopmentId)> = r
                .view()
                .developments
                .values()
                .filter(|d| kind.is_none_or(|k| d.kind == k))
                .map(|d| (d.date, d.id))
                .collect();
            list.sort_by(|a, b| b.cmp(a));
            list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let total = Memo::new(move |_| sync.replica.with(|r| r.view().developments.len()));
    let can_add = Memo::new(move |_| {
        sync.allows(&Mutation::SetDevelopment {
            development: sample_development(),
        })
    });
    let adding = RwSignal::new(false);

    let filter_value = RwSignal::new(String::new());
    Effect::new(move |_| {
        filter_value.set(kind.get().map(|k| k.key().to_owned()).unwrap_or_default())
    });
    let filter_choices = Signal::derive(move || {
        std::iter::once(Choice::new("", tr(AdminMsg::AllKinds)))
            .chain(DevelopmentKind::ALL.into_iter().map(|k| {
                Choice::new(
                    k.key(),
                    Signal::derive(move || development_kind_name(lang.get(), k).to_owned()),
                )
            }))
            .collect::<Vec<_>>()
    });
    let go = navigate.clone();
    Effect::new(move |previous: Option<String>| {
        let chosen = filter_value.get();
        let current = kind
            .get_untracked()
            .map(|k| k.key().to_owned())
            .unwrap_or_default();
        if previous.is_some() && chosen != current {
            let path = if chosen.is_empty() {
                "/developments".to_owned()
            } else {
                format!("/developments?kind={chosen}")
            };
            go(&path, NavigateOptions::default());
        }
        chosen
    });

    let finish_add = Callback::new(move |added: Option<(DevelopmentId, DevelopmentKind)>| {
        adding.set(false);
        match added {
            Some((id, new_kind)) => {
                // A new development of another kind than the filter shows
                // would be hidden: show all.
                if kind.get_untracked().is_some_and(|k| k != new_kind) {
                    navigate("/developments", NavigateOptions::default());
                }
                focus_by_id(format!("development-title-{id}"));
            }
            None => focus_by_id("add-development".into()),
        }
    });

    view! {
        <section class="page developments-page" aria-labelledby="developments-heading">
            <h1 id="developments-heading">{move || t(lang.get(), Nav::Developments)}</h1>
            <p class="intro">{move || t(lang.get(), AdminMsg::DevelopmentsIntro)}</p>
            <div class="toolbar">
                <SelectInput id="development-kind-filter" label=tr(AdminMsg::ShowKind) value=filter_value choices=filter_choices/>
                <Show when=move || can_add.get() && !adding.get()>
                    <button type="button" id="add-development" class="primary" on:click=move |_| {
                        adding.set(true);
                        focus_by_id("development-form-new-kind".into());
                    }>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), AdminMsg::AddDevelopment)}
                    </button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <div class="card">
                    <h2 id="new-development-heading">{move || t(lang.get(), AdminMsg::NewDevelopment)}</h2>
                    <DevelopmentForm existing=None on_done=finish_add/>
                </div>
            </Show>
            <p class="count" role="status" id="developments-count" tabindex="-1">
                {move || admin::developments_shown(lang.get(), shown.with(Vec::len))}
            </p>
            <Show
                when=move || !shown.with(Vec::is_empty)
                fallback=move || view! {
                    <p class="empty">
                        {move || t(lang.get(), if total.get() == 0 { AdminMsg::NoDevelopments } else { AdminMsg::NoDevelopmentsOfKind })}
                    </p>
                }
            >
                <ol class="development-list" id="development-list">
                    <For each=move || shown.get() key=|id| *id let:id>
                        <DevelopmentItem id=id/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum ItemMode {
    Showing,
    Editing,
    ConfirmingDelete,
}

#[component]
fn DevelopmentItem(id: DevelopmentId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let development = Memo::new(move |_| {
        sync.replica
            .with(|r| r.view().developments.get(&id).cloned())
    });
    let mode = RwSignal::new(ItemMode::Showing);
    let can_edit = Memo::new(move |_| {
        development.with(|d| {
            d.as_ref().is_some_and(|d| {
                sync.allows(&Mutation::SetDevelopment {
                    development: d.clone(),
                })
            })
        })
    });
    let can_delete = Memo::new(move |_| sync.allows(&Mutation::DeleteDevelopment { id }));
    let title =
        move || development.with(|d| d.as_ref().map(|d| d.title.clone()).unwrap_or_default());
    let affected = Memo::new(move |_| {
        let ids =
            development.with(|d| d.as_ref().map(|d| d.priorities.clone()).unwrap_or_default());
        sync.replica.with(|r| {
            let state = r.view();
            // In the programme's order, so lists read the same everywhere.
            state
                .priorities_in_order()
                .filter(|p| ids.contains(&p.id))
                .map(|p| (p.id, p.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    let finish_edit = Callback::new(move |_: Option<(DevelopmentId, DevelopmentKind)>| {
        mode.set(ItemMode::Showing);
        focus_by_id(format!("edit-development-{id}"));
    });
    let delete = move |_| {
        if sync.propose(Mutation::DeleteDevelopment { id }) {
            focus_by_id("developments-count".into());
        } else {
            mode.set(ItemMode::Showing);
        }
    };

    view! {
        <li class="development" id=format!("development-{id}") data-kind=move || development.with(|d| d.as_ref().map(|d| d.kind.key()).unwrap_or_default())>
            <article aria-labelledby=format!("development-title-{id}")>
                <h2 class="development-title" id=format!("development-title-{id}") tabindex="-1">{title}</h2>
                {move || development.get().map(|d| {
                    let kind = d.kind;
                    let date = d.date;
                    let source = d.source.clone();
                    view! {
                        <p class="development-meta">
                            <span class="kind-badge" data-kind=kind.key()>
                                <span class="visually-hidden">{move || t(lang.get(), AdminMsg::Kind)}": "</span>
                                {move || development_kind_name(lang.get(), kind)}
                            </span>
                            <time datetime=date.to_string()>{move || format::date(lang.get(), date)}</time>
                        </p>
                        {(!d.summary.is_empty()).then(|| view! { <p class="development-summary">{d.summary.clone()}</p> })}
                        <p class="development-source">
                            {if source.is_empty() {
                                view! { <span class="muted">{move || t(lang.get(), AdminMsg::NoSource)}</span> }.into_any()
                            } else {
                                let host = host_of(&source).to_owned();
                                view! {
                                    <a href=source.clone() rel="noopener noreferrer" class="source-link">
                                        {move || admin::source_link(lang.get(), &host)}
                                    </a>
                                }.into_any()
                            }}
                        </p>
                    }
                })}
                <div class="affects">
                    <h3>{move || t(lang.get(), AdminMsg::Affects)}</h3>
                    <Show
                        when=move || !affected.with(Vec::is_empty)
                        fallback=move || view! { <p class="muted">{move || t(lang.get(), AdminMsg::AffectsNone)}</p> }
                    >
                        <ul class="affected-priorities">
                            <For each=move || affected.get() key=|p| p.clone() let:p>
                                <li><A href=priority_path(p.0)>{p.1.clone()}</A></li>
                            </For>
                        </ul>
                    </Show>
                </div>
                <Show when=move || mode.get() == ItemMode::Showing && (can_edit.get() || can_delete.get())>
                    <div class="row-actions">
                        <Show when=move || can_edit.get()>
                            <button type="button" class="edit-development" id=format!("edit-development-{id}") on:click=move |_| {
                                mode.set(ItemMode::Editing);
                                focus_by_id(format!("development-form-{id}-kind"));
                            }>
                                {move || t(lang.get(), AdminMsg::Edit)}
                                <span class="visually-hidden">": "{title}</span>
                            </button>
                        </Show>
                        <Show when=move || can_delete.get()>
                            <button type="button" class="delete-development" id=format!("delete-development-{id}") on:click=move |_| {
                                mode.set(ItemMode::ConfirmingDelete);
                                focus_by_id(format!("confirm-delete-{id}"));
                            }>
                                {move || t(lang.get(), AdminMsg::Delete)}
                                <span class="visually-hidden">": "{title}</span>
                            </button>
                        </Show>
                    </div>
                </Show>
                <Show when=move || mode.get() == ItemMode::ConfirmingDelete>
                    <div class="confirm">
                        <p>{move || admin::confirm_delete_development(lang.get(), &title())}</p>
                        <button type="button" class="danger" id=format!("confirm-delete-{id}") on:click=delete>
                            {move || t(lang.get(), AdminMsg::ConfirmDelete)}
                        </button>
                        <button type="button" on:click=move |_| {
                            mode.set(ItemMode::Showing);
                            focus_by_id(format!("delete-development-{id}"));
                        }>
                            {move || t(lang.get(), Msg::Cancel)}
                        </button>
                    </div>
                </Show>
                <Show when=move || mode.get() == ItemMode::Editing>
                    <div class="edit-panel">
                        <h3>{move || t(lang.get(), AdminMsg::EditDevelopment)}</h3>
                        <DevelopmentForm existing=development.get_untracked() on_done=finish_edit/>
                    </div>
                </Show>
            </article>
        </li>
    }
}

/// Why the form was not saved, in words.
#[derive(Clone, PartialEq)]
enum FormProblem {
    DateRequired,
    Refused(Rejection),
}

/// Adds a development (`existing` is `None`) or edits one. `on_done` gets
/// the saved development's id and kind, or `None` when cancelled.
#[component]
fn DevelopmentForm(
    existing: Option<Development>,
    on_done: Callback<Option<(DevelopmentId, DevelopmentKind)>>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let prefix = match &existing {
        Some(d) => format!("development-form-{}", d.id),
        None => "development-form-new".to_owned(),
    };
    let id = existing
        .as_ref()
        .map(|d| d.id)
        .unwrap_or_else(|| new_id(DevelopmentId::from_parts));
    let kind = RwSignal::new(
        existing
            .as_ref()
            .map_or(DevelopmentKind::Political, |d| d.kind)
            .key()
            .to_owned(),
    );
    let title = field_of(existing.as_ref(), |d| d.title.clone());
    let date = field_of(existing.as_ref(), |d| d.date.to_string());
    let source = field_of(existing.as_ref(), |d| d.source.clone());
    let summary = field_of(existing.as_ref(), |d| d.summary.clone());
    let priorities: RwSignal<BTreeSet<String>> = field_of(existing.as_ref(), |d| {
        d.priorities.iter().map(ToString::to_string).collect()
    });
    let find = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<FormProblem>);

    let all_priorities = priority_choices();
    // The filter narrows what is listed; what is checked stays checked.
    let listed = Signal::derive(move || {
        let needle = find.get().to_lowercase();
        // Untracked: ticking a box must not redraw the list under the
        // keyboard's focus; a checked box stays listed until the next search.
        let checked = priorities.get_untracked();
        all_priorities
            .get()
            .into_iter()
            .filter(|c| {
                needle.is_empty()
                    || checked.contains(&c.key)
                    || c.label.get_untracked().to_lowercase().contains(&needle)
            })
            .collect::<Vec<_>>()
    });
    let kind_choices = Signal::derive(move || {
        DevelopmentKind::ALL
            .into_iter()
            .map(|k| {
                Choice::new(
                    k.key(),
                    Signal::derive(move || development_kind_name(lang.get(), k).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = date.get_untracked().trim().parse::<Date>() else {
            problem.set(Some(FormProblem::DateRequired));
            focus_by_id("development-form-problem".into());
            return;
        };
        let chosen_kind =
            kind_from_key(&kind.get_untracked()).unwrap_or(DevelopmentKind::Political);
        let development = Development {
            id,
            kind: chosen_kind,
            title: title.get_untracked(),
            date: day,
            source: source.get_untracked().trim().to_owned(),
            summary: summary.get_untracked(),
            priorities: priorities
                .get_untracked()
                .iter()
                .filter_map(|k| k.parse::<PriorityId>().ok())
                .collect(),
        };
        let mutation = Mutation::SetDevelopment { development };
        if let Some(rejection) = refusal(sync, &mutation) {
            problem.set(Some(FormProblem::Refused(rejection)));
            focus_by_id("development-form-problem".into());
            return;
        }
        if sync.propose(mutation) {
            on_done.run(Some((id, chosen_kind)));
        }
    };
    let cancel = move || on_done.run(None);

    view! {
        <form
            class="development-form stacked-form"
            id=prefix.clone()
            novalidate=true
            on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    cancel();
                }
            }
        >
            <div class="form-row">
                <SelectInput id=format!("{prefix}-kind") label=tr(AdminMsg::Kind) value=kind choices=kind_choices/>
                <TextInput id=format!("{prefix}-date") label=tr(AdminMsg::Date) value=date kind="date" required=true/>
            </div>
            <TextInput id=format!("{prefix}-title") label=tr(AdminMsg::DevelopmentTitle) value=title maxlength=200 required=true/>
            <TextInput id=format!("{prefix}-source") label=tr(AdminMsg::Source) value=source kind="url" maxlength=500 hint=tr(AdminMsg::SourceHint)/>
            <TextArea id=format!("{prefix}-summary") label=tr(AdminMsg::Summary) value=summary rows=3 maxlength=1000/>
            <div class="priority-picker">
                <TextInput id=format!("{prefix}-find") label=tr(AdminMsg::FindPriority) value=find kind="search"/>
                <p class="hint" role="status">{move || admin::selected_count(lang.get(), priorities.with(|p| p.len()))}</p>
                <div class="picker-list">
                    <CheckboxGroup id=format!("{prefix}-priorities") legend=tr(AdminMsg::AffectedPriorities) value=priorities choices=listed/>
                </div>
            </div>
            <div role="alert" class="form-error">
                {move || problem.get().map(|p| {
                    let text = match p {
                        FormProblem::DateRequired => t(lang.get(), AdminMsg::DateRequired).to_owned(),
                        FormProblem::Refused(r) => admin::refusal(lang.get(), &r),
                    };
                    view! { <p id="development-form-problem" tabindex="-1">{text}</p> }
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="save-development">{move || t(lang.get(), Msg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| cancel()>{move || t(lang.get(), Msg::Cancel)}</button>
            </div>
        </form>
    }
}
