//! The ten points of the founding position and the Commission initiatives:
//! what the priorities refer to. Unconfirmed entries say so in words; the
//! secretariat corrects and adds entries, everyone else reads.

use std::collections::BTreeMap;

use ara_shared::Mutation;
use ara_shared::reference::{Initiative, TenPoint};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::admin::{self, AdminMsg};
use crate::i18n::nav::Nav;
use crate::i18n::{Lang, Msg, t};
use crate::views::form::{TextArea, TextInput};
use crate::views::toolkit::{field_of, focus_by_id, refusal};
use crate::views::{page_title, tr, use_lang, use_sync};

/// How many priorities refer to each point and initiative.
#[derive(Clone, Default, PartialEq)]
struct Usage {
    points: BTreeMap<u8, usize>,
    initiatives: BTreeMap<String, usize>,
}

#[component]
pub fn ReferenceView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Reference);
    let can_edit = Memo::new(move |_| {
        sync.allows(&Mutation::SetTenPoint {
            point: TenPoint {
                n: 1,
                title_en: String::new(),
                title_de: String::new(),
                summary_en: String::new(),
                unconfirmed: true,
            },
        })
    });
    let usage = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut usage = Usage::default();
            for p in r.view().priorities.values() {
                for n in &p.ten_points {
                    *usage.points.entry(*n).or_default() += 1;
                }
                for code in &p.initiatives {
                    *usage.initiatives.entry(code.clone()).or_default() += 1;
                }
            }
            usage
        })
    });
    // By year, then code; without a year last.
    let initiatives = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut list: Vec<(u16, String)> = r
                .view()
                .initiatives
                .values()
                .map(|i| (i.year.unwrap_or(u16::MAX), i.code.clone()))
                .collect();
            list.sort();
            list.into_iter().map(|(_, code)| code).collect::<Vec<_>>()
        })
    });
    let adding = RwSignal::new(false);
    let finish_add = Callback::new(move |code: Option<String>| {
        adding.set(false);
        match code {
            Some(code) => focus_by_id(format!("initiative-title-{code}")),
            None => focus_by_id("add-initiative".into()),
        }
    });

    view! {
        <section class="page reference-page" aria-labelledby="reference-heading">
            <h1 id="reference-heading">{move || t(lang.get(), Nav::Reference)}</h1>
            <p class="intro">{move || t(lang.get(), AdminMsg::ReferenceIntro)}</p>
            <Show when=move || can_edit.get()>
                <p class="hint">{move || t(lang.get(), AdminMsg::ReferenceEditNote)}</p>
            </Show>
            <section aria-labelledby="ten-points-heading">
                <h2 id="ten-points-heading">{move || t(lang.get(), AdminMsg::TenPointsHeading)}</h2>
                <ol class="ten-points" id="ten-points">
                    {(1..=10u8)
                        .map(|n| view! { <TenPointItem n=n usage=usage can_edit=can_edit/> })
                        .collect_view()}
                </ol>
            </section>
            <section aria-labelledby="initiatives-heading">
                <h2 id="initiatives-heading">{move || t(lang.get(), AdminMsg::InitiativesHeading)}</h2>
                <Show when=move || can_edit.get() && !adding.get()>
                    <button type="button" id="add-initiative" class="primary" on:click=move |_| {
                        adding.set(true);
                        focus_by_id("initiative-form-new-code".into());
                    }>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), AdminMsg::AddInitiative)}
                    </button>
                </Show>
                <Show when=move || adding.get()>
                    <div class="card">
                        <h3>{move || t(lang.get(), AdminMsg::NewInitiative)}</h3>
                        <InitiativeForm existing=None on_done=finish_add/>
                    </div>
                </Show>
                <Show
                    when=move || !initiatives.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), AdminMsg::NoInitiatives)}</p> }
                >
                    <ul class="initiatives" id="initiatives">
                        <For each=move || initiatives.get() key=|code| code.clone() let:code>
                            <InitiativeItem code=code usage=usage can_edit=can_edit/>
                        </For>
                    </ul>
                </Show>
            </section>
        </section>
    }
}

/// "Unconfirmed — not from a verified source", in words and with a mark
/// that is not colour alone.
#[component]
fn UnconfirmedMark() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="unconfirmed-mark">
            <span class="mark" aria-hidden="true">"?"</span>
            {move || t(lang.get(), AdminMsg::Unconfirmed)}
        </p>
    }
}

/// A point's title in the current language (the English one while no German
/// one is entered), with the language it is written in.
fn point_title(point: &TenPoint, lang: Lang) -> (String, &'static str) {
    if lang == Lang::De && !point.title_de.trim().is_empty() {
        (point.title_de.clone(), "de")
    } else {
        (point.title_en.clone(), "en")
    }
}

#[component]
fn TenPointItem(n: u8, usage: Memo<Usage>, can_edit: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let point = Memo::new(move |_| sync.replica.with(|r| r.view().ten_points.get(&n).cloned()));
    let editing = RwSignal::new(false);
    let count = move || usage.with(|u| u.points.get(&n).copied().unwrap_or(0));
    let edit_id = format!("edit-point-{n}");
    let finish = {
        let edit_id = edit_id.clone();
        Callback::new(move |_: Option<u8>| {
            editing.set(false);
            focus_by_id(edit_id.clone());
        })
    };
    view! {
        <li class="ten-point" id=format!("point-{n}") data-unconfirmed=move || point.with(|p| p.as_ref().is_some_and(|p| p.unconfirmed)).to_string()>
            {move || match point.get() {
                Some(p) => {
                    let unconfirmed = p.unconfirmed;
                    let summary = p.summary_en.clone();
                    view! {
                        <h3 class="point-title">
                            <span class="point-number">{move || admin::point_label(lang.get(), n)}": "</span>
                            {move || {
                                let (title, tag) = point_title(&p, lang.get());
                                view! { <span lang=tag class="point-name">{title}</span> }
                            }}
                        </h3>
                        {unconfirmed.then(|| view! { <UnconfirmedMark/> })}
                        {(!summary.is_empty()).then(|| view! {
                            <p class="point-summary">
                                <span lang="en">{summary.clone()}</span>
                                {move || (lang.get() != Lang::En).then(|| view! {
                                    " " <span class="muted">{t(lang.get(), AdminMsg::InEnglish)}</span>
                                })}
                            </p>
                        })}
                    }
                    .into_any()
                }
                None => view! {
                    <h3 class="point-title">{move || admin::point_label(lang.get(), n)}</h3>
                    <p class="muted">{move || admin::point_missing(lang.get(), n)}</p>
                }
                .into_any(),
            }}
            <p class="usage">
                {move || {
                    let c = count();
                    let text = admin::priorities_for_point(lang.get(), c, n);
                    if c == 0 {
                        view! { <span class="muted">{text}</span> }.into_any()
                    } else {
                        view! { <A href=format!("/programme?point={n}")>{text}</A> }.into_any()
                    }
                }}
            </p>
            <Show when=move || can_edit.get() && !editing.get()>
                <button type="button" class="edit-point" id=edit_id.clone() on:click=move |_| {
                    editing.set(true);
                    focus_by_id(format!("point-form-{n}-title-en"));
                }>
                    {move || if point.with(Option::is_some) { admin::edit_point(lang.get(), n) } else { admin::enter_point(lang.get(), n) }}
                </button>
            </Show>
            <Show when=move || editing.get()>
                <TenPointForm n=n existing=point.get_untracked() on_done=finish/>
            </Show>
        </li>
    }
}

#[component]
fn TenPointForm(n: u8, existing: Option<TenPoint>, on_done: Callback<Option<u8>>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let title_en = field_of(existing.as_ref(), |p| p.title_en.clone());
    let title_de = field_of(existing.as_ref(), |p| p.title_de.clone());
    let summary = field_of(existing.as_ref(), |p| p.summary_en.clone());
    // A new point is unconfirmed until the secretariat says otherwise.
    let unconfirmed = RwSignal::new(existing.as_ref().is_none_or(|p| p.unconfirmed));
    let problem = RwSignal::new(None::<ara_shared::Rejection>);
    let prefix = format!("point-form-{n}");
    let problem_id = format!("{prefix}-problem");
    let submit = {
        let problem_id = problem_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mutation = Mutation::SetTenPoint {
                point: TenPoint {
                    n,
                    title_en: title_en.get_untracked(),
                    title_de: title_de.get_untracked(),
                    summary_en: summary.get_untracked(),
                    unconfirmed: unconfirmed.get_untracked(),
                },
            };
            if let Some(rejection) = refusal(sync, &mutation) {
                problem.set(Some(rejection));
                focus_by_id(problem_id.clone());
                return;
            }
            if sync.propose(mutation) {
                on_done.run(Some(n));
            }
        }
    };
    view! {
        <form
            class="reference-form stacked-form"
            id=prefix.clone()
            novalidate=true
            on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_done.run(None);
                }
            }
        >
            <TextInput id=format!("{prefix}-title-en") label=tr(AdminMsg::TitleEn) value=title_en maxlength=200 required=true/>
            <TextInput id=format!("{prefix}-title-de") label=tr(AdminMsg::TitleDe) value=title_de maxlength=200 required=true/>
            <TextArea id=format!("{prefix}-summary") label=tr(AdminMsg::SummaryEn) value=summary rows=3 maxlength=1000/>
            <UnconfirmedCheckbox id=format!("{prefix}-unconfirmed") value=unconfirmed/>
            <div role="alert" class="form-error">
                {move || problem.get().map(|r| view! { <p id=problem_id.clone() tabindex="-1">{admin::refusal(lang.get(), &r)}</p> })}
            </div>
            <div class="form-actions">
                <button type="submit" class="save-point">{move || t(lang.get(), Msg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_done.run(None)>{move || t(lang.get(), Msg::Cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn UnconfirmedCheckbox(#[prop(into)] id: String, value: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="checkbox">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <label for=id>{move || t(lang.get(), AdminMsg::UnconfirmedCheckbox)}</label>
        </div>
    }
}

#[component]
fn InitiativeItem(code: String, usage: Memo<Usage>, can_edit: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let initiative = {
        let code = code.clone();
        Memo::new(move |_| {
            sync.replica
                .with(|r| r.view().initiatives.get(&code).cloned())
        })
    };
    let editing = RwSignal::new(false);
    let count = {
        let code = code.clone();
        move || usage.with(|u| u.initiatives.get(&code).copied().unwrap_or(0))
    };
    let edit_id = format!("edit-initiative-{code}");
    let finish = {
        let edit_id = edit_id.clone();
        Callback::new(move |_: Option<String>| {
            editing.set(false);
            focus_by_id(edit_id.clone());
        })
    };
    let code_for_usage = code.clone();
    let code_for_button = code.clone();
    view! {
        <li class="initiative" id=format!("initiative-{code}") data-unconfirmed=move || initiative.with(|i| i.as_ref().is_some_and(|i| i.unconfirmed)).to_string()>
            <h3 class="initiative-title" id=format!("initiative-title-{code}") tabindex="-1">
                <span class="code">{code.clone()}</span>" "
                <span lang="en">{move || initiative.with(|i| i.as_ref().map(|i| i.title.clone()).unwrap_or_default())}</span>
            </h3>
            <p class="initiative-meta">
                <span class="year">
                    {move || match initiative.with(|i| i.as_ref().and_then(|i| i.year)) {
                        Some(year) => format!("{}: {year}", t(lang.get(), AdminMsg::Year)),
                        None => t(lang.get(), AdminMsg::YearNotGiven).to_owned(),
                    }}
                </span>
            </p>
            <Show when=move || initiative.with(|i| i.as_ref().is_some_and(|i| i.unconfirmed))>
                <UnconfirmedMark/>
            </Show>
            <p class="usage">
                {move || {
                    let c = count();
                    let text = admin::priorities_for_initiative(lang.get(), c, &code_for_usage);
                    if c == 0 {
                        view! { <span class="muted">{text}</span> }.into_any()
                    } else {
                        view! { <A href=format!("/programme?initiative={code_for_usage}")>{text}</A> }.into_any()
                    }
                }}
            </p>
            <Show when=move || can_edit.get() && !editing.get()>
                <button type="button" class="edit-initiative" id=edit_id.clone() on:click={
                    let code = code_for_button.clone();
                    move |_| {
                        editing.set(true);
                        focus_by_id(format!("initiative-form-{code}-title"));
                    }
                }>
                    {let c = code_for_button.clone(); move || admin::edit_initiative(lang.get(), &c)}
                </button>
            </Show>
            <Show when=move || editing.get()>
                <InitiativeForm existing=initiative.get_untracked() on_done=finish/>
            </Show>
        </li>
    }
}

/// Why an initiative was not saved, in words.
#[derive(Clone, PartialEq)]
enum InitiativeProblem {
    CodeTaken(String),
    InvalidYear,
    Refused(ara_shared::Rejection),
}

/// Adds an initiative (`existing` is `None`; its code is chosen once) or
/// edits one. `on_done` gets the saved code, or `None` when cancelled.
#[component]
fn InitiativeForm(
    existing: Option<Initiative>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let is_new = existing.is_none();
    let prefix = match &existing {
        Some(i) => format!("initiative-form-{}", i.code),
        None => "initiative-form-new".to_owned(),
    };
    let code = field_of(existing.as_ref(), |i| i.code.clone());
    let title = field_of(existing.as_ref(), |i| i.title.clone());
    let year = RwSignal::new(
        existing
            .as_ref()
            .and_then(|i| i.year)
            .map(|y| y.to_string())
            .unwrap_or_default(),
    );
    let unconfirmed = RwSignal::new(existing.as_ref().is_some_and(|i| i.unconfirmed));
    let problem = RwSignal::new(None::<InitiativeProblem>);
    let problem_id = format!("{prefix}-problem");
    let submit = {
        let problem_id = problem_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let fail = |p: InitiativeProblem| {
                problem.set(Some(p));
                focus_by_id(problem_id.clone());
            };
            let code_value = code.get_untracked().trim().to_owned();
            if is_new
                && sync
                    .replica
                    .with_untracked(|r| r.view().initiatives.contains_key(&code_value))
            {
                return fail(InitiativeProblem::CodeTaken(code_value));
            }
            let year_text = year.get_untracked();
            let year_value = match year_text.trim() {
                "" => None,
                y => match y.parse::<u16>() {
                    Ok(y) => Some(y),
                    Err(_) => return fail(InitiativeProblem::InvalidYear),
                },
            };
            let mutation = Mutation::SetInitiative {
                initiative: Initiative {
                    code: code_value.clone(),
                    title: title.get_untracked(),
                    year: year_value,
                    unconfirmed: unconfirmed.get_untracked(),
                },
            };
            if let Some(rejection) = refusal(sync, &mutation) {
                return fail(InitiativeProblem::Refused(rejection));
            }
            if sync.propose(mutation) {
                on_done.run(Some(code_value));
            }
        }
    };
    view! {
        <form
            class="reference-form stacked-form"
            id=prefix.clone()
            novalidate=true
            on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_done.run(None);
                }
            }
        >
            {is_new.then(|| view! {
                <TextInput id=format!("{prefix}-code") label=tr(AdminMsg::Code) value=code maxlength=32 hint=tr(AdminMsg::CodeHint) required=true/>
            })}
            <TextInput id=format!("{prefix}-title") label=tr(AdminMsg::InitiativeTitle) value=title maxlength=200 required=true/>
            <TextInput id=format!("{prefix}-year") label=tr(AdminMsg::Year) value=year kind="number" hint=tr(AdminMsg::YearHint)/>
            <UnconfirmedCheckbox id=format!("{prefix}-unconfirmed") value=unconfirmed/>
            <div role="alert" class="form-error">
                {move || problem.get().map(|p| {
                    let text = match p {
                        InitiativeProblem::CodeTaken(code) => admin::code_taken(lang.get(), &code),
                        InitiativeProblem::InvalidYear => t(lang.get(), AdminMsg::InvalidYear).to_owned(),
                        InitiativeProblem::Refused(r) => admin::refusal(lang.get(), &r),
                    };
                    view! { <p id=problem_id.clone() tabindex="-1">{text}</p> }
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="save-initiative">{move || t(lang.get(), Msg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_done.run(None)>{move || t(lang.get(), Msg::Cancel)}</button>
            </div>
        </form>
    }
}
