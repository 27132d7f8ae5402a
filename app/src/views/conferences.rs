//! The annual conferences and the chair rotation that follows from them.
//! The secretariat adds, edits and deletes conferences; the host region's
//! editors (or the secretariat) choose the theme from the work programme.

use std::collections::BTreeSet;

use ara_shared::Param;
use ara_shared::conference::Conference;
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{
    ConferenceId, ConferencePatch, Date, Mutation, PriorityId, RegionId, Rejection, RejectionCode,
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::alliance::{self, AllianceMsg, ConferencesMsg};
use crate::i18n::format;
use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::routes::priority_path;
use crate::sync::new_id;
use crate::views::form::{
    CheckboxGroup, Choice, SelectInput, TextInput, priority_choices, region_choices,
};
use crate::views::toolkit::{
    FormProblem, field_of, focus_by_id, parse_date, propose_checked, today_or_first_day,
};
use crate::views::{page_title, tr, use_lang, use_sync};

/// The member regions to host, after a first "choose" entry.
fn host_choices() -> Signal<Vec<Choice>> {
    let members = region_choices(true);
    let choose = tr(ConferencesMsg::ChooseHost);
    Signal::derive(move || {
        std::iter::once(Choice::new("", choose))
            .chain(members.get())
            .collect()
    })
}

#[component]
pub fn ConferencesView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Conferences);
    // Newest first; the next one to come is marked.
    let ids = Memo::new(move |_| {
        sync.replica.with(|r| {
            let mut list: Vec<(u16, ConferenceId)> = r
                .view()
                .conferences
                .values()
                .map(|c| (c.year, c.id))
                .collect();
            list.sort_by(|a, b| b.cmp(a));
            list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let today = today_or_first_day();
    let next = Memo::new(move |_| {
        sync.replica.with(|r| {
            r.view()
                .conferences
                .values()
                .filter(|c| c.end >= today)
                .min_by_key(|c| c.start)
                .map(|c| c.id)
        })
    });
    view! {
        <section class="page conferences" aria-labelledby="conferences-heading">
            <h1 id="conferences-heading">{move || t(lang.get(), Nav::Conferences)}</h1>
            <p class="intro">{move || t(lang.get(), ConferencesMsg::Intro)}</p>
            <NewConference/>
            <h2 id="annual-conferences" tabindex="-1">{move || t(lang.get(), ConferencesMsg::AnnualConferences)}</h2>
            <Show
                when=move || sync.loaded.get() || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="loading">{move || t(lang.get(), AllianceMsg::Loading)}</p> }
            >
                <Show
                    when=move || !ids.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), ConferencesMsg::NoConferences)}</p> }
                >
                    <ol class="conference-list" id="conference-list">
                        <For each=move || ids.get() key=|id| *id let:id>
                            <ConferenceCard id=id is_next=Signal::derive(move || next.get() == Some(id))/>
                        </For>
                    </ol>
                </Show>
            </Show>
            <ChairRotation/>
        </section>
    }
}

/// What is open under a conference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Closed,
    Theme,
    Edit,
    Delete,
}

/// One conference: year, city, host, dates, theme and its priorities.
#[component]
fn ConferenceCard(id: ConferenceId, is_next: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let conference = Memo::new(move |_| {
        sync.replica
            .with(|r| r.view().conferences.get(&id).cloned())
    });
    let panel = RwSignal::new(Panel::Closed);
    let heading = move || {
        conference.with(|c| {
            c.as_ref()
                .map(|c| alliance::conference_heading(c.year, &c.city))
                .unwrap_or_default()
        })
    };
    let host = move || {
        let host = conference.with(|c| c.as_ref().map(|c| c.host));
        sync.replica.with(|r| {
            host.and_then(|h| r.view().regions.get(&h))
                .map(|r| r.name.clone())
                .unwrap_or_default()
        })
    };
    let dates = move || {
        conference.with(|c| {
            c.as_ref()
                .map(|c| {
                    let range = alliance::date_range(lang.get(), c.start, c.end);
                    // Dates no source confirms are never shown as settled.
                    if c.unconfirmed {
                        format!("{range} ({})", t(lang.get(), AllianceMsg::Unconfirmed))
                    } else {
                        range
                    }
                })
                .unwrap_or_default()
        })
    };
    let theme =
        move || conference.with(|c| c.as_ref().map(|c| c.theme.clone()).unwrap_or_default());
    let theme_priorities = Memo::new(move |_| {
        let chosen = conference.with(|c| {
            c.as_ref()
                .map(|c| c.theme_priorities.clone())
                .unwrap_or_default()
        });
        // In programme order, with their titles.
        sync.replica.with(|r| {
            r.view()
                .priorities_in_order()
                .filter(|p| chosen.contains(&p.id))
                .map(|p| (p.id, p.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    let can_theme = Memo::new(move |_| {
        sync.allows(&Mutation::SetConferenceTheme {
            id,
            theme: String::new(),
            priorities: BTreeSet::new(),
        })
    });
    let can_manage = Memo::new(move |_| sync.allows(&Mutation::DeleteConference { id }));
    let open = move |p: Panel, first: String| {
        panel.set(p);
        focus_by_id(first);
    };
    let close_to = move |button: String| {
        panel.set(Panel::Closed);
        focus_by_id(button);
    };
    let heading_id = format!("conference-{id}-heading");
    view! {
        <li class="conference card" class:next=move || is_next.get() data-id=id.to_string()
            data-year=move || conference.with(|c| c.as_ref().map(|c| c.year.to_string()))>
            <article aria-labelledby=heading_id.clone()>
                <h3 id=heading_id.clone()>
                    {heading}
                    {move || is_next.get().then(|| view! {
                        " "<span class="badge next-badge">
                            <span aria-hidden="true">"★ "</span>
                            {move || t(lang.get(), ConferencesMsg::Next)}
                        </span>
                    })}
                </h3>
                <dl class="facts">
                    <div>
                        <dt>{move || t(lang.get(), ConferencesMsg::Host)}</dt>
                        <dd class="host">{host}</dd>
                    </div>
                    <div>
                        <dt>{move || t(lang.get(), ConferencesMsg::Dates)}</dt>
                        <dd class="dates">{dates}</dd>
                    </div>
                    <div>
                        <dt>{move || t(lang.get(), ConferencesMsg::Theme)}</dt>
                        <dd class="theme">
                            {move || {
                                let text = theme();
                                if text.is_empty() {
                                    view! { <span class="empty">{move || t(lang.get(), ConferencesMsg::NoTheme)}</span> }.into_any()
                                } else {
                                    view! { <span class="theme-text">{text}</span> }.into_any()
                                }
                            }}
                        </dd>
                    </div>
                    {move || (!theme_priorities.with(Vec::is_empty)).then(|| view! {
                        <div>
                            <dt>{move || t(lang.get(), ConferencesMsg::ThemePriorities)}</dt>
                            <dd>
                                <ul class="theme-priorities">
                                    {theme_priorities.get().into_iter().map(|(pid, title)| view! {
                                        <li><A href=priority_path(pid)>{title}</A></li>
                                    }).collect_view()}
                                </ul>
                            </dd>
                        </div>
                    })}
                </dl>
                <div class="card-actions">
                    {move || can_theme.get().then(|| view! {
                        <button type="button" class="choose-theme" id=format!("theme-{id}")
                            aria-expanded=move || (panel.get() == Panel::Theme).to_string()
                            on:click=move |_| open(Panel::Theme, format!("theme-text-{id}"))>
                            {move || t(lang.get(), ConferencesMsg::ChooseTheme)}
                            <span class="visually-hidden">": "{heading}</span>
                        </button>
                    })}
                    {move || can_manage.get().then(|| view! {
                        <button type="button" class="edit-conference" id=format!("edit-conference-{id}")
                            aria-expanded=move || (panel.get() == Panel::Edit).to_string()
                            on:click=move |_| open(Panel::Edit, format!("conference-host-{id}"))>
                            {move || t(lang.get(), AllianceMsg::Edit)}
                            <span class="visually-hidden">": "{heading}</span>
                        </button>
                        <button type="button" class="delete-conference" id=format!("delete-conference-{id}")
                            aria-expanded=move || (panel.get() == Panel::Delete).to_string()
                            on:click=move |_| open(Panel::Delete, format!("confirm-delete-conference-{id}"))>
                            {move || t(lang.get(), AllianceMsg::Delete)}
                            <span class="visually-hidden">": "{heading}</span>
                        </button>
                    })}
                </div>
                {move || match panel.get() {
                    Panel::Closed => None,
                    Panel::Theme => Some(view! {
                        <ThemeForm id=id on_close=Callback::new(move |_| close_to(format!("theme-{id}")))/>
                    }.into_any()),
                    Panel::Edit => Some(view! {
                        <EditConference id=id on_close=Callback::new(move |_| close_to(format!("edit-conference-{id}")))/>
                    }.into_any()),
                    Panel::Delete => Some(view! {
                        <div class="confirm-question" role="group" aria-labelledby=format!("delete-question-{id}")
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close_to(format!("delete-conference-{id}")) }>
                            <p id=format!("delete-question-{id}")>{move || t(lang.get(), ConferencesMsg::DeleteConferenceQuestion)}</p>
                            <div class="form-buttons">
                                <button type="button" class="danger" id=format!("confirm-delete-conference-{id}")
                                    on:click=move |_| {
                                        if sync.propose(Mutation::DeleteConference { id }) {
                                            focus_by_id("annual-conferences".into());
                                        }
                                    }>
                                    {move || t(lang.get(), AllianceMsg::ConfirmDelete)}
                                </button>
                                <button type="button" class="cancel" on:click=move |_| close_to(format!("delete-conference-{id}"))>
                                    {move || t(lang.get(), AllianceMsg::Cancel)}
                                </button>
                            </div>
                        </div>
                    }.into_any()),
                }}
            </article>
        </li>
    }
}

/// The host's choice: a theme in words and the priorities it draws on.
#[component]
fn ThemeForm(id: ConferenceId, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let current = sync
        .replica
        .with_untracked(|r| r.view().conferences.get(&id).cloned());
    let theme = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.theme.clone())
            .unwrap_or_default(),
    );
    let chosen = RwSignal::new(
        current
            .as_ref()
            .map(|c| {
                c.theme_priorities
                    .iter()
                    .map(ToString::to_string)
                    .collect::<BTreeSet<String>>()
            })
            .unwrap_or_default(),
    );
    let problem = RwSignal::new(None::<Rejection>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let priorities: BTreeSet<PriorityId> = chosen
            .get_untracked()
            .iter()
            .filter_map(|k: &String| k.parse().ok())
            .collect();
        let mutation = Mutation::SetConferenceTheme {
            id,
            theme: theme.get_untracked(),
            priorities,
        };
        if propose_checked(sync, mutation, problem) {
            on_close.run(());
        }
    };
    view! {
        <form class="theme-form panel-form" novalidate aria-labelledby=format!("theme-form-heading-{id}") on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(()) }>
            <h4 id=format!("theme-form-heading-{id}")>{move || t(lang.get(), ConferencesMsg::ChooseTheme)}</h4>
            <p class="hint">{move || t(lang.get(), ConferencesMsg::ThemeHint)}</p>
            <TextInput id=format!("theme-text-{id}") label=tr(ConferencesMsg::ThemeText) value=theme maxlength=MAX_NAME_CHARS/>
            <div class="priority-picker">
                <CheckboxGroup id=format!("theme-priorities-{id}") legend=tr(ConferencesMsg::ThemeFromProgramme) value=chosen choices=priority_choices()/>
            </div>
            <FormProblem id=format!("theme-problem-{id}") problem=problem/>
            <div class="form-buttons">
                <button type="submit" class="save-theme">{move || t(lang.get(), AllianceMsg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(())>
                    {move || t(lang.get(), AllianceMsg::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// The fields a conference is made of, as typed.
#[derive(Clone, Copy)]
struct ConferenceFields {
    host: RwSignal<String>,
    city: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl ConferenceFields {
    fn new(c: Option<&Conference>) -> Self {
        Self {
            host: field_of(c, |c| c.host.to_string()),
            city: field_of(c, |c| c.city.clone()),
            start: field_of(c, |c| c.start.to_string()),
            end: field_of(c, |c| c.end.to_string()),
        }
    }

    /// Host, start and end, or what is missing or wrong.
    fn parse(&self) -> Result<(RegionId, Date, Date), Rejection> {
        let host =
            self.host.get_untracked().parse().map_err(|_| {
                Rejection::new(RejectionCode::EmptyField).with(Param::Field, "host")
            })?;
        let start = parse_date("start", &self.start.get_untracked())?;
        // One day unless the last day is given.
        let end = match self.end.get_untracked().trim() {
            "" => start,
            text => parse_date("end", text)?,
        };
        Ok((host, start, end))
    }
}

/// Host, city and dates: the part of the form that adding and editing share.
#[component]
fn ConferenceFieldsView(prefix: String, fields: ConferenceFields) -> impl IntoView {
    view! {
        <div class="form-grid">
            <SelectInput id=format!("{prefix}-host") label=tr(ConferencesMsg::Host) value=fields.host choices=host_choices()/>
            <TextInput id=format!("{prefix}-city") label=tr(ConferencesMsg::City) value=fields.city maxlength=MAX_NAME_CHARS required=true/>
            <TextInput id=format!("{prefix}-start") label=tr(ConferencesMsg::Start) value=fields.start kind="date" required=true/>
            <TextInput id=format!("{prefix}-end") label=tr(ConferencesMsg::End) value=fields.end kind="date"/>
        </div>
        <p class="hint">{move || t(use_lang().get(), ConferencesMsg::HostHint)}</p>
    }
}

/// The secretariat adds a conference; the theme is the host's to choose.
#[component]
fn NewConference() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let open = RwSignal::new(false);
    let may_add = Memo::new(move |_| {
        sync.allows(&Mutation::CreateConference {
            conference: Conference {
                id: ConferenceId(Default::default()),
                year: 2000,
                host: RegionId(Default::default()),
                city: String::new(),
                start: today_or_first_day(),
                end: today_or_first_day(),
                theme: String::new(),
                unconfirmed: false,
                theme_priorities: BTreeSet::new(),
            },
        })
    });
    let year = RwSignal::new(String::new());
    let fields = ConferenceFields::new(None);
    let problem = RwSignal::new(None::<Rejection>);
    let start_form = move |_| {
        // The year after the last conference is the likeliest next one.
        let last = sync
            .replica
            .with_untracked(|r| r.view().conferences.values().map(|c| c.year).max());
        let next = last
            .map_or(today_or_first_day().year(), |y| y + 1)
            .max(today_or_first_day().year());
        year.set(next.to_string());
        open.set(true);
        focus_by_id("new-conference-year".into());
    };
    let close = move || {
        open.set(false);
        problem.set(None);
        focus_by_id("new-conference-open".into());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = year
            .get_untracked()
            .trim()
            .parse::<u16>()
            .map_err(|_| {
                Rejection::new(RejectionCode::InvalidValue)
                    .with(Param::Field, "year")
                    .with(Param::Expected, "year")
            })
            .and_then(|y| fields.parse().map(|rest| (y, rest)));
        let (year_value, (host, start, end)) = match parsed {
            Ok(v) => v,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let id = new_id(ConferenceId::from_parts);
        let conference = Conference {
            id,
            year: year_value,
            host,
            city: fields.city.get_untracked(),
            start,
            end,
            theme: String::new(),
            unconfirmed: false,
            theme_priorities: BTreeSet::new(),
        };
        if propose_checked(sync, Mutation::CreateConference { conference }, problem) {
            open.set(false);
            fields.city.set(String::new());
            fields.start.set(String::new());
            fields.end.set(String::new());
            fields.host.set(String::new());
            focus_by_id(format!("conference-{id}-heading"));
        }
    };
    view! {
        <Show when=move || may_add.get()>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" id="new-conference-open" aria-expanded="false" on:click=start_form>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), ConferencesMsg::NewConference)}
                    </button>
                }
            >
                <form id="new-conference-form" class="card panel-form" novalidate aria-labelledby="new-conference-heading"
                    on:submit=submit
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <h2 id="new-conference-heading">{move || t(lang.get(), ConferencesMsg::NewConference)}</h2>
                    <TextInput id="new-conference-year" label=tr(ConferencesMsg::Year) value=year kind="number" required=true/>
                    <ConferenceFieldsView prefix="new-conference".into() fields=fields/>
                    <FormProblem id="new-conference-problem" problem=problem/>
                    <div class="form-buttons">
                        <button type="submit" id="create-conference">{move || t(lang.get(), ConferencesMsg::CreateConference)}</button>
                        <button type="button" class="cancel" on:click=move |_| close()>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
        </Show>
    }
}

/// The secretariat changes a conference's host, city or dates.
#[component]
fn EditConference(id: ConferenceId, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let current = sync
        .replica
        .with_untracked(|r| r.view().conferences.get(&id).cloned());
    let Some(current) = current else {
        return ().into_any();
    };
    let fields = ConferenceFields::new(Some(&current));
    let problem = RwSignal::new(None::<Rejection>);
    let year = current.year;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (host, start, end) = match fields.parse() {
            Ok(v) => v,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let city = fields.city.get_untracked().trim().to_owned();
        // Dates a person enters replace the demo's unconfirmed ones.
        let dates_changed = start != current.start || end != current.end;
        let patch = ConferencePatch {
            unconfirmed: (current.unconfirmed && dates_changed).then_some(false),
            host: (host != current.host).then_some(host),
            city: (city != current.city).then_some(city),
            start: (start != current.start).then_some(start),
            end: (end != current.end).then_some(end),
        };
        if patch == ConferencePatch::default()
            || propose_checked(sync, Mutation::UpdateConference { id, patch }, problem)
        {
            on_close.run(());
        }
    };
    view! {
        <form class="edit-conference-form panel-form" novalidate aria-labelledby=format!("edit-conference-heading-{id}") on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(()) }>
            <h4 id=format!("edit-conference-heading-{id}")>{move || t(lang.get(), ConferencesMsg::EditConference)}" "{year}</h4>
            <p class="hint">{move || t(lang.get(), ConferencesMsg::YearFixed)}</p>
            <ConferenceFieldsView prefix=format!("conference-{id}") fields=fields/>
            <FormProblem id=format!("edit-conference-problem-{id}") problem=problem/>
            <div class="form-buttons">
                <button type="submit" class="save-conference">{move || t(lang.get(), AllianceMsg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(())>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// Who chairs from when until when, as it follows from the conferences,
/// with the rules checked.
#[component]
fn ChairRotation() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let today = today_or_first_day();
    let terms = Memo::new(move |_| {
        sync.replica.with(|r| {
            let state = r.view();
            state
                .chair_rotation()
                .into_iter()
                .map(|term| {
                    let name = state
                        .regions
                        .get(&term.region)
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    (term, name)
                })
                .collect::<Vec<_>>()
        })
    });
    // Rule checks in words: a chair that is no longer a member, and years
    // without a conference (the chair then stays longer than a year).
    let checks = Memo::new(move |_| {
        let lang = lang.get();
        sync.replica.with(|r| {
            let state = r.view();
            let mut notes = Vec::new();
            for term in state.chair_rotation() {
                let still_chairs = term.until.is_none_or(|u| u > today);
                if let Some(region) = state.regions.get(&term.region)
                    && still_chairs
                    && region.membership != ara_shared::region::Membership::Member
                {
                    notes.push(alliance::chair_not_member(
                        lang,
                        &region.name,
                        region.membership,
                    ));
                }
            }
            let mut years: Vec<u16> = state.conferences.values().map(|c| c.year).collect();
            years.sort_unstable();
            for pair in years.windows(2) {
                if pair[1] > pair[0] + 1 {
                    notes.push(alliance::years_without_conference(
                        lang,
                        pair[0] + 1,
                        pair[1] - 1,
                    ));
                }
            }
            notes
        })
    });
    view! {
        <section class="chair-rotation" aria-labelledby="rotation-heading">
            <h2 id="rotation-heading">{move || t(lang.get(), ConferencesMsg::ChairRotation)}</h2>
            <p class="hint">{move || t(lang.get(), ConferencesMsg::ChairRules)}</p>
            <Show
                when=move || !terms.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), ConferencesMsg::NoRotation)}</p> }
            >
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="rotation-heading">
                    <table id="chair-rotation">
                        <thead>
                            <tr>
                                <th scope="col">{move || t(lang.get(), ConferencesMsg::Chair)}</th>
                                <th scope="col">{move || t(lang.get(), ConferencesMsg::From)}</th>
                                <th scope="col">{move || t(lang.get(), ConferencesMsg::Until)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || terms.get().into_iter().map(|(term, name)| {
                                let current = term.from <= today && term.until.is_none_or(|u| today < u);
                                let upcoming = term.from > today;
                                view! {
                                    <tr class="chair-term" class:current=current data-region=term.region.to_string()>
                                        <th scope="row">
                                            <span class="chair-name">{name}</span>
                                            {current.then(|| view! {
                                                " "<span class="badge current-badge">
                                                    <span aria-hidden="true">"● "</span>
                                                    {move || t(lang.get(), ConferencesMsg::CurrentChair)}
                                                </span>
                                            })}
                                            {upcoming.then(|| view! {
                                                " "<span class="badge">{move || t(lang.get(), ConferencesMsg::UpcomingChair)}</span>
                                            })}
                                        </th>
                                        <td>{move || format::date(lang.get(), term.from)}</td>
                                        <td>{move || match term.until {
                                            Some(u) => format::date(lang.get(), u),
                                            None => t(lang.get(), ConferencesMsg::OpenEnded).to_owned(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
            <h3 id="rotation-checks-heading">{move || t(lang.get(), ConferencesMsg::RotationChecks)}</h3>
            {move || {
                let notes = checks.get();
                if notes.is_empty() {
                    view! { <p class="rotation-ok"><span aria-hidden="true">"✓ "</span>{move || t(lang.get(), ConferencesMsg::RotationFine)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="rotation-warnings" aria-labelledby="rotation-checks-heading">
                            {notes.into_iter().map(|n| view! { <li><span aria-hidden="true">"⚠ "</span>{n}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
