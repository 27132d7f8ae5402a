//! The priority detail page (`/priorities/:id`) in real headless Chromium
//! against the real server with the demo programme: editing every kind of
//! field, actions, endorsements, comments, the history and its restore,
//! concurrent edits and the overwrite notice, presence, permissions, an
//! unknown address, accessibility and the German page.

use std::collections::BTreeMap;

use ara_shared::{Mutation, PriorityId, RegionId, Role};
use ara_tests::app::{add_priority, assert_accessible, js, open_at, row_with_title};
use ara_tests::browser::with_failure_screenshots;
use ara_tests::cdp::Browser;
use ara_tests::pages::priority::PriorityPage;
use ara_tests::server::TestServer;

/// The demo programme's facts the tests need: priorities by title, regions
/// by NUTS code with their names.
struct Demo {
    priorities: Vec<(PriorityId, String)>,
    regions: BTreeMap<String, (RegionId, String)>,
}

impl Demo {
    fn load() -> Self {
        let mut priorities = Vec::new();
        let mut regions = BTreeMap::new();
        for m in ara_shared::demo::demo_mutations(0) {
            match m {
                Mutation::CreatePriority { id, title, .. } => priorities.push((id, title)),
                Mutation::ApplyForMembership { id, name, nuts, .. } => {
                    regions.insert(nuts, (id, name));
                }
                _ => {}
            }
        }
        Self {
            priorities,
            regions,
        }
    }

    /// The first priority: led by Saxony (DED), supported by Navarre and
    /// Lombardy, endorsed by Navarre, on an agenda and in a baseline.
    fn first(&self) -> (PriorityId, String) {
        self.priorities[0].clone()
    }

    fn region(&self, nuts: &str) -> (RegionId, String) {
        self.regions[nuts].clone()
    }
}

/// A server with the demo programme, and its secretariat signed up.
async fn demo_server() -> (TestServer, String) {
    let server = TestServer::start_with(&[]).await;
    let sabine = server.sign_up_secretariat().await;
    (server, sabine)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_edited_in_one_browser_show_in_another() {
    let (server, sabine) = demo_server().await;
    let bob = server
        .invite(&sabine, "Bob Brandt", "bob@ara.test", Role::Secretariat)
        .await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &bob, id).await;

    with_failure_screenshots("priority_fields", &[a.page(), b.page()], async {
        // Presence: each sees the other looking at the priority.
        b.wait_text_has("#priority-presence", "Sabine Sekretariat", "B to see A on the page").await;

        // Title and summary; while A's form is open, B sees A editing.
        a.edit_section("overview").await;
        b.wait_text_has("#priority-presence", "Sabine Sekretariat is editing this priority right now.", "B to see A editing").await;
        a.retype("#priority-title", "Just-transition fund for car regions").await;
        a.retype("#priority-summary", "A fund earmarked for regions that lose car jobs.").await;
        a.save_section("overview").await;
        b.wait_text_is("#priority-heading", "Just-transition fund for car regions", "B to see the new title").await;
        b.wait_text_is("#priority-summary-text", "A fund earmarked for regions that lose car jobs.", "B to see the summary").await;
        b.wait_for("!document.querySelector('#priority-presence')?.textContent.includes('is editing')", "the editing note to go").await;

        // Status (only allowed transitions offered) and horizon.
        a.edit_section("status").await;
        let offered = a
            .eval("[...document.querySelectorAll('#priority-status option')].map(o => o.value).join(',')")
            .await;
        assert_eq!(offered, "adopted,in_progress,done,dropped", "from in progress");
        a.choose("#priority-status", "done").await;
        a.choose("#priority-term", "short").await;
        a.fill("#horizon-end-year", "2027").await;
        a.choose("#horizon-end-quarter", "2").await;
        a.save_section("status").await;
        b.wait_text_is("#priority-status-text", "Done", "B to see the status").await;
        b.wait_text_is("#priority-horizon-text", "Short term, Q3 2025 – Q2 2027", "B to see the horizon").await;

        // A long description.
        a.edit_section("description").await;
        a.retype("#priority-description", "First paragraph.\n\nSecond paragraph with the details.").await;
        a.save_section("description").await;
        b.wait_text_is("#priority-description-text", "First paragraph.\n\nSecond paragraph with the details.", "B to see the description").await;

        // Ten points (point 10 is unconfirmed) and dimensions.
        a.edit_section("alignment").await;
        a.tick("#ten-point-10").await;
        a.save_section("alignment").await;
        b.wait_for(
            "[...document.querySelectorAll('#priority-ten-points li')].some(li => li.textContent.startsWith('10.') && li.querySelector('.unconfirmed')?.textContent === 'unconfirmed')",
            "B to see point 10, marked unconfirmed",
        )
        .await;
        a.edit_section("dimensions").await;
        a.tick("#dimension-technical").await;
        a.tick("#goal-skills").await;
        a.save_section("dimensions").await;
        b.wait_text_is("#priority-dimensions-text", "Economic, Technical, Social", "B to see the dimensions").await;
        b.wait_text_is("#priority-goals-text", "Employment, Skills", "B to see the goals").await;

        // Regions: another lead, one more supporting region, open to all.
        let (styria, styria_name) = demo.region("AT22");
        a.edit_section("regions").await;
        a.choose("#priority-lead", &styria.to_string()).await;
        a.tick(&format!("#supporting-{}", demo.region("FRK").0)).await;
        a.tick("#priority-open-to-all").await;
        a.save_section("regions").await;
        b.wait_text_is("#priority-lead-text", &styria_name, "B to see the lead region").await;
        b.wait_text_has("#priority-supporting-text", &demo.region("FRK").1, "B to see the supporting region").await;
        b.wait_text_is("#priority-open-text", "yes", "B to see it open to all").await;

        // Escape cancels: nothing is sent, focus goes back to Edit.
        a.edit_section("overview").await;
        a.retype("#priority-title", "Never saved").await;
        a.cancel_section("overview", "Escape to close the form").await;
        assert_eq!(a.text("#priority-heading").await, "Just-transition fund for car regions");
        a.wait_all_confirmed("everything confirmed").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_are_added_marked_done_and_removed() {
    let (server, sabine) = demo_server().await;
    let bob = server
        .invite(&sabine, "Bob Brandt", "bob@ara.test", Role::Secretariat)
        .await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let (saxony, saxony_name) = demo.region("DED");
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &bob, id).await;

    with_failure_screenshots("priority_actions", &[a.page(), b.page()], async {
        a.type_text("#new-action-title", "Draft the position paper").await;
        a.choose("#new-action-owner", &saxony.to_string()).await;
        a.fill("#new-action-due", "2024-03-05").await;
        a.click("#add-action").await;
        a.wait_for("document.activeElement?.id === 'new-action-title' && document.activeElement.value === ''", "the form to be ready for the next one").await;

        let item = &PriorityPage::action("Draft the position paper");
        b.wait_for(item, "B to see the new action").await;
        assert_eq!(b.text_in(item, ".action-owner").await, saxony_name.as_str());
        assert_eq!(b.text_in(item, ".action-due").await, "5 March 2024");
        // Overdue is said in words.
        assert_eq!(b.eval(&format!("{item}.querySelector('.action-state').textContent.trim()")).await, "⚠ Overdue");

        // Done: a checkbox labelled "Done".
        a.click_in(item, ".action-done").await;
        b.wait_for(&format!("{item}.dataset.done === 'true' && {item}.querySelector('.action-state').textContent.includes('Done')"), "B to see it done").await;

        // Edited in place: the title; focus goes back to its Edit button.
        a.click_in(item, ".edit-action").await;
        a.wait_for("document.activeElement?.id?.startsWith('action-title-')", "the action's title field").await;
        a.eval("document.activeElement.select()").await;
        a.call("Input.insertText", serde_json::json!({"text": "Publish the position paper"})).await;
        a.press("Enter").await;
        let edited = &PriorityPage::action("Publish the position paper");
        b.wait_for(edited, "B to see the new title").await;
        a.wait_for("document.activeElement?.classList.contains('edit-action')", "focus back on Edit").await;

        // Removed.
        a.click_in(edited, ".remove-action").await;
        b.wait_for(&format!("!{edited}"), "B to see it gone").await;
        a.wait_focus_on("section-actions-heading", "focus on the section after removing").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_editor_endorses_and_withdraws_for_their_own_region() {
    let (server, sabine) = demo_server().await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let (lombardy, lombardy_name) = demo.region("ITC4");
    let lucia = server
        .invite_to_region(
            &sabine,
            "Lucia Lombardi",
            "lucia@lombardia.test",
            Role::RegionEditor,
            Some(lombardy),
        )
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &lucia, id).await;

    with_failure_screenshots("priority_endorsements", &[a.page(), b.page()], async {
        let navarre = demo.region("ES22").1;
        b.wait_text_has("#endorsement-list", &navarre, "the demo's endorsement").await;
        // The editor has one button, for their own region; no list of others.
        b.wait_text_is("#endorse-own", &format!("Endorse for {lombardy_name}"), "the editor's endorse button").await;
        assert_eq!(b.eval("!!document.querySelector('#endorse-region') || !!document.querySelector('.withdraw')").await, false);
        b.focus("#endorse-own").await;
        b.press("Enter").await;
        a.wait_text_has("#endorsement-list", &lombardy_name, "the secretariat to see the endorsement").await;
        b.wait_text_is("#endorse-own", &format!("Withdraw the endorsement of {lombardy_name}"), "the button to offer withdrawing").await;
        assert_eq!(b.eval("document.activeElement?.id").await, "endorse-own", "focus stays on the button");
        b.press("Enter").await;
        a.wait_text_lacks("#endorsement-list", &lombardy_name, "the secretariat to see it withdrawn").await;

        // The secretariat endorses for any member region, and withdraws.
        let (styria, styria_name) = demo.region("AT22");
        a.choose("#endorse-region", &styria.to_string()).await;
        a.click("#add-endorsement").await;
        b.wait_text_has("#endorsement-list", &styria_name, "the editor to see Styria's endorsement").await;
        a.eval(&format!("document.querySelector('.endorsement[data-region=\"{styria}\"] .withdraw').click()")).await;
        b.wait_text_lacks("#endorsement-list", &styria_name, "the editor to see it withdrawn").await;

        // Lombardy supports this priority: its editor may edit it, may only
        // put their own region in or out, and may not take or drop the lead.
        b.edit_section("regions").await;
        let leads = b.eval("[...document.querySelectorAll('#priority-lead option')].length").await;
        assert_eq!(leads, 1, "only the current lead");
        assert_eq!(
            b.eval(&format!("!!document.querySelector('#priority-open-to-all') || !!document.querySelector('#supporting-{lombardy}')")).await,
            false,
            "no choice of other regions, nor opening it to all"
        );
        b.untick("#own-region-supports").await;
        b.click("#section-regions-form button.save").await;
        // The edit took the editor's right to edit away: focus goes to the section.
        b.wait_for(
            "!document.querySelector('#section-regions-form') && document.activeElement?.id === 'section-regions-heading'",
            "the form to close with focus on the section's heading",
        )
        .await;
        a.wait_text_lacks("#priority-supporting-text", &lombardy_name, "Lombardy to leave the supporting regions").await;
        // Now the priority is no longer theirs: no Edit buttons any more.
        b.wait_for("!document.querySelector('.edit-section')", "the editor's Edit buttons to go").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_are_added_and_deleted() {
    let (server, sabine) = demo_server().await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let (saxony, _) = demo.region("DED");
    let rita = server
        .invite_to_region(
            &sabine,
            "Rita Richter",
            "rita@sachsen.test",
            Role::RegionEditor,
            Some(saxony),
        )
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &rita, id).await;

    with_failure_screenshots("priority_comments", &[a.page(), b.page()], async {
        b.add_comment("Saxony can host the first workshop.").await;
        b.wait_for(
            "document.activeElement?.id === 'new-comment' && document.activeElement.value === ''",
            "the field to be ready again",
        )
        .await;
        let comment = &PriorityPage::comment("Saxony can host the first workshop.");
        a.wait_for(comment, "A to see the comment").await;
        assert_eq!(a.text_in(comment, ".comment-author").await, "Rita Richter");
        assert!(
            !a.text_in(comment, ".comment-time")
                .await
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "the comment has a time"
        );

        a.add_comment("Thank you, noted.").await;
        let reply = &PriorityPage::comment("Thank you, noted.");
        b.wait_for(reply, "B to see the reply").await;
        // The author deletes their own, not someone else's.
        assert_eq!(
            b.eval(&format!("!!{reply}.querySelector('.delete-comment')"))
                .await,
            false
        );
        b.click_in(comment, ".delete-comment").await;
        a.wait_for(&format!("!{comment}"), "A to see it deleted")
            .await;
        // The secretariat deletes any.
        a.click_in(reply, ".delete-comment").await;
        b.wait_for(&format!("!{reply}"), "B to see the reply deleted")
            .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_shows_who_changed_what_and_restores_an_earlier_value() {
    let (server, sabine) = demo_server().await;
    let bob = server
        .invite(&sabine, "Bob Brandt", "bob@ara.test", Role::Secretariat)
        .await;
    let demo = Demo::load();
    let (id, title) = demo.first();
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &bob, id).await;

    with_failure_screenshots("priority_history", &[a.page(), b.page()], async {
        a.wait_history("the demo's history").await;
        b.edit_section("overview").await;
        b.retype("#priority-title", "Renamed by Bob").await;
        b.save_section("overview").await;

        // A's history lists Bob's edit at the top, with both values.
        let newest = PriorityPage::NEWEST_CHANGE;
        a.wait_for(&format!("{newest}.querySelector('.history-who').textContent === 'Bob Brandt'"), "Bob's edit in A's history").await;
        assert_eq!(a.text_in(newest, ".history-field").await, "Title changed");
        assert_eq!(a.text_in(newest, ".history-old").await, title.as_str());
        assert_eq!(a.text_in(newest, ".history-new").await, "Renamed by Bob");
        // The demo's own changes are there, with status names in words.
        a.wait_for("[...document.querySelectorAll('#history-list .history-item[data-field=status] .history-new')].some(d => d.textContent === 'In progress')", "the status change in words").await;

        // "Restore this value" on Bob's change puts the old title back, everywhere.
        a.click_in(newest, ".restore-value").await;
        a.wait_text_is("#priority-heading", &title, "A to see the title restored").await;
        b.wait_text_is("#priority-heading", &title, "B to see the title restored").await;
        a.wait_text_has("#history-status", "The earlier value of the title is back.", "the restore to be confirmed in words").await;
        a.wait_for(&format!("{newest}.querySelector('.history-who').textContent === 'Sabine Sekretariat' && {newest}.querySelector('.history-new').textContent === {}", js(&title)), "the restore itself in the history").await;
        b.wait_for(&format!("{newest}.querySelector('.history-who').textContent === 'Sabine Sekretariat'"), "B's history to follow").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overwritten_value_comes_back_with_one_click_and_both_values() {
    let (server, sabine) = demo_server().await;
    let bob = server
        .invite(&sabine, "Bob Brandt", "bob@ara.test", Role::Secretariat)
        .await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = PriorityPage::open(&browser_a, &server, &sabine, id).await;
    let b = PriorityPage::open(&browser_b, &server, &bob, id).await;

    with_failure_screenshots("priority_overwrite", &[a.page(), b.page()], async {
        // Both open the summary at the same time; each form says the other
        // is editing too.
        b.edit_section("overview").await;
        a.edit_section("overview").await;
        b.wait_text_has("#section-overview-form .form-presence", "Sabine Sekretariat is editing this priority right now.", "B's form to warn of A").await;
        a.wait_text_has("#section-overview-form .form-presence", "Bob Brandt is editing this priority right now.", "A's form to warn of B").await;
        // Sabine saves first; Bob, who started from the old summary, saves later.
        a.retype("#priority-summary", "Sabine's summary.").await;
        a.save_section("overview").await;
        a.wait_all_confirmed("A's edit to be confirmed").await;
        b.retype("#priority-summary", "Bob's summary, written at the same time.").await;
        b.save_section("overview").await;

        // Bob's later edit wins, and Sabine is told, with both values.
        a.wait_text_is("#priority-summary-text", "Bob's summary, written at the same time.", "Bob's edit to arrive").await;
        let notice = PriorityPage::OVERWRITE_NOTICE;
        a.wait_for(notice, "the overwrite notice").await;
        assert_eq!(
            a.text_in(notice, "p").await,
            "Bob Brandt changed the summary from your “Sabine's summary.” to “Bob's summary, written at the same time.”."
        );
        a.click_in(notice, ".restore").await;
        a.wait_text_is("#priority-summary-text", "Sabine's summary.", "A's value back").await;
        b.wait_text_is("#priority-summary-text", "Sabine's summary.", "B to see A's value back").await;
        a.wait_for(&format!("!{notice}"), "the notice to go").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_sees_everything_and_no_edit_controls() {
    let (server, sabine) = demo_server().await;
    let olga = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let demo = Demo::load();
    let (id, title) = demo.first();
    let browser = Browser::launch().await;
    let page = PriorityPage::open(&browser, &server, &olga, id).await;

    with_failure_screenshots("priority_observer", &[page.page()], async {
        page.wait_text_is("#priority-heading", &title, "the title").await;
        page.wait_history("the history").await;
        page.wait_text_has("#endorsement-list", &demo.region("ES22").1, "the endorsements").await;
        // Referred to elsewhere, with links.
        page.wait_for("document.querySelector('#references-meetings a')?.getAttribute('href')?.startsWith('/meetings/')", "the meeting with it on the agenda").await;
        page.wait_for("document.querySelector('#references-conferences a')", "the conference whose theme includes it").await;
        page.wait_for("document.querySelector('#references-developments a')", "the development that affects it").await;
        page.wait_for("document.querySelector('#references-stakeholders a')", "a linked stakeholder").await;
        let controls = page
            .eval(
                "['.edit-section', '#add-action-form', '.action-done', '.remove-action', '#add-comment-form', '.delete-comment', \
                  '#endorse-own', '#add-endorsement', '.withdraw', '#delete-priority', '.restore-value']
                  .filter(s => document.querySelector(s))",
            )
            .await;
        assert_eq!(controls, serde_json::json!([]), "an observer sees no control they cannot use");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_or_deleted_priority_says_so() {
    let (server, sabine) = demo_server().await;
    let bob = server
        .invite(&sabine, "Bob Brandt", "bob@ara.test", Role::Secretariat)
        .await;
    let (browser_a, browser_b) = (Browser::launch().await, Browser::launch().await);
    let a = open_at(
        &browser_a,
        &server,
        &sabine,
        &format!("/priorities/{}", uuid::Uuid::now_v7()),
    )
    .await;

    with_failure_screenshots("priority_missing", &[&a], async {
        a.wait_text_is(
            "#missing-heading",
            "This priority does not exist (any more)",
            "the unknown page",
        )
        .await;
        assert_eq!(
            a.eval("document.querySelector('.priority-missing a').getAttribute('href')")
                .await,
            "/programme"
        );
        assert_accessible(&a, "an unknown priority").await;
        a.navigate(&format!("{}/priorities/not-an-id", server.url))
            .await;
        a.wait_text_is(
            "#missing-heading",
            "This priority does not exist (any more)",
            "a malformed address",
        )
        .await;

        // A new priority, open in A, is deleted by Bob (secretariat).
        a.navigate(&format!("{}/programme", server.url)).await;
        a.wait_for(
            "document.querySelector('#connection-state')?.dataset.state === 'online'",
            "online",
        )
        .await;
        add_priority(&a, "Short-lived priority").await;
        let id = a
            .eval(&format!(
                "{}.dataset.id",
                row_with_title("Short-lived priority")
            ))
            .await;
        let id: PriorityId = id.as_str().expect("an id").parse().expect("a priority id");
        a.wait_all_confirmed("it to be confirmed").await;
        a.navigate(&format!("{}/priorities/{id}", server.url)).await;
        a.wait_for("document.querySelector('#priority-heading')", "its page")
            .await;

        let b = PriorityPage::open(&browser_b, &server, &bob, id).await;
        b.click("#delete-priority").await;
        b.wait_for(
            "document.activeElement?.id === 'confirm-delete'",
            "the question, with focus on it",
        )
        .await;
        b.click("#confirm-delete").await;
        b.wait_for(
            "location.pathname === '/programme'",
            "B to go back to the programme",
        )
        .await;

        a.wait_for(
            "document.querySelector('#missing-explanation[role=alert]')",
            "A to be told",
        )
        .await;
        a.wait_text_is(
            "#missing-explanation",
            "Someone else deleted this priority while you had it open. Its history is kept.",
            "the words",
        )
        .await;
        a.wait_text_has("#deleted-by", "Bob Brandt deleted it on", "who deleted it")
            .await;

        // The demo's priorities are in a baseline: deleting is refused in words.
        let demo = Demo::load();
        let b = PriorityPage::open(&browser_b, &server, &bob, demo.first().0).await;
        b.click("#delete-priority").await;
        b.click("#confirm-delete").await;
        b.wait_text_has(
            "#notices",
            "This item is still referred to elsewhere and cannot be removed.",
            "the refusal in words",
        )
        .await;
        assert_eq!(
            b.eval("location.pathname").await,
            format!("/priorities/{}", demo.first().0)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_accessible_in_view_mode_and_with_a_form_open() {
    let (server, sabine) = demo_server().await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let browser = Browser::launch().await;
    let page = PriorityPage::open(&browser, &server, &sabine, id).await;

    with_failure_screenshots("priority_axe", &[page.page()], async {
        page.wait_history("the history").await;
        assert_accessible(&page, "the priority page").await;
        for key in ["overview", "status", "alignment", "regions"] {
            page.edit_section(key).await;
            assert_accessible(&page, &format!("the priority page with the {key} form open")).await;
            // Closed, and focus back on its Edit button (a later focus move
            // would otherwise land in the next form opened).
            page.cancel_section(key, "the form to close with focus on Edit").await;
        }
        page.click("#delete-priority").await;
        assert_accessible(&page, "the priority page asking to delete").await;

        // A phone: nothing wider than the screen.
        page.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
        page.edit_section("status").await;
        page.wait_for("document.documentElement.scrollWidth <= 390", "the page to fit a phone").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_german_page_has_german_words_and_dates() {
    let (server, sabine) = demo_server().await;
    let demo = Demo::load();
    let (id, _) = demo.first();
    let browser = Browser::launch().await;
    let page = PriorityPage::open(&browser, &server, &sabine, id).await;

    with_failure_screenshots("priority_german", &[page.page()], async {
        page.type_text("#new-action-title", "Studie vergeben").await;
        page.fill("#new-action-due", "2030-03-05").await;
        page.click("#add-action").await;
        page.wait_for("document.querySelector('#action-list .action-due')", "the action").await;

        page.choose("#language", "de").await;
        page.wait_for("document.documentElement.lang === 'de'", "the page in German").await;
        page.wait_text_is("#section-actions-heading", "Maßnahmen und Meilensteine", "German headings").await;
        page.wait_text_is("#section-history-heading", "Änderungsverlauf", "German history heading").await;
        page.wait_text_is("#action-list .action-due", "5. März 2030", "a German date").await;
        page.wait_text_is("#priority-horizon-text", "Mittelfristig, 3. Quartal 2025 – 4. Quartal 2028", "German quarters").await;
        page.wait_text_is("#priority-status-text", "In Arbeit", "the status in German").await;
        page.wait_text_is("#section-overview-edit", "Bearbeiten", "the Edit button in German").await;
        page.wait_for("[...document.querySelectorAll('#history-list .history-field')].some(f => f.textContent === 'Status geändert')", "the history in German").await;
        assert_accessible(&page, "the German priority page").await;
    })
    .await;
}
