//! Several tabs of one browser, one account: one of them (the leader, which
//! holds a Web Lock) owns the sync socket, the pending queue and the stored
//! replica; the others follow over a BroadcastChannel.
//!
//! The leader numbers every change of its replica ([`ReplicaOp`]) and
//! broadcasts it; a follower replays the same ops on its copy, so every tab
//! shows the same state, the same pending count and the same notices. A
//! follower's edit is applied at once on its copy as a tentative proposal
//! and sent to the leader, which queues it with the next seq and broadcasts
//! it back; the follower then replaces its tentative copy with it. So one
//! `(client_id, seq)` sequence exists per account and browser, and nothing
//! is sent twice. When the leader's tab closes, the lock passes to a
//! follower, which takes over the socket and the queue (see ARCHITECTURE.md).

use ara_shared::protocol::{ConnectionId, Peer};
use ara_shared::{ClientId, Mutation, PriorityId, Rejection, UserId};
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use crate::sync::ConnectionState;

/// One change of the leader's replica, replayed by every follower in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ReplicaOp {
    /// A proposal queued by the leader; `origin` is the follower tab and
    /// its request when it came from one.
    Propose {
        mutation: Box<Mutation>,
        now_ms: i64,
        origin: Option<(u64, u64)>,
    },
    /// The leader sent every pending mutation on its socket.
    TakeUnsent,
    /// The leader's socket closed: everything pending is unsent again.
    ConnectionReset,
    /// A message from the server, as the leader received it.
    Server {
        text: String,
    },
    Connection {
        state: ConnectionState,
    },
    /// The server no longer accepts this browser's session.
    SessionLost,
    /// The server refused the client id as another person's: go on under
    /// this new one (`Replica::rekey`).
    NewClientId {
        client_id: ClientId,
    },
}

/// What the tabs say to each other.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TabMessage {
    /// A new tab asks the leader for its replica.
    Join { tab: u64 },
    /// The leader's replica and status after `op` ops: to one joining tab,
    /// or to all (`to: None`) when a tab becomes the leader.
    Full {
        to: Option<u64>,
        leader: u64,
        op: u64,
        replica: String,
        /// Whether the leader has sent all its pending mutations (it has
        /// sent all or none between two ops).
        all_sent: bool,
        loaded: bool,
        connection: ConnectionState,
        /// The others connected; `own_connection` is the leader's socket,
        /// which presence lists name and this tab leaves out.
        peers: Vec<Peer>,
        own_connection: Option<ConnectionId>,
    },
    /// The leader's `n`th op.
    Op { n: u64, op: ReplicaOp },
    /// A follower's edit, for the leader to queue.
    Propose {
        tab: u64,
        request: u64,
        mutation: Box<Mutation>,
        now_ms: i64,
    },
    /// The leader's rules refused a follower's edit.
    Refused {
        tab: u64,
        request: u64,
        rejection: Rejection,
    },
    /// What the person looks at in a follower tab, for the leader to tell
    /// the others.
    Focus {
        viewing: Option<PriorityId>,
        editing: Option<PriorityId>,
    },
    /// A follower tab signed in again: the leader may reconnect.
    Resume,
}

/// This tab's end of the channel shared by the tabs of one account.
pub struct Tabs {
    pub id: u64,
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

fn name(user: UserId) -> String {
    format!("ara-sync:{}", user.0)
}

impl Tabs {
    /// Joins the channel of `user`'s tabs; `None` where the browser has no
    /// BroadcastChannel (the tab then works alone).
    pub fn open(user: UserId, mut on_message: impl FnMut(TabMessage) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(&name(user)).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(message) = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<TabMessage>(&text).ok())
            {
                on_message(message);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let id = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        Some(Self {
            id,
            channel,
            _on_message: on_message,
        })
    }

    /// Tells every other tab of the account (never this one).
    pub fn post(&self, message: &TabMessage) {
        if let Ok(text) = serde_json::to_string(message) {
            let _ = self.channel.post_message(&JsValue::from_str(&text));
        }
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
