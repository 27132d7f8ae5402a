//! The timeline and the stakeholder network in real headless Chromium
//! against the real server, with the demo data. What each test expects is
//! computed from the server's state, never written down by hand.

use ara_shared::protocol::ServerMessage;
use ara_shared::stakeholder::{LinkTarget, StakeholderKind};
use ara_shared::{Action, ActionId, Date, Mutation, Role, State, Term};
use ara_tests::app::{assert_accessible, js, open_at};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;
use serde_json::{Value, json};

/// A server with the demo data (`start()` begins empty).
async fn demo_server() -> TestServer {
    TestServer::start_with(&[]).await
}

/// The state as the server holds it now.
async fn server_state(server: &TestServer, cookie: &str) -> State {
    let (_, catch_up) = SyncClient::connect(server, cookie).await;
    match catch_up {
        ServerMessage::Snapshot { state, .. } => *state,
        other => panic!("a new client gets a snapshot, not {other:?}"),
    }
}

/// Pushes `mutations` as the person with `cookie` and waits until all are
/// accepted.
async fn apply(server: &TestServer, cookie: &str, mutations: Vec<Mutation>) {
    let (mut client, _) = SyncClient::connect(server, cookie).await;
    let envelopes: Vec<_> = mutations.into_iter().map(|m| client.envelope(m)).collect();
    let last = envelopes.last().expect("something to apply").seq;
    client.push(envelopes).await;
    client.ack(last).await;
}

fn action(title: &str, due: &str, done: bool, n: u8) -> Action {
    Action {
        id: ActionId::from_parts(1_700_000_000_000, [n; 10]),
        title: title.into(),
        owner: None,
        due: Some(due.parse::<Date>().expect("a date")),
        done,
    }
}

/// Narrows the page to a phone's width.
async fn phone(page: &Page) {
    page.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    )
    .await;
    page.wait_for("innerWidth === 390", "the phone's width")
        .await;
}

/// Sets a `<select>` the way a choice by the person does.
async fn choose(page: &Page, selector: &str, value: &str) {
    page.wait_for(
        &format!(
            "[...document.querySelector({}).options].some(o => o.value === {})",
            js(selector),
            js(value)
        ),
        &format!("the choice {value} in {selector}"),
    )
    .await;
    page.eval(&format!(
        "(() => {{ const s = document.querySelector({}); s.value = {}; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()",
        js(selector),
        js(value)
    ))
    .await;
}

/// The bars as the page draws them.
async fn bars(page: &Page) -> Vec<Value> {
    let found = page
        .eval(
            "[...document.querySelectorAll('#tl-chart a.tl-bar')].map(a => {
                const r = a.querySelector('rect');
                return { id: a.dataset.id, start: a.dataset.start, end: a.dataset.end,
                         number: +a.dataset.number, label: a.getAttribute('aria-label'),
                         x: +r.getAttribute('x'), width: +r.getAttribute('width') };
            })",
        )
        .await;
    found.as_array().cloned().unwrap_or_default()
}

fn quarter_px(page_value: &Value) -> f64 {
    page_value.as_f64().expect("the quarter width")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_puts_each_priority_on_its_quarters_with_milestones_today_and_zoom() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let before = server_state(&server, &anna).await;
    let first = before.programme_order[0];
    apply(
        &server,
        &anna,
        vec![
            Mutation::SetPriorityAction {
                priority: first,
                action: action("Kick-off of the working group", "2025-02-14", true, 1),
            },
            Mutation::SetPriorityAction {
                priority: first,
                action: action("Report to the annual conference", "2026-09-30", false, 2),
            },
        ],
    )
    .await;
    let state = server_state(&server, &anna).await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/timeline").await;

    with_failure_screenshots("timeline", &[&page], async {
        let count = state.priorities.len();
        page.wait_for(
            &format!("document.querySelectorAll('#tl-chart a.tl-bar').length === {count}"),
            "a bar per priority",
        )
        .await;
        let quarter_lines = page
            .eval("Object.fromEntries([...document.querySelectorAll('#tl-chart line[data-quarter]')].map(l => [l.dataset.quarter, +l.getAttribute('x1')]))")
            .await;
        let qpx = quarter_px(&page.eval("+document.querySelector('#tl-chart').dataset.quarterPx").await);
        let drawn = bars(&page).await;
        for (i, (p, bar)) in state.priorities_in_order().zip(&drawn).enumerate() {
            let (start, end) = (p.horizon.start, p.horizon.end);
            assert_eq!(bar["id"], p.id.to_string(), "bar {i} is the priority in programme order");
            assert_eq!(bar["number"], i + 1);
            assert_eq!(bar["start"], start.to_string());
            assert_eq!(bar["end"], end.to_string());
            let x = bar["x"].as_f64().expect("x");
            let start_x = quarter_lines[start.to_string()].as_f64().expect("a grid line for the start");
            assert!((x - start_x).abs() < 0.2, "{}: the bar starts at its first quarter", p.title);
            let quarters = f64::from(end.index() - start.index() + 1);
            let width = bar["width"].as_f64().expect("width");
            assert!((width - quarters * qpx).abs() < 0.2, "{}: the bar spans {quarters} quarters", p.title);
            let label = bar["label"].as_str().expect("a label");
            let term = match p.horizon.term {
                Term::Short => "Short term",
                Term::Medium => "Medium term",
            };
            assert!(label.starts_with(&format!("{}: {term}", p.title)), "{label}");
            assert!(
                label.contains(&format!("Q{} {} to Q{} {}", start.q(), start.year(), end.q(), end.year())),
                "{label}"
            );
        }
        // The milestones: a diamond for the one done, a circle for the open one.
        let marks = page
            .eval(&format!(
                "[...document.querySelector('a.tl-bar[data-id={}]').parentElement.querySelectorAll('.tl-milestone')]
                    .map(m => m.dataset.done + ':' + m.querySelector('polygon, circle').tagName)",
                js(&first.to_string())
            ))
            .await;
        assert_eq!(marks, json!(["true:polygon", "false:circle"]));
        assert!(drawn[0]["label"].as_str().unwrap_or_default().ends_with("2 milestones, 1 done"));

        // Today's line sits inside today's quarter, by the browser's calendar.
        let today = page
            .eval(
                "(() => { const d = new Date(); const t = document.querySelector('#tl-today');
                  const q = `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
                  const p = n => String(n).padStart(2, '0');
                  return { x: +t.dataset.x, quarter: q, date: t.dataset.date,
                           expected: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`,
                           label: t.textContent }; })()",
            )
            .await;
        assert_eq!(today["date"], today["expected"]);
        let quarter_x = quarter_lines[today["quarter"].as_str().expect("quarter")].as_f64().expect("today's quarter is on the axis");
        let x = today["x"].as_f64().expect("x");
        assert!(x >= quarter_x && x < quarter_x + qpx, "today at {x}, its quarter from {quarter_x}");
        assert!(today["label"].as_str().unwrap_or_default().starts_with("Today"));

        // Zoom in with the button: every bar grows with the quarters, and
        // the address keeps the zoom.
        page.click("#tl-zoom-in").await;
        page.wait_for("location.search.includes('zoom=')", "the zoom in the address").await;
        page.wait_for(&format!("+document.querySelector('#tl-chart').dataset.quarterPx > {qpx}"), "wider quarters").await;
        let zoomed = quarter_px(&page.eval("+document.querySelector('#tl-chart').dataset.quarterPx").await);
        for (p, bar) in state.priorities_in_order().zip(bars(&page).await) {
            let quarters = f64::from(p.horizon.end.index() - p.horizon.start.index() + 1);
            assert!((bar["width"].as_f64().unwrap_or_default() - quarters * zoomed).abs() < 0.2);
        }
        assert_eq!(
            page.eval("location.search").await,
            format!("?zoom={zoomed}"),
            "the address holds the quarter width"
        );
        // And with the keyboard, inside the chart.
        page.focus("#tl-scroll").await;
        page.press("+").await;
        page.wait_for(&format!("+document.querySelector('#tl-chart').dataset.quarterPx > {zoomed}"), "the + key to zoom in").await;
        let closer = quarter_px(&page.eval("+document.querySelector('#tl-chart').dataset.quarterPx").await);
        page.wait_for(&format!("location.search === '?zoom={closer}'"), "the address to follow").await;
        // A reload keeps the zoom; back goes to the one before.
        page.reload().await;
        page.wait_for(&format!("+document.querySelector('#tl-chart')?.dataset.quarterPx === {closer}"), "the zoom after a reload").await;
        page.eval("history.back()").await;
        page.wait_for(&format!("+document.querySelector('#tl-chart')?.dataset.quarterPx === {zoomed}"), "back to the earlier zoom").await;
        page.click("#tl-fit").await;
        page.wait_for("!location.search.includes('zoom=')", "fit to leave the address").await;
        page.wait_for(&format!("+document.querySelector('#tl-chart').dataset.quarterPx === {qpx}"), "the fitted width").await;

        page.eval("document.querySelector('.tl-table-box').open = true").await;
        assert_eq!(
            page.eval("document.querySelectorAll('#tl-table tbody tr').length").await,
            count,
            "the table has a row per priority"
        );
        assert_accessible(&page, "the timeline").await;

        // A bar is a link: Enter on it opens its priority.
        page.eval(&format!("document.querySelector('a.tl-bar[data-id={}]').focus()", js(&first.to_string()))).await;
        page.press("Enter").await;
        page.wait_for(&format!("location.pathname === '/priorities/{first}'"), "the priority's page").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_filters_by_term_and_status_in_the_address() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let state = server_state(&server, &anna).await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/timeline").await;

    with_failure_screenshots("timeline_filters", &[&page], async {
        let shown = |f: &dyn Fn(&ara_shared::Priority) -> bool| -> Vec<String> {
            state.priorities_in_order().filter(|p| f(p)).map(|p| p.id.to_string()).collect()
        };
        let ids = "JSON.stringify([...document.querySelectorAll('#tl-chart a.tl-bar')].map(a => a.dataset.id))";
        let medium = shown(&|p| p.horizon.term == Term::Medium);
        assert!(!medium.is_empty() && medium.len() < state.priorities.len());
        page.click("#tl-term-medium").await;
        page.wait_for(&format!("{ids} === {}", js(&serde_json::to_string(&medium).expect("json"))), "only medium-term bars").await;
        assert_eq!(page.eval("location.search").await, "?term=medium");

        let status = state.priorities_in_order().next().expect("a priority").status;
        page.click(&format!("#tl-status-{}", status.key())).await;
        let rest = shown(&|p| p.horizon.term == Term::Medium && p.status != status);
        page.wait_for(&format!("{ids} === {}", js(&serde_json::to_string(&rest).expect("json"))), "the status hidden").await;
        page.wait_for("location.search.includes('status=')", "the status filter in the address").await;
        page.click("#tl-term-both").await;
        let all_but = shown(&|p| p.status != status);
        page.wait_for(&format!("{ids} === {}", js(&serde_json::to_string(&all_but).expect("json"))), "both terms again").await;
        assert_accessible(&page, "the timeline, filtered").await;
    })
    .await;
}

/// The stakeholders and regions of the state, and the priorities with links.
fn expected_nodes(state: &State) -> Vec<String> {
    let mut nodes: Vec<String> = state
        .stakeholders
        .keys()
        .map(|id| format!("o-{id}"))
        .chain(state.regions.keys().map(|id| format!("r-{id}")))
        .chain(state.links.values().filter_map(|l| match l.target {
            LinkTarget::Priority(p) => Some(format!("p-{p}")),
            LinkTarget::Region(_) => None,
        }))
        .collect();
    nodes.sort();
    nodes.dedup();
    nodes
}

const NODES_JS: &str =
    "[...document.querySelectorAll('#nw-graph .nw-node')].map(n => n.dataset.node).sort()";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_network_shows_every_organisation_and_region_filters_by_kind_and_selects_by_keyboard() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let state = server_state(&server, &anna).await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/network").await;

    with_failure_screenshots("network", &[&page], async {
        let all = expected_nodes(&state);
        assert!(all.len() > state.stakeholders.len() + state.regions.len(), "linked priorities are nodes too");
        page.wait_for(&format!("JSON.stringify({NODES_JS}) === {}", js(&serde_json::to_string(&all).expect("json"))), "a node per organisation, region and linked priority").await;
        // Every node is on the canvas, and no two overlap.
        let overlap = page
            .eval(
                "(() => { const box = document.querySelector('#nw-graph').viewBox.baseVal;
                  const p = [...document.querySelectorAll('#nw-graph .nw-node')].map(n => { const m = n.transform.baseVal[0].matrix; return [m.e, m.f]; });
                  const outside = p.filter(([x, y]) => x < 18 || y < 18 || x > box.width - 18 || y > box.height - 18).length;
                  let close = 0;
                  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++)
                    if (Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]) < 40) close++;
                  return [outside, close]; })()",
            )
            .await;
        assert_eq!(overlap, json!([0, 0]), "nodes outside the canvas, pairs overlapping");

        // Hiding one kind hides exactly its organisations.
        let eu: Vec<String> = state
            .stakeholders
            .values()
            .filter(|s| s.kind == StakeholderKind::EuInstitution)
            .map(|s| format!("o-{}", s.id))
            .collect();
        assert!(!eu.is_empty());
        page.click("#nw-show-eu_institution").await;
        let rest: Vec<&String> = all.iter().filter(|n| !eu.contains(n)).collect();
        page.wait_for(&format!("JSON.stringify({NODES_JS}) === {}", js(&serde_json::to_string(&rest).expect("json"))), "the EU institutions hidden").await;
        page.wait_for("location.search.includes('show=') && !location.search.includes('eu_institution')", "the filter in the address").await;
        // The address alone can ask for one kind.
        page.navigate(&format!("{}/network?show=industry", server.url)).await;
        let industry: Vec<String> = {
            let mut v: Vec<String> = state
                .stakeholders
                .values()
                .filter(|s| s.kind == StakeholderKind::Industry)
                .map(|s| format!("o-{}", s.id))
                .collect();
            v.sort();
            v
        };
        assert!(!industry.is_empty());
        page.wait_for(&format!("JSON.stringify({NODES_JS}) === {}", js(&serde_json::to_string(&industry).expect("json"))), "only the automotive industry").await;
        page.wait_for("document.querySelector('#nw-show-industry').checked && !document.querySelector('#nw-show-region').checked", "the boxes to follow the address").await;
        page.click("#nw-show-all").await;
        page.wait_for(&format!("document.querySelectorAll('#nw-graph .nw-node').length === {}", all.len()), "everything again").await;

        // The keyboard: Tab reaches one node, the arrows move, Enter selects.
        page.focus("#nw-graph .nw-node[tabindex='0']").await;
        let start = page.eval("document.activeElement.dataset.node").await;
        for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"] {
            page.press(key).await;
        }
        page.wait_for("document.activeElement?.classList.contains('nw-node')", "focus on a node").await;
        page.press("ArrowRight").await;
        let target = page.eval("document.activeElement.dataset.node").await;
        let target = target.as_str().expect("a node has focus").to_owned();
        assert!(start.is_string());
        page.press("Enter").await;
        page.wait_for(&format!("document.querySelector('#nw-node-{target}')?.getAttribute('aria-pressed') === 'true'"), "the node to be selected").await;
        page.wait_for(&format!("location.search.includes('node={target}')"), "the selection in the address").await;
        let name = match target.split_once('-') {
            Some(("o", id)) => state.stakeholders.values().find(|s| s.id.to_string() == id).map(|s| s.name.clone()),
            Some(("r", id)) => state.regions.values().find(|r| r.id.to_string() == id).map(|r| r.name.clone()),
            Some(("p", id)) => state.priorities.values().find(|p| p.id.to_string() == id).map(|p| p.title.clone()),
            _ => None,
        }
        .expect("the node is in the state");
        page.wait_for("document.querySelector('#nw-selected-name')", "the details").await;
        assert_eq!(page.text("#nw-selected-name").await, name);
        assert_eq!(page.eval("document.activeElement.dataset.node").await, target, "focus stays on the node");

        // An organisation with its details, and the add-link form open.
        let organisation = state.stakeholders.values().find(|s| !s.website.is_empty()).expect("an organisation with a website");
        page.navigate(&format!("{}/network?node=o-{}", server.url, organisation.id)).await;
        page.wait_for(&format!("document.querySelector('#nw-selected-name')?.textContent === {}", js(&organisation.name)), "the organisation's details").await;
        assert_eq!(page.eval("document.querySelector('#nw-website').getAttribute('href')").await, organisation.website.as_str());
        let links = state.links.values().filter(|l| l.stakeholder == organisation.id).count();
        assert_eq!(page.eval("document.querySelectorAll('#nw-links li').length").await, links);
        page.focus("#nw-add-link").await;
        page.press("Enter").await;
        page.wait_for("document.activeElement?.id === 'nw-link-first'", "focus in the new form").await;
        assert_accessible(&page, "the network with a node selected and the add-link form open").await;
        page.press("Escape").await;
        page.wait_for("document.activeElement?.id === 'nw-add-link'", "focus back on the button that opened the form").await;

        // The list, the accessible alternative.
        page.click("#nw-show-list").await;
        page.wait_for(&format!("document.querySelectorAll('#nw-table tbody tr').length === {}", state.stakeholders.len()), "a row per organisation").await;
        assert!(page.eval("location.search").await.as_str().unwrap_or_default().contains("view=list"));
        assert_accessible(&page, "the list of organisations").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisations_and_links_changed_in_one_browser_appear_in_another() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let state = server_state(&server, &anna).await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &anna, "/network").await;
    let b = open_at(&browser_b, &server, &bob, "/network").await;

    with_failure_screenshots("network_two_people", &[&a, &b], async {
        // A adds an organisation.
        a.click("#nw-new-organisation").await;
        a.wait_for("document.activeElement?.id === 'nw-org-name'", "focus in the form").await;
        a.type_text("#nw-org-name", "Battery Cluster Saxony").await;
        choose(&a, "#nw-org-kind", "industry").await;
        a.type_text("#nw-org-country", "de").await;
        a.type_text("#nw-org-website", "https://battery.example.eu").await;
        a.click("#nw-save-organisation").await;
        a.wait_for("document.querySelector('#nw-selected-name')?.textContent === 'Battery Cluster Saxony'", "the new organisation selected").await;
        let node = a.eval("new URLSearchParams(location.search).get('node')").await;
        let node = node.as_str().expect("the new node in the address").to_owned();
        b.wait_for(&format!("document.querySelector('#nw-node-{node}.nw-cat-industry')"), "B to see the new organisation").await;

        // B follows it (same address), A links it to a region.
        b.navigate(&format!("{}/network?node={node}", server.url)).await;
        b.wait_for("document.querySelector('#nw-selected-name')?.textContent === 'Battery Cluster Saxony'", "B's details").await;
        assert_eq!(b.eval("document.querySelectorAll('#nw-links li').length").await, 0);
        let region = state.regions.values().next().expect("a region");
        a.click("#nw-add-link").await;
        choose(&a, "#nw-link-first", "region").await;
        choose(&a, "#nw-link-target", &region.id.to_string()).await;
        choose(&a, "#nw-link-relation", "funder").await;
        a.click("#nw-save-link").await;
        let link = format!("#nw-links li[data-other='r-{}'][data-relation='funder']", region.id);
        a.wait_for(&format!("document.querySelector({})", js(&link)), "A's new link").await;
        a.wait_for("document.activeElement?.id === 'nw-add-link'", "focus back on the button").await;
        b.wait_for(&format!("document.querySelector({})", js(&link)), "B to see the link").await;
        assert!(b.text(&link).await.contains(&region.name));
        b.wait_for(
            &format!("document.querySelector(\"#nw-graph line[data-a='{node}'][data-b='r-{}'], #nw-graph line[data-b='{node}'][data-a='r-{}']\")", region.id, region.id),
            "B to see the edge",
        )
        .await;

        // A renames it; B sees the new name.
        a.click("#nw-edit").await;
        a.wait_for("document.activeElement?.id === 'nw-org-name'", "the edit form").await;
        a.eval("document.activeElement.select()").await;
        a.call("Input.insertText", json!({"text": "Battery Cluster Saxony e.V."})).await;
        a.press("Enter").await;
        b.wait_for("document.querySelector('#nw-selected-name')?.textContent === 'Battery Cluster Saxony e.V.'", "B to see the new name").await;

        // B (a region editor) removes the link; A sees it go.
        b.click(&format!("{link} .nw-remove")).await;
        a.wait_for(&format!("!document.querySelector({})", js(&link)), "A to see the link removed").await;
        b.wait_for("document.activeElement?.id === 'nw-links-heading'", "focus to the links after removing one").await;
        // Deleting is the secretariat's: B has no button, A deletes.
        assert_eq!(b.eval("!!document.querySelector('#nw-delete')").await, false);
        a.click("#nw-delete").await;
        a.click("#nw-confirm-delete").await;
        b.wait_for(&format!("!document.querySelector('#nw-node-{node}')"), "B to see the organisation gone").await;
        a.wait_for("document.activeElement?.id === 'nw-details-heading'", "A's focus on the details").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_sees_the_network_without_any_control_to_change_it() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let olga = server
        .invite(&anna, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let state = server_state(&server, &anna).await;
    let organisation = state
        .stakeholders
        .values()
        .find(|s| state.links.values().any(|l| l.stakeholder == s.id))
        .expect("a linked organisation");
    let browser = Browser::launch().await;
    let page = open_at(
        &browser,
        &server,
        &olga,
        &format!("/network?node=o-{}", organisation.id),
    )
    .await;

    with_failure_screenshots("network_observer", &[&page], async {
        page.wait_for(&format!("document.querySelector('#nw-selected-name')?.textContent === {}", js(&organisation.name)), "the details").await;
        page.wait_for("document.querySelectorAll('#nw-links li').length > 0", "the links").await;
        let controls = page
            .eval("['#nw-add-link', '.nw-remove', '#nw-edit', '#nw-delete', '#nw-new-organisation'].filter(s => document.querySelector(s))")
            .await;
        assert_eq!(controls, json!([]), "an observer sees no control to change the network");
        // Reading stays possible: the list, and the CSV download.
        assert_eq!(
            page.eval("document.querySelector('a.nw-download').getAttribute('href')").await,
            "/api/export/stakeholders.csv"
        );
        let csv = page.eval("fetch('/api/export/stakeholders.csv').then(r => r.status + ' ' + r.headers.get('content-type'))").await;
        assert_eq!(csv, "200 text/csv; charset=utf-8");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_neither_page_scrolls_sideways() {
    let server = demo_server().await;
    let anna = server.sign_up_secretariat().await;
    let state = server_state(&server, &anna).await;
    let organisation = state.stakeholders.values().next().expect("an organisation");
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/timeline?zoom=120").await;

    with_failure_screenshots("phone", &[&page], async {
        phone(&page).await;
        page.wait_for("document.querySelector('#tl-chart a.tl-bar')", "the timeline").await;
        assert_eq!(page.eval("document.documentElement.scrollWidth <= 390").await, true, "the timeline page fits");
        assert_eq!(
            page.eval("(() => { const s = document.querySelector('#tl-scroll'); return s.scrollWidth > s.clientWidth; })()").await,
            true,
            "the chart scrolls inside its own box"
        );
        assert_accessible(&page, "the timeline on a phone").await;

        page.navigate(&format!("{}/network?node=o-{}", server.url, organisation.id)).await;
        page.wait_for("document.querySelector('#nw-selected-name')", "the network with details").await;
        page.click("#nw-add-link").await;
        page.wait_for("document.querySelector('#nw-link-form')", "the form").await;
        assert_eq!(page.eval("document.documentElement.scrollWidth <= 390").await, true, "the network page fits");
        assert_eq!(
            page.eval("document.querySelector('#nw-panel').getBoundingClientRect().top >= document.querySelector('.nw-main').getBoundingClientRect().bottom").await,
            true,
            "the details come below the graph"
        );
        page.click("#nw-show-list").await;
        page.wait_for("document.querySelector('#nw-table')", "the list").await;
        assert_eq!(page.eval("document.documentElement.scrollWidth <= 390").await, true, "the list fits");
        assert_accessible(&page, "the network on a phone").await;
    })
    .await;
}
