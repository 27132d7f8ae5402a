//! Meetings: the upcoming and past ones (filtered by kind), and each
//! meeting whole — participants, agenda items linked to priorities, minutes
//! and action items — with a calendar download. The secretariat creates and
//! edits them; times are typed as local time in the meeting's IANA zone and
//! stored as UTC instants, converted with the browser's zone rules (`Intl`).

mod actions;
mod agenda;
mod detail;
mod list;

pub use detail::MeetingDetail;
pub use list::MeetingsView;

use std::collections::BTreeSet;

use ara_shared::meeting::{Meeting, MeetingKind};
use ara_shared::state::MAX_NAME_CHARS;
use ara_shared::{MeetingId, MeetingPatch, Mutation, RegionId, Rejection};
use leptos::prelude::*;

use crate::i18n::alliance::{self, MeetingsMsg};
use crate::i18n::format;
use crate::i18n::model::meeting_kind_name;
use crate::i18n::t;
use crate::i18n::zone::{self, format_wall, local_to_utc, wall_clock_ms};
use crate::sync::SyncHandle;
use crate::views::form::{CheckboxGroup, Choice, SelectInput, TextInput, region_choices};
use crate::views::toolkit::{field_of, propose_checked};
use crate::views::{tr, use_lang};

/// Where a new meeting takes place unless the secretariat says otherwise:
/// the secretariat sits at the Committee of the Regions in Brussels.
const DEFAULT_ZONE: &str = "Europe/Brussels";

/// The zones a meeting may be in, as choices.
fn zone_choices(current: &str) -> Vec<Choice> {
    zone::choosable_zones(&[DEFAULT_ZONE, current])
        .into_iter()
        .map(|z| {
            let label = z.replace('_', " ");
            Choice::new(z, Signal::stored(label))
        })
        .collect()
}

// --- Shown in words ---

/// "20 Jan 2026, 10:00 – 20 Jan 2026, 12:00 (Europe/Brussels)".
fn zoned_span(lang: crate::i18n::Lang, m: &Meeting) -> String {
    alliance::meeting_span(
        &format::date_time(lang, m.start_ms, Some(&m.time_zone)),
        &format::date_time(lang, m.end_ms, Some(&m.time_zone)),
        &m.time_zone,
    )
}

/// The same span in the person's own zone, when that reads differently.
fn local_span(lang: crate::i18n::Lang, m: &Meeting) -> Option<String> {
    let start = format::date_time(lang, m.start_ms, None);
    let end = format::date_time(lang, m.end_ms, None);
    let differs = start != format::date_time(lang, m.start_ms, Some(&m.time_zone))
        || end != format::date_time(lang, m.end_ms, Some(&m.time_zone));
    differs.then(|| alliance::in_your_time(lang, &format!("{start} – {end}")))
}

fn ics_path(id: MeetingId) -> String {
    format!("/api/meetings/{id}/ics")
}

fn kind_choices() -> Signal<Vec<Choice>> {
    let lang = use_lang();
    Signal::derive(move || {
        MeetingKind::ALL
            .into_iter()
            .map(|k| {
                Choice::new(
                    k.key(),
                    Signal::derive(move || meeting_kind_name(lang.get(), k).to_owned()),
                )
            })
            .collect()
    })
}

fn kind_from_key(key: &str) -> Option<MeetingKind> {
    MeetingKind::ALL.into_iter().find(|k| k.key() == key)
}

/// Changes a meeting, explaining a refusal in `problem`.
fn update_meeting(
    sync: SyncHandle,
    id: MeetingId,
    patch: MeetingPatch,
    problem: RwSignal<Option<Rejection>>,
) -> bool {
    propose_checked(sync, Mutation::UpdateMeeting { id, patch }, problem)
}

/// The when and where of a meeting, shared by the list and the detail page.
#[component]
fn WhenAndWhere(meeting: Memo<Option<Meeting>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="when">
            <span class="visually-hidden">{move || t(lang.get(), MeetingsMsg::When)}": "</span>
            <span class="zoned-time">{move || meeting.with(|m| m.as_ref().map(|m| zoned_span(lang.get(), m)))}</span>
            {move || meeting.with(|m| m.as_ref().and_then(|m| local_span(lang.get(), m))).map(|local| view! {
                <br/><span class="local-time">{local}</span>
            })}
        </p>
        <p class="where">
            <span class="visually-hidden">{move || t(lang.get(), MeetingsMsg::Where)}": "</span>
            {move || meeting.with(|m| {
                let m = m.as_ref()?;
                let place = (!m.place.is_empty()).then(|| view! { <span class="place">{m.place.clone()}</span> });
                let video = (!m.video_link.is_empty()).then(|| {
                    let href = m.video_link.clone();
                    view! {
                        {(!m.place.is_empty()).then_some(" · ")}
                        <a class="video-link" href=href target="_blank" rel="noopener noreferrer">
                            {move || t(lang.get(), MeetingsMsg::JoinVideo)}
                        </a>
                    }
                });
                let nothing = (m.place.is_empty() && m.video_link.is_empty())
                    .then(|| view! { <span class="empty">{move || t(lang.get(), MeetingsMsg::NoPlace)}</span> });
                Some(view! { {place}{video}{nothing} })
            })}
        </p>
    }
}

/// A calendar file of one meeting, downloaded with the person's session.
#[component]
fn IcsLink(id: MeetingId, title: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="ics-link" href=ics_path(id) download=format!("meeting-{id}.ics")>
            {move || t(lang.get(), MeetingsMsg::Download)}
            <span class="visually-hidden">": "{title}</span>
        </a>
    }
}

// --- The form of a meeting's details ---

/// The details of a meeting as typed: kind, title, zone, local start and
/// end, place, video link, participants.
#[derive(Clone, Copy)]
struct MeetingFields {
    kind: RwSignal<String>,
    title: RwSignal<String>,
    zone: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    place: RwSignal<String>,
    video: RwSignal<String>,
    participants: RwSignal<BTreeSet<String>>,
}

/// What the details form gives: the meeting's fields, checked for form.
struct Details {
    kind: MeetingKind,
    title: String,
    zone: String,
    start_ms: i64,
    end_ms: i64,
    place: String,
    video: String,
    participants: BTreeSet<RegionId>,
}

impl MeetingFields {
    fn new(m: Option<&Meeting>) -> Self {
        let zone = m.map_or(DEFAULT_ZONE.to_owned(), |m| m.time_zone.clone());
        let local = |ms: i64| {
            wall_clock_ms(&zone, ms)
                .map(format_wall)
                .unwrap_or_default()
        };
        Self {
            kind: RwSignal::new(
                m.map_or(MeetingKind::WorkingLevel, |m| m.kind)
                    .key()
                    .to_owned(),
            ),
            title: field_of(m, |m| m.title.clone()),
            start: field_of(m, |m| local(m.start_ms)),
            end: field_of(m, |m| local(m.end_ms)),
            zone: RwSignal::new(zone.clone()),
            place: field_of(m, |m| m.place.clone()),
            video: field_of(m, |m| m.video_link.clone()),
            participants: RwSignal::new(
                m.map(|m| m.participants.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    fn parse(&self) -> Result<Details, Rejection> {
        let zone = self.zone.get_untracked();
        let start_ms = local_to_utc("start", &self.start.get_untracked(), &zone)?;
        let end_ms = match self.end.get_untracked().trim() {
            // Without an end, an hour.
            "" => start_ms + 3_600_000,
            text => local_to_utc("end", text, &zone)?,
        };
        Ok(Details {
            kind: kind_from_key(&self.kind.get_untracked()).unwrap_or(MeetingKind::WorkingLevel),
            title: self.title.get_untracked(),
            zone,
            start_ms,
            end_ms,
            place: self.place.get_untracked(),
            video: self.video.get_untracked().trim().to_owned(),
            participants: self
                .participants
                .get_untracked()
                .iter()
                .filter_map(|k| k.parse().ok())
                .collect(),
        })
    }
}

#[component]
fn MeetingFieldsView(prefix: &'static str, fields: MeetingFields) -> impl IntoView {
    let zones = zone_choices(&fields.zone.get_untracked());
    view! {
        <div class="form-grid">
            <SelectInput id=format!("{prefix}-kind") label=tr(MeetingsMsg::Kind) value=fields.kind choices=kind_choices()/>
            <TextInput id=format!("{prefix}-title") label=tr(MeetingsMsg::MeetingTitle) value=fields.title maxlength=MAX_NAME_CHARS required=true/>
            <div class="field-with-hint">
                <SelectInput id=format!("{prefix}-zone") label=tr(MeetingsMsg::TimeZone) value=fields.zone choices=Signal::stored(zones)/>
                <p class="hint">{move || t(use_lang().get(), MeetingsMsg::TimeZoneHint)}</p>
            </div>
            <TextInput id=format!("{prefix}-start") label=tr(MeetingsMsg::Start) value=fields.start kind="datetime-local" required=true/>
            <TextInput id=format!("{prefix}-end") label=tr(MeetingsMsg::End) value=fields.end kind="datetime-local"/>
            <TextInput id=format!("{prefix}-place") label=tr(MeetingsMsg::Place) value=fields.place maxlength=MAX_NAME_CHARS/>
            <TextInput id=format!("{prefix}-video") label=tr(MeetingsMsg::VideoLink) value=fields.video kind="url" maxlength=500 hint=tr(MeetingsMsg::VideoHint)/>
        </div>
        <CheckboxGroup id=format!("{prefix}-participants") legend=tr(MeetingsMsg::Participants) value=fields.participants choices=region_choices(true)/>
    }
}
