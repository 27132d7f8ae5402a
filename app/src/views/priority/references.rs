//! Where else the priority is referred to, read-only, with links: the
//! developments that affect it, meetings with it on the agenda, linked
//! stakeholders, and conferences whose theme includes it.

use ara_shared::stakeholder::LinkTarget;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::model::{development_kind_name, relation_name};
use crate::i18n::priority::PriorityMsg;
use crate::i18n::{Lang, format, t};
use crate::routes::meeting_path;
use crate::views::{use_lang, use_sync};

use super::use_page;

/// One referring thing: where it lives, and how it reads.
#[derive(Clone, Debug, PartialEq)]
struct Reference {
    href: String,
    text: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct References {
    developments: Vec<Reference>,
    meetings: Vec<Reference>,
    stakeholders: Vec<Reference>,
    conferences: Vec<Reference>,
}

impl References {
    fn is_empty(&self) -> bool {
        self.developments.is_empty()
            && self.meetings.is_empty()
            && self.stakeholders.is_empty()
            && self.conferences.is_empty()
    }
}

fn group(
    lang: Lang,
    key: &'static str,
    heading: PriorityMsg,
    items: Vec<Reference>,
) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <h3>{t(lang, heading)}</h3>
            <ul class="plain-list reference-list" id=format!("references-{key}")>
                {items
                    .into_iter()
                    .map(|r| view! { <li><A href=r.href>{r.text}</A></li> })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
pub(super) fn ReferencesSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let id = use_page().id;
    let references = Memo::new(move |_| {
        let lang = lang.get();
        sync.replica.with(|r| {
            let state = r.view();
            let mut found = References::default();
            let mut developments: Vec<_> = state
                .developments
                .values()
                .filter(|d| d.priorities.contains(&id))
                .collect();
            developments.sort_by_key(|d| std::cmp::Reverse(d.date));
            found.developments = developments
                .into_iter()
                .map(|d| Reference {
                    href: "/developments".into(),
                    text: format!(
                        "{} ({}, {})",
                        d.title,
                        development_kind_name(lang, d.kind),
                        format::date(lang, d.date)
                    ),
                })
                .collect();
            let mut meetings: Vec<_> = state
                .meetings
                .values()
                .filter(|m| m.agenda.iter().any(|a| a.priority == Some(id)))
                .collect();
            meetings.sort_by_key(|m| m.start_ms);
            found.meetings = meetings
                .into_iter()
                .map(|m| Reference {
                    href: meeting_path(m.id),
                    text: format!(
                        "{} ({})",
                        m.title,
                        format::date_time(lang, m.start_ms, Some(&m.time_zone))
                    ),
                })
                .collect();
            let mut stakeholders: Vec<Reference> = state
                .links
                .values()
                .filter(|l| l.target == LinkTarget::Priority(id))
                .filter_map(|l| {
                    let s = state.stakeholders.get(&l.stakeholder)?;
                    Some(Reference {
                        href: "/network".into(),
                        text: format!("{} ({})", s.name, relation_name(lang, l.relation)),
                    })
                })
                .collect();
            stakeholders.sort_by(|a, b| a.text.cmp(&b.text));
            found.stakeholders = stakeholders;
            let mut conferences: Vec<_> = state
                .conferences
                .values()
                .filter(|c| c.theme_priorities.contains(&id))
                .collect();
            conferences.sort_by_key(|c| c.year);
            found.conferences = conferences
                .into_iter()
                .map(|c| Reference {
                    href: "/conferences".into(),
                    text: if c.theme.is_empty() {
                        format!("{}, {}", c.year, c.city)
                    } else {
                        format!("{}, {}: {}", c.year, c.city, c.theme)
                    },
                })
                .collect();
            found
        })
    });
    view! {
        <section class="detail-section card" id="section-references" aria-labelledby="section-references-heading">
            <h2 id="section-references-heading">{move || t(lang.get(), PriorityMsg::References)}</h2>
            {move || {
                let lang = lang.get();
                let found = references.get();
                if found.is_empty() {
                    return view! { <p class="empty">{t(lang, PriorityMsg::NoReferences)}</p> }.into_any();
                }
                view! {
                    {group(lang, "developments", PriorityMsg::Developments, found.developments)}
                    {group(lang, "meetings", PriorityMsg::Meetings, found.meetings)}
                    {group(lang, "stakeholders", PriorityMsg::Stakeholders, found.stakeholders)}
                    {group(lang, "conferences", PriorityMsg::Conferences, found.conferences)}
                }
                .into_any()
            }}
        </section>
    }
}
