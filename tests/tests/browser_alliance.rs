//! The Alliance's pages in real headless Chromium against the real server
//! with the demo data: regions and membership, conferences and the chair
//! rotation, meetings (time zones, agenda, minutes, action items, calendar
//! file) and baselines. Two browsers are two people.

use ara_shared::demo::demo_state;
use ara_shared::meeting::MeetingKind;
use ara_shared::{MeetingId, Mutation, PriorityId, PriorityStatus, RegionId, Role, State};
use ara_tests::app::{assert_accessible, go_to, js, open_at};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::{Browser, Page};
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;

fn region(state: &State, nuts: &str) -> RegionId {
    state
        .regions
        .values()
        .find(|r| r.nuts == nuts)
        .map(|r| r.id)
        .unwrap_or_else(|| panic!("the demo has a region {nuts}"))
}

/// A server with the demo data, and the secretariat's cookie.
async fn demo_server() -> (TestServer, String) {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    (server, secretariat)
}

/// Sets a field's value as a person's choice would (date pickers, selects)
/// and tells the app with `input` and `change` events.
fn set_value(selector: &str, value: &str) -> String {
    format!(
        "(() => {{ const e = document.querySelector({}); e.value = {}; \
         e.dispatchEvent(new Event('input', {{bubbles: true}})); \
         e.dispatchEvent(new Event('change', {{bubbles: true}})); return e.value; }})()",
        js(selector),
        js(value)
    )
}

async fn fill(page: &Page, selector: &str, value: &str) {
    page.wait_for(
        &format!("document.querySelector({})", js(selector)),
        selector,
    )
    .await;
    assert_eq!(
        page.eval(&set_value(selector, value)).await,
        value,
        "{selector} takes {value}"
    );
}

/// The text of every element matching `selector`, as a JS array expression.
fn texts(selector: &str) -> String {
    format!(
        "[...document.querySelectorAll({})].map(e => e.textContent.trim())",
        js(selector)
    )
}

async fn texts_of(page: &Page, selector: &str) -> Vec<String> {
    serde_json::from_value(page.eval(&texts(selector)).await).expect("a list of texts")
}

fn this_year() -> u16 {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis();
    ara_shared::Date::from_unix_ms(i64::try_from(ms).expect("fits"))
        .expect("a date this century")
        .year()
}

/// No button, form or other editing control in the page's content.
const NO_EDITING_CONTROLS: &str = "![...document.querySelectorAll('#main button, #main form, #main input, #main textarea')]\
     .some(e => !e.closest('.meeting-filter'))";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_applies_and_the_secretariat_admits_or_declines_it() {
    let (server, sabine) = demo_server().await;
    let state = demo_state();
    let saxony = region(&state, "DED");
    let bavaria = region(&state, "DE2");
    let rita = server
        .invite_to_region(
            &sabine,
            "Rita Sachsen",
            "rita@sachsen.test",
            Role::RegionEditor,
            Some(saxony),
        )
        .await;
    let olga = server
        .invite(
            &sabine,
            "Olga Observer",
            "olga@observer.test",
            Role::Observer,
        )
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let editor = open_at(&browser_a, &server, &rita, "/regions").await;
    let secretariat = open_at(&browser_b, &server, &sabine, "/regions").await;

    with_failure_screenshots("regions_membership", &[&editor, &secretariat], async {
        // The demo's members, their NUTS codes marked unconfirmed in words.
        editor
            .wait_for("document.querySelector('#regions-table-member tr[data-nuts=DED]')", "the member regions")
            .await;
        let nuts = editor.text("#regions-table-member tr[data-nuts=DED] .nuts").await;
        assert!(nuts.contains("DED") && nuts.contains("unconfirmed"), "{nuts}");
        assert_eq!(
            editor.text("#regions-table-member tr[data-nuts=DED] td").await,
            "Germany (DE)"
        );
        assert!(editor.text("#regions-table-member tr[data-nuts=DED] th").await.contains("(your region)"));
        // A region editor edits and takes out only their own region, and decides nothing.
        assert_eq!(editor.eval(&format!("!!document.querySelector('#edit-region-{saxony}')")).await, true);
        assert_eq!(editor.eval(&format!("!!document.querySelector('#edit-region-{bavaria}')")).await, false);
        assert_eq!(editor.eval("document.querySelectorAll('.leave').length").await, 1);
        assert_eq!(editor.eval("document.querySelectorAll('.admit, .decline').length").await, 0);
        assert_accessible(&editor, "the regions").await;

        // An application with a malformed NUTS code is explained and not sent.
        editor.click("#apply-open").await;
        editor
            .wait_for("document.activeElement?.id === 'apply-name'", "focus in the application form")
            .await;
        assert_accessible(&editor, "the regions with the application form").await;
        editor.type_text("#apply-name", "Oberösterreich (Upper Austria)").await;
        editor.type_text("#apply-country", "at").await;
        editor.type_text("#apply-nuts", "A1").await;
        editor.type_text("#apply-contact", "automotive@ooe.example").await;
        editor.press("Enter").await;
        editor.wait_for("document.querySelector('#apply-problem')", "the refusal").await;
        assert_eq!(
            editor.text("#apply-problem").await,
            "The NUTS code must be the country prefix and up to three letters or digits, e.g. DE1 or ITC4."
        );
        fill(&editor, "#apply-nuts", "").await;
        editor.type_text("#apply-nuts", "at31").await;
        editor.click("#apply-send").await;
        editor
            .wait_for("document.querySelector('#regions-table-applicant tr[data-nuts=AT31]')", "the application listed")
            .await;
        assert_eq!(
            editor.text(".status-message").await,
            "Application sent. It waits for the secretariat's decision."
        );
        assert_eq!(
            editor.text("#regions-table-applicant tr[data-nuts=AT31] td").await,
            "Austria (AT)"
        );

        // The secretariat, in another browser, admits it on a chosen date.
        secretariat
            .wait_for("document.querySelector('#regions-table-applicant tr[data-nuts=AT31] .admit')", "the application to arrive")
            .await;
        secretariat.click("#regions-table-applicant tr[data-nuts=AT31] .admit").await;
        secretariat
            .wait_for("document.activeElement?.id?.startsWith('admit-date-')", "focus on the joining date")
            .await;
        assert_eq!(
            secretariat
                .eval("document.activeElement.value === new Date().toLocaleDateString('sv')")
                .await,
            true,
            "the joining date is today unless changed"
        );
        assert_accessible(&secretariat, "the regions with the admission form").await;
        secretariat
            .eval(&set_value("input[id^=admit-date-]", "2026-01-15"))
            .await;
        secretariat.click(".admit-form .confirm-admit").await;
        for page in [&editor, &secretariat] {
            page.wait_for(
                "document.querySelector('#regions-table-member tr[data-nuts=AT31] .joined')?.textContent === '15 January 2026'",
                "the region among the members with its joining date",
            )
            .await;
            page.wait_for(
                "!document.querySelector('#regions-table-applicant tr[data-nuts=AT31]')",
                "the application to be gone",
            )
            .await;
        }

        // Another application is declined.
        editor.click("#apply-open").await;
        editor.type_text("#apply-name", "Pest").await;
        editor.type_text("#apply-country", "HU").await;
        editor.type_text("#apply-nuts", "HU12").await;
        editor.click("#apply-send").await;
        secretariat
            .wait_for("document.querySelector('#regions-table-applicant tr[data-nuts=HU12] .decline')", "the second application")
            .await;
        secretariat.click("#regions-table-applicant tr[data-nuts=HU12] .decline").await;
        for page in [&editor, &secretariat] {
            page.wait_for(
                "document.querySelector('#regions-table-declined tr[data-nuts=HU12]')",
                "the declined application in its own section",
            )
            .await;
        }

        // The secretariat confirms a NUTS code; "unconfirmed" goes away for everyone.
        secretariat.click("#regions-table-member tr[data-nuts=AT31] .edit-region").await;
        secretariat
            .wait_for("document.activeElement?.id?.startsWith('region-name-input-')", "focus in the edit form")
            .await;
        secretariat.click("input[id^=region-confirmed-]").await;
        secretariat.click(".save-region").await;
        secretariat
            .wait_for("document.activeElement?.classList.contains('edit-region')", "focus back on the edit button")
            .await;
        editor
            .wait_for(
                "!document.querySelector('#regions-table-member tr[data-nuts=AT31] .unconfirmed')",
                "the confirmed code to lose its mark",
            )
            .await;

        // Saxony's editor takes Saxony out, after a question.
        editor.click(&format!("#leave-{saxony}")).await;
        editor
            .wait_for(&format!("document.activeElement?.id === 'confirm-leave-{saxony}'"), "the question")
            .await;
        assert_accessible(&editor, "the regions with the leave question").await;
        editor.press("Enter").await;
        secretariat
            .wait_for("document.querySelector('#regions-table-former tr[data-nuts=DED]')", "Saxony among the former members")
            .await;
    })
    .await;

    // An observer sees the same tables and no control at all.
    let observer = open_at(&browser_a, &server, &olga, "/regions").await;
    with_failure_screenshots("regions_observer", &[&observer], async {
        observer
            .wait_for(
                "document.querySelector('#regions-table-member tr[data-nuts=AT31]')",
                "the members",
            )
            .await;
        assert_eq!(
            observer.eval(NO_EDITING_CONTROLS).await,
            true,
            "no editing controls"
        );
        assert_accessible(&observer, "the regions as an observer").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conferences_one_a_year_with_the_theme_chosen_by_the_host() {
    let (server, sabine) = demo_server().await;
    let state = demo_state();
    let saxony = region(&state, "DED");
    let basque = region(&state, "ES21");
    let ane = server
        .invite_to_region(
            &sabine,
            "Ane Euskadi",
            "ane@euskadi.test",
            Role::RegionEditor,
            Some(basque),
        )
        .await;
    let rita = server
        .invite_to_region(
            &sabine,
            "Rita Sachsen",
            "rita@sachsen.test",
            Role::RegionEditor,
            Some(saxony),
        )
        .await;
    let olga = server
        .invite(
            &sabine,
            "Olga Observer",
            "olga@observer.test",
            Role::Observer,
        )
        .await;
    let year = this_year() + 1;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let secretariat = open_at(&browser_a, &server, &sabine, "/conferences").await;
    let observer = open_at(&browser_b, &server, &olga, "/conferences").await;

    with_failure_screenshots("conferences", &[&secretariat, &observer], async {
        // The chair rotation of the demo, in order; the latest host chairs now.
        observer
            .wait_for("document.querySelectorAll('#chair-rotation .chair-name').length === 4", "the rotation")
            .await;
        assert_eq!(
            texts_of(&observer, "#chair-rotation .chair-name").await,
            ["Sachsen (Saxony)", "Navarra (Navarre)", "Lombardia (Lombardy)", "Bayern (Bavaria)"]
        );
        assert_eq!(
            texts_of(&observer, "#chair-rotation tr.current .chair-name").await,
            ["Bayern (Bavaria)"]
        );
        assert!(observer.text("#chair-rotation tr.current").await.contains("current chair"));
        assert_eq!(observer.text(".rotation-ok").await, "✓ The rotation follows the rules.");
        // The seed does not confirm the exact days of Munich 2025: they say so.
        let munich = state.conferences.values().find(|c| c.unconfirmed).expect("an unconfirmed conference");
        let dates = observer.text(&format!("li.conference[data-id='{}'] .dates", munich.id)).await;
        assert!(dates.ends_with("(unconfirmed)"), "{dates}");
        let confirmed = state.conferences.values().find(|c| !c.unconfirmed).expect("a confirmed conference");
        let dates = observer.text(&format!("li.conference[data-id='{}'] .dates", confirmed.id)).await;
        assert!(!dates.contains("unconfirmed"), "{dates}");
        assert_eq!(observer.eval(NO_EDITING_CONTROLS).await, true, "an observer has no controls");
        assert_accessible(&observer, "the conferences").await;

        // The secretariat adds next year's conference in the Basque Country.
        secretariat.click("#new-conference-open").await;
        secretariat
            .wait_for("document.activeElement?.id === 'new-conference-year'", "focus on the year")
            .await;
        assert_accessible(&secretariat, "the conferences with the new conference form").await;
        fill(&secretariat, "#new-conference-year", &year.to_string()).await;
        fill(&secretariat, "#new-conference-host", &basque.to_string()).await;
        secretariat.type_text("#new-conference-city", "Bilbao").await;
        fill(&secretariat, "#new-conference-start", &format!("{year}-10-15")).await;
        fill(&secretariat, "#new-conference-end", &format!("{year}-10-16")).await;
        secretariat.click("#create-conference").await;
        let card = format!("li.conference[data-year='{year}']");
        observer
            .wait_for(&format!("document.querySelector({})", js(&card)), "the new conference in the other browser")
            .await;
        assert_eq!(
            observer.text(&format!("{card} h3")).await,
            format!("{year} · Bilbao ★ Next conference")
        );
        assert_eq!(
            observer.text(&format!("{card} .host")).await,
            "País Vasco / Euskadi (Basque Country)"
        );
        assert_eq!(
            observer.text(&format!("{card} .dates")).await,
            format!("15 October {year} – 16 October {year}")
        );
        assert_eq!(
            observer.text(&format!("{card} .theme")).await,
            "The host has not chosen a theme yet."
        );
        observer
            .wait_for("document.querySelectorAll('#chair-rotation .chair-name').length === 5", "the new chair in the rotation")
            .await;
        assert!(observer.text("#chair-rotation tbody tr:last-child").await.contains("upcoming"));

        // A second conference in the same year is refused, in words.
        secretariat.click("#new-conference-open").await;
        fill(&secretariat, "#new-conference-year", &year.to_string()).await;
        fill(&secretariat, "#new-conference-host", &saxony.to_string()).await;
        secretariat.type_text("#new-conference-city", "Leipzig").await;
        fill(&secretariat, "#new-conference-start", &format!("{year}-03-01")).await;
        secretariat.click("#create-conference").await;
        secretariat.wait_for("document.querySelector('#new-conference-problem')", "the refusal").await;
        assert_eq!(
            secretariat.text("#new-conference-problem").await,
            format!("There is already a conference in {year}: the Alliance holds one annual conference a year.")
        );
        assert_eq!(
            secretariat.eval(&format!("document.querySelectorAll({}).length", js(&card))).await,
            1
        );
    })
    .await;

    // The host region's editor chooses the theme from the programme.
    let host = open_at(&browser_b, &server, &ane, "/conferences").await;
    let card = format!("li.conference[data-year='{year}']");
    let themed: Vec<String> = with_failure_screenshots_value("conference_theme", &host, async {
        host.wait_for(&format!("document.querySelector({})", js(&format!("{card} .choose-theme"))), "the host's theme button")
            .await;
        assert_eq!(
            host.eval("document.querySelector(\"li.conference[data-year='2022'] .choose-theme\") === null").await,
            true,
            "the host of one conference does not choose another's theme"
        );
        host.click(&format!("{card} .choose-theme")).await;
        host.wait_for("document.activeElement?.id?.startsWith('theme-text-')", "focus on the theme").await;
        assert_accessible(&host, "the conferences with the theme form").await;
        host.type_text("input[id^=theme-text-]", "Skills for the battery value chain").await;
        let boxes = format!("{card} .priority-picker input[type=checkbox]");
        host.eval(&format!("document.querySelectorAll({0})[0].click(); document.querySelectorAll({0})[2].click()", js(&boxes)))
            .await;
        let picked: Vec<String> = serde_json::from_value(
            host.eval(&format!(
                "[...document.querySelectorAll({})].filter(b => b.checked).map(b => b.nextElementSibling.textContent.trim())",
                js(&boxes)
            ))
            .await,
        )
        .expect("titles");
        host.click(".save-theme").await;
        host.wait_for("document.activeElement?.classList.contains('choose-theme')", "focus back on the button").await;
        picked
    })
    .await;
    assert_eq!(themed.len(), 2);

    with_failure_screenshots("conference_theme_seen", &[&secretariat], async {
        let theme = format!("{card} .theme-text");
        secretariat
            .wait_for(
                &format!("document.querySelector({})?.textContent === 'Skills for the battery value chain'", js(&theme)),
                "the theme in the secretariat's browser",
            )
            .await;
        let links: Vec<String> = serde_json::from_value(
            secretariat
                .eval(&format!(
                    "[...document.querySelectorAll({})].map(a => a.textContent + '|' + a.getAttribute('href'))",
                    js(&format!("{card} .theme-priorities a"))
                ))
                .await,
        )
        .expect("links");
        assert_eq!(links.len(), 2);
        for (link, title) in links.iter().zip(&themed) {
            let (text, href) = link.split_once('|').expect("text and href");
            assert_eq!(text, title);
            assert!(href.starts_with("/priorities/"), "{href}");
        }
    })
    .await;

    // Another region's editor sees the theme but cannot choose it.
    let other = open_at(&browser_b, &server, &rita, "/conferences").await;
    with_failure_screenshots("conference_not_host", &[&other], async {
        other.wait_for(&format!("document.querySelector({})", js(&card)), "the conference").await;
        assert_eq!(
            other.eval(&format!("document.querySelector({}) === null", js(&format!("{card} .choose-theme")))).await,
            true
        );
        assert_eq!(
            other.eval("document.querySelector(\"li.conference[data-year='2022'] .choose-theme\") !== null").await,
            true,
            "Saxony hosted 2022 and chooses that theme"
        );
        assert_eq!(other.eval("document.querySelectorAll('.edit-conference, .delete-conference, #new-conference-open').length").await, 0);
    })
    .await;
}

/// Runs a test body on one page with screenshots on failure, returning its value.
async fn with_failure_screenshots_value<T>(
    name: &str,
    page: &Page,
    body: impl std::future::Future<Output = T>,
) -> T {
    let mut out = None;
    with_failure_screenshots(name, &[page], async {
        out = Some(body.await);
    })
    .await;
    out.expect("the body ran")
}

/// The calendar file of a meeting, fetched by the page with its session.
async fn ics_of(page: &Page, id: &str) -> String {
    let text = page
        .eval(&format!(
            "fetch('/api/meetings/{id}/ics', {{credentials: 'same-origin'}}).then(r => r.text())"
        ))
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

async fn synced(page: &Page) {
    page.wait_for(
        "document.querySelector('#pending-count')?.textContent === '0'",
        "every edit to be confirmed by the server",
    )
    .await;
}

/// Creates a meeting through the form and returns its id (from the address
/// the app goes to).
async fn create_meeting(
    page: &Page,
    kind: MeetingKind,
    title: &str,
    start: &str,
    end: &str,
) -> String {
    page.click("#new-meeting-open").await;
    page.wait_for(
        "document.activeElement?.id === 'new-meeting-kind'",
        "focus on the kind",
    )
    .await;
    fill(page, "#new-meeting-kind", kind.key()).await;
    page.type_text("#new-meeting-title", title).await;
    assert_eq!(
        page.eval("document.querySelector('#new-meeting-zone').value")
            .await,
        "Europe/Brussels"
    );
    fill(page, "#new-meeting-start", start).await;
    fill(page, "#new-meeting-end", end).await;
    page.click("#create-meeting").await;
    page.wait_for(
        "location.pathname.startsWith('/meetings/') && document.querySelector('#meeting-heading')",
        "the new meeting's page",
    )
    .await;
    assert_eq!(page.text("#meeting-heading").await, title);
    let path = page.eval("location.pathname").await;
    path.as_str()
        .and_then(|p| p.strip_prefix("/meetings/"))
        .expect("a meeting address")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_in_brussels_time_are_stored_as_the_right_instants() {
    let (server, sabine) = demo_server().await;
    let olga = server
        .invite(
            &sabine,
            "Olga Observer",
            "olga@observer.test",
            Role::Observer,
        )
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let page = open_at(&browser_a, &server, &sabine, "/meetings").await;

    let (summer, winter) = with_failure_screenshots_value("meeting_times", &page, async {
        page.click("#new-meeting-open").await;
        page.wait_for(
            "document.activeElement?.id === 'new-meeting-kind'",
            "the form",
        )
        .await;
        assert_accessible(&page, "the meetings with the new meeting form").await;
        page.press("Escape").await;
        page.wait_for(
            "document.activeElement?.id === 'new-meeting-open'",
            "focus back after closing",
        )
        .await;

        // Summer: Brussels is UTC+2.
        let summer = create_meeting(
            &page,
            MeetingKind::VideoConference,
            "Summer video conference",
            "2026-07-15T10:00",
            "2026-07-15T12:00",
        )
        .await;
        synced(&page).await;
        let ics = ics_of(&page, &summer).await;
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert!(ics.contains("DTSTART:20260715T080000Z"), "{ics}");
        assert!(ics.contains("DTEND:20260715T100000Z"), "{ics}");

        // Winter: UTC+1.
        page.click(".back a").await;
        page.wait_for("location.pathname === '/meetings'", "the list")
            .await;
        let winter = create_meeting(
            &page,
            MeetingKind::WorkingLevel,
            "Winter working-level meeting",
            "2026-01-14T10:00",
            "2026-01-14T11:30",
        )
        .await;
        synced(&page).await;
        let ics = ics_of(&page, &winter).await;
        assert!(ics.contains("DTSTART:20260114T090000Z"), "{ics}");
        assert!(ics.contains("DTEND:20260114T103000Z"), "{ics}");

        // The edit form shows the local time again; another zone moves the instant.
        page.click("#edit-meeting").await;
        page.wait_for(
            "document.activeElement?.id === 'edit-meeting-kind'",
            "the edit form",
        )
        .await;
        assert_eq!(
            page.eval("document.querySelector('#edit-meeting-start').value")
                .await,
            "2026-01-14T10:00"
        );
        assert_accessible(&page, "a meeting with the edit form").await;
        fill(&page, "#edit-meeting-zone", "Europe/Lisbon").await;
        page.type_text("#edit-meeting-place", "Lisbon, Palácio Foz")
            .await;
        page.click("#save-meeting").await;
        page.wait_for(
            "document.activeElement?.id === 'edit-meeting'",
            "focus back on the edit button",
        )
        .await;
        synced(&page).await;
        let ics = ics_of(&page, &winter).await;
        assert!(ics.contains("DTSTART:20260114T100000Z"), "{ics}");
        assert!(ics.contains("Lisbon"), "{ics}");
        (summer, winter)
    })
    .await;

    // Someone in New York sees Brussels time and their own.
    let observer = open_at(&browser_b, &server, &olga, &format!("/meetings/{summer}")).await;
    with_failure_screenshots("meeting_local_time", &[&observer], async {
        observer
            .call("Emulation.setTimezoneOverride", serde_json::json!({"timezoneId": "America/New_York"}))
            .await;
        observer.reload().await;
        observer.wait_for("document.body.dataset.ready === 'true' && document.querySelector('#meeting-heading')", "the meeting").await;
        let zoned = observer.text(".zoned-time").await;
        assert!(zoned.contains("10:00") && zoned.contains("12:00") && zoned.contains("Europe/Brussels"), "{zoned}");
        observer.wait_for("document.querySelector('.local-time')", "the time in the person's zone").await;
        let local = observer.text(".local-time").await;
        assert!(local.contains("4:00") && local.contains("6:00") && local.starts_with("Your time: "), "{local}");
        assert_eq!(observer.eval(NO_EDITING_CONTROLS).await, true, "an observer has no controls");
        assert_accessible(&observer, "a meeting as an observer").await;

        // The list shows both meetings among the past or upcoming ones, and the winter one's new place.
        go_to(&observer, "/meetings").await;
        observer
            .wait_for(&format!("document.querySelector(\"li.meeting[data-id='{winter}'] .place\")?.textContent === 'Lisbon, Palácio Foz'"), "the winter meeting's place")
            .await;
        assert_accessible(&observer, "the meetings as an observer").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agenda_minutes_and_action_items_reach_a_second_browser() {
    let (server, sabine) = demo_server().await;
    let olga = server
        .invite(
            &sabine,
            "Olga Observer",
            "olga@observer.test",
            Role::Observer,
        )
        .await;
    let state = demo_state();
    let meeting = state
        .meetings
        .values()
        .find(|m| m.title == "Working-level meeting of the secretariat")
        .expect("the demo meeting");
    let id: MeetingId = meeting.id;
    let on_agenda: Vec<PriorityId> = meeting.agenda.iter().filter_map(|i| i.priority).collect();
    let priority = state
        .priorities_in_order()
        .find(|p| !on_agenda.contains(&p.id))
        .expect("a priority not on the agenda");
    let saxony = region(&state, "DED");
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let secretariat = open_at(&browser_a, &server, &sabine, &format!("/meetings/{id}")).await;
    let observer = open_at(&browser_b, &server, &olga, &format!("/meetings/{id}")).await;

    with_failure_screenshots("meeting_detail", &[&secretariat, &observer], async {
        observer.wait_for("document.querySelectorAll('#agenda li').length === 3", "the demo agenda").await;
        assert_eq!(observer.eval(NO_EDITING_CONTROLS).await, true, "an observer has no controls");
        assert_accessible(&observer, "a meeting as an observer").await;

        // The calendar file downloads with the person's session.
        assert_eq!(observer.eval("document.querySelector('.ics-link').hasAttribute('download')").await, true);
        let ics = observer
            .eval("fetch(document.querySelector('.ics-link').href).then(r => r.text())")
            .await;
        let ics = ics.as_str().unwrap_or_default();
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert!(ics.contains("SUMMARY:Working-level meeting of the secretariat"), "{ics}");

        // An agenda item linked to a priority.
        secretariat.wait_for("document.querySelector('#add-agenda-item')", "the agenda form").await;
        secretariat.type_text("#new-agenda-title", "Battery passport pilot").await;
        fill(&secretariat, "#new-agenda-priority", &priority.id.to_string()).await;
        secretariat.click("#add-agenda").await;
        observer.wait_for("document.querySelectorAll('#agenda li').length === 4", "the new agenda item").await;
        assert_eq!(observer.text("#agenda li:last-child .agenda-title").await, "Battery passport pilot");
        assert_eq!(
            observer.eval("document.querySelector('#agenda li:last-child .agenda-priority a').getAttribute('href')").await,
            format!("/priorities/{}", priority.id)
        );
        assert_eq!(observer.text("#agenda li:last-child .agenda-priority a").await, priority.title);

        // Reordered by its button; focus stays with it.
        secretariat.click("#agenda li:last-child .agenda-up").await;
        observer
            .wait_for("document.querySelector('#agenda li:nth-child(3) .agenda-title')?.textContent === 'Battery passport pilot'", "the new order")
            .await;
        secretariat.wait_for("document.activeElement?.classList.contains('agenda-up')", "focus on the moved item's button").await;

        // Minutes.
        secretariat.click("#edit-minutes").await;
        secretariat.wait_for("document.activeElement?.id === 'minutes-text'", "the minutes field").await;
        assert_accessible(&secretariat, "a meeting with the minutes form").await;
        secretariat.type_text("#minutes-text", "Agreed: the pilot starts in Q1.\nNext meeting in March.").await;
        secretariat.click("#save-minutes").await;
        observer
            .wait_for("document.querySelector('#minutes')?.textContent === 'Agreed: the pilot starts in Q1.\\nNext meeting in March.'", "the minutes")
            .await;

        // An action item with owner and due date, then done.
        secretariat.type_text("#new-action-title", "Circulate the draft opinion").await;
        fill(&secretariat, "#new-action-owner", &saxony.to_string()).await;
        fill(&secretariat, "#new-action-due", "2026-12-01").await;
        secretariat.click("#add-action-button").await;
        observer.wait_for("document.querySelector('#action-items .action-item')", "the action item").await;
        assert_eq!(observer.text("#action-items .action-title").await, "Circulate the draft opinion");
        assert_eq!(observer.text("#action-items .action-owner").await, "Sachsen (Saxony)");
        assert_eq!(observer.text("#action-items .action-due").await, "1 Dec 2026");
        assert_eq!(observer.text("#action-items .action-done").await, "open");
        secretariat.click("#action-items input[id^=action-done-]").await;
        observer
            .wait_for("document.querySelector('#action-items .action-done')?.textContent === '✓ Done'", "the action done")
            .await;
        assert_accessible(&secretariat, "a meeting as the secretariat").await;
    })
    .await;

    // The list, filtered by kind in the address; back restores the filter.
    with_failure_screenshots("meeting_filter", &[&observer], async {
        go_to(&observer, "/meetings").await;
        observer
            .wait_for(
                "document.querySelectorAll('li.meeting').length === 3",
                "the demo meetings",
            )
            .await;
        observer
            .eval(&set_value("#meeting-filter", "interregional_group"))
            .await;
        observer
            .wait_for(
                "location.search === '?kind=interregional_group'",
                "the filter in the address",
            )
            .await;
        observer
            .wait_for(
                "document.querySelectorAll('li.meeting').length === 1",
                "one meeting of that kind",
            )
            .await;
        assert_eq!(
            observer
                .eval("document.querySelector('li.meeting').dataset.kind")
                .await,
            "interregional_group"
        );
        assert_accessible(&observer, "the filtered meetings").await;
        observer.eval("history.back()").await;
        observer
            .wait_for(
                "document.querySelectorAll('li.meeting').length === 3 && location.search === ''",
                "all kinds again",
            )
            .await;
        assert_eq!(
            observer
                .eval("document.querySelector('#meeting-filter').value")
                .await,
            ""
        );
        assert_eq!(
            observer
                .eval("document.querySelector('.feed-hint a').getAttribute('href')")
                .await,
            "/account"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_baseline_is_adopted_and_later_changes_are_listed() {
    let (server, sabine) = demo_server().await;
    let olga = server
        .invite(
            &sabine,
            "Olga Observer",
            "olga@observer.test",
            Role::Observer,
        )
        .await;
    let state = demo_state();
    let adopted = state
        .priorities_in_order()
        .find(|p| p.status == PriorityStatus::Adopted)
        .expect("an adopted priority in the demo")
        .clone();
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let secretariat = open_at(&browser_a, &server, &sabine, "/baselines").await;
    let observer = open_at(&browser_b, &server, &olga, "/baselines").await;

    let since = with_failure_screenshots_value("baselines", &secretariat, async {
        secretariat
            .wait_for("document.querySelector('#baseline-list tbody tr')", "the demo baseline")
            .await;
        assert!(secretariat.text("#baseline-list tbody tr").await.starts_with("Work programme 2025–2026"));
        secretariat.click("#adopt-open").await;
        secretariat.wait_for("document.activeElement?.id === 'baseline-name'", "the adopt form").await;
        assert_eq!(
            secretariat.eval("document.querySelector('#baseline-date').value === new Date().toLocaleDateString('sv')").await,
            true,
            "adopted today unless changed"
        );
        assert_accessible(&secretariat, "the baselines with the adopt form").await;
        secretariat.type_text("#baseline-name", "Programme after the review").await;
        secretariat.press("Enter").await;
        secretariat
            .wait_for("location.search.startsWith('?since=') && document.querySelector('#changes-since')", "the new baseline shown")
            .await;
        assert_eq!(secretariat.text("#changes-since .empty").await, "Nothing has changed since this baseline.");
        let search = secretariat.eval("location.search").await;
        search
            .as_str()
            .and_then(|s| s.strip_prefix("?since="))
            .expect("a baseline id")
            .to_owned()
    })
    .await;

    // Someone renames an adopted priority and puts it under way.
    let (mut client, _) = SyncClient::connect(&server, &sabine).await;
    let rename = client.envelope(Mutation::RenamePriority {
        id: adopted.id,
        title: "Renamed after the review".into(),
    });
    let status = client.envelope(Mutation::SetPriorityStatus {
        id: adopted.id,
        status: PriorityStatus::InProgress,
    });
    let last = status.seq;
    client.push(vec![rename, status]).await;
    client.ack(last).await;

    with_failure_screenshots("baseline_changes", &[&observer], async {
        // A deep link to the changes since that baseline.
        observer.navigate(&format!("{}/baselines?since={since}", server.url)).await;
        observer.wait_for("document.body.dataset.ready === 'true'", "the app").await;
        let row = |field: &str| format!("#change-{} tr[data-field={field}]", adopted.id);
        observer
            .wait_for(&format!("document.querySelector({})", js(&row("status"))), "the change listed")
            .await;
        assert_eq!(observer.text("#changes-changed-heading").await, "Changed (1)");
        assert_eq!(texts_of(&observer, &format!("{} > *", row("title"))).await, ["Title", &adopted.title, "Renamed after the review"]);
        assert_eq!(texts_of(&observer, &format!("{} > *", row("status"))).await, ["Status", "Adopted", "In progress"]);
        assert_eq!(observer.eval(NO_EDITING_CONTROLS).await, true, "an observer has no controls");
        assert_accessible(&observer, "the changes since a baseline").await;

        // The same in German.
        observer
            .eval("(() => { const l = document.querySelector('#language'); l.value = 'de'; l.dispatchEvent(new Event('change')); })()")
            .await;
        observer.wait_for("document.documentElement.lang === 'de'", "German").await;
        assert_eq!(texts_of(&observer, &format!("{} > *", row("status"))).await, ["Status", "Beschlossen", "In Arbeit"]);
        assert_eq!(observer.text(&format!("{} th", row("title"))).await, "Titel");
        assert_eq!(observer.text("#changes-changed-heading").await, "Geändert (1)");

        // The older baseline lists the change too.
        observer.click("#baseline-list tbody tr:last-child .show-changes").await;
        observer
            .wait_for(&format!("location.search !== '?since={since}' && document.querySelector({})", js(&row("title"))), "the demo baseline's changes")
            .await;
    })
    .await;
}
