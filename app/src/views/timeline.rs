//! The timeline: every priority of the work programme as a bar on the
//! quarters it spans, in programme order, with its milestones, a line for
//! today, zoom, and filters by term and status. The zoom and the filters
//! live in the address, so that a view can be bookmarked and back and
//! forward restore it. A table below says the same in words.

mod chart;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use ara_shared::{ActionId, Date, PriorityId, PriorityStatus, Quarter, Term};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::query_signal_with_options;

use crate::i18n::format::{date_short, quarter};
use crate::i18n::nav::Nav;
use crate::i18n::visual::TimelineMsg;
use crate::i18n::{status_name, t, term_name};
use crate::routes::priority_path;
use crate::views::{page_title, use_lang, use_sync};

use self::chart::TimelineChart;

/// The widths one quarter can have, in pixels, from far out to close in.
const ZOOM_LEVELS: [u32; 8] = [16, 24, 36, 54, 80, 120, 180, 260];
/// Space left and right of the quarters.
const PAD: f64 = 8.0;
/// The axis: years above, quarters below.
const AXIS_HEIGHT: f64 = 44.0;
/// One priority: its title, then its bar.
const ROW_HEIGHT: f64 = 44.0;
/// Below the rows: room for the label of the today line.
const FOOTER_HEIGHT: f64 = 22.0;
/// An estimate of one character's width at the label's size, to keep a
/// title inside the chart (SVG text does not wrap).
const CHAR_WIDTH: f64 = 7.2;

/// The quarter with `index` (see [`Quarter::index`]).
fn quarter_at(index: u32) -> Option<Quarter> {
    Quarter::new(u16::try_from(index / 4).ok()?, (index % 4) as u8 + 1).ok()
}

/// How far into its quarter a day is, from 0 (its first day) to below 1.
fn fraction_of_quarter(day: Date) -> f64 {
    let q = day.quarter();
    let first = Date::new(q.year(), (q.q() - 1) * 3 + 1, 1);
    let next = if q.q() == 4 {
        Date::new(q.year() + 1, 1, 1)
    } else {
        Date::new(q.year(), q.q() * 3 + 1, 1)
    };
    let start = first.map(Date::days_since_epoch).unwrap_or_default();
    // The last quarter of 2100 has no next one in range; it has 92 days.
    let length = next.map_or(92, |n| n.days_since_epoch() - start).max(1);
    (day.days_since_epoch() - start) as f64 / length as f64
}

/// Rounds a coordinate to a tenth of a pixel, for short attributes.
fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// An SVG `<title>` (a tooltip, and a name for assistive technology). Built
/// directly: among several children, `view!` would make it an HTML title.
pub(crate) fn svg_title(
    id: Option<&'static str>,
    text: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    leptos::svg::title().attr("id", id).child(text)
}

/// Where the quarters are drawn: the first quarter shown, how many, and the
/// width of one.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scale {
    first: u32,
    count: u32,
    quarter_px: f64,
}

impl Scale {
    fn x_of_quarter(&self, index: u32) -> f64 {
        PAD + (f64::from(index) - f64::from(self.first)) * self.quarter_px
    }

    fn x_of_date(&self, day: Date) -> f64 {
        self.x_of_quarter(day.quarter().index()) + fraction_of_quarter(day) * self.quarter_px
    }

    fn width(&self) -> f64 {
        2.0 * PAD + f64::from(self.count) * self.quarter_px
    }

    fn quarters(&self) -> impl Iterator<Item = Quarter> + use<> {
        (self.first..self.first + self.count).filter_map(quarter_at)
    }
}

/// The quarter width that shows all `count` quarters in `available` pixels.
fn fit_width(available: f64, count: u32) -> f64 {
    let first = f64::from(ZOOM_LEVELS[0]);
    let last = f64::from(ZOOM_LEVELS[ZOOM_LEVELS.len() - 1]);
    ((available - 2.0 * PAD) / f64::from(count.max(1))).clamp(first, last)
}

/// The next zoom level closer in than `current`.
fn zoom_in(current: f64) -> u32 {
    ZOOM_LEVELS
        .into_iter()
        .find(|l| f64::from(*l) > current + 0.5)
        .unwrap_or(ZOOM_LEVELS[ZOOM_LEVELS.len() - 1])
}

/// The next zoom level farther out than `current`.
fn zoom_out(current: f64) -> u32 {
    ZOOM_LEVELS
        .into_iter()
        .rev()
        .find(|l| f64::from(*l) < current - 0.5)
        .unwrap_or(ZOOM_LEVELS[0])
}

/// The zoom level nearest to a width from the address (which anyone can edit).
fn nearest_level(width: u32) -> u32 {
    ZOOM_LEVELS
        .into_iter()
        .min_by_key(|l| l.abs_diff(width))
        .unwrap_or(ZOOM_LEVELS[0])
}

/// A milestone of a priority: an action with a due date.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Milestone {
    id: ActionId,
    title: String,
    due: Date,
    done: bool,
}

/// One priority as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Row {
    id: PriorityId,
    /// Its place in the whole programme, from 1.
    number: usize,
    title: String,
    term: Term,
    status: PriorityStatus,
    start: Quarter,
    end: Quarter,
    milestones: Vec<Milestone>,
}

/// The quarters from the earliest to the latest thing shown: starts, ends,
/// milestones and today.
fn span(rows: &[Row], today: Date) -> (u32, u32) {
    let today = today.quarter().index();
    rows.iter()
        .flat_map(|r| {
            [r.start.index(), r.end.index()]
                .into_iter()
                .chain(r.milestones.iter().map(|m| m.due.quarter().index()))
        })
        .fold((today, today), |(lo, hi), q| (lo.min(q), hi.max(q)))
}

/// Which statuses to show: all unless the address says otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Statuses(BTreeSet<PriorityStatus>);

impl FromStr for Statuses {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(
            s.split(',').filter_map(PriorityStatus::from_key).collect(),
        ))
    }
}

impl fmt::Display for Statuses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.0.iter().map(|s| s.key()).collect();
        f.write_str(&keys.join(","))
    }
}

/// Which terms to show, as the address says it (`short`, `medium`, or both
/// when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TermFilter(Term);

impl FromStr for TermFilter {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Term::ALL
            .into_iter()
            .find(|t| t.key() == s)
            .map(TermFilter)
            .ok_or(())
    }
}

impl fmt::Display for TermFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.key())
    }
}

/// Today by the browser's clock and calendar; 1 January of the nearest
/// year the timeline can draw when the clock is outside them.
fn today() -> Date {
    crate::browser::today().unwrap_or_else(|| {
        let year = crate::browser::this_year().unwrap_or(Quarter::MIN_YEAR);
        Date::new(year.clamp(Quarter::MIN_YEAR, Quarter::MAX_YEAR), 1, 1)
            .expect("1 January of a year in range is a date")
    })
}

/// Navigation that keeps the scroll position: a filter or zoom change is
/// not a new page.
fn stay() -> NavigateOptions {
    NavigateOptions {
        scroll: false,
        ..NavigateOptions::default()
    }
}

#[component]
pub fn Timeline() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Timeline);
    let (zoom, set_zoom) = query_signal_with_options::<u32>("zoom", stay());
    let (term, set_term) = query_signal_with_options::<TermFilter>("term", stay());
    let (statuses, set_statuses) = query_signal_with_options::<Statuses>("status", stay());
    let today = today();

    let all_count = Memo::new(move |_| sync.replica.with(|r| r.view().priorities.len()));
    let rows = Memo::new(move |_| {
        let term = term.get().map(|t| t.0);
        let statuses = statuses.get();
        sync.replica.with(|r| {
            r.view()
                .priorities_in_order()
                .enumerate()
                .filter(|(_, p)| term.is_none_or(|t| p.horizon.term == t))
                .filter(|(_, p)| statuses.as_ref().is_none_or(|s| s.0.contains(&p.status)))
                .map(|(i, p)| Row {
                    id: p.id,
                    number: i + 1,
                    title: p.title.clone(),
                    term: p.horizon.term,
                    status: p.status,
                    start: p.horizon.start,
                    end: p.horizon.end,
                    milestones: p
                        .actions
                        .iter()
                        .filter_map(|a| {
                            a.due.map(|due| Milestone {
                                id: a.id,
                                title: a.title.clone(),
                                due,
                                done: a.done,
                            })
                        })
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
    });

    // The width of the chart's box, for "fit" (measured in the browser).
    let chart_box: NodeRef<html::Div> = NodeRef::new();
    let box_width = RwSignal::new(0.0f64);
    let measure = move || {
        if let Some(el) = chart_box.get_untracked() {
            box_width.set(f64::from(el.client_width()));
        }
    };
    Effect::new(move |_| {
        if chart_box.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let scale = Memo::new(move |_| {
        let (first, last) = rows.with(|r| span(r, today));
        let count = last - first + 1;
        let quarter_px = match zoom.get() {
            Some(width) => f64::from(nearest_level(width)),
            None => {
                let available = box_width.get();
                fit_width(if available > 0.0 { available } else { 900.0 }, count)
            }
        };
        Scale {
            first,
            count,
            quarter_px,
        }
    });

    // Zooming keeps the middle of what was in view in the middle.
    let centre = StoredValue::new(None::<f64>);
    let set_zoom_kept = move |next: Option<u32>| {
        if let Some(el) = chart_box.get_untracked() {
            let (left, seen, all) = (
                f64::from(el.scroll_left()),
                f64::from(el.client_width()),
                f64::from(el.scroll_width()),
            );
            centre.set_value(Some((left + seen / 2.0) / all.max(1.0)));
        }
        set_zoom.set(next);
    };
    Effect::new(move |_| {
        let width = scale.get().width();
        if let (Some(fraction), Some(el)) = (centre.get_value(), chart_box.get_untracked()) {
            centre.set_value(None);
            request_animation_frame(move || {
                let seen = f64::from(el.client_width());
                el.set_scroll_left((fraction * width - seen / 2.0).max(0.0) as i32);
            });
        }
    });
    let zoom_in_now = move || set_zoom_kept(Some(zoom_in(scale.get_untracked().quarter_px)));
    let zoom_out_now = move || set_zoom_kept(Some(zoom_out(scale.get_untracked().quarter_px)));
    let fit_now = move || set_zoom_kept(None);
    let on_key = move |ev: ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "+" | "=" => zoom_in_now(),
            "-" | "_" => zoom_out_now(),
            "0" => fit_now(),
            _ => return,
        }
        ev.prevent_default();
    };

    let status_shown =
        move |s: PriorityStatus| statuses.with(|f| f.as_ref().is_none_or(|f| f.0.contains(&s)));
    let toggle_status = move |s: PriorityStatus, on: bool| {
        let mut shown: BTreeSet<PriorityStatus> = statuses
            .get_untracked()
            .map_or_else(|| PriorityStatus::ALL.into_iter().collect(), |f| f.0);
        if on {
            shown.insert(s);
        } else {
            shown.remove(&s);
        }
        let all = shown.len() == PriorityStatus::ALL.len();
        set_statuses.set((!all).then_some(Statuses(shown)));
    };

    let ready = move || sync.loaded.get() || all_count.get() > 0;
    let farthest = move || scale.get().quarter_px <= f64::from(ZOOM_LEVELS[0]);
    let closest = move || scale.get().quarter_px >= f64::from(ZOOM_LEVELS[ZOOM_LEVELS.len() - 1]);
    view! {
        <section class="page timeline" aria-labelledby="timeline-heading">
            <h1 id="timeline-heading">{move || t(lang.get(), Nav::Timeline)}</h1>
            <p class="intro">{move || t(lang.get(), TimelineMsg::Intro)}</p>
            <div class="tl-controls">
                <fieldset class="tl-terms">
                    <legend>{move || t(lang.get(), TimelineMsg::Term)}</legend>
                    <TermChoice id="tl-term-both" value=None term=term set_term=set_term/>
                    <TermChoice id="tl-term-short" value=Some(Term::Short) term=term set_term=set_term/>
                    <TermChoice id="tl-term-medium" value=Some(Term::Medium) term=term set_term=set_term/>
                </fieldset>
                <fieldset class="tl-statuses">
                    <legend>{move || t(lang.get(), TimelineMsg::Status)}</legend>
                    {PriorityStatus::ALL
                        .into_iter()
                        .map(|s| {
                            let id = format!("tl-status-{}", s.key());
                            view! {
                                <div class="checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        prop:checked=move || status_shown(s)
                                        on:change=move |ev| toggle_status(s, event_target_checked(&ev))
                                    />
                                    <label for=id>{move || status_name(lang.get(), s)}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="tl-zoom" role="group" aria-labelledby="tl-zoom-label" aria-describedby="tl-zoom-keys">
                    <span id="tl-zoom-label" class="tl-zoom-label">{move || t(lang.get(), TimelineMsg::Zoom)}</span>
                    <button type="button" id="tl-zoom-out" on:click=move |_| zoom_out_now() disabled=farthest>
                        <span aria-hidden="true">"− "</span>{move || t(lang.get(), TimelineMsg::ZoomOut)}
                    </button>
                    <button type="button" id="tl-zoom-in" on:click=move |_| zoom_in_now() disabled=closest>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), TimelineMsg::ZoomIn)}
                    </button>
                    <button type="button" id="tl-fit" on:click=move |_| fit_now()
                        aria-pressed=move || zoom.get().is_none().to_string()>
                        {move || t(lang.get(), TimelineMsg::Fit)}
                    </button>
                    <p id="tl-zoom-keys" class="hint">{move || t(lang.get(), TimelineMsg::ZoomKeys)}</p>
                </div>
            </div>
            <TimelineLegend/>
            <Show
                when=ready
                fallback=move || view! { <p class="loading">{move || t(lang.get(), crate::i18n::Msg::Loading)}</p> }
            >
                {move || {
                    let message = if all_count.get() == 0 {
                        TimelineMsg::NoPriorities
                    } else if rows.with(Vec::is_empty) {
                        TimelineMsg::NothingMatches
                    } else {
                        return None;
                    };
                    Some(view! { <p class="empty" role="status">{move || t(lang.get(), message)}</p> })
                }}
            </Show>
            <div
                class="tl-scroll"
                id="tl-scroll"
                node_ref=chart_box
                tabindex="0"
                role="group"
                aria-labelledby="tl-title"
                aria-describedby="tl-zoom-keys"
                on:keydown=on_key
            >
                <TimelineChart rows=rows scale=scale today=today/>
            </div>
            <details class="tl-table-box">
                <summary>{move || t(lang.get(), TimelineMsg::AsTable)}</summary>
                <TimelineTable rows=rows/>
            </details>
        </section>
    }
}

/// One choice of the term filter (a radio button).
#[component]
fn TermChoice(
    id: &'static str,
    value: Option<Term>,
    term: Memo<Option<TermFilter>>,
    set_term: SignalSetter<Option<TermFilter>>,
) -> impl IntoView {
    let lang = use_lang();
    let label = move || match value {
        Some(t) => term_name(lang.get(), t),
        None => t(lang.get(), TimelineMsg::BothTerms),
    };
    view! {
        <div class="radio">
            <input
                type="radio"
                name="tl-term"
                id=id
                prop:checked=move || term.get().map(|t| t.0) == value
                on:change=move |_| set_term.set(value.map(TermFilter))
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// What the shapes and patterns mean, in words.
#[component]
fn TimelineLegend() -> impl IntoView {
    let lang = use_lang();
    let item = move |swatch: AnyView, msg: TimelineMsg| {
        view! {
            <li>
                <svg class="tl-swatch" width="28" height="16" viewBox="0 0 28 16" aria-hidden="true" focusable="false">
                    {swatch}
                </svg>
                {move || t(lang.get(), msg)}
            </li>
        }
    };
    view! {
        <div class="tl-legend">
            <h2 class="visually-hidden">{move || t(lang.get(), TimelineMsg::Legend)}</h2>
            <ul>
                {item(view! { <rect x="1" y="2" width="26" height="12" class="tl-bar-short"/> }.into_any(), TimelineMsg::LegendShort)}
                {item(view! { <rect x="1" y="2" width="26" height="12" class="tl-bar-medium"/> }.into_any(), TimelineMsg::LegendMedium)}
                {item(view! { <circle cx="14" cy="8" r="5" class="tl-open"/> }.into_any(), TimelineMsg::LegendOpen)}
                {item(view! { <polygon points="14,1 21,8 14,15 7,8" class="tl-done"/> }.into_any(), TimelineMsg::LegendDone)}
                {item(view! { <line x1="14" y1="0" x2="14" y2="16" class="tl-today-line"/> }.into_any(), TimelineMsg::LegendToday)}
            </ul>
        </div>
    }
}

/// The timeline in words: one row per priority with its quarters and
/// milestones.
#[component]
fn TimelineTable(rows: Memo<Vec<Row>>) -> impl IntoView {
    let lang = use_lang();
    let header =
        move |msg: TimelineMsg| view! { <th scope="col">{move || t(lang.get(), msg)}</th> };
    view! {
        <div class="table-scroll" tabindex="0" role="group" aria-labelledby="tl-table-caption">
            <table class="tl-table" id="tl-table">
                <caption id="tl-table-caption">{move || t(lang.get(), TimelineMsg::ChartTitle)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        {header(TimelineMsg::Priority)}
                        {header(TimelineMsg::Term)}
                        {header(TimelineMsg::Status)}
                        {header(TimelineMsg::Start)}
                        {header(TimelineMsg::End)}
                        {header(TimelineMsg::Milestones)}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.clone() let:row>
                        <TableRow row=row/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TableRow(row: Row) -> impl IntoView {
    let lang = use_lang();
    let milestones = row.milestones.clone();
    let milestones = move || {
        let lang = lang.get();
        if milestones.is_empty() {
            return view! { <span>{t(lang, TimelineMsg::NoMilestones)}</span> }.into_any();
        }
        view! {
            <ul class="tl-table-milestones">
                {milestones
                    .iter()
                    .map(|m| {
                        let state = if m.done { TimelineMsg::Done } else { TimelineMsg::Open };
                        let shape = if m.done { "◆ " } else { "○ " };
                        view! {
                            <li>
                                <span aria-hidden="true">{shape}</span>
                                {format!("{} – {} ({})", date_short(lang, m.due), m.title, t(lang, state))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let (term, status, start, end) = (row.term, row.status, row.start, row.end);
    view! {
        <tr data-id=row.id.to_string()>
            <td>{row.number}</td>
            <th scope="row"><A href=priority_path(row.id)>{row.title.clone()}</A></th>
            <td>{move || term_name(lang.get(), term)}</td>
            <td>{move || status_name(lang.get(), status)}</td>
            <td>{move || quarter(lang.get(), start)}</td>
            <td>{move || quarter(lang.get(), end)}</td>
            <td>{milestones}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(year: u16, q: u8) -> Quarter {
        Quarter::new(year, q).expect("valid quarter")
    }

    fn d(s: &str) -> Date {
        s.parse().expect("valid date")
    }

    fn row(start: Quarter, end: Quarter, due: &[&str]) -> Row {
        Row {
            id: PriorityId::from_parts(0, [0; 10]),
            number: 1,
            title: "A".into(),
            term: Term::Short,
            status: PriorityStatus::Adopted,
            start,
            end,
            milestones: due
                .iter()
                .map(|day| Milestone {
                    id: ActionId::from_parts(0, [0; 10]),
                    title: "M".into(),
                    due: d(day),
                    done: false,
                })
                .collect(),
        }
    }

    #[test]
    fn the_span_covers_bars_milestones_and_today() {
        let rows = [
            row(q(2025, 1), q(2026, 4), &[]),
            row(q(2025, 3), q(2028, 4), &["2029-02-01"]),
        ];
        let (first, last) = span(&rows, d("2024-05-05"));
        assert_eq!(quarter_at(first), Some(q(2024, 2)));
        assert_eq!(quarter_at(last), Some(q(2029, 1)));
        let (first, last) = span(&[], d("2026-12-31"));
        assert_eq!((first, last), (q(2026, 4).index(), q(2026, 4).index()));
    }

    #[test]
    fn days_sit_inside_their_quarter() {
        assert_eq!(fraction_of_quarter(d("2025-01-01")), 0.0);
        let mid = fraction_of_quarter(d("2025-02-15"));
        assert!((0.49..0.51).contains(&mid), "{mid}");
        assert!(fraction_of_quarter(d("2025-12-31")) < 1.0);
        assert!(fraction_of_quarter(d("2100-12-31")) < 1.0);
        let scale = Scale {
            first: q(2025, 1).index(),
            count: 8,
            quarter_px: 100.0,
        };
        assert_eq!(scale.x_of_quarter(q(2025, 3).index()), PAD + 200.0);
        assert_eq!(scale.x_of_date(d("2025-07-01")), PAD + 200.0);
        assert_eq!(scale.width(), 2.0 * PAD + 800.0);
        assert_eq!(scale.quarters().count(), 8);
    }

    #[test]
    fn zoom_steps_through_the_levels_and_fit_stays_within_them() {
        assert_eq!(zoom_in(54.0), 80);
        assert_eq!(zoom_in(60.0), 80);
        assert_eq!(zoom_out(54.0), 36);
        assert_eq!(zoom_out(60.0), 54);
        assert_eq!(zoom_in(260.0), 260);
        assert_eq!(zoom_out(16.0), 16);
        assert_eq!(nearest_level(110), 120);
        assert_eq!(nearest_level(0), 16);
        assert_eq!(fit_width(816.0, 16), 50.0);
        assert_eq!(fit_width(300.0, 40), 16.0);
        assert_eq!(fit_width(10_000.0, 2), 260.0);
    }

    #[test]
    fn filters_read_and_write_the_address() {
        let s: Statuses = "adopted,done,nonsense".parse().expect("infallible");
        assert_eq!(
            s.0,
            BTreeSet::from([PriorityStatus::Adopted, PriorityStatus::Done])
        );
        assert_eq!(s.to_string(), "adopted,done");
        assert_eq!("medium".parse::<TermFilter>(), Ok(TermFilter(Term::Medium)));
        assert!("long".parse::<TermFilter>().is_err());
    }
}
