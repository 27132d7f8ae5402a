//! The timeline drawn as SVG: the quarters' axis, one bar a priority with
//! its milestones, and today's line. Sizes come from the page's `Scale`.

use ara_shared::{Date, Term};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::i18n::format::{date as long_date, date_short, quarter, quarter_short};
use crate::i18n::visual::{self, TimelineMsg};
use crate::i18n::{status_name, t, term_name};
use crate::routes::priority_path;
use crate::views::use_lang;

use super::{
    AXIS_HEIGHT, CHAR_WIDTH, FOOTER_HEIGHT, Milestone, PAD, ROW_HEIGHT, Row, Scale, px, quarter_at,
    svg_title,
};

/// The chart itself.
#[component]
pub(super) fn TimelineChart(
    rows: Memo<Vec<Row>>,
    scale: Memo<Scale>,
    today: Date,
) -> impl IntoView {
    let lang = use_lang();
    let height = move || AXIS_HEIGHT + rows.with(Vec::len) as f64 * ROW_HEIGHT + FOOTER_HEIGHT;
    let width = move || px(scale.get().width());
    let description = move || {
        let lang = lang.get();
        let s = scale.get();
        let span = quarter_at(s.first).zip(quarter_at(s.first + s.count - 1));
        let (first, last) = span.map_or((String::new(), String::new()), |(a, b)| {
            (quarter(lang, a), quarter(lang, b))
        });
        visual::timeline_description(
            lang,
            rows.with(Vec::len),
            span.map(|_| (first.as_str(), last.as_str())),
            &long_date(lang, today),
        )
    };
    // Keyed by place and content: a row is redrawn only when it changes.
    let keyed = move || rows.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <svg
            class="tl-chart"
            id="tl-chart"
            width=width
            height=height
            viewBox=move || format!("0 0 {} {}", width(), height())
            role="group"
            aria-labelledby="tl-title"
            aria-describedby="tl-desc"
            data-quarter-px=move || scale.get().quarter_px
        >
            {svg_title(Some("tl-title"), move || t(lang.get(), TimelineMsg::ChartTitle).to_owned())}
            <desc id="tl-desc">{description}</desc>
            <defs>
                <pattern id="tl-stripes" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
                    <rect width="8" height="8" fill="#e0f1f3"/>
                    <rect width="4" height="8" fill="#0b6e79"/>
                </pattern>
            </defs>
            <TimelineAxis scale=scale height=Signal::derive(height)/>
            <g class="tl-rows">
                <For
                    each=keyed
                    key=|(i, row)| (*i, row.clone())
                    children=move |(i, row)| view! { <TimelineRow index=i row=row scale=scale/> }
                />
            </g>
            {move || {
                let s = scale.get();
                let x = px(s.x_of_date(today));
                let bottom = height() - FOOTER_HEIGHT;
                let label_x = if x + 60.0 > s.width() { x - 4.0 } else { x + 4.0 };
                let anchor = if x + 60.0 > s.width() { "end" } else { "start" };
                view! {
                    <g class="tl-today" id="tl-today" data-x=x data-date=today.to_string()>
                        <line x1=x y1={AXIS_HEIGHT - 4.0} x2=x y2={bottom + 4.0} class="tl-today-line"/>
                        <text x=label_x y={height() - 6.0} text-anchor=anchor class="tl-today-label">
                            {move || format!("{} · {}", t(lang.get(), TimelineMsg::Today), date_short(lang.get(), today))}
                        </text>
                    </g>
                }
            }}
        </svg>
    }
}

/// Years and quarters along the top, and their grid lines.
#[component]
fn TimelineAxis(scale: Memo<Scale>, height: Signal<f64>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let s = scale.get();
        let lang = lang.get();
        let bottom = height.get() - FOOTER_HEIGHT;
        let quarters = s
            .quarters()
            .map(|q| {
                let x = px(s.x_of_quarter(q.index()));
                let label = if s.quarter_px >= 64.0 {
                    quarter_short(lang, q)
                } else if s.quarter_px >= 22.0 {
                    format!("Q{}", q.q())
                } else {
                    String::new()
                };
                let year_start = q.q() == 1 || q.index() == s.first;
                let year = year_start.then(|| {
                    view! { <text x={x + 4.0} y="16" class="tl-year">{q.year()}</text> }
                });
                view! {
                    <line
                        x1=x y1="22" x2=x y2=bottom
                        class=if q.q() == 1 { "tl-grid tl-grid-year" } else { "tl-grid" }
                        data-quarter=q.to_string()
                    />
                    {year}
                    <text x=px(x + s.quarter_px / 2.0) y="38" text-anchor="middle" class="tl-quarter">{label}</text>
                }
            })
            .collect_view();
        let end = px(s.x_of_quarter(s.first + s.count));
        view! {
            <g class="tl-axis" aria-hidden="true">
                {quarters}
                <line x1=end y1="22" x2=end y2=bottom class="tl-grid tl-grid-year"/>
            </g>
        }
    }
}

/// One priority: its title, its bar (a link to it) and its milestones.
#[component]
fn TimelineRow(index: usize, row: Row, scale: Memo<Scale>) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let href = priority_path(row.id);
    let top = AXIS_HEIGHT + index as f64 * ROW_HEIGHT;
    let bar_y = top + 20.0;
    let bar_height = 16.0;
    let (start, end) = (row.start, row.end);
    let bar_x = move || px(scale.get().x_of_quarter(start.index()));
    let bar_width = move || {
        let s = scale.get();
        px(s.x_of_quarter(end.index() + 1) - s.x_of_quarter(start.index()))
    };
    let done = row.milestones.iter().filter(|m| m.done).count();
    let total = row.milestones.len();
    let label = {
        let row = row.clone();
        move || {
            let lang = lang.get();
            visual::bar_label(
                lang,
                &row.title,
                term_name(lang, row.term),
                (&quarter(lang, row.start), &quarter(lang, row.end)),
                status_name(lang, row.status),
                (total, done),
            )
        }
    };
    // The title (and its status) above the bar; kept inside the chart.
    let text = {
        let row = row.clone();
        move || {
            let lang = lang.get();
            let s = scale.get();
            let full = format!("{} · {}", row.title, status_name(lang, row.status));
            let room = s.width() - 2.0 * PAD;
            let max_chars = ((room / CHAR_WIDTH) as usize).max(4);
            let shown = if full.chars().count() > max_chars {
                let cut: String = full.chars().take(max_chars - 1).collect();
                format!("{}…", cut.trim_end())
            } else {
                full
            };
            let estimate = shown.chars().count() as f64 * CHAR_WIDTH;
            let x = s
                .x_of_quarter(start.index())
                .min(s.width() - PAD - estimate)
                .max(PAD);
            (px(x), shown)
        }
    };
    let text = Memo::new(move |_| text());
    let on_click = {
        let href = href.clone();
        move |ev: ev::MouseEvent| {
            // A new tab or window is the browser's business.
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0
            {
                return;
            }
            ev.prevent_default();
            navigate(&href, NavigateOptions::default());
        }
    };
    let term_class = match row.term {
        Term::Short => "tl-bar-short",
        Term::Medium => "tl-bar-medium",
    };
    let milestones = row
        .milestones
        .iter()
        .cloned()
        .map(|m| view! { <MilestoneMark milestone=m y={bar_y + bar_height / 2.0} scale=scale/> })
        .collect_view();
    let (number, status_key) = (row.number, row.status.key());
    view! {
        <g class="tl-row" data-status=status_key data-term=row.term.key()>
            <a
                class="tl-bar"
                href=href
                aria-label=label
                data-id=row.id.to_string()
                data-number=number
                data-start=start.to_string()
                data-end=end.to_string()
                on:click=on_click
            >
                <text x=move || text.get().0 y={top + 14.0} class="tl-label" aria-hidden="true">{move || text.get().1}</text>
                <rect
                    x=bar_x
                    y=bar_y
                    width=bar_width
                    height=bar_height
                    rx="3"
                    class=format!("tl-bar-shape {term_class}")
                />
                <g class="tl-milestones" aria-hidden="true">{milestones}</g>
            </a>
        </g>
    }
}

/// A milestone on its due date: a circle while open, a diamond once done.
#[component]
fn MilestoneMark(milestone: Milestone, y: f64, scale: Memo<Scale>) -> impl IntoView {
    let lang = use_lang();
    let due = milestone.due;
    let x = move || px(scale.get().x_of_date(due));
    let title = {
        let m = milestone.clone();
        move || {
            visual::milestone_label(lang.get(), &m.title, &date_short(lang.get(), m.due), m.done)
        }
    };
    let id = milestone.id.to_string();
    if milestone.done {
        view! {
            <g class="tl-milestone" data-done="true" data-id=id data-x=x>
                {svg_title(None, title.clone())}
                <polygon
                    points=move || {
                        let x = x();
                        format!("{},{} {},{} {},{} {},{}", x, y - 7.0, x + 7.0, y, x, y + 7.0, x - 7.0, y)
                    }
                    class="tl-done"
                />
            </g>
        }
        .into_any()
    } else {
        view! {
            <g class="tl-milestone" data-done="false" data-id=id data-x=x>
                {svg_title(None, title.clone())}
                <circle cx=x cy=y r="5.5" class="tl-open"/>
            </g>
        }
        .into_any()
    }
}
