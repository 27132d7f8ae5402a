//! The leader tab's WebSocket to the server: opening it and saying `hello`,
//! sending the pending queue, reconnecting with back-off and jitter, the
//! browser's word on the network, and what each server message means for
//! the connection (the replica's side of a message is [`SyncHandle::apply`]'s).

use ara_shared::account::AccountErrorCode;
use std::time::Duration;

use ara_shared::account::UserView;
use ara_shared::protocol::{
    ClientMessage, ConnectionId, ErrorCode, PROTOCOL_VERSION, ServerMessage,
};
use ara_shared::{PriorityId, Version};
use gloo_events::EventListener;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

use super::tabs::ReplicaOp;
use super::{Applied, ConnectionState, SyncHandle, new_client_id};

/// The socket and its listeners, which go with it (open, message, close).
struct Socket {
    socket: WebSocket,
    _listeners: [EventListener; 3],
}

/// Everything the connection keeps between events.
#[derive(Default)]
pub(super) struct Link {
    socket: Option<Socket>,
    /// Failed attempts since the last welcome, for the back-off.
    attempts: u32,
    /// Which socket is the current one: events of an older one are ignored.
    generation: u64,
    /// What this person looks at or edits, sent again after a reconnect.
    focus: (Option<PriorityId>, Option<PriorityId>),
    /// How presence lists name the connection of this browser, from the
    /// server's welcome.
    own_connection: Option<ConnectionId>,
    /// What tells the app that a new build may have been deployed: the
    /// PWA's update check, given by the app (`pwa` → `sync`, never back).
    check_for_update: Option<fn()>,
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
    /// What to call whenever a new build of the app may have been deployed
    /// (at every welcome, and when the server speaks another protocol).
    pub fn when_a_new_build_may_exist(&self, check: fn()) {
        self.link.update_value(|l| l.check_for_update = Some(check));
    }

    fn check_for_update(&self) {
        if let Some(check) = self.link.with_value(|l| l.check_for_update) {
            check();
        }
    }

    pub(super) fn own_connection(&self) -> Option<ConnectionId> {
        self.link.with_value(|l| l.own_connection)
    }

    pub(super) fn set_own_connection(&self, connection: Option<ConnectionId>) {
        self.link.update_value(|l| l.own_connection = connection);
    }

    pub(super) fn set_focus_value(&self, viewing: Option<PriorityId>, editing: Option<PriorityId>) {
        self.link.update_value(|l| l.focus = (viewing, editing));
    }

    /// The leader tells the server what someone here looks at or edits.
    pub(super) fn leader_focus(&self, viewing: Option<PriorityId>, editing: Option<PriorityId>) {
        self.set_focus_value(viewing, editing);
        self.send(&ClientMessage::Presence { viewing, editing });
    }

    /// Signed in again after the session was lost: connect at once.
    pub(super) fn resume(&self) {
        self.session_lost.set(false);
        self.link.update_value(|l| l.attempts = 0);
        self.connect();
    }

    pub(super) fn send(&self, message: &ClientMessage) -> bool {
        let Ok(text) = serde_json::to_string(message) else {
            return false;
        };
        self.link.with_value(|l| {
            l.socket.as_ref().is_some_and(|c| {
                c.socket.ready_state() == WebSocket::OPEN && c.socket.send_with_str(&text).is_ok()
            })
        })
    }

    /// Sends pending mutations not yet sent on this connection.
    pub(super) fn flush(&self) {
        if !self.is_leader() || self.connection.get_untracked() != ConnectionState::Online {
            return;
        }
        let Applied::Unsent(unsent) = self.run(ReplicaOp::TakeUnsent) else {
            return;
        };
        for chunk in unsent.chunks(ara_shared::protocol::MAX_BATCH) {
            if !self.send(&ClientMessage::Push {
                mutations: chunk.to_vec(),
            }) {
                // The socket closed under us: the next connection sends all again.
                self.run(ReplicaOp::ConnectionReset);
                return;
            }
        }
    }

    /// Opens the WebSocket; on close, tries again with back-off and jitter.
    /// Only the leader tab connects; a socket already open or opening stays.
    pub(super) fn connect(&self) {
        if !self.is_leader() || self.session_lost.get_untracked() {
            return;
        }
        let busy = self.link.with_value(|l| {
            l.socket.as_ref().is_some_and(|c| {
                matches!(
                    c.socket.ready_state(),
                    WebSocket::CONNECTING | WebSocket::OPEN
                )
            })
        });
        if busy {
            return;
        }
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        if !online {
            // The browser knows there is no network: wait for it (the
            // `online` event) rather than fail a connection.
            self.set_connection(ConnectionState::Offline);
            self.schedule_reconnect();
            return;
        }
        let Some(url) = sync_url() else { return };
        let Ok(socket) = WebSocket::new(&url) else {
            self.schedule_reconnect();
            return;
        };
        self.set_connection(ConnectionState::Connecting);
        let generation = self.link.with_value(|l| l.generation) + 1;
        self.link.update_value(|l| l.generation = generation);
        let this = *self;
        let current = move || this.link.with_value(|l| l.generation) == generation;
        let listeners = [
            EventListener::new(&socket, "open", move |_| this.hello()),
            EventListener::new(&socket, "message", move |event| {
                let text = event
                    .dyn_ref::<MessageEvent>()
                    .and_then(|e| e.data().as_string());
                if current()
                    && let Some(text) = text
                {
                    this.receive(text);
                }
            }),
            EventListener::new(&socket, "close", move |_| {
                if current() {
                    this.closed(generation);
                }
            }),
        ];
        let socket = Socket {
            socket,
            _listeners: listeners,
        };
        self.link.update_value(|l| l.socket = Some(socket));
    }

    /// The socket is open: say who we are and what we have.
    fn hello(&self) {
        let last = self.replica.with_untracked(|r| r.version());
        let hello = ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            client_id: self.replica.with_untracked(|r| r.client_id()),
            last_version: (last > Version(0)).then_some(last),
        };
        self.send(&hello);
    }

    /// The current socket (of `generation`) closed.
    fn closed(&self, generation: u64) {
        // Nothing more from this socket, whatever it still delivers.
        self.link.update_value(|l| l.generation = generation + 1);
        self.set_connection(ConnectionState::Offline);
        self.run(ReplicaOp::ConnectionReset);
        // A refused upgrade looks like any close; ask whether the session
        // is the reason before trying again.
        let this = *self;
        leptos::task::spawn_local(async move {
            match crate::api::get::<UserView>("/api/me").await {
                Err(failure) if failure.is(AccountErrorCode::NotSignedIn) => {
                    this.run(ReplicaOp::SessionLost);
                }
                _ => this.schedule_reconnect(),
            }
        });
    }

    pub(super) fn set_connection(&self, state: ConnectionState) {
        if self.connection.get_untracked() != state {
            self.run(ReplicaOp::Connection { state });
        }
    }

    fn schedule_reconnect(&self) {
        let attempt = self.link.with_value(|l| l.attempts);
        self.link
            .update_value(|l| l.attempts = attempt.saturating_add(1));
        // 0.5 s doubling to 15 s, with up to 50 % jitter so that many clients
        // do not return at the same instant after a server restart.
        let base = (500u64 << attempt.min(5)).min(15_000);
        let jitter = (js_sys::Math::random() * base as f64 * 0.5) as u64;
        let this = *self;
        set_timeout(move || this.connect(), Duration::from_millis(base + jitter));
    }

    fn close_and_retry(&self) {
        self.link.with_value(|l| {
            if let Some(c) = &l.socket {
                let _ = c.socket.close();
            }
        });
    }

    /// Gives up the current socket: its late events are ignored.
    fn forget_socket(&self) {
        self.link.update_value(|l| l.generation += 1);
    }

    /// The browser says the network is back: try at once, not after the
    /// back-off. It says it is gone: close, so that the state shows it.
    pub fn network_changed(&self, online: bool) {
        if !self.is_leader() {
            return;
        }
        if online {
            self.link.update_value(|l| l.attempts = 0);
            self.connect();
        } else {
            // Offline now, not after the closing handshake: the socket is
            // given up (its late events are ignored), and everything pending
            // is unsent again.
            self.forget_socket();
            self.set_connection(ConnectionState::Offline);
            self.run(ReplicaOp::ConnectionReset);
            self.close_and_retry();
            self.schedule_reconnect();
        }
    }

    /// A message from the server, on the leader's socket.
    fn receive(&self, text: String) {
        if self.welcomes_someone_else(&text) {
            return;
        }
        let Applied::Message(message) = self.run(ReplicaOp::Server { text }) else {
            return;
        };
        match message {
            None => self.close_and_retry(),
            Some(ServerMessage::Welcome { .. }) => {
                self.link.update_value(|l| l.attempts = 0);
                self.set_connection(ConnectionState::Online);
                let (viewing, editing) = self.link.with_value(|l| l.focus);
                if viewing.is_some() || editing.is_some() {
                    self.send(&ClientMessage::Presence { viewing, editing });
                }
                // A reconnect is the moment a new build may have been deployed.
                self.check_for_update();
            }
            Some(ServerMessage::Snapshot { .. }) => self.flush(),
            Some(ServerMessage::Entries { entries }) => {
                let behind = entries
                    .last()
                    .is_some_and(|e| e.version > self.replica.with_untracked(|r| r.version()));
                if behind {
                    // A gap means a lost message: a new connection catches up.
                    self.close_and_retry();
                } else {
                    self.flush();
                }
            }
            Some(ServerMessage::Error {
                code: ErrorCode::ClientIdTaken,
                ..
            }) => {
                // Someone took this browser's id before ids were bound to
                // their person: the server closes, and the reconnect goes
                // on under a new id with the unsent edits renumbered.
                self.run(ReplicaOp::NewClientId {
                    client_id: new_client_id(),
                });
            }
            Some(ServerMessage::Error {
                code: ErrorCode::ProtocolMismatch,
                ..
            }) => {
                // Reconnecting would be refused again; the person updates.
                self.link.update_value(|l| l.attempts = u32::MAX / 2);
                self.check_for_update();
            }
            Some(_) => {}
        }
    }

    /// The browser's session now belongs to another person than the stored
    /// replica (someone else signed in here meanwhile): nothing of this
    /// replica may be sent under their name. The socket is given up and the
    /// page starts again as the person signed in.
    fn welcomes_someone_else(&self, text: &str) -> bool {
        // Only the small welcome is parsed twice, never a snapshot.
        if text.len() > 64 * 1024 || !text.contains(r#""type":"welcome""#) {
            return false;
        }
        let Ok(ServerMessage::Welcome { actor, .. }) = serde_json::from_str(text) else {
            return false;
        };
        let Some(account) = self.account() else {
            return false;
        };
        if actor.user == account.id {
            return false;
        }
        self.forget_socket();
        self.close_and_retry();
        let this = *self;
        leptos::task::spawn_local(async move {
            if let Ok(user) = crate::api::get::<UserView>("/api/me").await {
                this.store_session(&user).await;
            }
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        true
    }
}
