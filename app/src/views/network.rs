//! The stakeholder network: the organisations the Alliance works with, the
//! regions, and the priorities organisations are linked to, drawn as a
//! graph (or listed in a table), with a panel for the selected node's
//! details and links, where links and organisations are added, changed and
//! removed.
//!
//! Priorities appear as nodes only once an organisation is linked to them:
//! a priority is where organisations meet (two organisations on the same
//! priority are two steps apart in the graph), which a marker on each
//! organisation would hide; unlinked priorities would only add clutter.
//!
//! The layout is computed in Rust ([`layout`]) and only when the set of
//! nodes or links changes, not on every edit; filtering hides nodes without
//! moving the others.

mod graph;
mod layout;
mod panel;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use ara_shared::stakeholder::{LinkTarget, Stakeholder, StakeholderKind};
use ara_shared::{Mutation, PriorityId, RegionId, StakeholderId, State};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::query_signal_with_options;

use self::graph::NetworkGraph;
use self::layout::{Graph, Layout};
use crate::i18n::model::stakeholder_kind_name;
use crate::i18n::nav::Nav;
use crate::i18n::visual::{NetworkMsg, kind_code};
use crate::i18n::{Lang, t};
use crate::views::toolkit::focus_by_id;
use crate::views::{page_title, tr, use_lang, use_sync};

/// A node of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Node {
    Stakeholder(StakeholderId),
    Region(RegionId),
    Priority(PriorityId),
}

impl Node {
    fn of_target(target: LinkTarget) -> Self {
        match target {
            LinkTarget::Region(r) => Node::Region(r),
            LinkTarget::Priority(p) => Node::Priority(p),
        }
    }

    fn dom_id(self) -> String {
        format!("nw-node-{self}")
    }
}

impl layout::NodeKey for Node {
    fn seed(&self) -> u64 {
        let (tag, id) = match self {
            Node::Stakeholder(id) => (1u64, id.0),
            Node::Region(id) => (2, id.0),
            Node::Priority(id) => (3, id.0),
        };
        let bits = id.as_u128();
        (bits as u64) ^ ((bits >> 64) as u64).rotate_left(17) ^ tag
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Stakeholder(id) => write!(f, "o-{id}"),
            Node::Region(id) => write!(f, "r-{id}"),
            Node::Priority(id) => write!(f, "p-{id}"),
        }
    }
}

impl FromStr for Node {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (tag, id) = s.split_once('-').ok_or(())?;
        match tag {
            "o" => id.parse().map(Node::Stakeholder).map_err(|_| ()),
            "r" => id.parse().map(Node::Region).map_err(|_| ()),
            "p" => id.parse().map(Node::Priority).map_err(|_| ()),
            _ => Err(()),
        }
    }
}

/// What the filter shows or hides: one kind of organisation, the regions,
/// or the priorities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Category {
    Kind(StakeholderKind),
    Region,
    Priority,
}

impl Category {
    fn all() -> impl Iterator<Item = Category> {
        StakeholderKind::ALL
            .into_iter()
            .map(Category::Kind)
            .chain([Category::Region, Category::Priority])
    }

    fn key(self) -> &'static str {
        match self {
            Category::Kind(k) => k.key(),
            Category::Region => "region",
            Category::Priority => "priority",
        }
    }

    fn class(self) -> String {
        format!("nw-cat-{}", self.key())
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Category::Kind(k) => stakeholder_kind_name(lang, k),
            Category::Region => t(lang, NetworkMsg::Regions),
            Category::Priority => t(lang, NetworkMsg::Priorities),
        }
    }
}

/// The categories shown, as the address says (all when absent).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shown(BTreeSet<Category>);

impl FromStr for Shown {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(
            s.split(',')
                .filter_map(|key| Category::all().find(|c| c.key() == key))
                .collect(),
        ))
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.0.iter().map(|c| c.key()).collect();
        f.write_str(&keys.join(","))
    }
}

/// Graph or list, as the address says (graph when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ListView;

impl FromStr for ListView {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        (s == "list").then_some(ListView).ok_or(())
    }
}

impl fmt::Display for ListView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("list")
    }
}

/// The graph of the state: every organisation and region, the priorities
/// with links, and one edge per linked pair.
fn graph_of(state: &State) -> Graph<Node> {
    let linked: BTreeSet<PriorityId> = state
        .links
        .values()
        .filter_map(|l| match l.target {
            LinkTarget::Priority(p) if state.priorities.contains_key(&p) => Some(p),
            _ => None,
        })
        .collect();
    Graph::new(
        state
            .stakeholders
            .keys()
            .map(|id| Node::Stakeholder(*id))
            .chain(state.regions.keys().map(|id| Node::Region(*id)))
            .chain(linked.into_iter().map(Node::Priority)),
        state
            .links
            .values()
            .map(|l| (Node::Stakeholder(l.stakeholder), Node::of_target(l.target))),
    )
}

/// What a node shows: its category, its name, the code in its shape and
/// its number of links.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NodeInfo {
    category: Category,
    name: String,
    /// In the shape: the country of a region, the number of a priority
    /// (an organisation's code depends on the language).
    code: String,
    links: usize,
}

fn node_infos(state: &State) -> BTreeMap<Node, NodeInfo> {
    let mut degree: BTreeMap<Node, usize> = BTreeMap::new();
    for l in state.links.values() {
        *degree.entry(Node::Stakeholder(l.stakeholder)).or_default() += 1;
        *degree.entry(Node::of_target(l.target)).or_default() += 1;
    }
    let links = |n: &Node| degree.get(n).copied().unwrap_or(0);
    let mut infos = BTreeMap::new();
    for s in state.stakeholders.values() {
        let node = Node::Stakeholder(s.id);
        infos.insert(
            node,
            NodeInfo {
                category: Category::Kind(s.kind),
                name: s.name.clone(),
                code: String::new(),
                links: links(&node),
            },
        );
    }
    for r in state.regions.values() {
        let node = Node::Region(r.id);
        infos.insert(
            node,
            NodeInfo {
                category: Category::Region,
                name: r.name.clone(),
                code: r.country.clone(),
                links: links(&node),
            },
        );
    }
    for (i, p) in state.priorities_in_order().enumerate() {
        let node = Node::Priority(p.id);
        infos.insert(
            node,
            NodeInfo {
                category: Category::Priority,
                name: p.title.clone(),
                code: (i + 1).to_string(),
                links: links(&node),
            },
        );
    }
    infos
}

/// A short name under a node: an organisation's abbreviation in brackets
/// at the end of its name if it has one, else the start of the name.
fn short_name(name: &str) -> String {
    if let Some(open) = name.rfind('(')
        && name.ends_with(')')
    {
        let inside = &name[open + 1..name.len() - 1];
        if (2..=10).contains(&inside.chars().count()) && !inside.contains(' ') {
            return inside.to_owned();
        }
    }
    const MAX: usize = 16;
    if name.chars().count() <= MAX {
        return name.to_owned();
    }
    let cut: String = name.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

fn stay() -> NavigateOptions {
    NavigateOptions {
        scroll: false,
        ..NavigateOptions::default()
    }
}

/// What the side panel is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PanelMode {
    Details,
    NewOrganisation,
}

/// Everything the parts of the page share.
#[derive(Clone, Copy)]
struct NetworkContext {
    selected: Memo<Option<Node>>,
    select: SignalSetter<Option<Node>>,
    shown: Memo<Option<Shown>>,
    infos: Memo<BTreeMap<Node, NodeInfo>>,
    layout: Memo<Layout<Node>>,
    mode: RwSignal<PanelMode>,
    /// A short confirmation of the last change, read out politely.
    status: RwSignal<Option<NetworkMsg>>,
}

impl NetworkContext {
    fn is_shown(&self, category: Category) -> bool {
        self.shown
            .with(|s| s.as_ref().is_none_or(|s| s.0.contains(&category)))
    }
}

#[component]
pub fn StakeholderNetwork() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    page_title(Nav::Network);
    let (selected, select) = query_signal_with_options::<Node>("node", stay());
    let (shown, set_shown) = query_signal_with_options::<Shown>("show", stay());
    let (list, set_list) = query_signal_with_options::<ListView>("view", stay());
    let graph = Memo::new(move |_| sync.replica.with(|r| graph_of(r.view())));
    let layout = Memo::new(move |previous: Option<&Layout<Node>>| {
        graph.with(|g| layout::layout(g, previous))
    });
    let infos = Memo::new(move |_| sync.replica.with(|r| node_infos(r.view())));
    let cx = NetworkContext {
        selected,
        select,
        shown,
        infos,
        layout,
        mode: RwSignal::new(PanelMode::Details),
        status: RwSignal::new(None),
    };
    provide_context(cx);
    let can_create = move || {
        sync.allows(&Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                id: StakeholderId::from_parts(0, [0; 10]),
                name: String::new(),
                kind: StakeholderKind::Other,
                country: String::new(),
                website: String::new(),
            },
        })
    };
    let new_organisation = move |_| {
        cx.mode.set(PanelMode::NewOrganisation);
        focus_by_id("nw-org-name".into());
    };
    let toggle = move |category: Category, on: bool| {
        let mut set: BTreeSet<Category> = shown
            .get_untracked()
            .map_or_else(|| Category::all().collect(), |s| s.0);
        if on {
            set.insert(category);
        } else {
            set.remove(&category);
        }
        let all = set.len() == Category::all().count();
        set_shown.set((!all).then_some(Shown(set)));
    };

    view! {
        <section class="page network" aria-labelledby="network-heading">
            <h1 id="network-heading">{move || t(lang.get(), Nav::Network)}</h1>
            <p class="intro">{move || t(lang.get(), NetworkMsg::Intro)}</p>
            <div class="nw-actions">
                <div class="nw-view-switch" role="group" aria-label=tr(NetworkMsg::ShowAs)>
                    <button type="button" id="nw-show-graph" aria-pressed=move || list.get().is_none().to_string()
                        on:click=move |_| set_list.set(None)>
                        {move || t(lang.get(), NetworkMsg::Graph)}
                    </button>
                    <button type="button" id="nw-show-list" aria-pressed=move || list.get().is_some().to_string()
                        on:click=move |_| set_list.set(Some(ListView))>
                        {move || t(lang.get(), NetworkMsg::List)}
                    </button>
                </div>
                <Show when=can_create>
                    <button type="button" id="nw-new-organisation" on:click=new_organisation>
                        <span aria-hidden="true">"+ "</span>{move || t(lang.get(), NetworkMsg::NewOrganisation)}
                    </button>
                </Show>
                <a class="nw-download" href="/api/export/stakeholders.csv" download="ara-stakeholders.csv">
                    {move || t(lang.get(), NetworkMsg::Download)}
                </a>
            </div>
            <fieldset class="nw-filter" id="nw-filter">
                <legend>{move || t(lang.get(), NetworkMsg::FilterKinds)}</legend>
                <ul>
                    {Category::all()
                        .map(|c| {
                            let id = format!("nw-show-{}", c.key());
                            view! {
                                <li class="checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        prop:checked=move || cx.is_shown(c)
                                        on:change=move |ev| toggle(c, event_target_checked(&ev))
                                    />
                                    <label for=id>
                                        <CategorySwatch category=c/>
                                        {move || c.name(lang.get())}
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <button type="button" id="nw-show-all" on:click=move |_| set_shown.set(None)
                    disabled=move || shown.get().is_none()>
                    {move || t(lang.get(), NetworkMsg::ShowAll)}
                </button>
                <p class="hint">
                    {move || t(lang.get(), NetworkMsg::LegendOrganisation)}". "
                    {move || t(lang.get(), NetworkMsg::LegendRegion)}". "
                    {move || t(lang.get(), NetworkMsg::LegendPriority)}"."
                </p>
            </fieldset>
            <div class="nw-layout">
                <div class="nw-main">
                    <Show
                        when=move || sync.loaded.get() || !infos.with(BTreeMap::is_empty)
                        fallback=move || view! { <p class="loading">{move || t(lang.get(), crate::i18n::Msg::Loading)}</p> }
                    >
                        <Show when=move || list.get().is_none() fallback=|| view! { <OrganisationTable/> }>
                            <NetworkGraph graph=graph/>
                        </Show>
                    </Show>
                </div>
                <panel::DetailsPanel/>
            </div>
        </section>
    }
}

/// The shape, colour and code of a category, as in the graph.
#[component]
fn CategorySwatch(category: Category) -> impl IntoView {
    let lang = use_lang();
    let code = move || match category {
        Category::Kind(k) => kind_code(lang.get(), k).to_owned(),
        Category::Region => "DE".into(),
        Category::Priority => "1".into(),
    };
    let shape = match category {
        Category::Kind(_) => view! { <circle cx="13" cy="13" r="12"/> }.into_any(),
        Category::Region => view! { <rect x="2" y="2" width="22" height="22" rx="2"/> }.into_any(),
        Category::Priority => view! { <polygon points="13,0 26,13 13,26 0,13"/> }.into_any(),
    };
    view! {
        <svg class=format!("nw-swatch {}", category.class()) width="26" height="26" viewBox="0 0 26 26" aria-hidden="true" focusable="false">
            <g class="nw-shape">{shape}</g>
            <text x="13" y="13" dy="0.35em" text-anchor="middle" class="nw-code">{code}</text>
        </svg>
    }
}

/// The organisations as a table: the graph's accessible alternative, and
/// the handier view on a phone.
#[component]
fn OrganisationTable() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let rows = Memo::new(move |_| {
        let mut rows: Vec<(String, StakeholderId)> = sync.replica.with(|r| {
            r.view()
                .stakeholders
                .values()
                .filter(|s| cx.is_shown(Category::Kind(s.kind)))
                .map(|s| (s.name.to_lowercase(), s.id))
                .collect()
        });
        rows.sort();
        rows.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    });
    let header = move |msg: NetworkMsg| view! { <th scope="col">{move || t(lang.get(), msg)}</th> };
    view! {
        <div class="table-scroll" tabindex="0" role="group" aria-labelledby="nw-table-caption">
            <table class="nw-table" id="nw-table">
                <caption id="nw-table-caption">{move || t(lang.get(), NetworkMsg::Organisations)}</caption>
                <thead>
                    <tr>
                        {header(NetworkMsg::Name)}
                        {header(NetworkMsg::Kind)}
                        {header(NetworkMsg::Country)}
                        {header(NetworkMsg::Website)}
                        {header(NetworkMsg::Links)}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|id| *id children=move |id| view! { <OrganisationRow id=id/> }/>
                </tbody>
            </table>
        </div>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="empty" role="status">{move || t(lang.get(), NetworkMsg::NothingMatches)}</p>
        </Show>
    }
}

#[component]
fn OrganisationRow(id: StakeholderId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let node = Node::Stakeholder(id);
    let organisation = Memo::new(move |_| {
        sync.replica
            .with(|r| r.view().stakeholders.get(&id).cloned())
    });
    let links = move || cx.infos.with(|i| i.get(&node).map_or(0, |i| i.links));
    let field = move |f: fn(&Stakeholder) -> String| {
        organisation.with(|o| o.as_ref().map(f).unwrap_or_default())
    };
    let kind = move || organisation.with(|o| o.as_ref().map(|o| o.kind));
    view! {
        <tr data-node=node.to_string()>
            <th scope="row">
                <button
                    type="button"
                    class="nw-select"
                    id=format!("nw-row-{node}")
                    aria-pressed=move || (cx.selected.get() == Some(node)).to_string()
                    on:click=move |_| {
                        cx.mode.set(PanelMode::Details);
                        cx.select.set(Some(node));
                    }
                >
                    {move || field(|o| o.name.clone())}
                </button>
            </th>
            <td>
                {move || kind().map(|k| view! { <CategorySwatch category=Category::Kind(k)/> " " {stakeholder_kind_name(lang.get(), k)} })}
            </td>
            <td>{move || field(|o| o.country.clone())}</td>
            <td>
                {move || {
                    let url = field(|o| o.website.clone());
                    (!url.is_empty()).then(|| view! { <a href=url.clone() rel="external noopener" target="_blank">{url.clone()}</a> })
                }}
            </td>
            <td>{links}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ara_shared::demo::demo_mutations;
    use ara_shared::{Actor, Context, Role, UserId};

    fn demo() -> State {
        let actor = Actor {
            user: UserId::from_parts(0, [0; 10]),
            name: "Test".into(),
            role: Role::Secretariat,
            region: None,
        };
        let mut state = State::default();
        for m in demo_mutations(0) {
            state
                .apply(
                    &m,
                    &Context {
                        actor: &actor,
                        now_ms: 0,
                    },
                )
                .expect("demo data applies");
        }
        state
    }

    #[test]
    fn the_demo_network_has_every_organisation_and_region_and_the_linked_priorities() {
        let state = demo();
        let graph = graph_of(&state);
        let count = |f: fn(&Node) -> bool| graph.nodes().iter().filter(|n| f(n)).count();
        assert_eq!(
            count(|n| matches!(n, Node::Stakeholder(_))),
            state.stakeholders.len()
        );
        assert_eq!(count(|n| matches!(n, Node::Region(_))), state.regions.len());
        let linked: BTreeSet<_> = state
            .links
            .values()
            .filter_map(|l| match l.target {
                LinkTarget::Priority(p) => Some(p),
                LinkTarget::Region(_) => None,
            })
            .collect();
        assert_eq!(count(|n| matches!(n, Node::Priority(_))), linked.len());
        assert!(!graph.edges().is_empty());
        let layout = layout::layout(&graph, None);
        assert!(layout.work <= layout::WORK_BUDGET);
        assert_eq!(layout.positions().count(), graph.nodes().len());
    }

    #[test]
    fn node_keys_and_filters_round_trip_through_the_address() {
        let node = Node::Region(RegionId::from_parts(1_700_000_000_000, [7; 10]));
        assert_eq!(node.to_string().parse::<Node>(), Ok(node));
        assert!("x-123".parse::<Node>().is_err());
        let shown: Shown = "industry,region,nonsense".parse().expect("infallible");
        assert_eq!(
            shown.0,
            BTreeSet::from([Category::Kind(StakeholderKind::Industry), Category::Region])
        );
        assert_eq!(shown.to_string(), "industry,region");
    }

    #[test]
    fn short_names_prefer_the_abbreviation() {
        assert_eq!(short_name("European Committee of the Regions (CoR)"), "CoR");
        assert_eq!(short_name("CLEPA"), "CLEPA");
        assert_eq!(
            short_name("European Association of Automotive Suppliers"),
            "European Associ…"
        );
        assert_eq!(
            short_name("Something (with spaces inside)"),
            "Something (with…"
        );
    }
}
