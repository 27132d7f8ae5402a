//! The dashboard: the programme at a glance. Priorities by status and
//! horizon (each figure opens the filtered programme), coverage of the ten
//! points and the transition goals as charts with their figures in words,
//! the next annual conference and meetings, and recent changes by whom.

use std::collections::BTreeMap;

use ara_shared::changes::{RecentChange, RecentChanges};
use ara_shared::{Date, EntityRef, PriorityStatus, Term, TransitionGoal};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::now_ms;
use crate::i18n::dashboard::{self as words, DashboardMsg};
use crate::i18n::format;
use crate::i18n::model::{goal_name, meeting_kind_name};
use crate::i18n::nav::Nav;
use crate::i18n::{Lang, status_name, t, term_name};
use crate::routes::{meeting_path, priority_path};
use crate::views::programme::filters::{Filters, ViewMode};
use crate::views::{page_title, use_lang, use_sync};

/// Recent changes shown.
const CHANGES_SHOWN: usize = 10;
/// Meetings listed under "next meetings".
const MEETINGS_SHOWN: usize = 3;

/// The time now, advancing every minute, for "5 min ago" and what is "next".
fn use_clock() -> RwSignal<i64> {
    let now = RwSignal::new(now_ms());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(now_ms());
        },
        std::time::Duration::from_secs(60),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let lang = use_lang();
    page_title(Nav::Dashboard);
    let now = use_clock();
    view! {
        <section class="dashboard" aria-labelledby="dashboard-heading">
            <h1 id="dashboard-heading">{move || t(lang.get(), Nav::Dashboard)}</h1>
            <p class="intro">{move || t(lang.get(), DashboardMsg::Intro)}</p>
            <div class="dashboard-grid">
                <StatusFigures/>
                <Coverage/>
                <NextConference now=now/>
                <NextMeetings now=now/>
                <RecentChangesPanel now=now/>
            </div>
        </section>
    }
}

/// A link to the programme filtered to `filters`.
fn programme_link(filters: Filters) -> String {
    filters.href(ViewMode::List)
}

/// Priorities counted by status (rows) and term (columns).
#[component]
fn StatusFigures() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let counts = Memo::new(move |_| {
        let mut counts: BTreeMap<(PriorityStatus, Term), usize> = BTreeMap::new();
        sync.replica.with(|r| {
            for p in r.view().priorities.values() {
                *counts.entry((p.status, p.horizon.term)).or_default() += 1;
            }
        });
        counts
    });
    let count = move |status: Option<PriorityStatus>, term: Option<Term>| {
        counts.with(|c| {
            c.iter()
                .filter(|((s, x), _)| {
                    status.is_none_or(|w| w == *s) && term.is_none_or(|w| w == *x)
                })
                .map(|(_, n)| *n)
                .sum::<usize>()
        })
    };
    // One cell: the figure as a link to the programme filtered to it, with
    // what it counts said for screen readers.
    let cell = move |status: Option<PriorityStatus>, term: Option<Term>| {
        let href = programme_link(Filters {
            status,
            term,
            ..Filters::default()
        });
        let context = move || {
            let lang = lang.get();
            let parts: Vec<&str> = [
                status.map(|s| status_name(lang, s)),
                term.map(|x| term_name(lang, x)),
            ]
            .into_iter()
            .flatten()
            .collect();
            if parts.is_empty() {
                format!(" – {}", t(lang, DashboardMsg::Total))
            } else {
                format!(" – {}", parts.join(", "))
            }
        };
        view! {
            <td
                data-status=status.map(|s| s.key())
                data-term=term.map(|x| x.key())
                class:total=term.is_none()
            >
                <a href=href>
                    <span class="figure">{move || format::number(lang.get(), count(status, term) as i64)}</span>
                    <span class="visually-hidden">{context}</span>
                </a>
            </td>
        }
    };
    view! {
        <section class="panel status-figures" id="status-figures" aria-labelledby="status-figures-heading">
            <h2 id="status-figures-heading">{move || t(lang.get(), DashboardMsg::ByStatus)}</h2>
            <table class="figures">
                <caption>{move || t(lang.get(), DashboardMsg::ByStatusCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(lang.get(), DashboardMsg::Status)}</th>
                        {Term::ALL.into_iter().map(|x| view! { <th scope="col">{move || term_name(lang.get(), x)}</th> }).collect_view()}
                        <th scope="col">{move || t(lang.get(), DashboardMsg::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {PriorityStatus::ALL
                        .into_iter()
                        .map(|s| view! {
                            <tr data-status=s.key()>
                                <th scope="row">{move || status_name(lang.get(), s)}</th>
                                {Term::ALL.into_iter().map(|x| cell(Some(s), Some(x))).collect_view()}
                                {cell(Some(s), None)}
                            </tr>
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{move || t(lang.get(), DashboardMsg::Total)}</th>
                        {Term::ALL.into_iter().map(|x| cell(None, Some(x))).collect_view()}
                        {cell(None, None)}
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}

/// One bar of a chart.
#[derive(Clone, Debug, PartialEq)]
struct Bar {
    /// Stable key (point number, goal key) for tests and links.
    key: String,
    label: String,
    value: usize,
    /// The programme filtered to this bar, where the programme has such a filter.
    href: Option<String>,
}

/// Height of one bar's row (label above, bar below) in the chart's units.
const ROW: f64 = 44.0;
const WIDTH: f64 = 400.0;
/// Room right of the longest bar for its figure.
const FIGURE_ROOM: f64 = 56.0;

/// A horizontal bar chart drawn in SVG, its figures written on it, with a
/// text alternative (title and description) and the same figures as a
/// table for those who prefer one.
#[component]
fn BarChart(
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] label_heading: Signal<String>,
    bars: Memo<Vec<Bar>>,
) -> impl IntoView {
    let lang = use_lang();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let height = move || bars.with(|b| b.len() as f64 * ROW);
    let max = move || bars.with(|b| b.iter().map(|b| b.value).max().unwrap_or(0).max(1));
    let description = move || {
        let lang = lang.get();
        bars.with(|b| {
            b.iter()
                .map(|bar| words::bar_text(lang, &bar.label, bar.value))
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    let rows = move || {
        let max = max() as f64;
        bars.get()
            .into_iter()
            .enumerate()
            .map(|(i, bar)| {
                let y = i as f64 * ROW;
                let length = (WIDTH - FIGURE_ROOM) * bar.value as f64 / max;
                view! {
                    <g class="bar" data-key=bar.key.clone() data-value=bar.value>
                        <text x="0" y=y + 16.0 class="bar-label">{bar.label.clone()}</text>
                        <rect x="0" y=y + 22.0 width=length.max(2.0) height="16" rx="2"></rect>
                        <text x=length.max(2.0) + 6.0 y=y + 35.0 class="bar-value">
                            {format::number(lang.get_untracked(), bar.value as i64)}
                        </text>
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="chart" id=id>
            <figcaption>{title}</figcaption>
            <svg
                viewBox=move || format!("0 0 {WIDTH} {}", height())
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {rows}
            </svg>
            <details class="chart-table">
                <summary>{move || t(lang.get(), DashboardMsg::AsTable)}</summary>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{label_heading}</th>
                            <th scope="col">{move || t(lang.get(), DashboardMsg::Priorities)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || bars.get().into_iter().map(|bar| view! {
                            <tr data-key=bar.key>
                                <th scope="row">{bar.label}</th>
                                <td>
                                    {match bar.href {
                                        Some(href) => view! { <a href=href>{bar.value}</a> }.into_any(),
                                        None => view! { <span>{bar.value}</span> }.into_any(),
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// How many priorities that are not dropped serve each ten point and goal.
#[component]
fn Coverage() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let points = Memo::new(move |_| {
        let lang = lang.get();
        sync.replica.with(|r| {
            let state = r.view();
            let active: Vec<_> = state
                .priorities
                .values()
                .filter(|p| p.status != PriorityStatus::Dropped)
                .collect();
            state
                .ten_points
                .values()
                .map(|point| {
                    let title = match lang {
                        Lang::En => &point.title_en,
                        Lang::De => &point.title_de,
                    };
                    let mark = if point.unconfirmed { " *" } else { "" };
                    Bar {
                        key: point.n.to_string(),
                        label: format!("{} · {title}{mark}", point.n),
                        value: active
                            .iter()
                            .filter(|p| p.ten_points.contains(&point.n))
                            .count(),
                        href: Some(programme_link(Filters {
                            point: Some(point.n),
                            ..Filters::default()
                        })),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let goals = Memo::new(move |_| {
        let lang = lang.get();
        sync.replica.with(|r| {
            let active: Vec<_> = r
                .view()
                .priorities
                .values()
                .filter(|p| p.status != PriorityStatus::Dropped)
                .collect();
            TransitionGoal::ALL
                .into_iter()
                .map(|g| Bar {
                    key: g.key().to_owned(),
                    label: goal_name(lang, g).to_owned(),
                    value: active.iter().filter(|p| p.goals.contains(&g)).count(),
                    href: None,
                })
                .collect::<Vec<_>>()
        })
    });
    let any_unconfirmed = Memo::new(move |_| {
        sync.replica
            .with(|r| r.view().ten_points.values().any(|p| p.unconfirmed))
    });
    view! {
        <section class="panel coverage" id="coverage" aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">{move || t(lang.get(), DashboardMsg::Coverage)}</h2>
            <p class="hint">{move || t(lang.get(), DashboardMsg::CoverageIntro)}</p>
            <BarChart
                id="chart-goals"
                title=Signal::derive(move || t(lang.get(), DashboardMsg::Goals).to_owned())
                label_heading=Signal::derive(move || t(lang.get(), DashboardMsg::Goal).to_owned())
                bars=goals
            />
            <BarChart
                id="chart-points"
                title=Signal::derive(move || t(lang.get(), DashboardMsg::TenPoints).to_owned())
                label_heading=Signal::derive(move || t(lang.get(), DashboardMsg::Point).to_owned())
                bars=points
            />
            <Show when=move || any_unconfirmed.get()>
                <p class="hint unconfirmed-note">{move || t(lang.get(), DashboardMsg::UnconfirmedMark)}</p>
            </Show>
        </section>
    }
}

#[component]
fn NextConference(now: RwSignal<i64>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let today = Memo::new(move |_| Date::from_unix_ms(now.get()));
    // The next conference (or the one under way), and the last one held.
    let found = Memo::new(move |_| {
        let today = today.get();
        sync.replica.with(|r| {
            let state = r.view();
            let mut all: Vec<_> = state.conferences.values().collect();
            all.sort_by_key(|c| c.start);
            let next = all
                .iter()
                .find(|c| today.is_none_or(|d| c.end >= d))
                .map(|c| {
                    let host = state
                        .regions
                        .get(&c.host)
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    ((*c).clone(), host)
                });
            let last = all
                .iter()
                .rev()
                .find(|c| today.is_some_and(|d| c.end < d))
                .map(|c| (*c).clone());
            (next, last)
        })
    });
    let body = move || {
        let (next, last) = found.get();
        match next {
            Some((c, host)) => {
                let theme = c.theme.clone();
                view! {
                    <p class="conference-name" id="next-conference">
                        <a href="/conferences">{format!("{} · {}", c.year, c.city)}</a>
                    </p>
                    <dl class="facts">
                        <dt>{move || t(lang.get(), DashboardMsg::When)}</dt>
                        <dd class="dates">{move || conference_dates(lang.get(), &c)}</dd>
                        <dt>{move || t(lang.get(), DashboardMsg::Host)}</dt>
                        <dd>{host}</dd>
                        <dt>{move || t(lang.get(), DashboardMsg::Theme)}</dt>
                        <dd>
                            {if theme.is_empty() {
                                view! { <span class="muted">{move || t(lang.get(), DashboardMsg::NoTheme)}</span> }.into_any()
                            } else {
                                view! { <span>{theme}</span> }.into_any()
                            }}
                        </dd>
                    </dl>
                }
                .into_any()
            }
            None => view! {
                <p id="no-next-conference">{move || t(lang.get(), DashboardMsg::NoConference)}</p>
                {last.map(|c| view! {
                    <p class="muted">{move || words::last_conference(lang.get(), &c.city, &conference_dates(lang.get(), &c))}</p>
                })}
            }
            .into_any(),
        }
    };
    view! {
        <section class="panel next-conference" aria-labelledby="next-conference-heading">
            <h2 id="next-conference-heading">{move || t(lang.get(), DashboardMsg::NextConference)}</h2>
            {body}
            <p class="more"><a href="/conferences">{move || t(lang.get(), DashboardMsg::AllConferences)}</a></p>
        </section>
    }
}

#[component]
fn NextMeetings(now: RwSignal<i64>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let next = Memo::new(move |_| {
        let now = now.get();
        sync.replica.with(|r| {
            let mut coming: Vec<_> = r
                .view()
                .meetings
                .values()
                .filter(|m| m.end_ms >= now)
                .cloned()
                .collect();
            coming.sort_by_key(|m| m.start_ms);
            coming.truncate(MEETINGS_SHOWN);
            coming
        })
    });
    view! {
        <section class="panel next-meetings" aria-labelledby="next-meetings-heading">
            <h2 id="next-meetings-heading">{move || t(lang.get(), DashboardMsg::NextMeetings)}</h2>
            <Show
                when=move || next.with(|m| !m.is_empty())
                fallback=move || view! { <p id="no-next-meetings">{move || t(lang.get(), DashboardMsg::NoMeetings)}</p> }
            >
                <ul class="meetings" id="next-meetings">
                    <For each=move || next.get() key=|m| (m.id, m.start_ms, m.title.clone(), m.time_zone.clone()) let:m>
                        {
                            let zone = m.time_zone.clone();
                            let place = m.place.clone();
                            let online = place.is_empty() && !m.video_link.is_empty();
                            view! {
                                <li data-id=m.id.to_string()>
                                    <a href=meeting_path(m.id) class="meeting-title">{m.title.clone()}</a>
                                    <span class="meeting-when">
                                        {move || format::date_time(lang.get(), m.start_ms, Some(&zone))}
                                        " ("{m.time_zone.clone()}")"
                                    </span>
                                    <span class="meeting-kind">{move || meeting_kind_name(lang.get(), m.kind)}</span>
                                    {(!place.is_empty()).then(|| view! { <span class="meeting-place">{place.clone()}</span> })}
                                    {online.then(|| view! { <span class="meeting-place">{move || t(lang.get(), DashboardMsg::Online)}</span> })}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <p class="more"><a href="/meetings">{move || t(lang.get(), DashboardMsg::AllMeetings)}</a></p>
        </section>
    }
}

/// The page an entity of a change lives on, where there is one.
fn entity_href(change: &RecentChange, exists: bool) -> Option<String> {
    match &change.entity {
        EntityRef::Priority(id) => exists.then(|| priority_path(*id)),
        EntityRef::Meeting(id) => exists.then(|| meeting_path(*id)),
        EntityRef::Conference(_) => Some("/conferences".into()),
        EntityRef::Region(_) => Some("/regions".into()),
        EntityRef::Development(_) => Some("/developments".into()),
        EntityRef::Baseline(_) => Some("/baselines".into()),
        EntityRef::Stakeholder(_) | EntityRef::Link(_) => Some("/network".into()),
        EntityRef::TenPoint(_) | EntityRef::Initiative(_) => Some("/reference".into()),
        EntityRef::Programme => Some("/programme".into()),
    }
}

/// Fetches the recent changes; while one request runs, newer versions only
/// ask for one more after it, so a burst of edits costs two requests.
#[derive(Clone, Copy)]
struct ChangesFeed {
    loaded: RwSignal<Option<Result<RecentChanges, ()>>>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
}

impl ChangesFeed {
    fn refresh(self) {
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        self.in_flight.set_value(true);
        spawn_local(async move {
            loop {
                self.again.set_value(false);
                let path = format!("/api/changes?limit={CHANGES_SHOWN}");
                let result = crate::api::get::<RecentChanges>(&path).await;
                let applied = self.loaded.try_update(|loaded| match result {
                    Ok(fresh) => {
                        let newer = match loaded {
                            Some(Ok(old)) => fresh.version >= old.version,
                            _ => true,
                        };
                        if newer {
                            *loaded = Some(Ok(fresh));
                        }
                    }
                    // Keep what is shown; say so only when there is nothing.
                    Err(_) => {
                        if loaded.is_none() {
                            *loaded = Some(Err(()));
                        }
                    }
                });
                // The view is gone: stop.
                if applied.is_none() || !self.again.get_value() {
                    break;
                }
            }
            self.in_flight.set_value(false);
        });
    }
}

#[component]
fn RecentChangesPanel(now: RwSignal<i64>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let feed = ChangesFeed {
        loaded: RwSignal::new(None),
        in_flight: StoredValue::new(false),
        again: StoredValue::new(false),
    };
    // New entries in the replica mean new changes on the server.
    let version = Memo::new(move |_| sync.replica.with(|r| r.version()));
    // (`get`, not `track`: a memo that is only tracked is never computed,
    // so it would never report a change.)
    Effect::new(move |_| {
        let _ = version.get();
        feed.refresh();
    });
    let list = move || {
        match feed.loaded.get() {
        None => view! { <p class="loading">{move || t(lang.get(), crate::i18n::Msg::Loading)}</p> }.into_any(),
        Some(Err(())) => view! { <p id="changes-unavailable">{move || t(lang.get(), DashboardMsg::ChangesUnavailable)}</p> }.into_any(),
        Some(Ok(changes)) if changes.changes.is_empty() => {
            view! { <p id="no-changes">{move || t(lang.get(), DashboardMsg::NoChanges)}</p> }.into_any()
        }
        Some(Ok(changes)) => view! {
            <ol class="changes" id="recent-changes">
                {changes.changes.into_iter().map(|c| view! { <ChangeItem change=c now=now/> }).collect_view()}
            </ol>
        }
        .into_any(),
    }
    };
    view! {
        <section class="panel recent-changes" aria-labelledby="recent-changes-heading">
            <h2 id="recent-changes-heading">{move || t(lang.get(), DashboardMsg::RecentChanges)}</h2>
            {list}
        </section>
    }
}

#[component]
fn ChangeItem(change: RecentChange, now: RwSignal<i64>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    // This browser's own copy names the entity as it is now, and the ten
    // points in the person's language; the server's title covers the rest.
    let local = {
        let entity = change.entity.clone();
        Memo::new(move |_| {
            let lang = lang.get();
            sync.replica.with(|r| {
                let state = r.view();
                match &entity {
                    EntityRef::Priority(id) => state
                        .priorities
                        .get(id)
                        .map(|p| (Some(p.title.clone()), true)),
                    EntityRef::Meeting(id) => state
                        .meetings
                        .get(id)
                        .map(|m| (Some(m.title.clone()), true)),
                    EntityRef::TenPoint(n) => state.ten_points.get(n).map(|p| {
                        let title = match lang {
                            Lang::En => p.title_en.clone(),
                            Lang::De => p.title_de.clone(),
                        };
                        (Some(title), true)
                    }),
                    _ => None,
                }
            })
        })
    };
    let at_ms = change.at_ms;
    let when_full = move || format::date_time(lang.get(), at_ms, None);
    let iso = js_sys::Date::new(&(at_ms as f64).into())
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let change_for_words = change.clone();
    let sentence = move || {
        let (title, exists) = local
            .get()
            .unwrap_or((change_for_words.title.clone(), false));
        let words = words::change_sentence(lang.get(), &change_for_words, title.as_deref());
        let href = entity_href(&change_for_words, exists);
        view! {
            {words.before}
            {words.title.map(|title| match href {
                Some(href) => view! { <a href=href>{title}</a> }.into_any(),
                None => view! { <span>{title}</span> }.into_any(),
            })}
            {words.after}
        }
    };
    view! {
        <li data-version=change.version.0 data-kind=change.kind.clone()>
            <span class="sentence">{sentence}</span>
            <span class="when">
                " · "
                <time datetime=iso title=when_full>{move || words::ago(lang.get(), now.get(), at_ms)}</time>
            </span>
        </li>
    }
}

/// A conference's days, marked when no source confirms them.
fn conference_dates(lang: Lang, c: &ara_shared::conference::Conference) -> String {
    let range = words::date_range(lang, c.start, c.end);
    if c.unconfirmed {
        let mark = t(lang, crate::i18n::alliance::AllianceMsg::Unconfirmed);
        format!("{range} ({mark})")
    } else {
        range
    }
}
