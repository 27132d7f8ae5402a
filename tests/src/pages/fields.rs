//! What a person does with a form field, and what they read, on any page:
//! methods of [`Page`], so that every page helper and test shares them.

use crate::app::js;
use crate::cdp::Page;

impl Page {
    /// Replaces the text of a field as a person does: select all, type.
    pub async fn retype(&self, selector: &str, text: &str) {
        self.focus(selector).await;
        self.eval(&format!(
            "document.querySelector({}).select()",
            js(selector)
        ))
        .await;
        self.call("Input.insertText", serde_json::json!({ "text": text }))
            .await;
    }

    /// Sets a field's value the way the browser does for a date or number
    /// picker (an `input` event).
    pub async fn fill(&self, selector: &str, value: &str) {
        self.wait_for(
            &format!("document.querySelector({})", js(selector)),
            selector,
        )
        .await;
        self.eval(&format!(
            "(() => {{ const f = document.querySelector({}); f.value = {}; f.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()",
            js(selector),
            js(value)
        ))
        .await;
    }

    /// Chooses an option of a select (keys are the option values).
    pub async fn choose(&self, selector: &str, value: &str) {
        self.wait_for(
            &format!("document.querySelector({})", js(selector)),
            selector,
        )
        .await;
        self.eval(&format!(
            "(() => {{ const s = document.querySelector({}); s.value = {}; s.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()",
            js(selector),
            js(value)
        ))
        .await;
    }

    /// Ticks a checkbox (a click, only when it is not ticked yet).
    pub async fn tick(&self, selector: &str) {
        self.set_ticked(selector, true).await;
    }

    /// Unticks a checkbox (a click, only when it is ticked).
    pub async fn untick(&self, selector: &str) {
        self.set_ticked(selector, false).await;
    }

    async fn set_ticked(&self, selector: &str, on: bool) {
        self.wait_for(
            &format!("document.querySelector({})", js(selector)),
            selector,
        )
        .await;
        self.eval(&format!(
            "(() => {{ const c = document.querySelector({}); if (c.checked !== {on}) c.click(); }})()",
            js(selector)
        ))
        .await;
    }

    /// Waits until the element's text, trimmed, is `expected`.
    pub async fn wait_text_is(&self, selector: &str, expected: &str, what: &str) {
        self.wait_for(
            &format!(
                "document.querySelector({})?.textContent.trim() === {}",
                js(selector),
                js(expected)
            ),
            what,
        )
        .await;
    }

    /// Waits until the element's text contains `part`.
    pub async fn wait_text_has(&self, selector: &str, part: &str, what: &str) {
        self.wait_for(
            &format!(
                "document.querySelector({})?.textContent.includes({})",
                js(selector),
                js(part)
            ),
            what,
        )
        .await;
    }

    /// Waits until the element's text no longer contains `part`.
    pub async fn wait_text_lacks(&self, selector: &str, part: &str, what: &str) {
        self.wait_for(
            &format!(
                "!document.querySelector({}).textContent.includes({})",
                js(selector),
                js(part)
            ),
            what,
        )
        .await;
    }

    /// Waits until the element with DOM id `id` has keyboard focus.
    pub async fn wait_focus_on(&self, id: &str, what: &str) {
        self.wait_for(&format!("document.activeElement?.id === {}", js(id)), what)
            .await;
    }

    /// Waits until the app counts no edit left unconfirmed.
    pub async fn wait_all_confirmed(&self, what: &str) {
        self.wait_for(
            "document.querySelector('#pending-count').textContent === '0'",
            what,
        )
        .await;
    }
}
