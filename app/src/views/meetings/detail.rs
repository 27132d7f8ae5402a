//! One meeting whole: when and where, participants, the calendar download,
//! the secretariat's edit form and the minutes; the agenda and the action
//! items have files of their own.

use ara_shared::meeting::Meeting;
use ara_shared::state::MAX_LONG_TEXT_CHARS;
use ara_shared::{MeetingId, MeetingPatch, Mutation, Rejection};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::i18n::alliance::{AllianceMsg, MeetingsMsg};
use crate::i18n::model::meeting_kind_name;
use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::views::form::TextArea;
use crate::views::toolkit::{FormProblem, focus_by_id};
use crate::views::{page_title, tr, use_lang, use_sync};

use super::actions::ActionItems;
use super::agenda::Agenda;
use super::list::FeedHint;
use super::{IcsLink, MeetingFields, MeetingFieldsView, WhenAndWhere, update_meeting};

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
