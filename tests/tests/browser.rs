//! What people see: the app in real headless Chromium against the real
//! server. Two browsers are two people with their own profiles.

use ara_shared::Role;
use ara_tests::app::{accessibility_violations, assert_accessible, go_to, js, open_app, open_at};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::server::TestServer;

/// The work programme as the person with `cookie` sees it.
async fn open_programme(browser: &Browser, server: &TestServer, cookie: &str) -> Page {
    open_at(browser, server, cookie, "/programme").await
}

/// A selector-free way to find a priority row by its title.
fn row_with_title(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('li.priority')].find(li => li.querySelector('.priority-title')?.textContent === {})",
        js(title)
    )
}

fn titles_js() -> &'static str {
    "[...document.querySelectorAll('li.priority .priority-title')].map(e => e.textContent)"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_see_each_others_edits_without_reloading() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let bob = server
        .invite(&anna, "Bob Navarra", "bob@navarra.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_programme(&browser_a, &server, &anna).await;
    let b = open_programme(&browser_b, &server, &bob).await;

    with_failure_screenshots("two_people", &[&a, &b], async {
        // A adds a priority by typing and pressing Enter.
        a.type_text("#new-priority-title", "Battery skills academy").await;
        a.press("Enter").await;
        b.wait_for(&row_with_title("Battery skills academy"), "B to see A's new priority").await;
        a.wait_for("document.querySelector('#pending-count').textContent === '0'", "A's edit to be confirmed")
            .await;

        // B renames it; A sees the new title.
        b.eval(&format!("{}.querySelector('.edit-title').click()", row_with_title("Battery skills academy")))
            .await;
        b.wait_for("document.activeElement?.classList.contains('title-input')", "the title field to take focus")
            .await;
        b.eval("document.activeElement.select()").await;
        b.call("Input.insertText", serde_json::json!({"text": "Battery skills academy 2030"})).await;
        b.press("Enter").await;
        a.wait_for(&row_with_title("Battery skills academy 2030"), "A to see B's rename").await;

        // Presence: B sees who else is online, and that A is editing a title.
        b.wait_for(
            "document.querySelector('#online-people')?.textContent.includes('Sabine Sekretariat')",
            "B to see A online",
        )
        .await;
        a.eval(&format!("{}.querySelector('.edit-title').click()", row_with_title("Battery skills academy 2030")))
            .await;
        b.wait_for(
            &format!(
                "{}.querySelector('.presence-note')?.textContent.endsWith('Sabine Sekretariat is editing this now.')",
                row_with_title("Battery skills academy 2030")
            ),
            "B to see that A is editing",
        )
        .await;
        a.wait_for("document.activeElement?.classList.contains('title-input')", "A's title field").await;
        a.press("Escape").await;
        b.wait_for(
            &format!("!{}.querySelector('.presence-note')", row_with_title("Battery skills academy 2030")),
            "the note to go when A stops editing",
        )
        .await;

        // A adds a second one, moves it up, and changes the first one's status.
        a.type_text("#new-priority-title", "Cross-border supplier network").await;
        a.click("#add-priority").await;
        b.wait_for(&row_with_title("Cross-border supplier network"), "B to see the second priority").await;
        a.eval(&format!("{}.querySelector('.move-up').click()", row_with_title("Cross-border supplier network")))
            .await;
        b.wait_for(
            &format!("JSON.stringify({}) === {}", titles_js(), js(r#"["Cross-border supplier network","Battery skills academy 2030"]"#)),
            "B to see the new order",
        )
        .await;
        a.eval(&format!(
            "(() => {{ const s = {}.querySelector('.status-select'); s.value = 'adopted'; s.dispatchEvent(new Event('change')); }})()",
            row_with_title("Battery skills academy 2030")
        ))
        .await;
        b.wait_for(
            &format!("{}.dataset.status === 'adopted'", row_with_title("Battery skills academy 2030")),
            "B to see the status change",
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_edit_is_explained_and_undone() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let a = open_programme(&browser, &server, &anna).await;

    with_failure_screenshots("refused_edit", &[&a], async {
        a.type_text("#new-priority-title", "Regional impact assessment").await;
        a.press("Enter").await;
        a.wait_for(&row_with_title("Regional impact assessment"), "the new priority").await;

        // An empty title is refused with words, and the old title stays.
        a.eval(&format!("{}.querySelector('.edit-title').click()", row_with_title("Regional impact assessment")))
            .await;
        a.wait_for("document.activeElement?.classList.contains('title-input')", "the title field").await;
        a.eval("document.activeElement.select()").await;
        a.call("Input.insertText", serde_json::json!({"text": "   "})).await;
        a.press("Enter").await;
        a.wait_for("document.querySelector('#notices [role=alert]')", "a message about the refusal").await;
        assert_eq!(a.text("#notices [role=alert] p").await, "The title cannot be empty.");
        a.wait_for(&row_with_title("Regional impact assessment"), "the old title to stay").await;

        // A status jump the rules forbid (proposed → done) is explained, and
        // the select goes back to the real status.
        a.eval(&format!(
            "(() => {{ const s = {}.querySelector('.status-select'); s.value = 'done'; s.dispatchEvent(new Event('change')); }})()",
            row_with_title("Regional impact assessment")
        ))
        .await;
        a.wait_for(
            "[...document.querySelectorAll('#notices [role=alert] p')].some(p => p.textContent.includes('cannot change from'))",
            "a message about the status",
        )
        .await;
        assert_eq!(
            a.eval(&format!("{}.querySelector('.status-select').value", row_with_title("Regional impact assessment")))
                .await,
            "proposed"
        );

        // The language switch puts the messages and the page into German.
        a.eval("(() => { const l = document.querySelector('#language'); l.value = 'de'; l.dispatchEvent(new Event('change')); })()")
            .await;
        a.wait_for("document.documentElement.lang === 'de'", "<html lang> to follow").await;
        assert_eq!(a.text("#programme-heading").await, "Arbeitsprogramm");
        assert_eq!(a.text("#notices [role=alert] p").await, "Das Feld „Titel“ darf nicht leer sein.");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_setup_and_sign_in_work_in_the_browser() {
    let server = TestServer::start().await;
    let token = server.setup_token.clone().expect("setup link printed");
    let browser = Browser::launch().await;
    let page = browser.page().await;

    with_failure_screenshots("setup_and_sign_in", &[&page], async {
        page.navigate(&format!("{}/setup#{token}", server.url))
            .await;
        page.type_text("#setup-name", "Sabine Sekretariat").await;
        page.type_text("#setup-email", "sabine@ara.test").await;
        page.type_text("#setup-password", "short").await;
        page.click("#create-account").await;
        page.wait_for(
            "document.querySelector('#form-error')",
            "the weak password to be refused",
        )
        .await;
        assert_eq!(
            page.text("#form-error").await,
            "The password must have at least 12 characters."
        );
        page.eval("document.querySelector('#setup-password').value = ''")
            .await;
        page.type_text("#setup-password", "a long enough password")
            .await;
        page.click("#create-account").await;
        page.wait_for(
            "document.querySelector('#connection-state')?.dataset.state === 'online'",
            "the new secretariat to be signed in and synced",
        )
        .await;
        assert_eq!(page.text("#user-name").await, "Sabine Sekretariat");
        assert_eq!(page.eval("location.pathname").await, "/");

        // Sign out, then a wrong password is explained, the right one works.
        page.click("#sign-out").await;
        page.wait_for(
            "document.querySelector('#sign-in-form')",
            "the sign-in form",
        )
        .await;
        page.type_text("#sign-in-email", "sabine@ara.test").await;
        page.type_text("#sign-in-password", "not the password")
            .await;
        page.press("Enter").await;
        page.wait_for("document.querySelector('#form-error')", "the refusal")
            .await;
        assert_eq!(
            page.text("#form-error").await,
            "The email address or the password is wrong."
        );
        page.type_text("#sign-in-password", "a long enough password")
            .await;
        page.press("Enter").await;
        page.wait_for("document.querySelector('#user-name')", "to be signed in")
            .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_have_their_own_addresses_with_back_and_forward() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    // A deep link opens its page directly.
    let page = open_at(&browser, &server, &anna, "/programme").await;

    with_failure_screenshots("pages_and_history", &[&page], async {
        page.wait_for(
            "document.querySelector('#programme-heading')",
            "the programme at its address",
        )
        .await;
        assert_eq!(
            page.eval(
                "document.querySelector('.main-nav a[aria-current=page]')?.getAttribute('href')"
            )
            .await,
            "/programme",
            "the navigation marks the current page"
        );
        assert_accessible(&page, "the work programme").await;

        // Moving through the navigation keeps one page (no reload) and the history.
        page.eval("window.sameDocument = true").await;
        go_to(&page, "/regions").await;
        go_to(&page, "/meetings").await;
        page.eval("history.back()").await;
        page.wait_for(
            "location.pathname === '/regions'",
            "back to go to the regions",
        )
        .await;
        page.eval("history.forward()").await;
        page.wait_for(
            "location.pathname === '/meetings'",
            "forward to go to the meetings",
        )
        .await;
        assert_eq!(
            page.eval("window.sameDocument === true").await,
            true,
            "no page reload"
        );
        page.wait_for(
            "document.activeElement === document.querySelector('#main')",
            "focus to move to the new page's content",
        )
        .await;

        // An unknown address says so, with a way back.
        page.navigate(&format!("{}/no-such-page", server.url)).await;
        page.wait_for(
            "document.querySelector('.not-found h1')",
            "the not-found page",
        )
        .await;
        assert_eq!(page.text(".not-found h1").await, "Page not found");
        assert_accessible(&page, "the not-found page").await;

        // The check itself finds what it should: an input without a label.
        page.eval("document.querySelector('#main').append(document.createElement('input'))")
            .await;
        let found = accessibility_violations(&page).await;
        assert!(
            found.iter().any(|v| v.contains("label")),
            "axe reports the unlabelled input: {found:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_navigation_folds_into_a_menu_on_a_phone() {
    let server = TestServer::start().await;
    let anna = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let page = open_app(&browser, &server, &anna).await;

    with_failure_screenshots("phone_menu", &[&page], async {
        page.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
        page.wait_for(
            "getComputedStyle(document.querySelector('#main-nav-list')).display === 'none'",
            "the links to fold away",
        )
        .await;
        page.focus(".menu-toggle").await;
        page.press("Enter").await;
        page.wait_for(
            "document.querySelector('.menu-toggle').getAttribute('aria-expanded') === 'true'",
            "the menu to open",
        )
        .await;
        page.click(".main-nav a[href='/timeline']").await;
        page.wait_for("location.pathname === '/timeline'", "the link to work").await;
        page.wait_for(
            "document.querySelector('.menu-toggle').getAttribute('aria-expanded') === 'false'",
            "the menu to close after following a link",
        )
        .await;
        assert_eq!(
            page.eval("document.documentElement.scrollWidth <= 390").await,
            true,
            "nothing is wider than the phone's screen"
        );
    })
    .await;
}
