//! The priority's own fields, a section each: title and summary; status and
//! horizon; description; ten points and Commission initiatives; dimensions
//! and goals; regions. Each form starts from the values at the moment it
//! opens and saves only the fields the person changed.

use std::collections::BTreeSet;

use ara_shared::{
    Dimension, Horizon, Mutation, PriorityPatch, PriorityStatus, Quarter, RegionId, Role, Term,
    TransitionGoal,
};
use leptos::prelude::*;

use crate::i18n::model::{dimension_name, goal_name};
use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::{status_name, t, term_name};
use crate::views::form::{CheckboxGroup, Choice, SelectInput, TextArea, TextInput, region_choices};
use crate::views::{tr, use_lang, use_sync};

use super::section::EditableSection;
use super::{changed, use_page};
use crate::views::toolkit::focus_by_id;

/// The words for a set, or "none" / the given empty text.
fn list_or(lang: crate::i18n::Lang, items: Vec<String>, empty: PriorityMsg) -> String {
    if items.is_empty() {
        t(lang, empty).to_owned()
    } else {
        items.join(", ")
    }
}

#[component]
pub(super) fn OverviewSection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let title = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let base = StoredValue::new((String::new(), String::new()));
    let on_open = Callback::new(move |()| {
        let values = page.read(|p| (p.title.clone(), p.summary.clone()));
        title.set(values.0.clone());
        summary.set(values.1.clone());
        base.set_value(values);
    });
    let on_save = Callback::new(move |()| {
        let (t0, s0) = base.get_value();
        page.update(PriorityPatch {
            title: changed(&t0, title.get_untracked()),
            summary: changed(&s0, summary.get_untracked()),
            ..PriorityPatch::default()
        })
    });
    let summary_text = move || {
        page.priority
            .with(|p| p.as_ref().map(|p| p.summary.clone()))
    };
    view! {
        <EditableSection
            key="overview"
            heading=PriorityMsg::Overview
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                <p class="summary" id="priority-summary-text">
                    {move || summary_text()
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| t(lang.get(), PriorityMsg::NoSummary).to_owned())}
                </p>
            }
            form=move || view! {
                <TextInput id="priority-title" label=tr(PriorityMsg::Title) value=title maxlength=200 required=true/>
                <TextArea id="priority-summary" label=tr(PriorityMsg::Summary) value=summary rows=3 maxlength=1000/>
            }
        />
    }
}

fn quarter_choices() -> Signal<Vec<Choice>> {
    let lang = use_lang();
    Signal::derive(move || {
        (1..=4u8)
            .map(|q| {
                let label = match lang.get() {
                    crate::i18n::Lang::En => format!("Q{q}"),
                    crate::i18n::Lang::De => format!("{q}. Quartal"),
                };
                Choice::new(q.to_string(), Signal::stored(label))
            })
            .collect()
    })
}

/// A quarter from the year and quarter fields, if they make one.
fn quarter_of(year: &str, q: &str) -> Option<Quarter> {
    Quarter::new(year.trim().parse().ok()?, q.parse().ok()?).ok()
}

#[component]
pub(super) fn StatusSection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let status = RwSignal::new(String::new());
    let term = RwSignal::new(String::new());
    let start_year = RwSignal::new(String::new());
    let start_q = RwSignal::new(String::new());
    let end_year = RwSignal::new(String::new());
    let end_q = RwSignal::new(String::new());
    let from = RwSignal::new(PriorityStatus::Proposed);
    let base_horizon = StoredValue::new(None::<Horizon>);
    let error = RwSignal::new(false);
    let on_open = Callback::new(move |()| {
        let Some((s, h)) = page.read(|p| Some((p.status, p.horizon))) else {
            return;
        };
        from.set(s);
        status.set(s.key().to_owned());
        term.set(h.term.key().to_owned());
        start_year.set(h.start.year().to_string());
        start_q.set(h.start.q().to_string());
        end_year.set(h.end.year().to_string());
        end_q.set(h.end.q().to_string());
        base_horizon.set_value(Some(h));
        error.set(false);
    });
    let on_save = Callback::new(move |()| {
        let start = quarter_of(&start_year.get_untracked(), &start_q.get_untracked());
        let end = quarter_of(&end_year.get_untracked(), &end_q.get_untracked());
        let (Some(start), Some(end)) = (start, end) else {
            error.set(true);
            focus_by_id("horizon-error".into());
            return false;
        };
        error.set(false);
        let term = Term::ALL
            .into_iter()
            .find(|t| t.key() == term.get_untracked())
            .unwrap_or(Term::Short);
        let horizon = Horizon { term, start, end };
        let next =
            PriorityStatus::from_key(&status.get_untracked()).unwrap_or(from.get_untracked());
        page.update(PriorityPatch {
            status: changed(&from.get_untracked(), next),
            horizon: base_horizon
                .get_value()
                .and_then(|base| changed(&base, horizon)),
            ..PriorityPatch::default()
        })
    });
    // Only the statuses the rules allow from the one the form started with.
    let status_choices = Signal::derive(move || {
        let from = from.get();
        PriorityStatus::ALL
            .into_iter()
            .filter(|s| from.can_become(*s))
            .map(|s| {
                Choice::new(
                    s.key(),
                    Signal::derive(move || status_name(lang.get(), s).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let term_choices = Signal::derive(move || {
        Term::ALL
            .into_iter()
            .map(|term| {
                Choice::new(
                    term.key(),
                    Signal::derive(move || term_name(lang.get(), term).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let current = move || {
        page.priority
            .with(|p| p.as_ref().map(|p| (p.status, p.horizon)))
    };
    view! {
        <EditableSection
            key="status"
            heading=PriorityMsg::StatusAndHorizon
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                <dl class="field-list">
                    <dt>{move || t(lang.get(), PriorityMsg::StatusLabel)}</dt>
                    <dd id="priority-status-text">{move || current().map(|(s, _)| status_name(lang.get(), s))}</dd>
                    <dt>{move || t(lang.get(), PriorityMsg::Horizon)}</dt>
                    <dd id="priority-horizon-text">{move || current().map(|(_, h)| words::horizon_text(lang.get(), &h))}</dd>
                </dl>
            }
            form=move || view! {
                <SelectInput id="priority-status" label=tr(PriorityMsg::StatusLabel) value=status choices=status_choices/>
                <p class="hint">{move || t(lang.get(), PriorityMsg::StatusHint)}</p>
                <SelectInput id="priority-term" label=tr(PriorityMsg::Term) value=term choices=term_choices/>
                <div class="quarter-pair">
                    <fieldset class="quarter-field">
                        <legend>{move || t(lang.get(), PriorityMsg::Start)}</legend>
                        <TextInput id="horizon-start-year" label=tr(PriorityMsg::Year) value=start_year kind="number" maxlength=4/>
                        <SelectInput id="horizon-start-quarter" label=tr(PriorityMsg::Quarter) value=start_q choices=quarter_choices()/>
                    </fieldset>
                    <fieldset class="quarter-field">
                        <legend>{move || t(lang.get(), PriorityMsg::End)}</legend>
                        <TextInput id="horizon-end-year" label=tr(PriorityMsg::Year) value=end_year kind="number" maxlength=4/>
                        <SelectInput id="horizon-end-quarter" label=tr(PriorityMsg::Quarter) value=end_q choices=quarter_choices()/>
                    </fieldset>
                </div>
                <Show when=move || error.get()>
                    <p id="horizon-error" class="form-error-text" role="alert" tabindex="-1">
                        {move || t(lang.get(), PriorityMsg::BadYear)}
                    </p>
                </Show>
            }
        />
    }
}

#[component]
pub(super) fn DescriptionSection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let draft = RwSignal::new(String::new());
    let base = StoredValue::new(String::new());
    let on_open = Callback::new(move |()| {
        let text = page.read(|p| p.description.clone());
        draft.set(text.clone());
        base.set_value(text);
    });
    let on_save = Callback::new(move |()| {
        page.update(PriorityPatch {
            description: changed(&base.get_value(), draft.get_untracked()),
            ..PriorityPatch::default()
        })
    });
    let text = move || {
        page.priority
            .with(|p| p.as_ref().map(|p| p.description.clone()))
    };
    view! {
        <EditableSection
            key="description"
            heading=PriorityMsg::Description
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                {move || match text().filter(|d| !d.is_empty()) {
                    Some(d) => view! { <div class="long-text" id="priority-description-text">{d}</div> }.into_any(),
                    None => view! { <p class="empty" id="priority-description-text">{move || t(lang.get(), PriorityMsg::NoDescription)}</p> }.into_any(),
                }}
            }
            form=move || view! {
                <TextArea id="priority-description" label=tr(PriorityMsg::Description) value=draft rows=12 maxlength=20_000/>
            }
        />
    }
}

/// A list of items, each with an "unconfirmed" mark where the seed could
/// not confirm it.
fn marked_list(
    lang: crate::i18n::Lang,
    dom_id: &'static str,
    items: Vec<(String, bool)>,
    empty: PriorityMsg,
) -> AnyView {
    if items.is_empty() {
        return view! { <p class="empty" id=dom_id>{t(lang, empty)}</p> }.into_any();
    }
    view! {
        <ul class="plain-list" id=dom_id>
            {items
                .into_iter()
                .map(|(text, unconfirmed)| view! {
                    <li>
                        {text}
                        {unconfirmed.then(|| view! {
                            " "<span class="unconfirmed">{t(lang, PriorityMsg::Unconfirmed)}</span>
                        })}
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub(super) fn AlignmentSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let points = RwSignal::new(BTreeSet::<String>::new());
    let initiatives = RwSignal::new(BTreeSet::<String>::new());
    let base = StoredValue::new((BTreeSet::<u8>::new(), BTreeSet::<String>::new()));
    let on_open = Callback::new(move |()| {
        let values = page.read(|p| (p.ten_points.clone(), p.initiatives.clone()));
        points.set(values.0.iter().map(u8::to_string).collect());
        initiatives.set(values.1.clone());
        base.set_value(values);
    });
    let on_save = Callback::new(move |()| {
        let (p0, i0) = base.get_value();
        let chosen: BTreeSet<u8> = points
            .get_untracked()
            .iter()
            .filter_map(|k| k.parse().ok())
            .collect();
        page.update(PriorityPatch {
            ten_points: changed(&p0, chosen),
            initiatives: changed(&i0, initiatives.get_untracked()),
            ..PriorityPatch::default()
        })
    });
    let point_choices = Signal::derive(move || {
        sync.replica.with(|r| {
            r.view()
                .ten_points
                .keys()
                .map(|n| {
                    let n = *n;
                    Choice::new(
                        n.to_string(),
                        Signal::derive(move || {
                            sync.replica
                                .with(|r| words::ten_point_text(lang.get(), r.view(), n))
                        }),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let initiative_choices = Signal::derive(move || {
        sync.replica.with(|r| {
            r.view()
                .initiatives
                .keys()
                .map(|code| {
                    let label_code = code.clone();
                    Choice::new(
                        code.clone(),
                        Signal::derive(move || {
                            sync.replica
                                .with(|r| words::initiative_text(lang.get(), r.view(), &label_code))
                        }),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    // What the priority refers to, in words, with the unconfirmed marked.
    let chosen = Memo::new(move |_| {
        let lang = lang.get();
        let Some((ns, codes)) = page.priority.with(|p| {
            p.as_ref()
                .map(|p| (p.ten_points.clone(), p.initiatives.clone()))
        }) else {
            return (Vec::new(), Vec::new());
        };
        sync.replica.with(|r| {
            let state = r.view();
            let points = ns
                .iter()
                .map(|n| match state.ten_points.get(n) {
                    Some(p) => (
                        format!(
                            "{n}. {}",
                            if lang == crate::i18n::Lang::De {
                                &p.title_de
                            } else {
                                &p.title_en
                            }
                        ),
                        p.unconfirmed,
                    ),
                    None => (n.to_string(), false),
                })
                .collect::<Vec<_>>();
            let initiatives = codes
                .iter()
                .map(|c| match state.initiatives.get(c) {
                    Some(i) => (format!("{} – {}", i.code, i.title), i.unconfirmed),
                    None => (c.clone(), false),
                })
                .collect::<Vec<_>>();
            (points, initiatives)
        })
    });
    let any_unconfirmed = move || chosen.with(|(p, i)| p.iter().chain(i).any(|(_, u)| *u));
    view! {
        <EditableSection
            key="alignment"
            heading=PriorityMsg::Alignment
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                <h3>{move || t(lang.get(), PriorityMsg::TenPoints)}</h3>
                {move || marked_list(lang.get(), "priority-ten-points", chosen.get().0, PriorityMsg::NoTenPoints)}
                <h3>{move || t(lang.get(), PriorityMsg::Initiatives)}</h3>
                {move || marked_list(lang.get(), "priority-initiatives", chosen.get().1, PriorityMsg::NoInitiatives)}
                <Show when=any_unconfirmed>
                    <p class="hint">{move || t(lang.get(), PriorityMsg::UnconfirmedHint)}</p>
                </Show>
            }
            form=move || view! {
                <CheckboxGroup id="ten-point" legend=tr(PriorityMsg::TenPoints) value=points choices=point_choices/>
                <CheckboxGroup id="initiative" legend=tr(PriorityMsg::Initiatives) value=initiatives choices=initiative_choices/>
                <p class="hint">{move || t(lang.get(), PriorityMsg::UnconfirmedHint)}</p>
            }
        />
    }
}

#[component]
pub(super) fn DimensionsSection() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let dimensions = RwSignal::new(BTreeSet::<String>::new());
    let goals = RwSignal::new(BTreeSet::<String>::new());
    let base = StoredValue::new((
        BTreeSet::<Dimension>::new(),
        BTreeSet::<TransitionGoal>::new(),
    ));
    let on_open = Callback::new(move |()| {
        let values = page.read(|p| (p.dimensions.clone(), p.goals.clone()));
        dimensions.set(values.0.iter().map(|d| d.key().to_owned()).collect());
        goals.set(values.1.iter().map(|g| g.key().to_owned()).collect());
        base.set_value(values);
    });
    let on_save = Callback::new(move |()| {
        let (d0, g0) = base.get_value();
        let ds: BTreeSet<Dimension> = dimensions.with_untracked(|keys| {
            Dimension::ALL
                .into_iter()
                .filter(|d| keys.contains(d.key()))
                .collect()
        });
        let gs: BTreeSet<TransitionGoal> = goals.with_untracked(|keys| {
            TransitionGoal::ALL
                .into_iter()
                .filter(|g| keys.contains(g.key()))
                .collect()
        });
        page.update(PriorityPatch {
            dimensions: changed(&d0, ds),
            goals: changed(&g0, gs),
            ..PriorityPatch::default()
        })
    });
    let dimension_choices = Signal::derive(move || {
        Dimension::ALL
            .into_iter()
            .map(|d| {
                Choice::new(
                    d.key(),
                    Signal::derive(move || dimension_name(lang.get(), d).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let goal_choices = Signal::derive(move || {
        TransitionGoal::ALL
            .into_iter()
            .map(|g| {
                Choice::new(
                    g.key(),
                    Signal::derive(move || goal_name(lang.get(), g).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let shown = move || {
        let lang = lang.get();
        page.priority.with(|p| {
            p.as_ref().map(|p| {
                (
                    list_or(
                        lang,
                        p.dimensions
                            .iter()
                            .map(|d| dimension_name(lang, *d).to_owned())
                            .collect(),
                        PriorityMsg::NoneValue,
                    ),
                    list_or(
                        lang,
                        p.goals
                            .iter()
                            .map(|g| goal_name(lang, *g).to_owned())
                            .collect(),
                        PriorityMsg::NoneValue,
                    ),
                )
            })
        })
    };
    view! {
        <EditableSection
            key="dimensions"
            heading=PriorityMsg::DimensionsAndGoals
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                <dl class="field-list">
                    <dt>{move || t(lang.get(), PriorityMsg::Dimensions)}</dt>
                    <dd id="priority-dimensions-text">{move || shown().map(|s| s.0)}</dd>
                    <dt>{move || t(lang.get(), PriorityMsg::Goals)}</dt>
                    <dd id="priority-goals-text">{move || shown().map(|s| s.1)}</dd>
                </dl>
            }
            form=move || view! {
                <CheckboxGroup id="dimension" legend=tr(PriorityMsg::Dimensions) value=dimensions choices=dimension_choices/>
                <CheckboxGroup id="goal" legend=tr(PriorityMsg::Goals) value=goals choices=goal_choices/>
            }
        />
    }
}

fn region_name(sync: crate::sync::SyncHandle, id: RegionId) -> String {
    sync.replica.with(|r| {
        r.view()
            .regions
            .get(&id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    })
}

#[component]
pub(super) fn RegionsSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    // The secretariat decides for every region, an editor for their own.
    let actor = Memo::new(move |_| sync.replica.with(|r| (r.actor().role, r.actor().region)));
    let full = move || actor.get().0 == Role::Secretariat;
    let own = move || actor.get().1;

    let lead = RwSignal::new(String::new());
    let supporting = RwSignal::new(BTreeSet::<String>::new());
    let own_supports = RwSignal::new(false);
    let open_to_all = RwSignal::new(false);
    let base = StoredValue::new((None::<RegionId>, BTreeSet::<RegionId>::new(), false));
    let on_open = Callback::new(move |()| {
        let values = page.read(|p| (p.lead_region, p.supporting_regions.clone(), p.open_to_all));
        lead.set(values.0.map(|r| r.to_string()).unwrap_or_default());
        supporting.set(values.1.iter().map(RegionId::to_string).collect());
        own_supports.set(own().is_some_and(|r| values.1.contains(&r)));
        open_to_all.set(values.2);
        base.set_value(values);
    });
    let on_save = Callback::new(move |()| {
        let (l0, s0, o0) = base.get_value();
        let next_lead = lead.get_untracked().parse::<RegionId>().ok();
        let next_supporting: BTreeSet<RegionId> = if full() {
            supporting
                .get_untracked()
                .iter()
                .filter_map(|k| k.parse().ok())
                .collect()
        } else {
            let mut set = s0.clone();
            if let Some(r) = own() {
                if own_supports.get_untracked() {
                    set.insert(r);
                } else {
                    set.remove(&r);
                }
            }
            set
        };
        page.update(PriorityPatch {
            lead_region: changed(&l0, next_lead),
            supporting_regions: changed(&s0, next_supporting),
            open_to_all: changed(&o0, open_to_all.get_untracked()).filter(|_| full()),
            ..PriorityPatch::default()
        })
    });

    let members = region_choices(true);
    let no_lead = Signal::derive(move || t(lang.get(), PriorityMsg::NoLead).to_owned());
    // The choices are the leads the rules allow this person, and the current
    // lead (a former member's lead stays visible): the secretariat and the
    // lead region's editors choose among the members or no lead, an editor
    // of a priority without a lead may claim it for their own region, and a
    // supporting region's editor sees only the current lead.
    let lead_choices = Signal::derive(move || {
        let (l0, _, _) = base.get_value();
        let may_lead = |lead: Option<RegionId>| {
            lead == l0
                || sync.allows(&Mutation::UpdatePriority {
                    id: page.id,
                    patch: PriorityPatch {
                        lead_region: Some(lead),
                        ..PriorityPatch::default()
                    },
                })
        };
        let mut choices = Vec::new();
        if may_lead(None) {
            choices.push(Choice::new("", no_lead));
        }
        choices.extend(
            members
                .get()
                .into_iter()
                .filter(|c| c.key.parse().ok().is_some_and(|r| may_lead(Some(r)))),
        );
        for r in l0.into_iter().chain(own().filter(|r| may_lead(Some(*r)))) {
            if !choices.iter().any(|c| c.key == r.to_string()) {
                choices.push(Choice::new(
                    r.to_string(),
                    Signal::stored(region_name(sync, r)),
                ));
            }
        }
        choices
    });
    let supporting_choices = Signal::derive(move || {
        let (_, s0, _) = base.get_value();
        let mut choices = members.get();
        for r in s0 {
            if !choices.iter().any(|c| c.key == r.to_string()) {
                choices.push(Choice::new(
                    r.to_string(),
                    Signal::stored(region_name(sync, r)),
                ));
            }
        }
        choices
    });
    let may_open = page.may_update(PriorityPatch {
        open_to_all: Some(true),
        ..PriorityPatch::default()
    });

    let shown = move || {
        let lang = lang.get();
        page.priority.with(|p| {
            p.as_ref().map(|p| {
                let lead = p
                    .lead_region
                    .map(|r| region_name(sync, r))
                    .unwrap_or_else(|| t(lang, PriorityMsg::NoLead).to_owned());
                let mut names: Vec<String> = p
                    .supporting_regions
                    .iter()
                    .map(|r| region_name(sync, *r))
                    .collect();
                names.sort();
                (
                    lead,
                    list_or(lang, names, PriorityMsg::NoSupporting),
                    p.open_to_all,
                )
            })
        })
    };
    let yes_no = move |b: bool| {
        t(
            lang.get(),
            if b { PriorityMsg::Yes } else { PriorityMsg::No },
        )
    };
    view! {
        <EditableSection
            key="regions"
            heading=PriorityMsg::Regions
            can_edit=page.may_update(PriorityPatch::default())
            on_open=on_open
            on_save=on_save
            display=move || view! {
                <dl class="field-list">
                    <dt>{move || t(lang.get(), PriorityMsg::LeadRegion)}</dt>
                    <dd id="priority-lead-text">{move || shown().map(|s| s.0)}</dd>
                    <dt>{move || t(lang.get(), PriorityMsg::SupportingRegions)}</dt>
                    <dd id="priority-supporting-text">{move || shown().map(|s| s.1)}</dd>
                    <dt>{move || t(lang.get(), PriorityMsg::OpenToAll)}</dt>
                    <dd id="priority-open-text">{move || shown().map(|s| yes_no(s.2))}</dd>
                </dl>
            }
            form=move || view! {
                <SelectInput id="priority-lead" label=tr(PriorityMsg::LeadRegion) value=lead choices=lead_choices/>
                {move || if full() {
                    view! {
                        <CheckboxGroup id="supporting" legend=tr(PriorityMsg::SupportingRegions) value=supporting choices=supporting_choices/>
                    }.into_any()
                } else {
                    let name = own().map(|r| region_name(sync, r));
                    view! {
                        <p class="hint">{move || t(lang.get(), PriorityMsg::OwnRegionHint)}</p>
                        {name.map(|name| view! {
                            <div class="checkbox">
                                <input
                                    type="checkbox"
                                    id="own-region-supports"
                                    prop:checked=move || own_supports.get()
                                    on:change=move |ev| own_supports.set(event_target_checked(&ev))
                                />
                                <label for="own-region-supports">
                                    {move || words::own_region_supports(lang.get(), &name)}
                                </label>
                            </div>
                        })}
                    }.into_any()
                }}
                <Show when=move || may_open.get()>
                    <div class="checkbox">
                        <input
                            type="checkbox"
                            id="priority-open-to-all"
                            aria-describedby="priority-open-to-all-hint"
                            prop:checked=move || open_to_all.get()
                            on:change=move |ev| open_to_all.set(event_target_checked(&ev))
                        />
                        <label for="priority-open-to-all">{move || t(lang.get(), PriorityMsg::OpenToAll)}</label>
                    </div>
                    <p class="hint" id="priority-open-to-all-hint">{move || t(lang.get(), PriorityMsg::OpenToAllHint)}</p>
                </Show>
            }
        />
    }
}
