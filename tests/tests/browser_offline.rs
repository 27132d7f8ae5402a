//! The installable, offline-first app in real headless Chromium against the
//! real server: installability, starting and editing with no network,
//! surviving reloads and browser restarts, converging after concurrent
//! offline edits and server restarts, tabs sharing one queue, and the offer
//! to update when a new build is served.

use ara_shared::Role;
use ara_tests::app::{
    add_priority, assert_accessible, go_to, open_at, row_with_title, wait_connection_state,
    wait_pending,
};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::http;
use ara_tests::server::TestServer;
use serde_json::Value;

// --- Driving the work programme (the one place that knows its controls) ---

async fn rename_priority(page: &Page, from: &str, to: &str) {
    page.eval(&format!(
        "{}.querySelector('.edit-title').click()",
        row_with_title(from)
    ))
    .await;
    page.wait_for(
        "document.activeElement?.classList.contains('title-input')",
        "the title field to take focus",
    )
    .await;
    page.eval("document.activeElement.select()").await;
    page.call("Input.insertText", serde_json::json!({"text": to}))
        .await;
    page.press("Enter").await;
    page.wait_for(&row_with_title(to), &format!("the rename to {to}"))
        .await;
}

// --- What the app shows about itself ---

/// Waits until the service worker has installed this build's shell and
/// controls the page (so that a reload works with no network).
async fn wait_controlled(page: &Page) {
    page.wait_for(
        "navigator.serviceWorker.controller !== null",
        "the service worker to control the page",
    )
    .await;
}

async fn wait_started(page: &Page) {
    page.wait_for("document.body.dataset.ready === 'true'", "the app to start")
        .await;
}

/// The harness signs in with a cookie that ends with the browser; the
/// server's own lasts 14 days. For a browser restart, set it as the server
/// would have.
async fn keep_signed_in(page: &Page, server: &TestServer, cookie: &str) {
    let (name, value) = cookie.split_once('=').expect("name=value cookie");
    let in_a_week = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        + 7 * 24 * 3600;
    page.call(
        "Network.setCookie",
        serde_json::json!({"name": name, "value": value, "url": server.url, "httpOnly": true, "expires": in_a_week}),
    )
    .await;
}

/// The titles the server holds now, from its CSV export.
async fn server_csv(server: &TestServer, cookie: &str) -> String {
    let csv = http::get(&server.url, "/api/export/priorities.csv", Some(cookie)).await;
    assert_eq!(csv.status, 200, "{}", csv.text());
    csv.text()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes[..8] == [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a],
        "not a PNG"
    );
    assert_eq!(&bytes[12..16], b"IHDR", "a PNG starts with its header");
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_finds_the_app_installable_with_real_icons() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/").await;

    with_failure_screenshots("installable", &[&page], async {
        wait_controlled(&page).await;
        let errors = page.call("Page.getInstallabilityErrors", serde_json::json!({})).await;
        assert_eq!(
            errors["installabilityErrors"],
            serde_json::json!([]),
            "Chromium's own installability check"
        );

        // The manifest, served at the root, says what an installed app needs.
        let response = http::get(&server.url, "/manifest.webmanifest", None).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/manifest+json"));
        assert_eq!(response.header("cache-control"), Some("no-cache"));
        let manifest: Value = response.json();
        assert_eq!(manifest["name"], "ARA Planner");
        assert_eq!(manifest["short_name"], "ARA Planner");
        assert_eq!(manifest["start_url"], "/");
        assert_eq!(manifest["scope"], "/");
        assert_eq!(manifest["display"], "standalone");
        assert!(manifest["description"].as_str().is_some_and(|d| d.len() > 20));
        assert!(manifest["theme_color"].as_str().is_some_and(|c| c.starts_with('#')));
        assert!(manifest["background_color"].as_str().is_some_and(|c| c.starts_with('#')));

        // Every PNG icon is a real PNG of the size it claims.
        let mut seen = Vec::new();
        for icon in manifest["icons"].as_array().expect("icons") {
            let src = icon["src"].as_str().expect("src");
            let fetched = http::get(&server.url, src, None).await;
            assert_eq!(fetched.status, 200, "{src}");
            if icon["type"] == "image/png" {
                assert_eq!(fetched.header("content-type"), Some("image/png"), "{src}");
                let (w, h) = png_size(&fetched.body);
                assert_eq!(icon["sizes"], format!("{w}x{h}"), "{src}");
                seen.push((w, icon["purpose"].as_str().unwrap_or("any").to_owned()));
            }
        }
        for wanted in [(192, "any"), (512, "any"), (512, "maskable")] {
            assert!(
                seen.iter().any(|(w, p)| *w == wanted.0 && p == wanted.1),
                "an icon of {} px for {}: {seen:?}",
                wanted.0,
                wanted.1
            );
        }

        // The page links it, with a theme colour and a touch icon.
        assert_eq!(
            page.eval("document.querySelector('link[rel=manifest]').getAttribute('href')").await,
            "/manifest.webmanifest"
        );
        assert_eq!(
            page.eval("!!document.querySelector('meta[name=theme-color]') && !!document.querySelector('link[rel=apple-touch-icon]')").await,
            true
        );

        // The service worker at the root, never cached by HTTP, keeps this build.
        let worker = http::get(&server.url, "/sw.js", None).await;
        assert_eq!(worker.status, 200);
        assert_eq!(worker.header("cache-control"), Some("no-cache"));
        assert!(worker.header("content-type").is_some_and(|t| t.starts_with("text/javascript")));
        let version: Value = http::get(&server.url, "/api/version", None).await.json();
        let build = version["build"].as_str().expect("a build id").to_owned();
        assert!(worker.text().contains(&format!("const BUILD = \"{build}\"")));
        assert_eq!(
            page.eval("caches.keys()").await,
            serde_json::json!([format!("ara-shell-{build}")]),
            "one cache, named for the build"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_made_offline_survive_reload_and_browser_restart_and_reach_others_online() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let profile = tempfile::tempdir().expect("a profile that outlives one browser");
    let browser_a = Browser::launch_with_profile(profile.path()).await;
    let browser_b = Browser::launch().await;
    let a = open_at(&browser_a, &server, &anna, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;

    with_failure_screenshots("offline_edits", &[&a, &b], async {
        add_priority(&a, "Battery skills academy").await;
        add_priority(&a, "Supplier network").await;
        wait_pending(&a, 0).await;
        b.wait_for(&row_with_title("Supplier network"), "B to see both")
            .await;
        wait_controlled(&a).await;

        // Offline: two edits, kept and counted, not on the server.
        browser_a.set_offline(true).await;
        wait_connection_state(&a, "offline").await;
        rename_priority(&a, "Battery skills academy", "Battery skills academy 2030").await;
        rename_priority(&a, "Supplier network", "Cross-border supplier network").await;
        wait_pending(&a, 2).await;

        // A reload with no network starts the app from the service worker's
        // shell and the stored replica, with both edits.
        a.eval("window.beforeReload = true").await;
        a.reload().await;
        wait_started(&a).await;
        assert_eq!(
            a.eval("window.beforeReload === undefined").await,
            true,
            "a real reload"
        );
        a.wait_for(
            &row_with_title("Battery skills academy 2030"),
            "the first edit after the reload",
        )
        .await;
        a.wait_for(
            &row_with_title("Cross-border supplier network"),
            "the second edit after the reload",
        )
        .await;
        wait_pending(&a, 2).await;
        wait_connection_state(&a, "offline").await;
        let csv = server_csv(&server, &anna).await;
        assert!(
            !csv.contains("2030") && !csv.contains("Cross-border"),
            "nothing reached the server: {csv}"
        );

        // Quit the browser and start it again, still offline.
        browser_a.close().await;
        let browser_a = Browser::launch_with_profile(profile.path()).await;
        let a = browser_a.page().await;
        keep_signed_in(&a, &server, &anna).await;
        browser_a.set_offline(true).await;
        a.navigate(&format!("{}/programme", server.url)).await;
        wait_started(&a).await;
        a.wait_for(
            &row_with_title("Battery skills academy 2030"),
            "the first edit after a browser restart",
        )
        .await;
        a.wait_for(
            &row_with_title("Cross-border supplier network"),
            "the second edit after a browser restart",
        )
        .await;
        wait_pending(&a, 2).await;

        // Back online: sent once, confirmed, and the other person sees both.
        browser_a.set_offline(false).await;
        wait_connection_state(&a, "online").await;
        wait_pending(&a, 0).await;
        b.wait_for(
            &row_with_title("Battery skills academy 2030"),
            "B to receive the first edit",
        )
        .await;
        b.wait_for(
            &row_with_title("Cross-border supplier network"),
            "B to receive the second edit",
        )
        .await;
        let csv = server_csv(&server, &anna).await;
        assert_eq!(
            csv.matches("Battery skills academy 2030").count(),
            1,
            "{csv}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_field_edited_offline_twice_converges_and_the_overwritten_value_can_be_restored() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &anna, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;

    with_failure_screenshots("offline_conflict", &[&a, &b], async {
        add_priority(&a, "Hydrogen trucks").await;
        b.wait_for(&row_with_title("Hydrogen trucks"), "B to see it").await;

        browser_a.set_offline(true).await;
        browser_b.set_offline(true).await;
        wait_connection_state(&a, "offline").await;
        wait_connection_state(&b, "offline").await;
        rename_priority(&a, "Hydrogen trucks", "Hydrogen trucks (Anna)").await;
        rename_priority(&b, "Hydrogen trucks", "Hydrogen trucks (Bob)").await;

        // Anna's edit reaches the server first, Bob's after it: Bob's wins.
        browser_a.set_offline(false).await;
        wait_pending(&a, 0).await;
        browser_b.set_offline(false).await;
        wait_pending(&b, 0).await;
        a.wait_for(&row_with_title("Hydrogen trucks (Bob)"), "A to converge").await;
        b.wait_for(&row_with_title("Hydrogen trucks (Bob)"), "B to converge").await;

        // Anna is told, in words, and restores her value with one click.
        a.wait_for(
            "[...document.querySelectorAll('#notices .notice p')].some(p => p.textContent.includes('Hydrogen trucks (Anna)') && p.textContent.includes('Bob Navarra'))",
            "Anna to see whose value replaced hers",
        )
        .await;
        assert_accessible(&a, "the programme with an overwrite notice").await;
        a.click("#notices .notice button.restore").await;
        a.wait_for(&row_with_title("Hydrogen trucks (Anna)"), "A's value back").await;
        b.wait_for(&row_with_title("Hydrogen trucks (Anna)"), "B to see it restored").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_browsers_reconnect_and_converge_after_a_server_restart() {
    let mut server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &anna, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;

    with_failure_screenshots("server_restart", &[&a, &b], async {
        add_priority(&a, "Skills passport").await;
        b.wait_for(&row_with_title("Skills passport"), "B to see it")
            .await;
        a.eval("window.sameDocument = true").await;
        b.eval("window.sameDocument = true").await;

        server.stop().await;
        wait_connection_state(&a, "offline").await;
        wait_connection_state(&b, "offline").await;
        // An edit while the server is away waits in the queue.
        rename_priority(&a, "Skills passport", "European skills passport").await;
        wait_pending(&a, 1).await;

        server.restart_in_place(&[]).await;
        wait_connection_state(&a, "online").await;
        wait_connection_state(&b, "online").await;
        wait_pending(&a, 0).await;
        b.wait_for(
            &row_with_title("European skills passport"),
            "B to receive the queued edit",
        )
        .await;
        rename_priority(
            &b,
            "European skills passport",
            "European skills passport 2027",
        )
        .await;
        a.wait_for(
            &row_with_title("European skills passport 2027"),
            "A to receive B's edit",
        )
        .await;
        for page in [&a, &b] {
            assert_eq!(
                page.eval("window.sameDocument === true").await,
                true,
                "no reload"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_offers_the_update_when_a_new_build_is_served() {
    let mut server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/programme").await;

    with_failure_screenshots("new_build", &[&page], async {
        wait_controlled(&page).await;
        let old: Value = http::get(&server.url, "/api/version", None).await.json();
        assert_eq!(page.eval("!!document.querySelector('#app-update')").await, false);

        // The same binary, serving itself as another build.
        server.restart_in_place(&["--build-salt", "second"]).await;
        let new: Value = http::get(&server.url, "/api/version", None).await.json();
        assert_ne!(old["build"], new["build"]);
        page.wait_for(
            "document.querySelector('#app-update')?.textContent.includes('A new version of ARA Planner is ready.')",
            "the offer to update",
        )
        .await;
        wait_connection_state(&page, "online").await;
        assert_accessible(&page, "the page offering the update").await;
        page.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
        page.wait_for("innerWidth === 390", "a phone's width").await;
        assert_eq!(
            page.eval("document.documentElement.scrollWidth <= 390").await,
            true,
            "the offer fits a phone's screen"
        );
        page.call("Emulation.clearDeviceMetricsOverride", serde_json::json!({}))
            .await;

        // The old build keeps running until the person chooses.
        page.eval("window.beforeUpdate = true").await;
        page.click("#reload-to-update").await;
        wait_started(&page).await;
        page.wait_for("window.beforeUpdate === undefined", "the page to reload").await;
        let build = new["build"].as_str().expect("build id");
        assert_eq!(
            page.eval("caches.keys()").await,
            serde_json::json!([format!("ara-shell-{build}")]),
            "only the new build's shell is kept"
        );
        assert_eq!(page.eval("!!document.querySelector('#app-update')").await, false);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_of_one_browser_share_one_connection_and_one_queue() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let first = open_at(&browser_a, &server, &anna, "/programme").await;
    let second = open_at(&browser_a, &server, &anna, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;

    with_failure_screenshots("tabs", &[&first, &second, &b], async {
        // Two browsers connected, though Anna has two tabs.
        let metrics = http::get(&server.url, "/metrics", None).await.text();
        assert!(metrics.contains("ara_connected_clients 2"), "{metrics}");

        add_priority(&second, "Charging corridors").await;
        first
            .wait_for(
                &row_with_title("Charging corridors"),
                "the other tab to show it",
            )
            .await;
        b.wait_for(&row_with_title("Charging corridors"), "B to see it")
            .await;

        // Offline, an edit in one tab shows in the other at once, queued once.
        browser_a.set_offline(true).await;
        wait_connection_state(&first, "offline").await;
        wait_connection_state(&second, "offline").await;
        rename_priority(&second, "Charging corridors", "Charging corridors 2028").await;
        first
            .wait_for(
                &row_with_title("Charging corridors 2028"),
                "the edit in the other tab, offline",
            )
            .await;
        wait_pending(&first, 1).await;
        wait_pending(&second, 1).await;

        browser_a.set_offline(false).await;
        wait_pending(&first, 0).await;
        wait_pending(&second, 0).await;
        b.wait_for(
            &row_with_title("Charging corridors 2028"),
            "B to receive it",
        )
        .await;
        let csv = server_csv(&server, &anna).await;
        assert_eq!(csv.matches("Charging corridors 2028").count(), 1, "{csv}");

        // Whichever tab closes, the other goes on syncing.
        first.close().await;
        rename_priority(
            &second,
            "Charging corridors 2028",
            "Charging corridors 2029",
        )
        .await;
        b.wait_for(
            &row_with_title("Charging corridors 2029"),
            "B to receive the remaining tab's edit",
        )
        .await;
        wait_pending(&second, 0).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_kept_offline_survive_a_refused_session_and_are_sent_after_signing_in() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &anna, "/programme").await;
    let b = open_at(&browser_b, &server, &bob, "/programme").await;

    with_failure_screenshots("refused_session", &[&a, &b], async {
        add_priority(&a, "Just transition fund").await;
        wait_pending(&a, 0).await;
        browser_a.set_offline(true).await;
        wait_connection_state(&a, "offline").await;
        rename_priority(&a, "Just transition fund", "Just transition fund for regions").await;
        wait_pending(&a, 1).await;

        // Meanwhile the session ends on the server (signed out elsewhere).
        let ended = http::request(&server.url, "DELETE", "/api/session", &[("Cookie", &anna)], None).await;
        assert!(ended.status < 300, "sign-out: {}", ended.text());

        // Back online the server refuses the session: the sign-in says the
        // edit is kept, and it is sent once Anna signs in again.
        browser_a.set_offline(false).await;
        a.wait_for("document.querySelector('#sign-in-form')", "the sign-in").await;
        a.wait_for(
            "document.querySelector('#kept-edits')?.textContent.startsWith('1 edit made as Sabine Sekretariat has not been sent yet.')",
            "the note about the kept edit",
        )
        .await;
        assert_accessible(&a, "the sign-in with kept edits").await;
        let csv = server_csv(&server, &bob).await;
        assert!(!csv.contains("for regions"), "not sent without a session: {csv}");
        a.type_text("#sign-in-email", "secretariat@ara.test").await;
        a.type_text("#sign-in-password", ara_tests::server::TEST_PASSWORD).await;
        a.press("Enter").await;
        wait_connection_state(&a, "online").await;
        wait_pending(&a, 0).await;
        b.wait_for(&row_with_title("Just transition fund for regions"), "B to receive the kept edit").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_or_refused_storage_is_explained_with_what_it_means_for_unsent_edits() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/programme").await;

    with_failure_screenshots("storage_problems", &[&page], async {
        assert_eq!(page.eval("!!document.querySelector('#storage-status')").await, false);
        // A quota cannot be filled in a test (DevTools' quota override did
        // not take effect on this Chromium), so the browser's answer to a
        // full quota is given at its API: IndexedDB refuses the write with
        // a QuotaExceededError.
        page.eval(
            "IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }",
        )
        .await;
        add_priority(&page, "Semiconductor supply").await;
        page.wait_for(
            "document.querySelector('#storage-status')?.textContent.includes('The storage for ARA Planner on this device is full: edits not yet sent are kept only while this tab stays open.')",
            "the message that the storage is full",
        )
        .await;
        assert_accessible(&page, "the page with the storage message").await;
        page.eval("(() => { const l = document.querySelector('#language'); l.value = 'de'; l.dispatchEvent(new Event('change')); })()")
            .await;
        page.wait_for(
            "document.querySelector('#storage-status')?.textContent.includes('Der Speicher für ARA Planner auf diesem Gerät ist voll')",
            "the message in German",
        )
        .await;

        // A browser without IndexedDB (as some private modes): said at start.
        page.call(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({"source": "delete window.indexedDB; Object.defineProperty(window, 'indexedDB', { value: undefined });"}),
        )
        .await;
        page.reload().await;
        wait_started(&page).await;
        page.wait_for(
            "document.querySelector('#storage-status')?.textContent.includes('Dieser Browser erlaubt ARA Planner nicht, Daten auf diesem Gerät zu speichern')",
            "the message that nothing can be stored",
        )
        .await;
        wait_connection_state(&page, "online").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_stored_for_one_person_are_never_sent_under_another_persons_session() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &anna, "/programme").await;

    with_failure_screenshots("other_session", &[&page], async {
        add_priority(&page, "Regional observatory").await;
        wait_pending(&page, 0).await;
        browser.set_offline(true).await;
        wait_connection_state(&page, "offline").await;
        rename_priority(&page, "Regional observatory", "Regional observatory 2030").await;
        wait_pending(&page, 1).await;

        // Meanwhile Bob signs in on this browser (his cookie replaces Anna's).
        page.set_cookie(&server.url, &bob).await;
        browser.set_offline(false).await;
        page.wait_for(
            "document.querySelector('#user-name')?.textContent === 'Bob Navarra'",
            "the app to start again as Bob",
        )
        .await;
        wait_connection_state(&page, "online").await;
        wait_pending(&page, 0).await;
        let csv = server_csv(&server, &anna).await;
        assert!(
            !csv.contains("2030"),
            "Anna's edit was not sent as Bob: {csv}"
        );

        // Bob signs out, Anna signs in: her kept edit goes out as hers.
        // Signing out ends with a full reload: a mark on this document tells
        // the reloaded page (and its sign-in form) from the one before.
        page.eval("window.beforeSignOut = true").await;
        page.click("#sign-out").await;
        page.wait_for(
            "!window.beforeSignOut && document.readyState === 'complete' && document.querySelector('#sign-in-form')",
            "the sign-in form after the reload",
        )
        .await;
        page.type_text("#sign-in-email", "secretariat@ara.test")
            .await;
        page.type_text("#sign-in-password", ara_tests::server::TEST_PASSWORD)
            .await;
        page.press("Enter").await;
        page.wait_for(
            "document.querySelector('#user-name')?.textContent === 'Sabine Sekretariat'",
            "Anna signed in",
        )
        .await;
        wait_connection_state(&page, "online").await;
        go_to(&page, "/programme").await;
        page.wait_for(
            &row_with_title("Regional observatory 2030"),
            "Anna's kept edit",
        )
        .await;
        wait_pending(&page, 0).await;
        let csv = server_csv(&server, &anna).await;
        assert_eq!(csv.matches("Regional observatory 2030").count(), 1, "{csv}");
    })
    .await;
}
