//! The priority's page (`/priorities/:id`): its sections' Edit forms, its
//! actions, comments, history and the overwrite notice.

use std::ops::Deref;

use ara_shared::PriorityId;

use crate::app::{js, open_at};
use crate::cdp::{Browser, Page};
use crate::server::TestServer;

/// A priority's page, open in a browser tab.
pub struct PriorityPage {
    page: Page,
}

impl Deref for PriorityPage {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

impl PriorityPage {
    /// Opens the page of priority `id` as the person with `cookie`.
    pub async fn open(
        browser: &Browser,
        server: &TestServer,
        cookie: &str,
        id: PriorityId,
    ) -> Self {
        let page = open_at(browser, server, cookie, &format!("/priorities/{id}")).await;
        let page = Self { page };
        page.wait_until_shown().await;
        page
    }

    /// Waits for the priority's heading: the page is drawn.
    pub async fn wait_until_shown(&self) {
        self.wait_for(
            "document.querySelector('#priority-heading')",
            "the priority's page",
        )
        .await;
    }

    /// The browser tab, for screenshots and whatever one test alone needs.
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// Opens a section's form with its Edit button and waits for the first
    /// field to take focus.
    pub async fn edit_section(&self, key: &str) {
        self.click(&format!("#section-{key}-edit")).await;
        self.wait_for(
            &format!(
                "document.querySelector('#section-{key}-form')?.contains(document.activeElement)"
            ),
            &format!("the {key} form with focus in it"),
        )
        .await;
    }

    /// Saves a section's form and waits for it to close, focus back on Edit.
    pub async fn save_section(&self, key: &str) {
        self.click(&format!("#section-{key}-form button.save"))
            .await;
        self.wait_section_closed(
            key,
            &format!("the {key} form to close with focus on its Edit button"),
        )
        .await;
    }

    /// Leaves a section's form with Escape and waits for it to close, focus
    /// back on Edit.
    pub async fn cancel_section(&self, key: &str, what: &str) {
        self.press("Escape").await;
        self.wait_section_closed(key, what).await;
    }

    async fn wait_section_closed(&self, key: &str, what: &str) {
        self.wait_for(
            &format!("!document.querySelector('#section-{key}-form') && document.activeElement?.id === 'section-{key}-edit'"),
            what,
        )
        .await;
    }

    /// The script that finds the action titled `title`.
    pub fn action(title: &str) -> String {
        format!(
            "[...document.querySelectorAll('#action-list .action')].find(li => li.querySelector('.action-title')?.textContent === {})",
            js(title)
        )
    }

    /// The script that finds the comment that says `text`.
    pub fn comment(text: &str) -> String {
        format!(
            "[...document.querySelectorAll('#comment-list .comment')].find(c => c.querySelector('.comment-text').textContent === {})",
            js(text)
        )
    }

    /// Writes a comment and sends it.
    pub async fn add_comment(&self, text: &str) {
        self.type_text("#new-comment", text).await;
        self.click("#add-comment").await;
    }

    /// The script that finds the newest entry of the history.
    pub const NEWEST_CHANGE: &str = "document.querySelector('#history-list .history-item')";

    /// Waits until the history lists at least one change.
    pub async fn wait_history(&self, what: &str) {
        self.wait_for(Self::NEWEST_CHANGE, what).await;
    }

    /// The script that finds the notice of an overwritten value (the one
    /// with a restore button).
    pub const OVERWRITE_NOTICE: &str =
        "[...document.querySelectorAll('#notices .notice')].find(n => n.querySelector('.restore'))";

    /// Clicks `button` (a selector) inside the element `found` finds.
    pub async fn click_in(&self, found: &str, button: &str) {
        self.eval(&format!("{found}.querySelector({}).click()", js(button)))
            .await;
    }

    /// The text of `part` (a selector) inside the element `found` finds.
    pub async fn text_in(&self, found: &str, part: &str) -> serde_json::Value {
        self.eval(&format!("{found}.querySelector({}).textContent", js(part)))
            .await
    }
}
