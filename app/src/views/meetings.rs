//! Meetings: the upcoming and past ones (filtered by kind), and each
//! meeting whole — participants, agenda items linked to priorities, minutes
//! and action items — with a calendar download. The secretariat creates and
//! edits them; times are typed as local time in the meeting's IANA zone and
//! stored as UTC instants, converted with the browser's zone rules (`Intl`).

use std::collections::BTreeSet;

use ara_shared::meeting::{AgendaItem, Meeting, MeetingKind};
use ara_shared::state::{MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS};
use ara_shared::{
    Action, ActionId, AgendaItemId, MeetingId, MeetingPatch, Mutation, PriorityId, RegionId,
    Rejection,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::i18n::alliance::{self, AllianceMsg, MeetingsMsg};
use crate::i18n::format;
use crate::i18n::model::meeting_kind_name;
use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::i18n::zone::{self, format_wall, local_to_utc, wall_clock_ms};
use crate::routes::{meeting_path, priority_path};
use crate::sync::{SyncHandle, new_id, now_ms};
use crate::views::form::{
    CheckboxGroup, Choice, SelectInput, TextArea, TextInput, priority_choices, region_choices,
};
use crate::views::toolkit::{FormProblem, field_of, focus_by_id, parse_date, propose_checked};
use crate::views::{page_title, tr, use_lang, use_sync};

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

// --- The list ---

#[component]
pub fn MeetingsView() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Meetings);
    let query = use_query_map();
    let navigate = use_navigate();
    let kind = Memo::new(move |_| query.with(|q| q.get("kind").and_then(|k| kind_from_key(&k))));
    let now = now_ms();
    // Upcoming soonest first, past most recent first.
    let split = Memo::new(move |_| {
        let kind = kind.get();
        sync.replica.with(|r| {
            let mut list: Vec<&Meeting> = r
                .view()
                .meetings
                .values()
                .filter(|m| kind.is_none_or(|k| m.kind == k))
                .collect();
            list.sort_by_key(|m| (m.start_ms, m.id));
            let (past, upcoming): (Vec<&Meeting>, Vec<&Meeting>) =
                list.into_iter().partition(|m| m.end_ms < now);
            (
                upcoming.iter().map(|m| m.id).collect::<Vec<_>>(),
                past.iter().rev().map(|m| m.id).collect::<Vec<_>>(),
            )
        })
    });
    let upcoming = Memo::new(move |_| split.with(|s| s.0.clone()));
    let past = Memo::new(move |_| split.with(|s| s.1.clone()));
    let filter_choices = Signal::derive(move || {
        let lang = lang.get();
        std::iter::once(("".to_owned(), t(lang, MeetingsMsg::AllKinds).to_owned()))
            .chain(
                MeetingKind::ALL
                    .into_iter()
                    .map(|k| (k.key().to_owned(), meeting_kind_name(lang, k).to_owned())),
            )
            .collect::<Vec<_>>()
    });
    let choose_kind = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let path = if value.is_empty() {
            "/meetings".to_owned()
        } else {
            format!("/meetings?kind={value}")
        };
        navigate(&path, Default::default());
    };
    view! {
        <section class="page meetings" aria-labelledby="meetings-heading">
            <h1 id="meetings-heading">{move || t(lang.get(), Nav::Meetings)}</h1>
            <p class="intro">{move || t(lang.get(), MeetingsMsg::Intro)}</p>
            <NewMeeting/>
            <div class="field meeting-filter">
                <label for="meeting-filter">{move || t(lang.get(), MeetingsMsg::FilterKind)}</label>
                <select id="meeting-filter" prop:value=move || kind.get().map(|k| k.key()).unwrap_or("") on:change=choose_kind>
                    {move || filter_choices.get().into_iter().map(|(key, label)| {
                        let selected = kind.get().map(|k| k.key()).unwrap_or("") == key;
                        view! { <option value=key selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show
                when=move || sync.loaded.get()
                fallback=move || view! { <p class="loading">{move || t(lang.get(), AllianceMsg::Loading)}</p> }
            >
                <MeetingList heading_id="upcoming-heading" title=MeetingsMsg::Upcoming empty=MeetingsMsg::NoUpcoming ids=upcoming/>
                <MeetingList heading_id="past-heading" title=MeetingsMsg::Past empty=MeetingsMsg::NoPast ids=past/>
            </Show>
            <FeedHint/>
        </section>
    }
}

/// Where to subscribe to every meeting at once.
#[component]
fn FeedHint() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="feed-hint">
            {move || t(lang.get(), MeetingsMsg::FeedHint)}" "
            <A href="/account">{move || t(lang.get(), MeetingsMsg::FeedLink)}</A>
        </p>
    }
}

#[component]
fn MeetingList(
    heading_id: &'static str,
    title: MeetingsMsg,
    empty: MeetingsMsg,
    ids: Memo<Vec<MeetingId>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="meeting-section" aria-labelledby=heading_id>
            <h2 id=heading_id>{move || alliance::with_count(t(lang.get(), title), ids.with(Vec::len))}</h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), empty)}</p> }
            >
                <ul class="meeting-list" id=format!("{heading_id}-list")>
                    <For each=move || ids.get() key=|id| *id let:id>
                        <MeetingItem id=id/>
                    </For>
                </ul>
            </Show>
        </section>
    }
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

#[component]
fn MeetingItem(id: MeetingId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let meeting = Memo::new(move |_| sync.replica.with(|r| r.view().meetings.get(&id).cloned()));
    let title = Signal::derive(move || {
        meeting.with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_default())
    });
    let kind = move || meeting.with(|m| m.as_ref().map(|m| m.kind));
    view! {
        <li class="meeting card" data-id=id.to_string() data-kind=move || kind().map(|k| k.key())>
            <article aria-labelledby=format!("meeting-{id}-title")>
                <p class="meeting-kind">{move || kind().map(|k| meeting_kind_name(lang.get(), k))}</p>
                <h3 id=format!("meeting-{id}-title")><A href=meeting_path(id)>{title}</A></h3>
                <WhenAndWhere meeting=meeting/>
                <IcsLink id=id title=title/>
            </article>
        </li>
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

/// The secretariat adds a meeting, then goes on with its agenda on its page.
#[component]
fn NewMeeting() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let may_add = Memo::new(move |_| {
        sync.allows(&Mutation::DeleteMeeting {
            id: MeetingId(Default::default()),
        })
    });
    let fields = MeetingFields::new(None);
    let problem = RwSignal::new(None::<Rejection>);
    let close = move || {
        open.set(false);
        problem.set(None);
        focus_by_id("new-meeting-open".into());
    };
    let submit = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let details = match fields.parse() {
            Ok(d) => d,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let id = new_id(MeetingId::from_parts);
        let meeting = Meeting {
            id,
            kind: details.kind,
            title: details.title,
            start_ms: details.start_ms,
            end_ms: details.end_ms,
            time_zone: details.zone,
            place: details.place,
            video_link: details.video,
            participants: details.participants,
            agenda: Vec::new(),
            minutes: String::new(),
            actions: Vec::new(),
        };
        if propose_checked(sync, Mutation::CreateMeeting { meeting }, problem) {
            open.set(false);
            navigate(&meeting_path(id), Default::default());
        }
    });
    view! {
        <Show when=move || may_add.get()>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" id="new-meeting-open" aria-expanded="false"
                        on:click=move |_| { open.set(true); focus_by_id("new-meeting-kind".into()); }>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), MeetingsMsg::NewMeeting)}
                    </button>
                }
            >
                <form id="new-meeting-form" class="card panel-form" novalidate aria-labelledby="new-meeting-heading"
                    on:submit=move |ev| submit.run(ev)
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <h2 id="new-meeting-heading">{move || t(lang.get(), MeetingsMsg::NewMeeting)}</h2>
                    <MeetingFieldsView prefix="new-meeting" fields=fields/>
                    <FormProblem id="new-meeting-problem" problem=problem/>
                    <div class="form-buttons">
                        <button type="submit" id="create-meeting">{move || t(lang.get(), MeetingsMsg::CreateMeeting)}</button>
                        <button type="button" class="cancel" on:click=move |_| close()>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
        </Show>
    }
}

// --- One meeting ---

#[component]
pub fn MeetingDetail() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Meetings);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|id| id.parse::<MeetingId>().ok()))
    });
    let exists = Memo::new(move |_| {
        let id = id.get();
        sync.replica
            .with(|r| id.is_some_and(|id| r.view().meetings.contains_key(&id)))
    });
    view! {
        <section class="page meeting-detail">
            <p class="back"><A href="/meetings"><span aria-hidden="true">"← "</span>{move || t(lang.get(), MeetingsMsg::AllMeetings)}</A></p>
            {move || match (id.get(), exists.get()) {
                (Some(id), true) => view! { <MeetingPage id=id/> }.into_any(),
                _ if !sync.loaded.get() => view! {
                    <h1>{move || t(lang.get(), Nav::Meetings)}</h1>
                    <p class="loading">{move || t(lang.get(), AllianceMsg::Loading)}</p>
                }.into_any(),
                _ => view! {
                    <h1>{move || t(lang.get(), Nav::Meetings)}</h1>
                    <p class="empty" id="meeting-not-found">{move || t(lang.get(), MeetingsMsg::NotFound)}</p>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn MeetingPage(id: MeetingId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let navigate = use_navigate();
    let meeting = Memo::new(move |_| sync.replica.with(|r| r.view().meetings.get(&id).cloned()));
    let title = Signal::derive(move || {
        meeting.with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_default())
    });
    // Document title: the meeting's own.
    Effect::new(move |_| {
        document().set_title(&format!(
            "{} · {}",
            title.get(),
            t(lang.get(), crate::i18n::Msg::AppName)
        ));
    });
    let can_edit = Memo::new(move |_| {
        sync.allows(&Mutation::UpdateMeeting {
            id,
            patch: MeetingPatch::default(),
        })
    });
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let participants = Memo::new(move |_| {
        let ids = meeting.with(|m| {
            m.as_ref()
                .map(|m| m.participants.clone())
                .unwrap_or_default()
        });
        sync.replica.with(|r| {
            let mut names: Vec<String> = ids
                .iter()
                .filter_map(|id| r.view().regions.get(id).map(|r| r.name.clone()))
                .collect();
            names.sort();
            names
        })
    });
    let delete = move |_| {
        if sync.propose(Mutation::DeleteMeeting { id }) {
            navigate("/meetings", Default::default());
        }
    };
    view! {
        <article class="meeting-page" data-id=id.to_string() aria-labelledby="meeting-heading">
            <p class="meeting-kind">{move || meeting.with(|m| m.as_ref().map(|m| meeting_kind_name(lang.get(), m.kind)))}</p>
            <h1 id="meeting-heading">{title}</h1>
            <WhenAndWhere meeting=meeting/>
            <p class="downloads"><IcsLink id=id title=title/></p>
            <FeedHint/>
            {move || can_edit.get().then(|| view! {
                <div class="card-actions">
                    <button type="button" id="edit-meeting" aria-expanded=move || editing.get().to_string()
                        on:click=move |_| { editing.set(true); focus_by_id("edit-meeting-kind".into()); }>
                        {move || t(lang.get(), MeetingsMsg::EditDetails)}
                    </button>
                    <button type="button" id="delete-meeting" aria-expanded=move || deleting.get().to_string()
                        on:click=move |_| { deleting.set(true); focus_by_id("confirm-delete-meeting".into()); }>
                        {move || t(lang.get(), MeetingsMsg::DeleteMeeting)}
                    </button>
                </div>
            })}
            {move || deleting.get().then(|| view! {
                <div class="confirm-question" role="group" aria-labelledby="delete-meeting-question"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" {
                        deleting.set(false);
                        focus_by_id("delete-meeting".into());
                    }>
                    <p id="delete-meeting-question">{move || t(lang.get(), MeetingsMsg::DeleteMeetingQuestion)}</p>
                    <div class="form-buttons">
                        <button type="button" class="danger" id="confirm-delete-meeting" on:click=delete.clone()>
                            {move || t(lang.get(), AllianceMsg::ConfirmDelete)}
                        </button>
                        <button type="button" class="cancel" on:click=move |_| { deleting.set(false); focus_by_id("delete-meeting".into()); }>
                            {move || t(lang.get(), AllianceMsg::Cancel)}
                        </button>
                    </div>
                </div>
            })}
            {move || editing.get().then(|| view! {
                <EditMeeting id=id on_close=Callback::new(move |_| { editing.set(false); focus_by_id("edit-meeting".into()); })/>
            })}
            <section class="meeting-part" aria-labelledby="participants-heading">
                <h2 id="participants-heading">{move || t(lang.get(), MeetingsMsg::Participants)}</h2>
                <Show
                    when=move || !participants.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoParticipants)}</p> }
                >
                    <ul class="participants" id="participants">
                        {move || participants.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                </Show>
            </section>
            <Agenda id=id meeting=meeting can_edit=can_edit/>
            <Minutes id=id meeting=meeting can_edit=can_edit/>
            <ActionItems id=id meeting=meeting can_edit=can_edit/>
        </article>
    }
}

/// The secretariat changes the details of a meeting (only what changed).
#[component]
fn EditMeeting(id: MeetingId, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let current = sync
        .replica
        .with_untracked(|r| r.view().meetings.get(&id).cloned());
    let Some(current) = current else {
        return ().into_any();
    };
    let fields = MeetingFields::new(Some(&current));
    let problem = RwSignal::new(None::<Rejection>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = match fields.parse() {
            Ok(d) => d,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let patch = MeetingPatch {
            kind: (d.kind != current.kind).then_some(d.kind),
            title: (d.title.trim() != current.title).then(|| d.title.clone()),
            start_ms: (d.start_ms != current.start_ms).then_some(d.start_ms),
            end_ms: (d.end_ms != current.end_ms).then_some(d.end_ms),
            time_zone: (d.zone != current.time_zone).then(|| d.zone.clone()),
            place: (d.place.trim() != current.place).then(|| d.place.clone()),
            video_link: (d.video != current.video_link).then(|| d.video.clone()),
            participants: (d.participants != current.participants).then(|| d.participants.clone()),
            ..MeetingPatch::default()
        };
        if patch == MeetingPatch::default() || update_meeting(sync, id, patch, problem) {
            on_close.run(());
        }
    };
    view! {
        <form id="edit-meeting-form" class="card panel-form" novalidate aria-labelledby="edit-meeting-heading" on:submit=submit
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(()) }>
            <h2 id="edit-meeting-heading">{move || t(lang.get(), MeetingsMsg::EditDetails)}</h2>
            <MeetingFieldsView prefix="edit-meeting" fields=fields/>
            <FormProblem id="edit-meeting-problem" problem=problem/>
            <div class="form-buttons">
                <button type="submit" id="save-meeting">{move || t(lang.get(), AllianceMsg::Save)}</button>
                <button type="button" class="cancel" on:click=move |_| on_close.run(())>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// "No priority" and the programme's priorities.
fn agenda_priority_choices() -> Signal<Vec<Choice>> {
    let priorities = priority_choices();
    let none = tr(MeetingsMsg::NoPriority);
    Signal::derive(move || {
        std::iter::once(Choice::new("", none))
            .chain(priorities.get())
            .collect()
    })
}

/// The agenda as it is now, for an edit of one item to start from.
fn current_agenda(sync: SyncHandle, id: MeetingId) -> Vec<AgendaItem> {
    sync.replica.with_untracked(|r| {
        r.view()
            .meetings
            .get(&id)
            .map(|m| m.agenda.clone())
            .unwrap_or_default()
    })
}

#[component]
fn Agenda(id: MeetingId, meeting: Memo<Option<Meeting>>, can_edit: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let items = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.agenda.iter().map(|i| i.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let new_title = RwSignal::new(String::new());
    let new_priority = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut agenda = current_agenda(sync, id);
        let item = AgendaItem {
            id: new_id(AgendaItemId::from_parts),
            title: new_title.get_untracked(),
            priority: new_priority.get_untracked().parse().ok(),
        };
        let item_id = item.id;
        agenda.push(item);
        if update_meeting(
            sync,
            id,
            MeetingPatch {
                agenda: Some(agenda),
                ..MeetingPatch::default()
            },
            problem,
        ) {
            new_title.set(String::new());
            new_priority.set(String::new());
            focus_by_id(format!("agenda-item-{item_id}"));
        }
    };
    view! {
        <section class="meeting-part" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{move || t(lang.get(), MeetingsMsg::Agenda)}</h2>
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoAgenda)}</p> }
            >
                <ol class="agenda" id="agenda">
                    <For each=move || items.get() key=|item| *item let:item>
                        <AgendaRow meeting_id=id item_id=item items=items meeting=meeting can_edit=can_edit/>
                    </For>
                </ol>
            </Show>
            {move || can_edit.get().then(|| view! {
                <form id="add-agenda-item" class="inline-form" novalidate aria-labelledby="add-agenda-heading" on:submit=add>
                    <h3 id="add-agenda-heading" class="visually-hidden">{move || t(lang.get(), MeetingsMsg::AddAgendaItem)}</h3>
                    <TextInput id="new-agenda-title" label=tr(MeetingsMsg::AgendaItem) value=new_title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id="new-agenda-priority" label=tr(MeetingsMsg::LinkedPriority) value=new_priority choices=agenda_priority_choices()/>
                    <button type="submit" id="add-agenda">{move || t(lang.get(), MeetingsMsg::AddAgendaItem)}</button>
                    <FormProblem id="agenda-problem" problem=problem/>
                </form>
            })}
        </section>
    }
}

#[component]
fn AgendaRow(
    meeting_id: MeetingId,
    item_id: AgendaItemId,
    items: Memo<Vec<AgendaItemId>>,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let item = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .and_then(|m| m.agenda.iter().find(|i| i.id == item_id).cloned())
        })
    });
    let position =
        Memo::new(move |_| items.with(|list| list.iter().position(|i| *i == item_id).unwrap_or(0)));
    let is_last = Memo::new(move |_| items.with(|list| list.last() == Some(&item_id)));
    let title = Signal::derive(move || {
        item.with(|i| i.as_ref().map(|i| i.title.clone()).unwrap_or_default())
    });
    let priority = Memo::new(move |_| {
        let pid = item.with(|i| i.as_ref().and_then(|i| i.priority));
        pid.map(|pid| {
            let name = sync
                .replica
                .with(|r| r.view().priorities.get(&pid).map(|p| p.title.clone()));
            (pid, name.unwrap_or_default())
        })
    });
    let editing = RwSignal::new(false);
    let draft_title = RwSignal::new(String::new());
    let draft_priority = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);

    let change = move |f: &dyn Fn(&mut Vec<AgendaItem>)| {
        let mut agenda = current_agenda(sync, meeting_id);
        f(&mut agenda);
        update_meeting(
            sync,
            meeting_id,
            MeetingPatch {
                agenda: Some(agenda),
                ..MeetingPatch::default()
            },
            problem,
        )
    };
    let shift = move |down: bool| {
        let moved = change(&|agenda| {
            if let Some(i) = agenda.iter().position(|x| x.id == item_id) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < agenda.len() {
                    agenda.swap(i, j);
                }
            }
        });
        if moved {
            // Keep focus on the same button as the item moves, unless it hit an end.
            let button = if down { "down" } else { "up" };
            focus_by_id(format!("agenda-{button}-{item_id}"));
        }
    };
    let start_edit = move |_| {
        draft_title.set(title.get_untracked());
        draft_priority.set(item.with_untracked(|i| {
            i.as_ref()
                .and_then(|i| i.priority)
                .map(|p| p.to_string())
                .unwrap_or_default()
        }));
        editing.set(true);
        focus_by_id(format!("agenda-title-input-{item_id}"));
    };
    let finish = move |save: bool| {
        if save {
            let new_title = draft_title.get_untracked();
            let new_priority: Option<PriorityId> = draft_priority.get_untracked().parse().ok();
            let saved = change(&|agenda| {
                if let Some(x) = agenda.iter_mut().find(|x| x.id == item_id) {
                    x.title = new_title.clone();
                    x.priority = new_priority;
                }
            });
            if !saved {
                return;
            }
        }
        problem.set(None);
        editing.set(false);
        focus_by_id(format!("agenda-edit-{item_id}"));
    };
    let remove = move |_| {
        if change(&|agenda| agenda.retain(|x| x.id != item_id)) {
            focus_by_id("agenda-heading".into());
        }
    };
    view! {
        <li class="agenda-item" data-id=item_id.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <div class="agenda-text">
                        <span class="agenda-title" id=format!("agenda-item-{item_id}") tabindex="-1">{title}</span>
                        {move || priority.get().map(|(pid, name)| view! {
                            " "<span class="agenda-priority">
                                {move || alliance::concerns_priority(lang.get())}" "
                                <A href=priority_path(pid)>{name}</A>
                            </span>
                        })}
                    </div>
                }
            >
                <form class="agenda-edit inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); finish(true); }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { finish(false) }>
                    <TextInput id=format!("agenda-title-input-{item_id}") label=tr(MeetingsMsg::AgendaItem) value=draft_title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id=format!("agenda-priority-input-{item_id}") label=tr(MeetingsMsg::LinkedPriority) value=draft_priority choices=agenda_priority_choices()/>
                    <div class="form-buttons">
                        <button type="submit">{move || t(lang.get(), AllianceMsg::Save)}</button>
                        <button type="button" class="cancel" on:click=move |_| finish(false)>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
            {move || (can_edit.get() && !editing.get()).then(|| view! {
                <div class="item-buttons" role="group" aria-label=move || alliance::action_of(t(lang.get(), AllianceMsg::Actions), &title.get())>
                    <button type="button" id=format!("agenda-edit-{item_id}") class="agenda-edit-button" on:click=start_edit>
                        {move || t(lang.get(), AllianceMsg::Edit)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" id=format!("agenda-up-{item_id}") class="agenda-up" disabled=move || position.get() == 0 on:click=move |_| shift(false)>
                        <span aria-hidden="true">"↑ "</span>{move || t(lang.get(), AllianceMsg::MoveUp)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" id=format!("agenda-down-{item_id}") class="agenda-down" disabled=move || is_last.get() on:click=move |_| shift(true)>
                        <span aria-hidden="true">"↓ "</span>{move || t(lang.get(), AllianceMsg::MoveDown)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" class="agenda-remove" on:click=remove>
                        {move || t(lang.get(), AllianceMsg::Remove)}<span class="visually-hidden">": "{title}</span>
                    </button>
                </div>
            })}
            <FormProblem id=format!("agenda-problem-{item_id}") problem=problem/>
        </li>
    }
}

#[component]
fn Minutes(id: MeetingId, meeting: Memo<Option<Meeting>>, can_edit: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let minutes = Memo::new(move |_| {
        meeting.with(|m| m.as_ref().map(|m| m.minutes.clone()).unwrap_or_default())
    });
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let close = move || {
        editing.set(false);
        problem.set(None);
        focus_by_id("edit-minutes".into());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        if text.trim() == minutes.get_untracked()
            || update_meeting(
                sync,
                id,
                MeetingPatch {
                    minutes: Some(text),
                    ..MeetingPatch::default()
                },
                problem,
            )
        {
            close();
        }
    };
    view! {
        <section class="meeting-part" aria-labelledby="minutes-heading">
            <h2 id="minutes-heading">{move || t(lang.get(), MeetingsMsg::Minutes)}</h2>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    {move || if minutes.with(String::is_empty) {
                        view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoMinutes)}</p> }.into_any()
                    } else {
                        view! { <div class="minutes" id="minutes">{move || minutes.get()}</div> }.into_any()
                    }}
                    {move || can_edit.get().then(|| view! {
                        <button type="button" id="edit-minutes" on:click=move |_| {
                            draft.set(minutes.get_untracked());
                            editing.set(true);
                            focus_by_id("minutes-text".into());
                        }>{move || t(lang.get(), MeetingsMsg::EditMinutes)}</button>
                    })}
                }
            >
                <form id="minutes-form" novalidate on:submit=save
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <TextArea id="minutes-text" label=tr(MeetingsMsg::Minutes) value=draft rows=10 maxlength=MAX_LONG_TEXT_CHARS/>
                    <FormProblem id="minutes-problem" problem=problem/>
                    <div class="form-buttons">
                        <button type="submit" id="save-minutes">{move || t(lang.get(), MeetingsMsg::SaveMinutes)}</button>
                        <button type="button" class="cancel" on:click=move |_| close()>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// "No owner" and the member regions.
fn owner_choices() -> Signal<Vec<Choice>> {
    let regions = region_choices(true);
    let none = tr(MeetingsMsg::NoOwner);
    Signal::derive(move || {
        std::iter::once(Choice::new("", none))
            .chain(regions.get())
            .collect()
    })
}

fn current_actions(sync: SyncHandle, id: MeetingId) -> Vec<Action> {
    sync.replica.with_untracked(|r| {
        r.view()
            .meetings
            .get(&id)
            .map(|m| m.actions.clone())
            .unwrap_or_default()
    })
}

/// An action item as typed, or why it cannot be.
fn typed_action(
    id: ActionId,
    title: &str,
    owner: &str,
    due: &str,
    done: bool,
) -> Result<Action, Rejection> {
    let due = match due.trim() {
        "" => None,
        text => Some(parse_date("due", text)?),
    };
    Ok(Action {
        id,
        title: title.to_owned(),
        owner: owner.parse().ok(),
        due,
        done,
    })
}

#[component]
fn ActionItems(
    id: MeetingId,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let ids = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.actions.iter().map(|a| a.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action_id = new_id(ActionId::from_parts);
        let action = match typed_action(
            action_id,
            &title.get_untracked(),
            &owner.get_untracked(),
            &due.get_untracked(),
            false,
        ) {
            Ok(a) => a,
            Err(r) => {
                problem.set(Some(r));
                return;
            }
        };
        let mut actions = current_actions(sync, id);
        actions.push(action);
        if update_meeting(
            sync,
            id,
            MeetingPatch {
                actions: Some(actions),
                ..MeetingPatch::default()
            },
            problem,
        ) {
            title.set(String::new());
            owner.set(String::new());
            due.set(String::new());
            focus_by_id("new-action-title".into());
        }
    };
    view! {
        <section class="meeting-part" aria-labelledby="actions-heading">
            <h2 id="actions-heading" tabindex="-1">{move || t(lang.get(), MeetingsMsg::ActionItems)}</h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), MeetingsMsg::NoActions)}</p> }
            >
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="actions-heading">
                    <table class="action-items" id="action-items">
                        <thead>
                            <tr>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::ActionTitle)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Owner)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Due)}</th>
                                <th scope="col">{move || t(lang.get(), MeetingsMsg::Done)}</th>
                                {move || can_edit.get().then(|| view! { <th scope="col">{move || t(lang.get(), AllianceMsg::Actions)}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || ids.get() key=|a| *a let:action_id>
                                <ActionRow meeting_id=id action_id=action_id meeting=meeting can_edit=can_edit/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
            {move || can_edit.get().then(|| view! {
                <form id="add-action" class="inline-form" novalidate aria-labelledby="add-action-heading" on:submit=add>
                    <h3 id="add-action-heading" class="visually-hidden">{move || t(lang.get(), MeetingsMsg::AddAction)}</h3>
                    <TextInput id="new-action-title" label=tr(MeetingsMsg::ActionTitle) value=title maxlength=MAX_NAME_CHARS/>
                    <SelectInput id="new-action-owner" label=tr(MeetingsMsg::Owner) value=owner choices=owner_choices()/>
                    <TextInput id="new-action-due" label=tr(MeetingsMsg::Due) value=due kind="date"/>
                    <button type="submit" id="add-action-button">{move || t(lang.get(), MeetingsMsg::AddAction)}</button>
                    <FormProblem id="action-problem" problem=problem/>
                </form>
            })}
        </section>
    }
}

#[component]
fn ActionRow(
    meeting_id: MeetingId,
    action_id: ActionId,
    meeting: Memo<Option<Meeting>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let action = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .and_then(|m| m.actions.iter().find(|a| a.id == action_id).cloned())
        })
    });
    let title = Signal::derive(move || {
        action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default())
    });
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let owner = move || {
        let owner = action.with(|a| a.as_ref().and_then(|a| a.owner));
        match owner {
            Some(o) => sync.replica.with(|r| {
                r.view()
                    .regions
                    .get(&o)
                    .map(|r| r.name.clone())
                    .unwrap_or_default()
            }),
            None => t(lang.get(), MeetingsMsg::NoOwner).to_owned(),
        }
    };
    let due = move || match action.with(|a| a.as_ref().and_then(|a| a.due)) {
        Some(d) => format::date_short(lang.get(), d),
        None => t(lang.get(), MeetingsMsg::NoDue).to_owned(),
    };
    let editing = RwSignal::new(false);
    let draft_title = RwSignal::new(String::new());
    let draft_owner = RwSignal::new(String::new());
    let draft_due = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let change = move |f: &dyn Fn(&mut Vec<Action>)| {
        let mut actions = current_actions(sync, meeting_id);
        f(&mut actions);
        update_meeting(
            sync,
            meeting_id,
            MeetingPatch {
                actions: Some(actions),
                ..MeetingPatch::default()
            },
            problem,
        )
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        change(&|actions| {
            if let Some(a) = actions.iter_mut().find(|a| a.id == action_id) {
                a.done = on;
            }
        });
    };
    let start_edit = move |_| {
        action.with_untracked(|a| {
            if let Some(a) = a {
                draft_title.set(a.title.clone());
                draft_owner.set(a.owner.map(|o| o.to_string()).unwrap_or_default());
                draft_due.set(a.due.map(|d| d.to_string()).unwrap_or_default());
            }
        });
        editing.set(true);
        focus_by_id(format!("action-title-input-{action_id}"));
    };
    let finish = move |save: bool| {
        if save {
            let typed = typed_action(
                action_id,
                &draft_title.get_untracked(),
                &draft_owner.get_untracked(),
                &draft_due.get_untracked(),
                action.with_untracked(|a| a.as_ref().is_some_and(|a| a.done)),
            );
            let saved = match typed {
                Ok(new) => change(&|actions| {
                    if let Some(a) = actions.iter_mut().find(|a| a.id == action_id) {
                        *a = new.clone();
                    }
                }),
                Err(r) => {
                    problem.set(Some(r));
                    false
                }
            };
            if !saved {
                return;
            }
        }
        problem.set(None);
        editing.set(false);
        focus_by_id(format!("action-edit-{action_id}"));
    };
    let remove = move |_| {
        if change(&|actions| actions.retain(|a| a.id != action_id)) {
            focus_by_id("actions-heading".into());
        }
    };
    let columns = move || if can_edit.get() { 5 } else { 4 };
    view! {
        <tr class="action-item" data-id=action_id.to_string() data-done=move || done().to_string()>
            <th scope="row" class="action-title">{title}</th>
            <td class="action-owner">{owner}</td>
            <td class="action-due">{due}</td>
            <td class="action-done">
                {move || if can_edit.get() {
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=format!("action-done-{action_id}") prop:checked=done on:change=toggle/>
                            <label for=format!("action-done-{action_id}")>
                                {move || t(lang.get(), MeetingsMsg::Done)}<span class="visually-hidden">": "{title}</span>
                            </label>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <span>{move || if done() {
                            format!("✓ {}", t(lang.get(), MeetingsMsg::Done))
                        } else {
                            t(lang.get(), MeetingsMsg::Open).to_owned()
                        }}</span>
                    }.into_any()
                }}
            </td>
            {move || can_edit.get().then(|| view! {
                <td class="row-actions">
                    <button type="button" id=format!("action-edit-{action_id}") class="action-edit" aria-expanded=move || editing.get().to_string() on:click=start_edit>
                        {move || t(lang.get(), AllianceMsg::Edit)}<span class="visually-hidden">": "{title}</span>
                    </button>
                    <button type="button" class="action-remove" on:click=remove>
                        {move || t(lang.get(), AllianceMsg::Remove)}<span class="visually-hidden">": "{title}</span>
                    </button>
                </td>
            })}
        </tr>
        {move || (editing.get() || problem.with(Option::is_some)).then(|| view! {
            <tr class="action-panel">
                <td colspan=columns>
                    {move || editing.get().then(|| view! {
                        <form class="action-edit-form inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); finish(true); }
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { finish(false) }>
                            <TextInput id=format!("action-title-input-{action_id}") label=tr(MeetingsMsg::ActionTitle) value=draft_title maxlength=MAX_NAME_CHARS/>
                            <SelectInput id=format!("action-owner-input-{action_id}") label=tr(MeetingsMsg::Owner) value=draft_owner choices=owner_choices()/>
                            <TextInput id=format!("action-due-input-{action_id}") label=tr(MeetingsMsg::Due) value=draft_due kind="date"/>
                            <div class="form-buttons">
                                <button type="submit">{move || t(lang.get(), AllianceMsg::Save)}</button>
                                <button type="button" class="cancel" on:click=move |_| finish(false)>{move || t(lang.get(), AllianceMsg::Cancel)}</button>
                            </div>
                        </form>
                    })}
                    <FormProblem id=format!("action-problem-{action_id}") problem=problem/>
                </td>
            </tr>
        })}
    }
}
