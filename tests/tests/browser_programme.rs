//! The work programme (board and list, filters, moving by mouse and by
//! keyboard) and the dashboard, driven in headless Chromium the way people
//! use them, with a second browser as a second person. Expected figures are
//! computed from the server's own state, never written into the test.

use std::collections::BTreeSet;

use ara_shared::conference::Conference;
use ara_shared::meeting::{Meeting, MeetingKind};
use ara_shared::protocol::ServerMessage;
use ara_shared::{
    ConferenceId, Date, Dimension, Horizon, MeetingId, Mutation, Priority, PriorityId,
    PriorityStatus, Quarter, Role, State, Term, TransitionGoal,
};
use ara_tests::app::{assert_accessible, js, open_at};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;

/// A server with the demo programme loaded.
async fn demo_server() -> TestServer {
    TestServer::start_with(&[]).await
}

/// The state as the server holds it now, read over a sync connection.
async fn server_state(server: &TestServer, cookie: &str) -> State {
    let (_client, catch_up) = SyncClient::connect(server, cookie).await;
    match catch_up {
        ServerMessage::Snapshot { state, .. } => *state,
        other => panic!("a new client gets a snapshot, not {other:?}"),
    }
}

fn titles_where(state: &State, keep: impl Fn(&Priority) -> bool) -> Vec<String> {
    state
        .priorities_in_order()
        .filter(|p| keep(p))
        .map(|p| p.title.clone())
        .collect()
}

/// The titles of the list's rows, in order, as a JS expression.
const LIST_TITLES: &str =
    "[...document.querySelectorAll('li.priority .priority-title')].map(e => e.textContent)";

/// The titles of one board column's cards, in order, as a JS expression.
fn column_titles(status: PriorityStatus) -> String {
    format!(
        "[...document.querySelectorAll('.cards[data-status={}] .card-title')].map(e => e.textContent)",
        status.key()
    )
}

/// The board card with this title, as a JS expression.
fn card(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('.board-card')].find(c => c.querySelector('.card-title')?.textContent === {})",
        js(title)
    )
}

/// The list row with this title, as a JS expression.
fn row(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('li.priority')].find(li => li.querySelector('.priority-title')?.textContent === {})",
        js(title)
    )
}

fn same_list(expression: &str, expected: &[String]) -> String {
    format!(
        "JSON.stringify({expression}) === {}",
        js(&serde_json::to_string(expected).expect("strings serialise"))
    )
}

/// Drags `card` (a JS expression for an element) and drops it on `target`,
/// with the HTML drag-and-drop events a mouse drag fires.
async fn drag(page: &Page, card: &str, target: &str) {
    page.eval(&format!(
        "(() => {{
            const card = {card}; const target = {target};
            const dataTransfer = new DataTransfer();
            const fire = (el, type) => el.dispatchEvent(new DragEvent(type, {{ bubbles: true, cancelable: true, dataTransfer }}));
            fire(card, 'dragstart'); fire(target, 'dragenter'); fire(target, 'dragover');
            fire(target, 'drop'); fire(card, 'dragend');
        }})()"
    ))
    .await;
}

fn column(status: PriorityStatus) -> String {
    format!(
        "document.querySelector('.board-column[data-status={}]')",
        status.key()
    )
}

/// Presses Tab until `condition` holds, as a keyboard user moves through
/// the page; bounded by the number of presses.
async fn tab_until(page: &Page, condition: &str, what: &str) {
    for _ in 0..150 {
        if page
            .eval(&format!(
                "(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"
            ))
            .await
            == true
        {
            return;
        }
        page.press("Tab").await;
    }
    panic!("the Tab key never reached {what}");
}

/// Loads `url` (or reloads, when `None`) and waits for the new page to be
/// started and online, not the old one still on screen.
async fn load(page: &Page, url: Option<String>) {
    page.eval("window.oldPage = true").await;
    match url {
        Some(url) => page.navigate(&url).await,
        None => page.reload().await,
    }
    page.wait_for(
        "window.oldPage === undefined && document.querySelector('#connection-state')?.dataset.state === 'online'",
        "the new page to start and go online",
    )
    .await;
}

async fn wait_synced(page: &Page) {
    page.wait_for(
        "document.querySelector('#pending-count').textContent === '0'",
        "every edit to be confirmed",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_dragged_to_another_status_reaches_a_second_browser() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let bob = server
        .invite(
            &sabine,
            "Bob Navarra",
            "bob@navarra.test",
            Role::RegionEditor,
        )
        .await;
    let state = server_state(&server, &sabine).await;
    let adopted = titles_where(&state, |p| p.status == PriorityStatus::Adopted);
    let proposed = titles_where(&state, |p| p.status == PriorityStatus::Proposed);
    let moving = adopted
        .first()
        .expect("the demo has adopted priorities")
        .clone();
    let stuck = proposed
        .first()
        .expect("the demo has proposed priorities")
        .clone();

    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &sabine, "/programme?view=board").await;
    let b = open_at(&browser_b, &server, &bob, "/programme?view=board").await;

    with_failure_screenshots("board_drag", &[&a, &b], async {
        a.wait_for(&card(&moving), "the adopted card on the board").await;
        assert_eq!(
            a.eval(&format!("{}.closest('.board-column').dataset.status", card(&moving))).await,
            "adopted"
        );

        // Dragged to "In progress": A says so, B sees it move.
        drag(&a, &card(&moving), &column(PriorityStatus::InProgress)).await;
        b.wait_for(
            &format!("{}?.closest('.board-column').dataset.status === 'in_progress'", card(&moving)),
            "B to see the card in the In progress column",
        )
        .await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("Moved “{moving}” to In progress.")
        );
        wait_synced(&a).await;

        // Proposed → Done skips adoption: refused, explained, nothing sent.
        drag(&a, &card(&stuck), &column(PriorityStatus::Done)).await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("“{stuck}” cannot move from Proposed to Done. From Proposed it can go to: Adopted, Dropped.")
        );
        assert_eq!(
            a.eval(&format!("{}.closest('.board-column').dataset.status", card(&stuck))).await,
            "proposed"
        );
        assert_eq!(a.text("#pending-count").await, "0", "a refused move is not sent");

        // Dropped on another card, it goes before that card in the programme.
        let after = server_state(&server, &sabine).await;
        let in_progress = titles_where(&after, |p| p.status == PriorityStatus::InProgress);
        let first = in_progress
            .iter()
            .find(|t| **t != moving)
            .expect("another priority in progress")
            .clone();
        let mut expected: Vec<String> = in_progress.iter().filter(|t| **t != moving).cloned().collect();
        let at = expected.iter().position(|t| *t == first).expect("present");
        expected.insert(at, moving.clone());
        drag(&a, &card(&moving), &card(&first)).await;
        b.wait_for(
            &same_list(&column_titles(PriorityStatus::InProgress), &expected),
            "B to see the new order in the column",
        )
        .await;
        assert!(
            a.text("#programme-announcer").await.starts_with(&format!("Moved “{moving}” to place ")),
            "the new place is announced"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_alone_creates_renames_and_reorders_a_priority() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let bob = server
        .invite(
            &sabine,
            "Bob Navarra",
            "bob@navarra.test",
            Role::RegionEditor,
        )
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &sabine, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;
    let (battery, network) = ("Battery skills academy", "Cross-border supplier network");
    let renamed = "Battery skills academy 2030";

    with_failure_screenshots("keyboard_only", &[&a, &b], async {
        // Create two priorities: Tab to the title field, type, Enter.
        tab_until(
            &a,
            "document.activeElement.id === 'new-priority-title'",
            "the new priority's title",
        )
        .await;
        a.call("Input.insertText", serde_json::json!({"text": battery}))
            .await;
        a.press("Enter").await;
        a.wait_for(&row(battery), "the first priority").await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("Added “{battery}” as proposed at the end of the programme.")
        );
        assert_eq!(
            a.eval("document.activeElement.id").await,
            "new-priority-title",
            "focus stays to add more"
        );
        a.call("Input.insertText", serde_json::json!({"text": network}))
            .await;
        a.press("Enter").await;
        b.wait_for(
            &same_list(LIST_TITLES, &[battery.into(), network.into()]),
            "B to see both",
        )
        .await;

        // Rename: Tab to its Rename button, Enter, type, Enter.
        tab_until(
            &a,
            &format!(
                "document.activeElement === {}.querySelector('.edit-title')",
                row(battery)
            ),
            "the Rename button",
        )
        .await;
        a.press("Enter").await;
        a.wait_for(
            "document.activeElement?.classList.contains('title-input')",
            "the title field",
        )
        .await;
        a.call("Input.insertText", serde_json::json!({"text": renamed}))
            .await;
        a.press("Enter").await;
        b.wait_for(&row(renamed), "B to see the new title").await;
        a.wait_for(
            &format!(
                "document.activeElement === {}.querySelector('.edit-title')",
                row(renamed)
            ),
            "focus back on the Rename button",
        )
        .await;

        // Reorder in the list: Tab to "Down", Enter.
        tab_until(
            &a,
            &format!(
                "document.activeElement === {}.querySelector('.move-down')",
                row(renamed)
            ),
            "the Down button",
        )
        .await;
        a.press("Enter").await;
        b.wait_for(
            &same_list(LIST_TITLES, &[network.into(), renamed.into()]),
            "B to see the new order",
        )
        .await;
        a.wait_for(
            &format!(
                "document.activeElement === {}.querySelector('.move-up')",
                row(renamed)
            ),
            "focus on the control still usable (Up)",
        )
        .await;

        // On the board, the arrow keys on the card's Move button.
        let id = a.eval(&format!("{}.dataset.id", row(renamed))).await;
        let id = id.as_str().expect("the row has an id").to_owned();
        let handle = format!("document.getElementById({})", js(&format!("move-{id}")));
        tab_until(
            &a,
            "document.activeElement.id === 'view-board'",
            "the Board link",
        )
        .await;
        a.press("Enter").await;
        a.wait_for(
            "location.search === '?view=board'",
            "the board in the address",
        )
        .await;
        tab_until(
            &a,
            &format!("document.activeElement === {handle}"),
            "the card's Move button",
        )
        .await;
        assert!(
            a.text("#board-help").await.contains("arrow keys"),
            "the keys are explained on screen"
        );

        a.press("ArrowRight").await;
        b.wait_for(
            &format!("{}?.dataset.status === 'adopted'", row(renamed)),
            "B to see it adopted",
        )
        .await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("Moved “{renamed}” to Adopted.")
        );
        a.wait_for(
            &format!("document.activeElement === {handle}"),
            "focus to follow the card",
        )
        .await;

        a.press("ArrowLeft").await;
        b.wait_for(
            &format!("{}?.dataset.status === 'proposed'", row(renamed)),
            "B to see it proposed again",
        )
        .await;
        a.wait_for(
            &format!("document.activeElement === {handle}"),
            "focus to follow the card back",
        )
        .await;
        a.press("ArrowLeft").await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("There is no status in that direction that “{renamed}” may take.")
        );

        a.press("ArrowUp").await;
        b.wait_for(
            &same_list(LIST_TITLES, &[renamed.into(), network.into()]),
            "B to see it first again",
        )
        .await;
        assert_eq!(
            a.text("#programme-announcer").await,
            format!("Moved “{renamed}” to place 1 of 2 in the programme.")
        );
        a.wait_for(
            &format!("document.activeElement === {handle}"),
            "focus to stay on the card",
        )
        .await;

        // Enter opens the card's Move menu, which offers the statuses allowed.
        a.press("Enter").await;
        a.wait_for(
            &format!("{handle}.getAttribute('aria-expanded') === 'true'"),
            "the Move menu",
        )
        .await;
        assert_eq!(
            a.eval(&format!(
                "[...document.querySelectorAll('#move-menu-{id} .move-to')].map(b => b.textContent)"
            ))
            .await,
            serde_json::json!(["→ Move to Adopted", "→ Move to Dropped"])
        );
        a.press("Tab").await;
        a.press("Enter").await;
        b.wait_for(
            &format!("{}?.dataset.status === 'adopted'", row(renamed)),
            "B to see the choice from the menu",
        )
        .await;
        a.wait_for(
            &format!("document.activeElement === {handle}"),
            "focus back on the Move button",
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_live_in_the_address_and_survive_reload_and_back() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let state = server_state(&server, &sabine).await;
    let total = state.priorities.len();
    let status = PriorityStatus::InProgress;
    let by_status = titles_where(&state, |p| p.status == status);
    assert!(!by_status.is_empty(), "the demo has priorities in progress");
    let term = Term::ALL
        .into_iter()
        .find(|t| {
            let n = titles_where(&state, |p| p.status == status && p.horizon.term == *t).len();
            n > 0 && n < by_status.len()
        })
        .unwrap_or(Term::Short);
    let by_both = titles_where(&state, |p| p.status == status && p.horizon.term == term);

    let browser = Browser::launch().await;
    let a = open_at(&browser, &server, &sabine, "/programme").await;
    let pick = |select: &str, value: &str| {
        format!(
            "(() => {{ const s = document.querySelector({}); s.value = {}; s.dispatchEvent(new Event('change')); }})()",
            js(select),
            js(value)
        )
    };

    with_failure_screenshots("filters_in_address", &[&a], async {
        a.wait_for(&format!("{LIST_TITLES}.length === {total}"), "every priority").await;
        a.click("#filter-panel summary").await;
        a.wait_for("document.querySelector('#filter-panel').open", "the filters to open").await;

        a.eval(&pick("#filter-status", status.key())).await;
        a.wait_for("location.search === '?status=in_progress'", "the status in the address").await;
        a.wait_for(&same_list(LIST_TITLES, &by_status), "only priorities in progress").await;
        assert_eq!(
            a.text("#match-count").await,
            format!("Showing {} of {total} priorities", by_status.len())
        );

        a.eval(&pick("#filter-term", term.key())).await;
        a.wait_for(
            &format!("location.search === '?term={}&status=in_progress'", term.key()),
            "both filters in the address",
        )
        .await;
        a.wait_for(&same_list(LIST_TITLES, &by_both), "both filters combined").await;

        // A reload keeps them; back restores the previous filter.
        load(&a, None).await;
        a.wait_for(&same_list(LIST_TITLES, &by_both), "the filters after a reload").await;
        assert_eq!(a.eval("document.querySelector('#filter-term').value").await, term.key());
        assert_eq!(a.eval("document.querySelector('#filter-status').value").await, status.key());
        assert_eq!(
            a.eval("document.querySelector('#filter-panel').open").await,
            true,
            "the panel opens by itself when filters are set"
        );
        a.eval("history.back()").await;
        a.wait_for("location.search === '?status=in_progress'", "back to the first filter").await;
        a.wait_for(&same_list(LIST_TITLES, &by_status), "the first filter's list").await;
        a.wait_for("document.querySelector('#filter-term').value === ''", "the term filter to clear").await;

        // A deep link with filters opens the board filtered.
        let region = state
            .priorities
            .values()
            .filter(|p| p.dimensions.contains(&Dimension::Social))
            .find_map(|p| p.lead_region)
            .expect("a social priority with a lead region");
        let social: BTreeSet<String> = state
            .priorities
            .values()
            .filter(|p| p.dimensions.contains(&Dimension::Social) && p.concerns(region))
            .map(|p| p.title.clone())
            .collect();
        load(&a, Some(format!("{}/programme?view=board&dim=social&region={region}", server.url))).await;
        a.wait_for("document.querySelector('.board')", "the board").await;
        a.wait_for(
            &format!(
                "JSON.stringify([...document.querySelectorAll('.card-title')].map(e => e.textContent).sort()) === {}",
                js(&serde_json::to_string(&social).expect("serialise"))
            ),
            "only social priorities of that region",
        )
        .await;
        assert_eq!(a.eval("document.querySelector('#view-board').getAttribute('aria-current')").await, "page");
        assert_eq!(a.eval("document.querySelector('#filter-region').value").await, region.to_string());

        a.click("#clear-filters").await;
        a.wait_for("location.search === '?view=board'", "no filters in the address").await;
        a.wait_for(&format!("document.querySelectorAll('.board-card').length === {total}"), "every card").await;
        assert_eq!(a.eval("document.activeElement.id").await, "filter-text", "focus goes to the search");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_search_finds_words_in_titles_and_summaries() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let state = server_state(&server, &sabine).await;
    let total = state.priorities.len();
    let has = |p: &Priority, w: &str| {
        p.title.to_lowercase().contains(w) || p.summary.to_lowercase().contains(w)
    };
    let skills = titles_where(&state, |p| has(p, "skills"));
    let in_summary_only = state
        .priorities
        .values()
        .any(|p| has(p, "skills") && !p.title.to_lowercase().contains("skills"));
    let two_words = titles_where(&state, |p| has(p, "skills") && has(p, "regions"));
    assert!(
        !skills.is_empty() && skills.len() < total,
        "a search that narrows the demo"
    );

    let browser = Browser::launch().await;
    let a = open_at(&browser, &server, &sabine, "/programme").await;

    with_failure_screenshots("text_search", &[&a], async {
        a.wait_for(
            &format!("{LIST_TITLES}.length === {total}"),
            "every priority",
        )
        .await;
        let before = a.eval("history.length").await;
        a.type_text("#filter-text", "Skills").await;
        a.wait_for(
            "location.search === '?q=Skills'",
            "the search in the address",
        )
        .await;
        a.wait_for(
            &same_list(LIST_TITLES, &skills),
            "the priorities that mention skills",
        )
        .await;
        if in_summary_only {
            assert!(
                skills.iter().any(|t| !t.to_lowercase().contains("skills")),
                "summaries are searched"
            );
        }
        a.call("Input.insertText", serde_json::json!({"text": " regions"}))
            .await;
        a.wait_for(
            "location.search === '?q=Skills%20regions'",
            "the longer search in the address",
        )
        .await;
        a.wait_for(
            &same_list(LIST_TITLES, &two_words),
            "priorities with both words",
        )
        .await;
        assert_eq!(
            a.eval("history.length").await.as_i64(),
            before.as_i64().map(|n| n + 1),
            "one history entry for one search, however many letters"
        );

        a.eval("history.back()").await;
        a.wait_for("location.search === ''", "back to before the search")
            .await;
        a.wait_for(
            "document.querySelector('#filter-text').value === ''",
            "the field to empty",
        )
        .await;
        a.wait_for(
            &format!("{LIST_TITLES}.length === {total}"),
            "every priority again",
        )
        .await;

        a.type_text("#filter-text", "zeppelin hovercraft").await;
        a.wait_for(
            "document.querySelector('#no-matches')",
            "the no-match message",
        )
        .await;
        assert_eq!(
            a.text("#no-matches").await,
            "No priority matches these filters."
        );
        assert_eq!(
            a.text("#match-count").await,
            format!("Showing 0 of {total} priorities")
        );
        assert_accessible(&a, "the programme with a search that finds nothing").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observers_and_region_editors_see_only_the_controls_they_can_use() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let olga = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let rita = server
        .invite(&sabine, "Rita Region", "rita@ara.test", Role::RegionEditor)
        .await;
    let state = server_state(&server, &sabine).await;
    let total = state.priorities.len();
    // A region editor without a region may edit only priorities without a
    // lead or opened to all; everyone but observers may reorder.
    let editable = state
        .priorities
        .values()
        .filter(|p| p.lead_region.is_none() || p.open_to_all)
        .count();

    let (browser_o, browser_r) = (Browser::launch().await, Browser::launch().await);
    let o = open_at(&browser_o, &server, &olga, "/programme").await;
    let r = open_at(&browser_r, &server, &rita, "/programme").await;

    with_failure_screenshots("permissions", &[&o, &r], async {
        o.wait_for(
            &format!("{LIST_TITLES}.length === {total}"),
            "the observer's list",
        )
        .await;
        assert!(
            o.eval("!document.querySelector('#add-priority-form')")
                .await
                == true,
            "no add form"
        );
        assert_eq!(
            o.text("#read-only-note").await,
            "You can follow the programme here; your role does not allow changes."
        );
        for control in [".edit-title", ".status-select", ".move-up", ".move-down"] {
            assert_eq!(
                o.eval(&format!(
                    "document.querySelectorAll({}).length",
                    js(control)
                ))
                .await,
                0,
                "an observer has no {control}"
            );
        }
        assert_eq!(
            o.eval("document.querySelectorAll('.status-label').length")
                .await,
            total,
            "status in words"
        );

        load(&o, Some(format!("{}/programme?view=board", server.url))).await;
        o.wait_for(
            &format!("document.querySelectorAll('.board-card').length === {total}"),
            "the board",
        )
        .await;
        assert_eq!(
            o.eval(
                "document.querySelectorAll('.move-handle, [draggable=true], #board-help').length"
            )
            .await,
            0
        );
        // Even a drag forced onto the page changes nothing.
        let first = state
            .priorities_in_order()
            .next()
            .expect("a priority")
            .title
            .clone();
        let from = o
            .eval(&format!(
                "{}.closest('.board-column').dataset.status",
                card(&first)
            ))
            .await;
        let to = if from == "adopted" {
            PriorityStatus::Proposed
        } else {
            PriorityStatus::Adopted
        };
        drag(&o, &card(&first), &column(to)).await;
        assert_eq!(
            o.eval(&format!(
                "{}.closest('.board-column').dataset.status",
                card(&first)
            ))
            .await,
            from
        );
        assert_eq!(o.text("#pending-count").await, "0");

        r.wait_for(
            &format!("{LIST_TITLES}.length === {total}"),
            "the region editor's list",
        )
        .await;
        assert!(
            r.eval("!!document.querySelector('#add-priority-form')")
                .await
                == true,
            "a region editor adds"
        );
        assert_eq!(
            r.eval("document.querySelectorAll('.edit-title').length")
                .await,
            editable
        );
        assert_eq!(
            r.eval("document.querySelectorAll('.status-select').length")
                .await,
            editable
        );
        assert_eq!(
            r.eval("document.querySelectorAll('.move-up').length").await,
            total,
            "everyone may reorder"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_the_programme_at_a_glance_and_who_changed_what() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let bob = server
        .invite(
            &sabine,
            "Bob Navarra",
            "bob@navarra.test",
            Role::RegionEditor,
        )
        .await;

    // What comes next: a meeting in ten days and next year's conference.
    let (mut secretariat, catch_up) = SyncClient::connect(&server, &sabine).await;
    let ServerMessage::Snapshot { state, .. } = catch_up else {
        panic!("a snapshot first");
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    let meeting_id = MeetingId(uuid::Uuid::now_v7());
    let start_ms = now_ms + 10 * 86_400_000;
    let next_year = Date::from_unix_ms(now_ms).expect("a date").year() + 1;
    let host = *state
        .regions
        .values()
        .find(|r| r.membership == ara_shared::region::Membership::Member)
        .map(|r| &r.id)
        .expect("a member region");
    let upcoming = [
        Mutation::CreateMeeting {
            meeting: Meeting {
                id: meeting_id,
                kind: MeetingKind::VideoConference,
                title: "Working group on skills".into(),
                start_ms,
                end_ms: start_ms + 3_600_000,
                time_zone: "Europe/Brussels".into(),
                place: String::new(),
                video_link: "https://video.example.eu/ara".into(),
                participants: BTreeSet::new(),
                agenda: Vec::new(),
                minutes: String::new(),
                actions: Vec::new(),
            },
        },
        Mutation::CreateConference {
            conference: Conference {
                id: ConferenceId(uuid::Uuid::now_v7()),
                year: next_year,
                host,
                city: "Graz".into(),
                start: Date::new(next_year, 10, 14).expect("valid"),
                end: Date::new(next_year, 10, 15).expect("valid"),
                theme: String::new(),
                theme_priorities: BTreeSet::new(),
                unconfirmed: false,
            },
        },
    ];
    for mutation in upcoming {
        let envelope = secretariat.envelope(mutation);
        secretariat.push(vec![envelope.clone()]).await;
        secretariat.ack(envelope.seq).await;
    }
    let state = server_state(&server, &sabine).await;

    let browser = Browser::launch().await;
    let a = open_at(&browser, &server, &sabine, "/").await;

    with_failure_screenshots("dashboard", &[&a], async {
        // Figures by status and horizon, from the server's own state.
        a.wait_for("document.querySelector('#status-figures td .figure')", "the figures").await;
        for status in PriorityStatus::ALL {
            for term in Term::ALL {
                let n = state.priorities.values().filter(|p| p.status == status && p.horizon.term == term).count();
                let cell = format!("#status-figures tbody td[data-status={}][data-term={}] .figure", status.key(), term.key());
                a.wait_for(&format!("document.querySelector({})?.textContent === {}", js(&cell), js(&n.to_string())), &cell).await;
            }
        }
        assert_eq!(
            a.text("#status-figures tfoot td.total .figure").await,
            state.priorities.len().to_string()
        );
        assert_eq!(
            a.eval("document.querySelector('#status-figures tbody td[data-status=adopted][data-term=short] a').getAttribute('href')").await,
            "/programme?term=short&status=adopted",
            "a figure opens the programme filtered to it"
        );

        // Coverage of the ten points and the goals, by priorities not dropped.
        let active: Vec<&Priority> = state.priorities.values().filter(|p| p.status != PriorityStatus::Dropped).collect();
        for n in 1..=10u8 {
            let expected = active.iter().filter(|p| p.ten_points.contains(&n)).count();
            let bar = format!("#chart-points g.bar[data-key='{n}']");
            assert_eq!(a.eval(&format!("document.querySelector({}).dataset.value", js(&bar))).await, expected.to_string(), "point {n}");
            assert_eq!(a.text(&format!("{bar} .bar-value")).await, expected.to_string(), "point {n} written on the chart");
        }
        for goal in TransitionGoal::ALL {
            let expected = active.iter().filter(|p| p.goals.contains(&goal)).count();
            let row = format!("#chart-goals tr[data-key={}] td", goal.key());
            assert_eq!(a.text(&row).await, expected.to_string(), "{goal:?} in the table");
        }
        assert!(
            a.text("#chart-points-desc").await.contains("priorities"),
            "the chart has a text description"
        );

        // What comes next, each linking to its page.
        assert_eq!(a.text("#next-conference").await, format!("{next_year} · Graz"));
        let meeting = format!("#next-meetings li[data-id='{meeting_id}']");
        a.wait_for(&format!("document.querySelector({})", js(&meeting)), "the next meeting").await;
        assert_eq!(
            a.eval(&format!("document.querySelector({}).getAttribute('href')", js(&format!("{meeting} a")))).await,
            format!("/meetings/{meeting_id}")
        );
        assert!(a.text(&format!("{meeting} .meeting-when")).await.ends_with("(Europe/Brussels)"));

        // Recent changes by whom: what Bob does now appears at the top.
        let (mut bob_client, _) = SyncClient::connect(&server, &bob).await;
        let id = PriorityId(uuid::Uuid::now_v7());
        let create = bob_client.envelope(Mutation::CreatePriority {
            id,
            title: "Battery passport pilot".into(),
            horizon: Horizon {
                term: Term::Short,
                start: Quarter::new(2026, 1).expect("valid"),
                end: Quarter::new(2026, 4).expect("valid"),
            },
        });
        bob_client.push(vec![create.clone()]).await;
        bob_client.ack(create.seq).await;
        // The figures follow the change too.
        a.wait_for(
            &format!(
                "document.querySelector('#status-figures tfoot td.total .figure').textContent === '{}'",
                state.priorities.len() + 1
            ),
            "the total to count Bob's priority",
        )
        .await;
        a.wait_for(
            "document.querySelector('#recent-changes li .sentence')?.textContent === 'Bob Navarra added the priority “Battery passport pilot”'",
            "Bob's new priority at the top of the recent changes",
        )
        .await;
        assert_eq!(
            a.eval("document.querySelector('#recent-changes li .sentence a').getAttribute('href')").await,
            format!("/priorities/{id}")
        );
        assert_eq!(a.text("#recent-changes li time").await, "just now");
        let status = bob_client.envelope(Mutation::SetPriorityStatus { id, status: PriorityStatus::Adopted });
        bob_client.push(vec![status.clone()]).await;
        bob_client.ack(status.seq).await;
        a.wait_for(
            "document.querySelector('#recent-changes li .sentence')?.textContent === 'Bob Navarra set the status of “Battery passport pilot” to Adopted'",
            "the next change, without reloading",
        )
        .await;

        // In German, the same page in German words.
        a.eval("(() => { const l = document.querySelector('#language'); l.value = 'de'; l.dispatchEvent(new Event('change')); })()").await;
        a.wait_for("document.documentElement.lang === 'de'", "German").await;
        assert_eq!(a.text("#dashboard-heading").await, "Übersicht");
        assert_eq!(
            a.text("#recent-changes li .sentence").await,
            "Bob Navarra hat den Status von „Battery passport pilot“ auf „Beschlossen“ gesetzt"
        );
        assert_eq!(a.text("#recent-changes li time").await, "gerade eben");
        assert_eq!(a.text("#status-figures thead th:nth-child(2)").await, "Kurzfristig");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_and_programme_pass_axe_and_fit_a_phone() {
    let server = demo_server().await;
    let sabine = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let a = open_at(&browser, &server, &sabine, "/").await;

    with_failure_screenshots("programme_axe", &[&a], async {
        a.wait_for("document.querySelector('#recent-changes')", "the dashboard").await;
        a.eval("document.querySelectorAll('details').forEach(d => d.open = true)").await;
        assert_accessible(&a, "the dashboard with its tables open").await;

        load(&a, Some(format!("{}/programme", server.url))).await;
        a.wait_for("document.querySelector('li.priority')", "the list").await;
        assert_accessible(&a, "the programme as a list").await;
        a.click("#filter-panel summary").await;
        a.wait_for("document.querySelector('#filter-panel').open", "the filters").await;
        assert_accessible(&a, "the programme with the filters open").await;
        a.click("li.priority .edit-title").await;
        a.wait_for("document.querySelector('.title-input')", "a rename form").await;
        assert_accessible(&a, "the programme with a rename open").await;
        a.press("Escape").await;

        a.click("#view-board").await;
        a.wait_for("document.querySelector('.board-card')", "the board").await;
        assert_accessible(&a, "the programme as a board").await;
        a.click(".board-card .move-handle").await;
        a.wait_for("document.querySelector('.move-menu')", "a card's Move menu").await;
        assert_accessible(&a, "the board with a Move menu open").await;
        // While a card is dragged, every column says whether it takes it.
        a.eval("document.querySelector('.board-card').dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: new DataTransfer() }))").await;
        a.wait_for("document.querySelectorAll('.drop-hint').length === 5", "the drop hints").await;
        assert_accessible(&a, "the board during a drag").await;
        a.eval("document.querySelector('.board-card').dispatchEvent(new DragEvent('dragend', { bubbles: true }))").await;

        a.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
        a.wait_for("document.documentElement.clientWidth === 390", "the phone's width").await;
        assert_eq!(a.eval("document.documentElement.scrollWidth <= 390").await, true, "the board fits a phone");
        load(&a, Some(format!("{}/", server.url))).await;
        a.wait_for("document.querySelector('#recent-changes')", "the dashboard on a phone").await;
        assert_eq!(a.eval("document.documentElement.scrollWidth <= 390").await, true, "the dashboard fits a phone");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_stays_usable_with_500_priorities() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let bob = server
        .invite(
            &sabine,
            "Bob Navarra",
            "bob@navarra.test",
            Role::RegionEditor,
        )
        .await;
    let (mut client, _) = SyncClient::connect(&server, &sabine).await;
    let horizon = Horizon {
        term: Term::Medium,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2028, 4).expect("valid"),
    };
    let envelopes: Vec<_> = (1..=500)
        .map(|n| {
            client.envelope(Mutation::CreatePriority {
                id: PriorityId(uuid::Uuid::now_v7()),
                title: format!("Priority {n:03}"),
                horizon,
            })
        })
        .collect();
    let last = envelopes.last().expect("500").seq;
    client.push(envelopes).await;
    client.ack(last).await;

    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &sabine, "/programme?view=board").await;
    let b = open_at(&browser_b, &server, &bob, "/programme?view=board").await;

    with_failure_screenshots("board_500", &[&a, &b], async {
        a.wait_for(
            "document.querySelectorAll('.board-card').length === 500",
            "500 cards",
        )
        .await;
        b.wait_for(
            "document.querySelectorAll('.board-card').length === 500",
            "500 cards at B",
        )
        .await;
        let started = std::time::Instant::now();
        drag(&a, &card("Priority 250"), &column(PriorityStatus::Adopted)).await;
        b.wait_for(
            &format!(
                "{}?.closest('.board-column').dataset.status === 'adopted'",
                card("Priority 250")
            ),
            "B to see the dragged card move",
        )
        .await;
        let id = a
            .eval(&format!("{}.dataset.card", card("Priority 499")))
            .await;
        let handle = format!(
            "document.getElementById('move-{}')",
            id.as_str().expect("an id")
        );
        a.eval(&format!("{handle}.focus()")).await;
        a.press("ArrowUp").await;
        let mut expected: Vec<String> = (1..=500)
            .filter(|n| *n != 250)
            .map(|n| format!("Priority {n:03}"))
            .collect();
        expected.swap(496, 497);
        b.wait_for(
            &same_list(&column_titles(PriorityStatus::Proposed), &expected),
            "B to see the keyboard move",
        )
        .await;
        a.wait_for(
            &format!("document.activeElement === {handle}"),
            "focus to stay on the card",
        )
        .await;
        // Reported, not asserted: wall-clock limits make tests flaky.
        eprintln!(
            "drag and keyboard move with 500 cards seen by B after {:?}",
            started.elapsed()
        );
    })
    .await;
}
