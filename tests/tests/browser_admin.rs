//! People and roles, my account, the ten points and initiatives, and the
//! developments, driven in headless Chromium against the real server with
//! the demo data. Two browsers are two people.

use ara_shared::Role;
use ara_tests::app::{assert_accessible, js, open_at};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::http;
use ara_tests::server::{TEST_PASSWORD, TestServer};
use serde_json::json;

/// A server with the demo data and its secretariat's cookie.
async fn demo_server() -> (TestServer, String) {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    (server, secretariat)
}

/// Sets a form control's value the way typing or picking does (an `input`
/// and a `change` event), for selects and date fields.
async fn set_value(page: &Page, selector: &str, value: &str) {
    page.wait_for(
        &format!("document.querySelector({})", js(selector)),
        selector,
    )
    .await;
    page.eval(&format!(
        "(() => {{ const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()",
        js(selector),
        js(value)
    ))
    .await;
}

async fn text_of(page: &Page, selector: &str) -> String {
    page.wait_for(
        &format!("document.querySelector({})", js(selector)),
        selector,
    )
    .await;
    page.text(selector).await.trim().to_owned()
}

/// Switches the interface language with the header's menu.
async fn choose_language(page: &Page, tag: &str) {
    set_value(page, "#language", tag).await;
    page.wait_for(
        &format!("document.documentElement.lang === {}", js(tag)),
        "<html lang> to follow the choice",
    )
    .await;
}

/// Keeps every WebSocket the page opens in `window.syncSockets`.
const TRACK_SOCKETS: &str = "(() => {
    const Native = window.WebSocket;
    window.syncSockets = [];
    window.WebSocket = class extends Native {
        constructor(...args) { super(...args); window.syncSockets.push(this); }
    };
})();";

fn person_row(email: &str) -> String {
    format!("li.person[data-email={}]", js(email))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariat_invites_a_region_editor_whose_app_follows_a_role_change() {
    let (server, secretariat) = demo_server().await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &secretariat, "/people").await;
    let b = browser_b.page().await;
    // B's sync sockets, so that the test can drop her connection as a
    // network would (DevTools' offline mode leaves WebSockets open).
    b.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": TRACK_SOCKETS}),
    )
    .await;

    with_failure_screenshots("admin_invite", &[&a, &b], async {
        a.wait_for(&format!("document.querySelector({})", js(&person_row("secretariat@ara.test"))), "the list of people").await;
        assert_accessible(&a, "people and roles").await;

        // A region editor needs a region: leaving it out is explained.
        a.type_text("#invite-email", "rita@navarra.test").await;
        a.click("#create-invitation").await;
        assert_eq!(
            text_of(&a, "#invite-error").await,
            "Choose the member region this region editor works for."
        );
        let region: String = a
            .eval("document.querySelector('#invite-region').options[1].value")
            .await
            .as_str()
            .expect("a member region to choose")
            .to_owned();
        let region_name = a
            .eval("document.querySelector('#invite-region').options[1].textContent")
            .await
            .as_str()
            .expect("its name")
            .to_owned();
        set_value(&a, "#invite-region", &region).await;
        a.click("#create-invitation").await;
        a.wait_for("document.querySelector('#invitation-link')?.value.includes('/invite#')", "the one-time link")
            .await;
        a.wait_for("document.activeElement?.id === 'invitation-result-heading'", "focus on the new link").await;
        assert!(text_of(&a, "#invitation-once").await.contains("shown only now"));
        let expiry = text_of(&a, "#invitation-expiry").await;
        assert!(expiry.starts_with("The link works until "), "{expiry}");
        assert!(
            text_of(&a, "#invitation-result").await.contains(&format!("For rita@navarra.test as Region editor ({region_name}).")),
            "the invitation says for whom"
        );
        a.wait_for("document.querySelector('#invitation-list')?.textContent.includes('rita@navarra.test')", "the open invitation")
            .await;
        assert_accessible(&a, "people and roles with a new invitation link").await;
        let link = a.eval("document.querySelector('#invitation-link').value").await.as_str().expect("link").to_owned();
        assert!(link.starts_with(&server.url), "a full address: {link}");
        // The expiry date follows the language.
        choose_language(&a, "de").await;
        assert!(text_of(&a, "#invitation-expiry").await.starts_with("Der Link gilt bis "));
        choose_language(&a, "en").await;

        // The link works in a second browser: the invited person joins.
        b.navigate(&link).await;
        b.wait_for("document.querySelector('#invitation-form p, #invitation-heading + p')?.textContent.includes('rita@navarra.test')", "the invitation").await;
        b.type_text("#invitation-name", "Rita Navarra").await;
        b.type_text("#invitation-password", TEST_PASSWORD).await;
        b.click("#accept-invitation").await;
        b.wait_for("document.querySelector('#connection-state')?.dataset.state === 'online'", "Rita signed in and synced").await;
        assert_eq!(text_of(&b, "#user-name").await, "Rita Navarra");
        assert_eq!(text_of(&b, ".user-menu .role").await, "(Region editor)");
        // Her name leads to her account, which shows her region.
        b.click(".user-menu a.user-link").await;
        b.wait_for("location.pathname === '/account'", "the account page").await;
        assert_eq!(text_of(&b, "#account-role").await, "Region editor");
        assert_eq!(text_of(&b, "#account-region").await, region_name);
        assert_eq!(
            b.eval("!!document.querySelector(\".main-nav a[href='/people']\")").await,
            false,
            "no People link for a region editor"
        );

        // The secretariat sees her and makes her an observer.
        a.reload().await;
        let row = person_row("rita@navarra.test");
        a.wait_for(&format!("document.querySelector({})", js(&row)), "Rita in the list").await;
        assert!(text_of(&a, &row).await.contains(&format!("Region editor · {region_name}")));
        a.click(&format!("{row} .change-role")).await;
        a.wait_for("document.activeElement?.tagName === 'SELECT'", "focus on the role").await;
        assert_accessible(&a, "people and roles with a role form open").await;
        let select = format!("{row} select");
        set_value(&a, &select, "observer").await;
        a.click(&format!("{row} .save-role")).await;
        a.wait_for("document.querySelector('#people-outcome')?.textContent.startsWith('Rita Navarra is now: Observer')", "the change confirmed")
            .await;
        a.wait_for(&format!("document.querySelector({})?.dataset.role === 'observer'", js(&row)), "the list to show it").await;

        // Her app takes the new role when it connects again (here after a
        // dropped connection, without a reload).
        b.eval("window.syncSockets.forEach(s => s.close())").await;
        b.wait_for("document.querySelector('.user-menu .role')?.textContent === '(Observer)'", "B to show the new role").await;
        b.wait_for("document.querySelector('#account-role')?.textContent === 'Observer'", "her account page too").await;

        // The last secretariat account keeps its role: refused in words.
        let me = person_row("secretariat@ara.test");
        a.click(&format!("{me} .change-role")).await;
        set_value(&a, &format!("{me} select"), "observer").await;
        a.click(&format!("{me} .save-role")).await;
        assert!(
            text_of(&a, &format!("{me} .row-error")).await.starts_with("This is the last secretariat account: it keeps its role"),
        );
        assert!(
            a.eval(&format!("document.querySelector({}).querySelector('.remove-access') === null", js(&me))).await == true,
            "nobody is offered to remove their own access"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariat_withdraws_an_invitation_and_removes_access() {
    let (server, secretariat) = demo_server().await;
    let olga = server
        .invite(
            &secretariat,
            "Olga Observer",
            "olga@ara.test",
            Role::Observer,
        )
        .await;
    let browser = Browser::launch().await;
    let a = open_at(&browser, &server, &secretariat, "/people").await;

    with_failure_screenshots("admin_remove", &[&a], async {
        set_value(&a, "#invite-role", "observer").await;
        a.wait_for("!document.querySelector('#invite-region')", "no region for an observer").await;
        a.type_text("#invite-email", "late@ara.test").await;
        a.press("Enter").await;
        a.wait_for("document.querySelector('#invitation-list')?.textContent.includes('late@ara.test')", "the open invitation").await;
        a.click("#close-invitation").await;
        a.wait_for("document.activeElement?.id === 'invite-email'", "focus back on the form").await;
        a.click("#invitation-list li[data-email='late@ara.test'] .withdraw").await;
        a.wait_for("document.querySelector('#people-outcome')?.textContent.includes('withdrawn')", "the withdrawal confirmed").await;
        a.wait_for("!document.querySelector('#invitation-list')", "no open invitation left").await;

        let row = person_row("olga@ara.test");
        a.click(&format!("{row} .remove-access")).await;
        a.wait_for("document.activeElement?.classList.contains('confirm-remove')", "focus on the confirmation").await;
        assert!(text_of(&a, &format!("{row} .confirm")).await.starts_with("Remove the access of Olga Observer?"));
        assert_accessible(&a, "people and roles confirming a removal").await;
        a.click(&format!("{row} .confirm-remove")).await;
        a.wait_for("document.querySelector('#people-outcome')?.textContent === 'Olga Observer no longer has access.'", "the removal confirmed").await;
        a.wait_for(&format!("!document.querySelector({})", js(&row)), "Olga gone from the list").await;
        assert_eq!(http::get(&server.url, "/api/me", Some(&olga)).await.status, 401, "her session ended");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_and_roles_are_refused_to_everyone_but_the_secretariat() {
    let (server, secretariat) = demo_server().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &editor, "/people").await;

    with_failure_screenshots("admin_people_refused", &[&page], async {
        assert!(
            text_of(&page, "#only-secretariat")
                .await
                .contains("Only the secretariat can see and change people and roles.")
        );
        assert_eq!(
            page.eval("document.querySelectorAll('#invite-form, #people-list').length")
                .await,
            0
        );
        assert_eq!(
            page.eval("!!document.querySelector(\".main-nav a[href='/people']\")")
                .await,
            false
        );
        assert_eq!(
            page.eval("!!document.querySelector(\".main-nav a[href='/account']\")")
                .await,
            true
        );
        assert_accessible(&page, "people and roles, refused").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_is_explained_and_the_new_password_signs_in() {
    let (server, secretariat) = demo_server().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    // Another session of hers, elsewhere.
    let other = http::post_json(
        &server.url,
        "/api/session",
        None,
        &json!({"email": "rita@ara.test", "password": TEST_PASSWORD}),
    )
    .await
    .cookie()
    .expect("a second session");
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &editor, "/account").await;

    with_failure_screenshots("admin_password", &[&page], async {
        assert_eq!(text_of(&page, "#account-name").await, "Rita");
        assert_eq!(text_of(&page, "#account-email").await, "rita@ara.test");
        assert_eq!(
            page.eval("!!document.querySelector('#backups-heading')").await,
            false,
            "backups are the secretariat's"
        );
        assert_accessible(&page, "my account").await;

        page.type_text("#current-password", "not my password at all").await;
        page.type_text("#new-password", "a brand new password").await;
        page.type_text("#repeat-password", "a brand new password").await;
        page.click("#change-password").await;
        page.wait_for("document.querySelector('#password-message')?.textContent === 'The current password is wrong.'", "the refusal in words").await;
        page.wait_for("document.activeElement?.id === 'password-message'", "focus on the message").await;

        page.type_text("#current-password", TEST_PASSWORD).await;
        page.retype("#repeat-password", "a brand new pasword").await;
        page.click("#change-password").await;
        page.wait_for("document.querySelector('#password-message')?.textContent === 'The two new passwords are not the same.'", "the mismatch").await;

        page.retype("#new-password", "short").await;
        page.retype("#repeat-password", "short").await;
        page.click("#change-password").await;
        page.wait_for("document.querySelector('#password-message')?.textContent === 'The password must have at least 12 characters.'", "the rule").await;

        page.type_text("#current-password", TEST_PASSWORD).await;
        page.retype("#new-password", "a brand new password").await;
        page.retype("#repeat-password", "a brand new password").await;
        page.click("#change-password").await;
        page.wait_for("document.querySelector('#password-message')?.textContent.startsWith('Your password has been changed. Your other sessions')", "the success").await;
        assert_eq!(page.eval("document.querySelector('#current-password').value").await, "");
        assert_eq!(http::get(&server.url, "/api/me", Some(&other)).await.status, 401, "the other session ended");
        assert_eq!(http::get(&server.url, "/api/me", Some(&editor)).await.status, 200, "this one stays");

        // Signed out, the new password signs in and the old one does not.
        // Signing out ends with a full reload: a mark on this document tells
        // the reloaded page (and its sign-in form) from the one before.
        page.eval("window.beforeSignOut = true").await;
        page.click("#account-sign-out").await;
        page.wait_for("!window.beforeSignOut && document.readyState === 'complete' && document.querySelector('#sign-in-form')", "the sign-in form after the reload").await;
        page.type_text("#sign-in-email", "rita@ara.test").await;
        page.type_text("#sign-in-password", TEST_PASSWORD).await;
        page.press("Enter").await;
        page.wait_for("document.querySelector('#form-error')", "the old password refused").await;
        page.type_text("#sign-in-password", "a brand new password").await;
        page.press("Enter").await;
        page.wait_for("document.querySelector('#user-name')?.textContent === 'Rita'", "signed in with the new password").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariat_sees_how_the_automatic_backups_go_and_downloads_one() {
    let backups = tempfile::tempdir().expect("backup dir");
    let server = TestServer::start_with(&[
        "--backup-dir",
        backups.path().to_str().expect("utf-8 path"),
        "--backup-keep",
        "3",
    ])
    .await;
    let secretariat = server.sign_up_secretariat().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &secretariat, "/account").await;

    with_failure_screenshots("admin_backups", &[&page], async {
        // The first backup is written at start; the page says so.
        page.wait_for(
            "document.querySelector('#backups-state')?.textContent.includes('The newest is from')",
            "the newest backup",
        )
        .await;
        let state = text_of(&page, "#backups-state").await;
        assert!(
            state.starts_with("Automatic backups: every day; the newest 3 are kept. The newest is from"),
            "{state}"
        );
        assert!(state.contains("kB") && state.contains("up to change"), "{state}");
        assert_eq!(
            page.eval("document.querySelector('#download-backup').getAttribute('href')").await,
            "/api/backup"
        );
        assert_accessible(&page, "my account with backups").await;
        choose_language(&page, "de").await;
        page.wait_for(
            "document.querySelector('#backups-state')?.textContent.startsWith('Automatische Sicherungen: jeden Tag')",
            "the same in German",
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_address_is_shown_once_and_serves_the_meetings() {
    let (server, secretariat) = demo_server().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &secretariat, "/account").await;

    with_failure_screenshots("admin_calendar", &[&page], async {
        page.wait_for("document.querySelector('#feed-state')?.textContent === 'You have no calendar address yet.'", "no address yet").await;
        assert_eq!(text_of(&page, "#make-feed").await, "Create my calendar address");
        page.click("#make-feed").await;
        page.wait_for("document.querySelector('#feed-url')?.value.endsWith('.ics')", "the address").await;
        page.wait_for("document.activeElement?.closest('#feed-result')", "focus on the address").await;
        assert!(text_of(&page, "#feed-result").await.contains("it is shown only this once"));
        let url = page.eval("document.querySelector('#feed-url').value").await.as_str().expect("url").to_owned();
        let webcal = page.eval("document.querySelector('#feed-webcal').getAttribute('href')").await;
        assert_eq!(webcal, url.replacen("http://", "webcal://", 1).as_str());
        assert_accessible(&page, "my account with a calendar address").await;

        let path = url.strip_prefix(&server.url).expect("an address of this server");
        let feed = http::get(&server.url, path, None).await;
        assert_eq!(feed.status, 200);
        let ics = feed.text();
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert!(ics.contains("SUMMARY:Working-level meeting of the secretariat"), "the demo meetings: {ics}");

        // Later, the address is not shown again; renewing asks first and ends the old one.
        page.reload().await;
        page.wait_for("document.querySelector('#feed-state')?.textContent.startsWith('You have a calendar address.')", "the address known").await;
        assert_eq!(page.eval("!!document.querySelector('#feed-url')").await, false);
        page.click("#make-feed").await;
        page.wait_for("document.querySelector('#renew-warning')", "the warning").await;
        assert!(text_of(&page, "#renew-warning").await.starts_with("Renewing ends the old address at once"));
        assert_accessible(&page, "my account confirming a renewal").await;
        page.click("#confirm-renew-feed").await;
        page.wait_for("document.querySelector('#feed-url')?.value.endsWith('.ics')", "the new address").await;
        let renewed = page.eval("document.querySelector('#feed-url').value").await.as_str().expect("url").to_owned();
        assert_ne!(renewed, url);
        assert_eq!(http::get(&server.url, path, None).await.status, 404, "the old address ended");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ten_points_show_what_is_unconfirmed_and_the_secretariat_corrects_them() {
    let (server, secretariat) = demo_server().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &secretariat, "/reference").await;
    let b = open_at(&browser_b, &server, &editor, "/reference").await;

    with_failure_screenshots("admin_reference", &[&a, &b], async {
        a.wait_for("document.querySelectorAll('#ten-points > li').length === 10", "ten points").await;
        // In words, after a mark that is not colour alone.
        assert!(text_of(&a, "#point-10 .unconfirmed-mark").await.ends_with("Unconfirmed — not from a verified source"));
        assert_eq!(a.eval("document.querySelector('#point-10').dataset.unconfirmed").await, "true");
        assert_eq!(a.eval("!!document.querySelector('#point-1 .unconfirmed-mark')").await, false);
        assert!(text_of(&a, "#point-1 .point-title").await.starts_with("Point 1: "));
        // Usage links lead to the programme filtered by the point.
        let usage = a.eval("[...document.querySelectorAll('#ten-points a')].map(l => l.getAttribute('href'))").await;
        assert!(usage.as_array().is_some_and(|l| !l.is_empty() && l.iter().all(|h| h.as_str().is_some_and(|h| h.starts_with("/programme?point=")))), "{usage}");
        assert!(a.eval("[...document.querySelectorAll('#initiatives a')].some(l => l.getAttribute('href') === '/programme?initiative=EGD')").await == true);
        assert!(text_of(&a, "#initiative-FF55").await.contains("Unconfirmed — not from a verified source"));

        // The secretariat gives point 3 a new German title.
        a.click("#edit-point-3").await;
        a.wait_for("document.activeElement?.id === 'point-form-3-title-en'", "focus in the form").await;
        assert_accessible(&a, "ten points with a point's form open").await;
        a.retype("#point-form-3-title-de", "").await;
        a.click("#point-form-3 .save-point").await;
        assert_eq!(text_of(&a, "#point-form-3-problem").await, "The German title cannot be empty.");
        a.retype("#point-form-3-title-de", "Zulieferbetriebe und Wertschöpfungskette").await;
        a.click("#point-form-3 .save-point").await;
        a.wait_for("document.activeElement?.id === 'edit-point-3'", "focus back on the button").await;

        // Rita, in German, sees it, and has nothing to edit.
        choose_language(&b, "de").await;
        b.wait_for("document.querySelector('#point-3 .point-name')?.textContent === 'Zulieferbetriebe und Wertschöpfungskette'", "the new German title").await;
        assert!(text_of(&b, "#point-10 .unconfirmed-mark").await.ends_with("Unbestätigt – nicht aus einer geprüften Quelle"));
        assert_eq!(text_of(&b, "#reference-heading").await, "Zehn Punkte und Initiativen");
        assert_eq!(b.eval("document.querySelectorAll('.edit-point, .edit-initiative, #add-initiative').length").await, 0);
        assert_accessible(&b, "ten points in German").await;

        // The secretariat adds an initiative; a code in the wrong form is explained.
        a.click("#add-initiative").await;
        a.type_text("#initiative-form-new-code", "test-code").await;
        a.type_text("#initiative-form-new-title", "Test initiative for the alliance").await;
        a.type_text("#initiative-form-new-year", "2026").await;
        a.click("#initiative-form-new-unconfirmed").await;
        assert_accessible(&a, "initiatives with the new initiative form").await;
        a.click("#initiative-form-new .save-initiative").await;
        assert!(text_of(&a, "#initiative-form-new-problem").await.starts_with("The code may only hold capital letters"));
        a.retype("#initiative-form-new-code", "EGD").await;
        a.click("#initiative-form-new .save-initiative").await;
        assert_eq!(text_of(&a, "#initiative-form-new-problem").await, "An initiative with the code EGD exists already.");
        a.retype("#initiative-form-new-code", "TEST_2026").await;
        a.click("#initiative-form-new .save-initiative").await;
        a.wait_for("document.activeElement?.id === 'initiative-title-TEST_2026'", "focus on the new initiative").await;
        b.wait_for("document.querySelector('#initiative-TEST_2026')?.textContent.includes('Test initiative for the alliance')", "B to see it").await;
        assert!(text_of(&b, "#initiative-TEST_2026").await.contains("Unbestätigt"));
        assert!(text_of(&b, "#initiative-TEST_2026").await.contains("Noch keine Priorität richtet sich an TEST_2026 aus."));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_development_added_in_one_browser_appears_in_another_with_working_links() {
    let (server, secretariat) = demo_server().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(&browser_a, &server, &editor, "/developments").await;
    let b = open_at(&browser_b, &server, &secretariat, "/developments").await;

    with_failure_screenshots("admin_developments", &[&a, &b], async {
        a.wait_for("document.querySelectorAll('#development-list > li').length === 1", "the demo's development").await;
        assert_eq!(text_of(&a, "#developments-count").await, "1 development");
        // A region editor may add and edit but not delete.
        assert_eq!(a.eval("document.querySelectorAll('.delete-development').length").await, 0);
        assert_eq!(a.eval("document.querySelectorAll('.edit-development').length").await, 1);

        a.click("#add-development").await;
        a.wait_for("document.activeElement?.id === 'development-form-new-kind'", "focus in the form").await;
        assert_accessible(&a, "developments with the new development form").await;
        set_value(&a, "#development-form-new-kind", "economic").await;
        set_value(&a, "#development-form-new-date", "2026-02-11").await;
        a.type_text("#development-form-new-title", "Battery plant closes in the region").await;
        a.type_text("#development-form-new-source", "www.example.eu/battery").await;
        a.type_text("#development-form-new-summary", "Two thousand jobs are at risk.").await;
        let first: Vec<String> = serde_json::from_value(
            a.eval("[...document.querySelectorAll('#development-form-new-priorities input')].slice(0, 2).map(i => i.value)").await,
        )
        .expect("priority ids");
        assert_eq!(first.len(), 2);
        for id in &first {
            a.click(&format!("#development-form-new-priorities-{id}")).await;
        }
        assert_eq!(text_of(&a, "#development-form-new .priority-picker .hint").await, "2 selected");
        a.click("#development-form-new .save-development").await;
        assert_eq!(
            text_of(&a, "#development-form-problem").await,
            "The source must be a web address that starts with https:// or http:// and has no spaces."
        );
        a.retype("#development-form-new-source", "https://www.example.eu/battery").await;
        a.click("#development-form-new .save-development").await;
        a.wait_for("document.activeElement?.textContent === 'Battery plant closes in the region'", "focus on the new development").await;

        // B sees it at the top, with its kind, date, source and priorities.
        let item = "#development-list > li:first-child";
        b.wait_for(&format!("document.querySelector('{item} h2')?.textContent === 'Battery plant closes in the region'"), "B to see it first").await;
        assert_eq!(text_of(&b, &format!("{item} .kind-badge")).await, "Kind: Economic");
        assert_eq!(text_of(&b, &format!("{item} time")).await, "11 February 2026");
        assert_eq!(b.eval(&format!("document.querySelector('{item} .source-link').href")).await, "https://www.example.eu/battery");
        assert_eq!(text_of(&b, &format!("{item} .source-link")).await, "Source: www.example.eu");
        let links: Vec<String> = serde_json::from_value(
            b.eval(&format!("[...document.querySelectorAll('{item} .affected-priorities a')].map(a => a.getAttribute('href'))")).await,
        )
        .expect("links");
        let mut expected: Vec<String> = first.iter().map(|id| format!("/priorities/{id}")).collect();
        expected.sort();
        let mut got = links.clone();
        got.sort();
        assert_eq!(got, expected);
        choose_language(&b, "de").await;
        assert_eq!(text_of(&b, &format!("{item} time")).await, "11. Februar 2026");
        assert_eq!(text_of(&b, &format!("{item} .kind-badge")).await, "Art: Wirtschaftlich");
        choose_language(&b, "en").await;
        assert_accessible(&b, "developments").await;

        // The filter by kind lives in the address.
        set_value(&b, "#development-kind-filter", "political").await;
        b.wait_for("location.search === '?kind=political'", "the filter in the address").await;
        b.wait_for("document.querySelectorAll('#development-list > li').length === 1", "only political ones").await;
        assert_eq!(b.eval("document.querySelector('#development-list > li').dataset.kind").await, "political");
        b.eval("history.back()").await;
        b.wait_for("document.querySelectorAll('#development-list > li').length === 2", "back to all").await;
        assert_eq!(b.eval("document.querySelector('#development-kind-filter').value").await, "");

        // A priority link leads to its page.
        b.click(&format!("{item} .affected-priorities a")).await;
        b.wait_for(&format!("location.pathname === {}", js(&links[0])), "the priority's page").await;

        // A edits it; the secretariat deletes it.
        a.click(&format!("{item} .edit-development")).await;
        assert_accessible(&a, "developments with an edit form").await;
        a.wait_for("document.activeElement?.tagName === 'SELECT'", "focus in the edit form").await;
        let title = format!("{item} .development-form input[id$='-title']");
        a.retype(&title, "Battery plant closes: 2,000 jobs").await;
        a.click(&format!("{item} .save-development")).await;
        a.wait_for("document.activeElement?.classList.contains('edit-development')", "focus back on Edit").await;
        let c = open_at(&browser_b, &server, &secretariat, "/developments").await;
        c.wait_for(&format!("document.querySelector('{item} h2')?.textContent === 'Battery plant closes: 2,000 jobs'"), "the edit").await;
        c.click(&format!("{item} .delete-development")).await;
        assert!(text_of(&c, &format!("{item} .confirm")).await.starts_with("Delete “Battery plant closes: 2,000 jobs”?"));
        c.click(&format!("{item} .confirm button.danger")).await;
        a.wait_for("document.querySelectorAll('#development-list > li').length === 1", "A to see it gone").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_sees_no_controls_to_change_reference_data_or_developments() {
    let (server, secretariat) = demo_server().await;
    let observer = server
        .invite(&secretariat, "Olga", "olga@ara.test", Role::Observer)
        .await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &observer, "/developments").await;

    with_failure_screenshots("admin_observer", &[&page], async {
        page.wait_for("document.querySelectorAll('#development-list > li').length === 1", "the developments").await;
        assert_eq!(
            page.eval("document.querySelectorAll('#add-development, .edit-development, .delete-development').length").await,
            0
        );
        assert_accessible(&page, "developments as an observer").await;
        page.click(".main-nav a[href='/reference']").await;
        page.wait_for("document.querySelectorAll('#ten-points > li').length === 10", "the ten points").await;
        assert_eq!(page.eval("document.querySelectorAll('.edit-point, .edit-initiative, #add-initiative').length").await, 0);
        page.click(".main-nav a[href='/account']").await;
        page.wait_for("document.querySelector('#account-role')?.textContent === 'Observer'", "the account").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_choice_persists_across_a_reload() {
    let (server, secretariat) = demo_server().await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &secretariat, "/account").await;

    with_failure_screenshots("admin_language", &[&page], async {
        assert_eq!(text_of(&page, "#account-heading").await, "My account");
        choose_language(&page, "de").await;
        assert_eq!(text_of(&page, "#account-heading").await, "Mein Konto");
        page.reload().await;
        page.wait_for(
            "document.querySelector('#account-heading')?.textContent === 'Mein Konto'",
            "German after the reload",
        )
        .await;
        assert_eq!(page.eval("document.documentElement.lang").await, "de");
        assert_eq!(text_of(&page, "#account-role").await, "Sekretariat");
        assert_eq!(
            page.eval("document.querySelector('#language').value").await,
            "de"
        );
        assert_accessible(&page, "my account in German").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn these_pages_fit_a_phone_screen_with_their_forms_open() {
    let (server, secretariat) = demo_server().await;
    server
        .invite(
            &secretariat,
            "Rita Navarra-Hernández de la Fuente",
            "rita.navarra-hernandez@gobierno-de-navarra.test",
            Role::RegionEditor,
        )
        .await;
    let browser = Browser::launch().await;
    let page = open_at(&browser, &server, &secretariat, "/people").await;

    with_failure_screenshots("admin_phone", &[&page], async {
        page.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
        let fits = |what: &'static str| {
            let page = page.clone();
            async move {
                assert_eq!(
                    page.eval("document.documentElement.scrollWidth <= 390")
                        .await,
                    true,
                    "{what} is wider than the phone's screen"
                );
            }
        };
        let row = person_row("rita.navarra-hernandez@gobierno-de-navarra.test");
        page.click(&format!("{row} .change-role")).await;
        page.type_text("#invite-email", "someone@ara.test").await;
        set_value(&page, "#invite-role", "observer").await;
        page.click("#create-invitation").await;
        page.wait_for("document.querySelector('#invitation-link')", "the link")
            .await;
        fits("people and roles").await;

        page.navigate(&format!("{}/account", server.url)).await;
        page.click("#make-feed").await;
        page.wait_for(
            "document.querySelector('#feed-url')",
            "the calendar address",
        )
        .await;
        fits("my account").await;

        page.navigate(&format!("{}/reference", server.url)).await;
        page.click("#edit-point-10").await;
        page.click("#add-initiative").await;
        page.wait_for(
            "document.querySelector('#initiative-form-new-code')",
            "the initiative form",
        )
        .await;
        fits("ten points and initiatives").await;

        page.navigate(&format!("{}/developments", server.url)).await;
        page.click("#add-development").await;
        page.wait_for(
            "document.querySelector('#development-form-new-title')",
            "the development form",
        )
        .await;
        fits("developments").await;
    })
    .await;
}
