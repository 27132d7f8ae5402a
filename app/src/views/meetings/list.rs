//! The meetings page: upcoming and past meetings, filtered by kind, the
//! calendar feed, and the secretariat's form for a new meeting.

use ara_shared::meeting::{Meeting, MeetingKind};
use ara_shared::{MeetingId, Mutation, Rejection};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::browser::now_ms;
use crate::i18n::alliance::{self, AllianceMsg, MeetingsMsg};
use crate::i18n::model::meeting_kind_name;
use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::routes::meeting_path;
use crate::sync::new_id;
use crate::views::toolkit::{FormProblem, focus_by_id, propose_checked};
use crate::views::{page_title, use_lang, use_sync};

use super::{IcsLink, MeetingFields, MeetingFieldsView, WhenAndWhere, kind_from_key};

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
pub(super) fn FeedHint() -> impl IntoView {
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
