//! Driving the app itself: opening it as a signed-in person at a page, and
//! checking a page with axe-core for WCAG 2.1 AA violations.

use std::path::PathBuf;

use serde_json::Value;

use crate::cdp::{Browser, Page};
use crate::server::TestServer;

/// `s` as a JavaScript string literal.
pub fn js(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// Opens the app at `path` as the person with `cookie` and waits until it
/// has started and is online (synced).
pub async fn open_at(browser: &Browser, server: &TestServer, cookie: &str, path: &str) -> Page {
    let page = browser.page().await;
    page.set_cookie(&server.url, cookie).await;
    page.navigate(&format!("{}{path}", server.url)).await;
    page.wait_for("document.body.dataset.ready === 'true'", "the app to start")
        .await;
    page.wait_for(
        "document.querySelector('#connection-state')?.dataset.state === 'online'",
        "the app to be online",
    )
    .await;
    page
}

/// Opens the app at its start page; see [`open_at`].
pub async fn open_app(browser: &Browser, server: &TestServer, cookie: &str) -> Page {
    open_at(browser, server, cookie, "/").await
}

/// Follows an in-app link the way a person does (a click on the link in the
/// main navigation), without reloading the page.
pub async fn go_to(page: &Page, path: &str) {
    page.click(&format!(".main-nav a[href={}]", js(path))).await;
    page.wait_for(
        &format!("location.pathname === {}", js(path)),
        &format!("the address to become {path}"),
    )
    .await;
}

/// Where `tests/run` installs axe-core (npm, `tests/axe`).
fn axe_source_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js")
}

/// Runs axe-core on the page as it is now and fails, listing them, on any
/// serious or critical violation of WCAG 2.0/2.1 A or AA. `what` names the
/// page or state in the failure message.
pub async fn assert_accessible(page: &Page, what: &str) {
    let violations = accessibility_violations(page).await;
    assert!(
        violations.is_empty(),
        "{what}: {} serious or critical accessibility violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// The serious and critical WCAG 2.0/2.1 A and AA violations axe-core finds
/// on the page as it is now, one line each.
pub async fn accessibility_violations(page: &Page) -> Vec<String> {
    let path = axe_source_path();
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): run tests/run, which installs it with npm",
            path.display()
        )
    });
    let loaded = page
        .eval(&format!("(() => {{ {source}\n; return typeof axe; }})()"))
        .await;
    assert_eq!(loaded, Value::from("object"), "axe-core did not load");
    let result = page
        .eval(
            "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`))",
        )
        .await;
    serde_json::from_value(result).expect("a list of violations")
}

/// Waits until the connection state the app shows is `state` (`online`,
/// `connecting` or `offline`).
pub async fn wait_connection_state(page: &Page, state: &str) {
    page.wait_for(
        &format!(
            "document.querySelector('#connection-state')?.dataset.state === {}",
            js(state)
        ),
        &format!("the connection state {state}"),
    )
    .await;
}

/// Waits until the app counts `count` edits not yet confirmed.
pub async fn wait_pending(page: &Page, count: usize) {
    page.wait_for(
        &format!("document.querySelector('#pending-count')?.textContent === '{count}'"),
        &format!("{count} edits pending"),
    )
    .await;
}

/// The script that finds the work programme's row titled `title`.
pub fn row_with_title(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('li.priority')].find(li => li.querySelector('.priority-title')?.textContent === {})",
        js(title)
    )
}

/// Adds a priority on the work programme page and waits for its row.
pub async fn add_priority(page: &Page, title: &str) {
    page.type_text("#new-priority-title", title).await;
    page.press("Enter").await;
    page.wait_for(&row_with_title(title), &format!("the new priority {title}"))
        .await;
}
