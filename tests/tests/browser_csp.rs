//! The app under its Content-Security-Policy in real headless Chromium: it
//! starts, signs in, shows every page of its navigation, syncs an edit to
//! the server, starts again offline from
//! its service worker and sends the edit made meanwhile, and the browser
//! reports no violation of the policy on the way. A script injected inline
//! at the end is blocked and reported, which shows the policy is in force
//! and that the report would have caught a violation.

use ara_tests::app::{add_priority, go_to, row_with_title, wait_connection_state, wait_pending};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::http;
use ara_tests::server::{TEST_PASSWORD, TestServer};
use serde_json::{Value, json};

/// Installed before any script of every document: keeps each violation the
/// page reports, in the tab's session storage so that reloads keep them.
const RECORD_VIOLATIONS: &str = r#"
document.addEventListener("securitypolicyviolation", (event) => {
  try {
    const seen = JSON.parse(sessionStorage.getItem("csp-violations") || "[]");
    seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    sessionStorage.setItem("csp-violations", JSON.stringify(seen));
  } catch (e) {}
});
"#;

async fn violations(page: &Page) -> Vec<String> {
    let seen = page
        .eval("sessionStorage.getItem('csp-violations') || '[]'")
        .await;
    serde_json::from_str(seen.as_str().unwrap_or("[]")).expect("a JSON list")
}

async fn server_csv(server: &TestServer, cookie: &str) -> String {
    let csv = http::get(&server.url, "/api/export/priorities.csv", Some(cookie)).await;
    assert_eq!(csv.status, 200, "{}", csv.text());
    csv.text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_starts_signs_in_syncs_and_works_offline_with_no_policy_violation() {
    // With the demo programme, so that every page has something to show.
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;
    let shell = http::get(&server.url, "/", None).await;
    assert!(
        shell
            .header("content-security-policy")
            .is_some_and(|csp| csp.contains("script-src 'self' 'wasm-unsafe-eval'")),
        "the shell is served under the policy: {:?}",
        shell.headers
    );
    let browser = Browser::launch().await;
    let page = browser.page().await;
    page.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": RECORD_VIOLATIONS}),
    )
    .await;

    with_failure_screenshots("csp", &[&page], async {
        // Start and sign in through the form, as a person does.
        page.navigate(&format!("{}/", server.url)).await;
        page.type_text("#sign-in-email", "secretariat@ara.test").await;
        page.type_text("#sign-in-password", TEST_PASSWORD).await;
        page.press("Enter").await;
        page.wait_for("document.querySelector('#user-name')", "to be signed in")
            .await;
        wait_connection_state(&page, "online").await;

        // Every page of the navigation renders under the policy.
        let pages = page
            .eval("[...document.querySelectorAll('.main-nav a[href^=\"/\"]')].map(a => a.getAttribute('href'))")
            .await;
        let pages: Vec<String> = serde_json::from_value(pages).expect("a list of paths");
        assert!(pages.len() > 5, "the navigation lists the pages: {pages:?}");
        for path in &pages {
            go_to(&page, path).await;
            page.wait_for(
                "document.querySelector('main')?.textContent.trim().length > 0",
                &format!("{path} to render"),
            )
            .await;
        }

        // An edit reaches the server over the sync WebSocket.
        go_to(&page, "/programme").await;
        add_priority(&page, "Hydrogen corridors").await;
        wait_pending(&page, 0).await;
        assert!(server_csv(&server, &cookie).await.contains("Hydrogen corridors"));

        // Offline: the service worker starts the app again, an edit waits
        // and goes out when the network is back.
        page.wait_for(
            "navigator.serviceWorker.controller !== null",
            "the service worker to control the page",
        )
        .await;
        browser.set_offline(true).await;
        wait_connection_state(&page, "offline").await;
        page.reload().await;
        page.wait_for("document.body.dataset.ready === 'true'", "the app to start offline")
            .await;
        page.wait_for(&row_with_title("Hydrogen corridors"), "the stored priority")
            .await;
        add_priority(&page, "Battery passports").await;
        wait_pending(&page, 1).await;
        browser.set_offline(false).await;
        wait_connection_state(&page, "online").await;
        wait_pending(&page, 0).await;
        assert!(server_csv(&server, &cookie).await.contains("Battery passports"));

        assert_eq!(violations(&page).await, Vec::<String>::new());

        // The control: an inline script is blocked, and reported.
        let ran = page
            .eval(
                "(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.append(s); return window.inlineRan === true; })()",
            )
            .await;
        assert_eq!(ran, Value::Bool(false), "an inline script ran");
        page.wait_for(
            "JSON.parse(sessionStorage.getItem('csp-violations') || '[]').length > 0",
            "the blocked inline script to be reported",
        )
        .await;
        let reported = violations(&page).await;
        assert!(
            reported.iter().any(|v| v.starts_with("script-src")),
            "{reported:?}"
        );
    })
    .await;
}
