//! The graph drawn as SVG: links as lines, nodes as shapes with a short
//! name, and roving keyboard focus between nodes (the arrows move to the
//! nearest node in their direction).

use std::collections::BTreeSet;

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::i18n::visual::{self, NetworkMsg, kind_code};
use crate::views::timeline::svg_title;
use crate::views::toolkit::{focus_by_id, focus_now};
use crate::views::{use_lang, use_sync};

use super::layout::{Direction, Graph, nearest_in_direction};
use super::{Category, NetworkContext, Node, NodeInfo, PanelMode, short_name};

/// The graph: links as lines, nodes as shapes with their code and a short
/// name. One node is the keyboard's way in (roving focus); the arrow keys
/// move to the nearest node in their direction.
#[component]
pub(super) fn NetworkGraph(graph: Memo<Graph<Node>>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let cx = expect_context::<NetworkContext>();
    let visible_nodes = Memo::new(move |_| {
        cx.infos.with(|infos| {
            graph.with(|g| {
                g.nodes()
                    .iter()
                    .filter(|n| infos.get(n).is_some_and(|i| cx.is_shown(i.category)))
                    .copied()
                    .collect::<Vec<_>>()
            })
        })
    });
    let visible_edges = Memo::new(move |_| {
        let nodes: BTreeSet<Node> = visible_nodes.get().into_iter().collect();
        graph.with(|g| {
            g.edges()
                .iter()
                .filter(|(a, b)| nodes.contains(a) && nodes.contains(b))
                .copied()
                .collect::<Vec<_>>()
        })
    });
    // The node that Tab reaches: the selected one if shown, else the last
    // one the arrows went to, else the first.
    let current = RwSignal::new(None::<Node>);
    let tab_stop = Memo::new(move |_| {
        let visible = visible_nodes.get();
        [cx.selected.get(), current.get()]
            .into_iter()
            .flatten()
            .find(|n| visible.contains(n))
            .or_else(|| visible.first().copied())
    });
    let step = move |from: Node, key: &str| -> Option<Node> {
        let visible = visible_nodes.get_untracked();
        let direction = match key {
            "ArrowLeft" => Direction::Left,
            "ArrowRight" => Direction::Right,
            "ArrowUp" => Direction::Up,
            "ArrowDown" => Direction::Down,
            "Home" => return visible.first().copied(),
            "End" => return visible.last().copied(),
            _ => return None,
        };
        cx.layout.with_untracked(|l| {
            let at = l.position(&from)?;
            nearest_in_direction(
                at,
                direction,
                visible
                    .iter()
                    .filter(|n| **n != from)
                    .filter_map(|n| l.position(n).map(|p| (*n, p))),
            )
        })
    };
    let on_move = Callback::new(move |(from, key): (Node, String)| {
        if let Some(next) = step(from, &key) {
            current.set(Some(next));
            if !focus_now(&next.dom_id()) {
                focus_by_id(next.dom_id());
            }
        }
    });
    let size = move || cx.layout.with(|l| (l.width, l.height));
    let description = move || {
        let lang = lang.get();
        let (mut organisations, mut regions, mut priorities) = (0, 0, 0);
        cx.infos.with(|infos| {
            for node in visible_nodes.get() {
                match infos.get(&node).map(|i| i.category) {
                    Some(Category::Kind(_)) => organisations += 1,
                    Some(Category::Region) => regions += 1,
                    Some(Category::Priority) => priorities += 1,
                    None => {}
                }
            }
        });
        let links = sync.replica.with(|r| r.view().links.len());
        format!(
            "{} {}",
            visual::graph_description(lang, organisations, regions, priorities, links),
            t(lang, NetworkMsg::GraphKeys)
        )
    };
    view! {
        <div class="nw-graph-box">
            <p id="nw-graph-keys" class="hint">{move || t(lang.get(), NetworkMsg::GraphKeys)}</p>
            <svg
                class="nw-graph"
                id="nw-graph"
                viewBox=move || format!("0 0 {} {}", size().0, size().1)
                role="group"
                aria-labelledby="nw-graph-title"
                aria-describedby="nw-graph-desc"
            >
                {svg_title(Some("nw-graph-title"), move || t(lang.get(), Nav::Network).to_owned())}
                <desc id="nw-graph-desc">{description}</desc>
                <g class="nw-edges" aria-hidden="true">
                    <For each=move || visible_edges.get() key=|e| *e children=move |(a, b)| view! { <GraphEdge a=a b=b/> }/>
                </g>
                <g class="nw-nodes">
                    <For
                        each=move || visible_nodes.get()
                        key=|n| *n
                        children=move |node| view! { <GraphNode node=node tab_stop=tab_stop on_move=on_move/> }
                    />
                </g>
            </svg>
        </div>
    }
}

#[component]
fn GraphEdge(a: Node, b: Node) -> impl IntoView {
    let cx = expect_context::<NetworkContext>();
    let ends = Memo::new(move |_| cx.layout.with(|l| l.position(&a).zip(l.position(&b))));
    let end = move |first: bool, x: bool| {
        ends.get().map_or(0.0, |(p, q)| {
            let point = if first { p } else { q };
            if x { point.x } else { point.y }
        })
    };
    let highlighted = move || cx.selected.get().is_some_and(|s| s == a || s == b);
    view! {
        <line
            x1=move || end(true, true)
            y1=move || end(true, false)
            x2=move || end(false, true)
            y2=move || end(false, false)
            class=move || if highlighted() { "nw-edge nw-edge-selected" } else { "nw-edge" }
            data-a=a.to_string()
            data-b=b.to_string()
        />
    }
}

#[component]
fn GraphNode(
    node: Node,
    tab_stop: Memo<Option<Node>>,
    on_move: Callback<(Node, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let cx = expect_context::<NetworkContext>();
    let info = Memo::new(move |_| cx.infos.with(|i| i.get(&node).cloned()));
    let at = Memo::new(move |_| cx.layout.with(|l| l.position(&node)));
    let is_selected = move || cx.selected.get() == Some(node);
    let category = move || info.with(|i| i.as_ref().map(|i| i.category));
    let code = move || {
        info.with(|i| match i {
            Some(NodeInfo {
                category: Category::Kind(k),
                ..
            }) => kind_code(lang.get(), *k).to_owned(),
            Some(i) => i.code.clone(),
            None => String::new(),
        })
    };
    let label = move || {
        let lang = lang.get();
        info.with(|i| {
            i.as_ref().map_or(String::new(), |i| {
                let what = match i.category {
                    Category::Priority => {
                        visual::priority_number(lang, i.code.parse().unwrap_or(0))
                    }
                    c => c.name(lang).to_owned(),
                };
                visual::node_label(lang, &i.name, &what, i.links)
            })
        })
    };
    let shape = move || match category() {
        Some(Category::Region) => {
            view! { <rect x="-18" y="-18" width="36" height="36" rx="3" class="nw-shape"/> }
                .into_any()
        }
        Some(Category::Priority) => {
            view! { <polygon points="0,-22 22,0 0,22 -22,0" class="nw-shape"/> }.into_any()
        }
        _ => view! { <circle r="20" class="nw-shape"/> }.into_any(),
    };
    let choose = move || {
        cx.mode.set(PanelMode::Details);
        cx.select.set(Some(node));
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" | " " => choose(),
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End" => {
                on_move.run((node, key));
            }
            _ => return,
        }
        ev.prevent_default();
    };
    view! {
        <g
            class=move || {
                let category = category().map(Category::class).unwrap_or_default();
                if is_selected() { format!("nw-node {category} nw-selected") } else { format!("nw-node {category}") }
            }
            id=node.dom_id()
            data-node=node.to_string()
            data-category=move || category().map(Category::key)
            transform=move || at.get().map(|p| format!("translate({:.1} {:.1})", p.x, p.y))
            role="button"
            tabindex=move || if tab_stop.get() == Some(node) { "0" } else { "-1" }
            aria-pressed=move || is_selected().to_string()
            aria-label=label
            on:click=move |_| choose()
            on:keydown=on_key
        >
            {svg_title(None, move || info.with(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default()))}
            <circle r="28" class="nw-halo"/>
            {shape}
            <text dy="0.35em" text-anchor="middle" class="nw-code">{code}</text>
            <text y="40" text-anchor="middle" class="nw-name" aria-hidden="true">
                {move || info.with(|i| i.as_ref().map(|i| short_name(&i.name)))}
            </text>
        </g>
    }
}
