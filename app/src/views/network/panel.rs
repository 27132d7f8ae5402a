//! The side panel of the stakeholder network: the selected node's details
//! and links, and the forms that add, change and remove links and
//! organisations. Only the controls the person may use are shown.

use ara_shared::region::Membership;
use ara_shared::stakeholder::{
    LinkTarget, Relation, Stakeholder, StakeholderKind, StakeholderLink,
};
use ara_shared::{LinkId, Mutation, PriorityStatus, RegionId, StakeholderId, State};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;

use super::{Category, CategorySwatch, NetworkContext, Node, PanelMode};
use crate::i18n::model::{membership_name, relation_name, stakeholder_kind_name};
use crate::i18n::visual::{self, NetworkMsg};
use crate::i18n::{status_name, t};
use crate::routes::priority_path;
use crate::sync::new_id;
use crate::views::form::{Choice, SelectInput, TextInput, priority_choices, region_choices};
use crate::views::toolkit::{field_of, focus_by_id};
use crate::views::{tr, use_lang, use_sync};

/// The selected node's details and links, and the forms to change them.
#[component]
pub(super) fn DetailsPanel() -> impl IntoView {
    let lang = use_lang();
    let cx = expect_context::<NetworkContext>();
    let close = move |_| {
        if let Some(node) = cx.selected.get_untracked() {
            focus_by_id(node.dom_id());
        }
        cx.select.set(None);
    };
    let body = move || match (cx.mode.get(), cx.selected.get()) {
        (PanelMode::NewOrganisation, _) => view! { <OrganisationForm existing=None/> }.into_any(),
        (PanelMode::Details, Some(node)) => view! {
            <NodeDetails node=node/>
            <button type="button" class="nw-close" id="nw-close" on:click=close>
                {move || t(lang.get(), NetworkMsg::CloseDetails)}
            </button>
        }
        .into_any(),
        (PanelMode::Details, None) => view! {
            <p class="nw-nothing">{move || t(lang.get(), NetworkMsg::NothingSelected)}</p>
        }
        .into_any(),
    };
    view! {
        <aside class="nw-panel card" id="nw-panel" aria-labelledby="nw-details-heading">
            <h2 id="nw-details-heading" tabindex="-1">{move || t(lang.get(), NetworkMsg::Details)}</h2>
            <p class="nw-status" role="status" id="nw-status">
                {move || cx.status.get().map(|m| t(lang.get(), m))}
            </p>
            {body}
        </aside>
    }
}

/// The details of one node: keyed by the node, so that a form open on one
/// does not carry over to the next.
#[component]
fn NodeDetails(node: Node) -> impl IntoView {
    match node {
        Node::Stakeholder(id) => view! { <OrganisationDetails id=id/> }.into_any(),
        other => view! { <PlaceDetails node=other/> }.into_any(),
    }
}

fn target_name(state: &State, target: LinkTarget) -> Option<String> {
    match target {
        LinkTarget::Region(r) => state.regions.get(&r).map(|r| r.name.clone()),
        LinkTarget::Priority(p) => state.priorities.get(&p).map(|p| p.title.clone()),
    }
}

#[component]
fn OrganisationDetails(id: StakeholderId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let organisation = Memo::new(move |_| {
        sync.replica
            .with(|r| r.view().stakeholders.get(&id).cloned())
    });
    let editing = RwSignal::new(false);
    let field = move |f: fn(&Stakeholder) -> String| {
        organisation.with(|o| o.as_ref().map(f).unwrap_or_default())
    };
    let kind = move || organisation.with(|o| o.as_ref().map(|o| o.kind));
    // Fine-grained: a change by someone else updates the words in place, so
    // that a button with focus keeps it.
    let facts = move || {
        if organisation.with(Option::is_none) {
            return view! { <p>{move || t(lang.get(), NetworkMsg::Unknown)}</p> }.into_any();
        }
        if editing.get() {
            return view! { <OrganisationForm existing=organisation.get_untracked() editing=editing/> }.into_any();
        }
        view! {
            <h3 class="nw-name-heading" id="nw-selected-name" tabindex="-1">{move || field(|o| o.name.clone())}</h3>
            <dl class="nw-facts">
                <dt>{move || t(lang.get(), NetworkMsg::Kind)}</dt>
                <dd>
                    {move || kind().map(|k| view! {
                        <CategorySwatch category=Category::Kind(k)/>" "{move || stakeholder_kind_name(lang.get(), k)}
                    })}
                </dd>
                <dt>{move || t(lang.get(), NetworkMsg::Country)}</dt>
                <dd>{move || field(|o| o.country.clone())}</dd>
                <dt>{move || t(lang.get(), NetworkMsg::Website)}</dt>
                <dd>
                    {move || {
                        let website = field(|o| o.website.clone());
                        if website.is_empty() {
                            view! { <span>{move || t(lang.get(), NetworkMsg::NoWebsite)}</span> }.into_any()
                        } else {
                            view! { <a href=website.clone() rel="external noopener" target="_blank" id="nw-website">{website.clone()}</a> }.into_any()
                        }
                    }}
                </dd>
            </dl>
            <OrganisationButtons id=id organisation=organisation editing=editing/>
        }
        .into_any()
    };
    view! {
        {facts}
        <Show when=move || organisation.with(Option::is_some)>
            <LinkList anchor=Node::Stakeholder(id)/>
        </Show>
    }
}

/// Edit and delete (with a question first), for whoever may.
#[component]
fn OrganisationButtons(
    id: StakeholderId,
    organisation: Memo<Option<Stakeholder>>,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let confirming = RwSignal::new(false);
    let can_edit = move || {
        organisation.with(|o| {
            o.as_ref().is_some_and(|o| {
                sync.allows(&Mutation::SetStakeholder {
                    stakeholder: o.clone(),
                })
            })
        })
    };
    let can_delete = move || sync.allows(&Mutation::DeleteStakeholder { id });
    let name =
        move || organisation.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default());
    let links = move || {
        cx.infos
            .with(|i| i.get(&Node::Stakeholder(id)).map_or(0, |i| i.links))
    };
    let delete = move |_| {
        if sync.propose(Mutation::DeleteStakeholder { id }) {
            cx.status.set(Some(NetworkMsg::Deleted));
            cx.select.set(None);
            focus_by_id("nw-details-heading".into());
        }
    };
    view! {
        <div class="nw-buttons">
            <Show when=can_edit>
                <button type="button" id="nw-edit" on:click=move |_| {
                    editing.set(true);
                    focus_by_id("nw-org-name".into());
                }>
                    {move || t(lang.get(), NetworkMsg::Edit)}
                    <span class="visually-hidden">": "{name}</span>
                </button>
            </Show>
            <Show when=move || can_delete() && !confirming.get()>
                <button type="button" id="nw-delete" class="danger" on:click=move |_| {
                    confirming.set(true);
                    focus_by_id("nw-confirm-delete".into());
                }>
                    {move || t(lang.get(), NetworkMsg::Delete)}
                </button>
            </Show>
        </div>
        <Show when=move || confirming.get()>
            <div class="nw-confirm" role="group" aria-labelledby="nw-confirm-text">
                <p id="nw-confirm-text">{move || visual::confirm_delete(lang.get(), &name(), links())}</p>
                <button type="button" id="nw-confirm-delete" class="danger" on:click=delete>
                    {move || t(lang.get(), NetworkMsg::ConfirmDelete)}
                </button>
                <button type="button" on:click=move |_| {
                    confirming.set(false);
                    focus_by_id("nw-delete".into());
                }>
                    {move || t(lang.get(), NetworkMsg::Cancel)}
                </button>
            </div>
        </Show>
    }
}

/// A region's or a priority's details: what it is, and the organisations
/// linked to it.
#[component]
fn PlaceDetails(node: Node) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    type Facts = (String, Option<(String, Membership)>, Option<PriorityStatus>);
    let facts = Memo::new(move |_| -> Option<Facts> {
        sync.replica.with(|r| {
            let state = r.view();
            match node {
                Node::Region(id) => state.regions.get(&id).map(|r| {
                    (
                        r.name.clone(),
                        Some((r.country.clone(), r.membership)),
                        None,
                    )
                }),
                Node::Priority(id) => state
                    .priorities
                    .get(&id)
                    .map(|p| (p.title.clone(), None, Some(p.status))),
                Node::Stakeholder(_) => None,
            }
        })
    });
    let (what, category) = match node {
        Node::Region(_) => (NetworkMsg::Region, Category::Region),
        _ => (NetworkMsg::Priority, Category::Priority),
    };
    let name = move || {
        facts.with(|f| {
            f.as_ref()
                .map(|f| f.0.clone())
                .unwrap_or_else(|| t(lang.get(), NetworkMsg::Unknown).to_owned())
        })
    };
    let region = move || facts.with(|f| f.as_ref().and_then(|f| f.1.clone()));
    let status = move || facts.with(|f| f.as_ref().and_then(|f| f.2));
    let open = match node {
        Node::Priority(id) => Some(view! {
            <p><A href=priority_path(id)>{move || t(lang.get(), NetworkMsg::OpenPriority)}</A></p>
        }),
        _ => None,
    };
    view! {
        <h3 class="nw-name-heading" id="nw-selected-name" tabindex="-1">{name}</h3>
        <dl class="nw-facts">
            <dt>{move || t(lang.get(), NetworkMsg::Kind)}</dt>
            <dd><CategorySwatch category=category/>" "{move || t(lang.get(), what)}</dd>
            {move || region().map(|(country, membership)| view! {
                <dt>{move || t(lang.get(), NetworkMsg::Country)}</dt>
                <dd>{country}</dd>
                <dt>{move || t(lang.get(), NetworkMsg::Membership)}</dt>
                <dd>{move || membership_name(lang.get(), membership)}</dd>
            })}
            {move || status().map(|status| view! {
                <dt>{move || t(lang.get(), NetworkMsg::Status)}</dt>
                <dd>{move || status_name(lang.get(), status)}</dd>
            })}
        </dl>
        {open}
        <LinkList anchor=node/>
    }
}

/// The links of the selected node, each removable, and the form to add one.
#[component]
fn LinkList(anchor: Node) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let adding = RwSignal::new(false);
    let links = Memo::new(move |_| {
        sync.replica.with(|r| {
            let state = r.view();
            let mut links: Vec<(String, StakeholderLink)> = state
                .links
                .values()
                .filter(|l| match anchor {
                    Node::Stakeholder(s) => l.stakeholder == s,
                    other => Node::of_target(l.target) == other,
                })
                .map(|l| {
                    let other = match anchor {
                        Node::Stakeholder(_) => target_name(state, l.target),
                        _ => state
                            .stakeholders
                            .get(&l.stakeholder)
                            .map(|s| s.name.clone()),
                    };
                    (other.unwrap_or_default(), l.clone())
                })
                .collect();
            links.sort_by(|a, b| {
                (a.0.to_lowercase(), a.1.relation).cmp(&(b.0.to_lowercase(), b.1.relation))
            });
            links
        })
    });
    let can_link = move || {
        sync.allows(&Mutation::LinkStakeholder {
            link: StakeholderLink {
                id: LinkId::from_parts(0, [0; 10]),
                stakeholder: StakeholderId::from_parts(0, [0; 10]),
                target: LinkTarget::Region(RegionId::from_parts(0, [0; 10])),
                relation: Relation::Partner,
            },
        })
    };
    let open_form = move |_| {
        adding.set(true);
        focus_by_id("nw-link-first".into());
    };
    view! {
        <h3 id="nw-links-heading" tabindex="-1">{move || t(lang.get(), NetworkMsg::Links)}</h3>
        <Show when=move || !links.with(Vec::is_empty) fallback=move || view! { <p class="empty">{move || t(lang.get(), NetworkMsg::NoLinks)}</p> }>
            <ul class="nw-links" id="nw-links">
                <For
                    each=move || links.get()
                    key=|(name, l)| (l.id, name.clone(), l.relation)
                    children=move |(name, link)| {
                        let other = match anchor {
                            Node::Stakeholder(_) => Node::of_target(link.target),
                            _ => Node::Stakeholder(link.stakeholder),
                        };
                        view! { <LinkItem link=link name=name other=other/> }
                    }
                />
            </ul>
        </Show>
        <Show when=move || can_link() && !adding.get()>
            <button type="button" id="nw-add-link" on:click=open_form>
                <span aria-hidden="true">"+ "</span>{move || t(lang.get(), NetworkMsg::AddLink)}
            </button>
        </Show>
        <Show when=move || adding.get()>
            <AddLinkForm anchor=anchor adding=adding/>
        </Show>
    }
}

#[component]
fn LinkItem(link: StakeholderLink, name: String, other: Node) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let id = link.id;
    let relation = link.relation;
    let can_remove = move || sync.allows(&Mutation::UnlinkStakeholder { id });
    let remove = move |_| {
        if sync.propose(Mutation::UnlinkStakeholder { id }) {
            cx.status.set(Some(NetworkMsg::LinkRemoved));
            focus_by_id("nw-links-heading".into());
        }
    };
    let shown_name = if name.is_empty() {
        t(lang.get_untracked(), NetworkMsg::Unknown).to_owned()
    } else {
        name.clone()
    };
    let go = move |_| {
        cx.mode.set(PanelMode::Details);
        cx.select.set(Some(other));
        focus_by_id("nw-selected-name".into());
    };
    let hidden = {
        let name = name.clone();
        move || visual::remove_link_label(lang.get(), relation_name(lang.get(), relation), &name)
    };
    view! {
        <li class="nw-link" data-link=id.to_string() data-other=other.to_string() data-relation=relation.key()>
            <span class="nw-relation">{move || relation_name(lang.get(), relation)}</span>
            <button type="button" class="link-button nw-go" on:click=go>{shown_name}</button>
            <Show when=can_remove>
                <button type="button" class="nw-remove" on:click=remove>
                    {move || t(lang.get(), NetworkMsg::Remove)}
                    <span class="visually-hidden">" "{hidden.clone()}</span>
                </button>
            </Show>
        </li>
    }
}

/// Adds a link from the selected organisation to a region or a priority,
/// or to the selected region or priority from an organisation.
#[component]
fn AddLinkForm(anchor: Node, adding: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let target_kind = RwSignal::new("region".to_owned());
    let target = RwSignal::new(String::new());
    let relation = RwSignal::new(Relation::Partner.key().to_owned());
    let regions = region_choices(false);
    let priorities = priority_choices();
    let organisations = Signal::derive(move || {
        sync.replica.with(|r| {
            let mut all: Vec<(String, StakeholderId)> = r
                .view()
                .stakeholders
                .values()
                .map(|s| (s.name.clone(), s.id))
                .collect();
            all.sort_by_key(|(name, _)| name.to_lowercase());
            all.into_iter()
                .map(|(name, id)| Choice::new(id.to_string(), Signal::stored(name)))
                .collect::<Vec<_>>()
        })
    });
    let targets = Signal::derive(move || match anchor {
        Node::Stakeholder(_) if target_kind.get() == "priority" => priorities.get(),
        Node::Stakeholder(_) => regions.get(),
        _ => organisations.get(),
    });
    // The first choice until the person picks one (a select shows its first
    // option as chosen).
    Effect::new(move |_| {
        let choices = targets.get();
        if !choices.iter().any(|c| c.key == target.get_untracked()) {
            target.set(choices.first().map(|c| c.key.clone()).unwrap_or_default());
        }
    });
    let kinds = Signal::derive(move || {
        vec![
            Choice::new("region", tr(NetworkMsg::ToRegion)),
            Choice::new("priority", tr(NetworkMsg::ToPriority)),
        ]
    });
    let relations = Signal::derive(move || {
        Relation::ALL
            .into_iter()
            .map(|r| {
                Choice::new(
                    r.key(),
                    Signal::derive(move || relation_name(lang.get(), r).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let close = move || {
        adding.set(false);
        focus_by_id("nw-add-link".into());
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = target.get_untracked();
        let Some(relation) = Relation::ALL
            .into_iter()
            .find(|r| r.key() == relation.get_untracked())
        else {
            return;
        };
        let (stakeholder, target) = match anchor {
            Node::Stakeholder(s) => {
                let target = if target_kind.get_untracked() == "priority" {
                    chosen.parse().ok().map(LinkTarget::Priority)
                } else {
                    chosen.parse().ok().map(LinkTarget::Region)
                };
                (Some(s), target)
            }
            Node::Region(r) => (chosen.parse().ok(), Some(LinkTarget::Region(r))),
            Node::Priority(p) => (chosen.parse().ok(), Some(LinkTarget::Priority(p))),
        };
        let (Some(stakeholder), Some(target)) = (stakeholder, target) else {
            return;
        };
        let link = StakeholderLink {
            id: new_id(LinkId::from_parts),
            stakeholder,
            target,
            relation,
        };
        if sync.propose(Mutation::LinkStakeholder { link }) {
            cx.status.set(Some(NetworkMsg::LinkAdded));
            close();
        }
    };
    let is_organisation = matches!(anchor, Node::Stakeholder(_));
    let target_label = Signal::derive(move || {
        let msg = match anchor {
            Node::Stakeholder(_) if target_kind.get() == "priority" => NetworkMsg::Priority,
            Node::Stakeholder(_) => NetworkMsg::Region,
            _ => NetworkMsg::Organisation,
        };
        t(lang.get(), msg).to_owned()
    });
    view! {
        <form class="nw-form" id="nw-link-form" on:submit=submit on:keydown=move |ev: ev::KeyboardEvent| {
            if ev.key() == "Escape" {
                ev.prevent_default();
                close();
            }
        }>
            <h4>{move || t(lang.get(), NetworkMsg::AddLink)}</h4>
            {is_organisation.then(|| view! {
                <SelectInput id="nw-link-first" label=tr(NetworkMsg::LinkTo) value=target_kind choices=kinds/>
            })}
            <SelectInput
                id=if is_organisation { "nw-link-target" } else { "nw-link-first" }
                label=target_label
                value=target
                choices=targets
            />
            <SelectInput id="nw-link-relation" label=tr(NetworkMsg::Relation) value=relation choices=relations/>
            <div class="nw-buttons">
                <button type="submit" id="nw-save-link">{move || t(lang.get(), NetworkMsg::SaveLink)}</button>
                <button type="button" on:click=move |_| close()>{move || t(lang.get(), NetworkMsg::Cancel)}</button>
            </div>
        </form>
    }
}

/// Adds an organisation, or edits the selected one.
#[component]
fn OrganisationForm(
    existing: Option<Stakeholder>,
    #[prop(optional)] editing: Option<RwSignal<bool>>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let is_new = existing.is_none();
    let id = existing
        .as_ref()
        .map_or_else(|| new_id(StakeholderId::from_parts), |s| s.id);
    let name = field_of(existing.as_ref(), |s| s.name.clone());
    let kind = RwSignal::new(
        existing
            .as_ref()
            .map_or(StakeholderKind::Other, |s| s.kind)
            .key()
            .to_owned(),
    );
    let country = field_of(existing.as_ref(), |s| s.country.clone());
    let website = field_of(existing.as_ref(), |s| s.website.clone());
    let kinds = Signal::derive(move || {
        StakeholderKind::ALL
            .into_iter()
            .map(|k| {
                Choice::new(
                    k.key(),
                    Signal::derive(move || stakeholder_kind_name(lang.get(), k).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    });
    let finish = move |saved: bool| {
        if let Some(editing) = editing {
            editing.set(false);
            focus_by_id(if saved { "nw-selected-name" } else { "nw-edit" }.into());
        } else {
            cx.mode.set(PanelMode::Details);
            if saved {
                cx.select.set(Some(Node::Stakeholder(id)));
                focus_by_id("nw-selected-name".into());
            } else {
                focus_by_id("nw-new-organisation".into());
            }
        }
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = StakeholderKind::ALL
            .into_iter()
            .find(|k| k.key() == kind.get_untracked())
        else {
            return;
        };
        let stakeholder = Stakeholder {
            id,
            name: name.get_untracked(),
            kind,
            country: country.get_untracked().trim().to_uppercase(),
            website: website.get_untracked().trim().to_owned(),
        };
        if sync.propose(Mutation::SetStakeholder { stakeholder }) {
            cx.status.set(Some(NetworkMsg::Saved));
            finish(true);
        }
    };
    let heading = if is_new {
        NetworkMsg::NewOrganisation
    } else {
        NetworkMsg::EditOrganisation
    };
    view! {
        <form class="nw-form" id="nw-org-form" on:submit=submit on:keydown=move |ev: ev::KeyboardEvent| {
            if ev.key() == "Escape" {
                ev.prevent_default();
                finish(false);
            }
        }>
            <h3>{move || t(lang.get(), heading)}</h3>
            <TextInput id="nw-org-name" label=tr(NetworkMsg::Name) value=name maxlength=200 required=true/>
            <SelectInput id="nw-org-kind" label=tr(NetworkMsg::Kind) value=kind choices=kinds/>
            <TextInput id="nw-org-country" label=tr(NetworkMsg::Country) value=country maxlength=2 required=true hint=tr(NetworkMsg::CountryHint)/>
            <TextInput id="nw-org-website" label=tr(NetworkMsg::Website) value=website kind="url" hint=tr(NetworkMsg::WebsiteHint)/>
            <div class="nw-buttons">
                <button type="submit" id="nw-save-organisation">{move || t(lang.get(), NetworkMsg::Save)}</button>
                <button type="button" on:click=move |_| finish(false)>{move || t(lang.get(), NetworkMsg::Cancel)}</button>
            </div>
        </form>
    }
}
