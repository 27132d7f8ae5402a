//! The browser's means for the tabs of one account to act as one: a Web
//! Lock that one tab at a time holds (the leader, until its tab closes) and
//! a BroadcastChannel they talk over. What the tabs say and decide is the
//! sync module's (`sync/tabs.rs`); this module only carries it.
//!
//! Knows nothing of the rest of the app (`sync` → `offline`).

use ara_shared::UserId;
use gloo_events::EventListener;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// This tab's end of the channel shared by the tabs of one account.
pub struct Channel {
    pub id: u64,
    channel: BroadcastChannel,
    _on_message: EventListener,
}

fn name(user: UserId) -> String {
    format!("ara-sync:{}", user.0)
}

impl Channel {
    /// Joins the channel of `user`'s tabs, with a new random id for this
    /// tab; `None` where the browser has no BroadcastChannel (the tab then
    /// works alone). `on_message` gets every text another tab posts.
    pub fn open(user: UserId, mut on_message: impl FnMut(String) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(&name(user)).ok()?;
        let on_message = EventListener::new(&channel, "message", move |event| {
            let text = event
                .dyn_ref::<MessageEvent>()
                .and_then(|e| e.data().as_string());
            if let Some(text) = text {
                on_message(text);
            }
        });
        let id = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        Some(Self {
            id,
            channel,
            _on_message: on_message,
        })
    }

    /// Tells every other tab of the account (never this one).
    pub fn post(&self, text: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(text));
    }
}

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable flag).
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request_with_options(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &Function,
    ) -> Promise;
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Whether this tab leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leadership {
    /// This tab holds the lock now.
    Leader,
    /// Another tab holds it; `on_leader` runs when it passes to this tab.
    Follower,
}

/// Asks for the account's leader lock. `answer` is called once, at once,
/// with whether this tab leads; if not, `on_leader` is called when the
/// leader's tab closes and the lock passes here. The lock is held until the
/// tab closes. Without Web Locks, every tab leads alone.
pub fn request_leadership(
    user: UserId,
    answer: impl FnOnce(Leadership) + 'static,
    on_leader: impl FnOnce() + 'static,
) {
    let Some(locks) = lock_manager() else {
        answer(Leadership::Leader);
        return;
    };
    let lock_name = name(user);
    let hold = || Promise::new(&mut |_: Function, _: Function| {});
    let waiting_name = lock_name.clone();
    let first = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            answer(Leadership::Follower);
            // Wait in line for the lock; it is granted when the leader's tab closes.
            let later = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
                on_leader();
                hold().into()
            });
            if let Some(locks) = lock_manager() {
                let _ = locks.request_with_options(
                    &waiting_name,
                    &js_sys::Object::new(),
                    later.unchecked_ref(),
                );
            }
            JsValue::UNDEFINED
        } else {
            answer(Leadership::Leader);
            hold().into()
        }
    });
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let _ = locks.request_with_options(&lock_name, &options, first.unchecked_ref());
}
