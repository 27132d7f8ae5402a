//! The browser side of sync: one WebSocket to the server, the [`Replica`],
//! reconnects with back-off and jitter, and the notices a rebase produces.
//!
//! Views call [`SyncHandle::propose`]; everything else happens here.

use std::time::Duration;

use ara_shared::protocol::{ClientMessage, ErrorCode, PROTOCOL_VERSION, Peer, ServerMessage};
use ara_shared::replica::{Overwrite, Rebase};
use ara_shared::{
    Actor, ClientId, Mutation, PriorityId, Rejection, Replica, Role, UserId, Version,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// What the connection to the server is doing, shown to the person at all times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Online,
    Offline,
}

impl ConnectionState {
    pub fn key(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Online => "online",
            ConnectionState::Offline => "offline",
        }
    }
}

/// Something the person should be told; translated when shown.
#[derive(Clone, Debug, PartialEq)]
pub enum NoticeBody {
    Rejected(Rejection),
    Overwritten(Box<Overwrite>),
    ServerError(ErrorCode),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub body: NoticeBody,
}

/// The socket and the callbacks that must live as long as it does.
struct Connection {
    socket: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

/// Cheap to copy into every view; owns nothing itself.
#[derive(Clone, Copy)]
pub struct SyncHandle {
    pub replica: RwSignal<Replica>,
    pub connection: RwSignal<ConnectionState>,
    pub notices: RwSignal<Vec<Notice>>,
    /// False until the first state from the server (or local storage) is in.
    pub loaded: RwSignal<bool>,
    /// The server no longer accepts this browser's session.
    pub session_lost: RwSignal<bool>,
    /// Everyone connected, and what they look at (from the server).
    pub peers: RwSignal<Vec<Peer>>,
    /// What this person looks at or edits, sent again after a reconnect.
    focus: StoredValue<(Option<PriorityId>, Option<PriorityId>)>,
    socket: StoredValue<Option<Connection>, LocalStorage>,
    attempts: StoredValue<u32>,
    next_notice: StoredValue<u64>,
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Ten bytes from the browser's cryptographic random source, for UUIDv7 ids.
pub fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Every supported browser has Web Crypto; Math.random only keeps ids
        // unique should it be missing.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A new UUIDv7 id of any entity, e.g. `new_id(MeetingId::from_parts)`:
/// made in the browser, so that it can be referenced before the server has
/// seen it.
pub fn new_id<T>(make: fn(u64, [u8; 10]) -> T) -> T {
    make(now_ms().max(0) as u64, random_bytes())
}

fn new_client_id() -> ClientId {
    new_id(ClientId::from_parts)
}

fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}

impl SyncHandle {
    /// A fresh replica. Until the server says who we are, edits are applied
    /// locally as a region editor would see them; the server decides.
    pub fn new() -> Self {
        let client_id = new_client_id();
        let actor = Actor {
            user: UserId(client_id.0),
            name: String::new(),
            role: Role::RegionEditor,
            region: None,
        };
        Self {
            replica: RwSignal::new(Replica::new(client_id, actor)),
            connection: RwSignal::new(ConnectionState::Connecting),
            notices: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            session_lost: RwSignal::new(false),
            peers: RwSignal::new(Vec::new()),
            focus: StoredValue::new((None, None)),
            socket: StoredValue::new_local(None),
            attempts: StoredValue::new(0),
            next_notice: StoredValue::new(1),
        }
    }

    /// Applies a person's edit at once and sends it when connected. A
    /// mutation that the rules refuse locally is explained and not sent.
    pub fn propose(&self, mutation: Mutation) -> bool {
        let result = self
            .replica
            .try_update(|r| r.propose(mutation, now_ms()))
            .unwrap_or_else(|| Err(Rejection::new(ara_shared::RejectionCode::NotPermitted)));
        match result {
            Ok(_) => {
                self.flush();
                true
            }
            Err(rejection) => {
                self.notify(NoticeBody::Rejected(rejection));
                false
            }
        }
    }

    /// Whether the rules let this person make `mutation` now (reactive): for
    /// showing only the controls a person can use. The server checks again.
    pub fn allows(&self, mutation: &Mutation) -> bool {
        self.replica
            .with(|r| ara_shared::permission::check(r.view(), r.actor(), mutation).is_ok())
    }

    /// Tells the others what this person is looking at or editing.
    pub fn set_focus(&self, viewing: Option<PriorityId>, editing: Option<PriorityId>) {
        self.focus.set_value((viewing, editing));
        self.send(&ClientMessage::Presence { viewing, editing });
    }

    /// Other connections editing `priority`, by name.
    pub fn editors_of(&self, priority: PriorityId) -> Vec<String> {
        let me = self.replica.with_untracked(|r| r.client_id());
        self.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| p.client_id != me && p.editing == Some(priority))
                .map(|p| p.name.clone())
                .collect()
        })
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|n| n.retain(|notice| notice.id != id));
    }

    fn notify(&self, body: NoticeBody) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        self.notices.update(|n| {
            n.push(Notice { id, body });
            // Keep the list readable; the oldest messages go first.
            if n.len() > 5 {
                n.remove(0);
            }
        });
    }

    fn report(&self, rebase: Rebase) {
        for (_, rejection) in rebase.rejected {
            self.notify(NoticeBody::Rejected(rejection));
        }
        for overwrite in rebase.overwritten {
            self.notify(NoticeBody::Overwritten(Box::new(overwrite)));
        }
    }

    fn send(&self, message: &ClientMessage) -> bool {
        let Ok(text) = serde_json::to_string(message) else {
            return false;
        };
        self.socket.with_value(|c| {
            c.as_ref().is_some_and(|c| {
                c.socket.ready_state() == WebSocket::OPEN && c.socket.send_with_str(&text).is_ok()
            })
        })
    }

    /// Sends pending mutations not yet sent on this connection.
    fn flush(&self) {
        if self.connection.get_untracked() != ConnectionState::Online {
            return;
        }
        let unsent = self
            .replica
            .try_update(|r| r.take_unsent())
            .unwrap_or_default();
        for chunk in unsent.chunks(ara_shared::protocol::MAX_BATCH) {
            if !self.send(&ClientMessage::Push {
                mutations: chunk.to_vec(),
            }) {
                // The socket closed under us: the next connection sends all again.
                self.replica.update(|r| r.connection_reset());
                return;
            }
        }
    }

    /// Opens the WebSocket; on close, tries again with back-off and jitter.
    pub fn connect(&self) {
        let Some(url) = sync_url() else { return };
        let Ok(socket) = WebSocket::new(&url) else {
            self.schedule_reconnect();
            return;
        };
        self.connection.set(ConnectionState::Connecting);
        let this = *self;
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let last = this.replica.with_untracked(|r| r.version());
            let hello = ClientMessage::Hello {
                protocol: PROTOCOL_VERSION,
                client_id: this.replica.with_untracked(|r| r.client_id()),
                last_version: (last > Version(0)).then_some(last),
            };
            this.send(&hello);
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                this.receive(&text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            this.connection.set(ConnectionState::Offline);
            this.peers.set(Vec::new());
            this.replica.update(|r| r.connection_reset());
            // A refused upgrade looks like any close; ask whether the session
            // is the reason before trying again.
            leptos::task::spawn_local(async move {
                match crate::api::get::<ara_shared::account::UserView>("/api/me").await {
                    Err(crate::api::ApiFailure::Refused(body)) if body.error == "not_signed_in" => {
                        this.session_lost.set(true);
                    }
                    _ => this.schedule_reconnect(),
                }
            });
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.socket.set_value(Some(Connection {
            socket,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        }));
    }

    fn schedule_reconnect(&self) {
        let attempt = self.attempts.get_value();
        self.attempts.set_value(attempt.saturating_add(1));
        // 0.5 s doubling to 15 s, with up to 50 % jitter so that many clients
        // do not return at the same instant after a server restart.
        let base = (500u64 << attempt.min(5)).min(15_000);
        let jitter = (js_sys::Math::random() * base as f64 * 0.5) as u64;
        let this = *self;
        set_timeout(move || this.connect(), Duration::from_millis(base + jitter));
    }

    fn close_and_retry(&self) {
        self.socket.with_value(|c| {
            if let Some(c) = c {
                let _ = c.socket.close();
            }
        });
    }

    fn receive(&self, text: &str) {
        let Ok(message) = serde_json::from_str::<ServerMessage>(text) else {
            self.notify(NoticeBody::ServerError(ErrorCode::Malformed));
            self.close_and_retry();
            return;
        };
        match message {
            ServerMessage::Welcome {
                actor, applied_seq, ..
            } => {
                self.attempts.set_value(0);
                let rebase = self.replica.try_update(|r| {
                    r.connection_reset();
                    let mut rebase = r.set_actor(actor);
                    if let Some(seq) = applied_seq {
                        rebase.rejected.extend(r.applied_up_to(seq).rejected);
                    }
                    rebase
                });
                self.connection.set(ConnectionState::Online);
                if let Some(rebase) = rebase {
                    self.report(rebase);
                }
                let (viewing, editing) = self.focus.get_value();
                if viewing.is_some() || editing.is_some() {
                    self.send(&ClientMessage::Presence { viewing, editing });
                }
            }
            ServerMessage::Snapshot { version, state } => {
                if let Some(rebase) = self
                    .replica
                    .try_update(|r| r.receive_snapshot(version, *state))
                {
                    self.report(rebase);
                }
                self.loaded.set(true);
                self.flush();
            }
            ServerMessage::Entries { entries } => {
                match self.replica.try_update(|r| r.receive_entries(&entries)) {
                    Some(Ok(rebase)) => self.report(rebase),
                    // A gap means a lost message: a new connection catches up.
                    Some(Err(_)) => self.close_and_retry(),
                    None => {}
                }
                self.loaded.set(true);
                self.flush();
            }
            ServerMessage::Ack { seq, version } => {
                // An ack can only retire a mutation whose entry we hold.
                let rebase = self
                    .replica
                    .try_update(|r| (version <= r.version()).then(|| r.applied_up_to(seq)));
                if let Some(Some(rebase)) = rebase {
                    self.report(rebase);
                }
            }
            ServerMessage::Rejected { seq, rejection } => {
                if let Some((_, rebase)) = self.replica.try_update(|r| r.receive_rejection(seq)) {
                    self.notify(NoticeBody::Rejected(rejection));
                    self.report(rebase);
                }
            }
            ServerMessage::Presence { peers } => self.peers.set(peers),
            ServerMessage::Error { code, .. } => {
                self.notify(NoticeBody::ServerError(code));
                if code == ErrorCode::ProtocolMismatch {
                    // Reconnecting would be refused again; the person reloads.
                    self.attempts.set_value(u32::MAX / 2);
                }
            }
        }
    }
}

impl Default for SyncHandle {
    fn default() -> Self {
        Self::new()
    }
}
