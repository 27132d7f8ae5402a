//! The browser side of sync: one WebSocket to the server, the [`Replica`],
//! reconnects with back-off and jitter, and the notices a rebase produces.
//!
//! Offline first: the replica of the signed-in person is stored in
//! IndexedDB after every change ([`crate::offline::storage`]) and the app
//! starts from it before the socket opens. Of several tabs, one leads (owns
//! the socket, the pending queue and the stored copy) and the others follow
//! it ([`crate::offline::tabs`]): every change of the leader's replica is an
//! op ([`ReplicaOp`]) that the followers replay.
//!
//! Views call [`SyncHandle::propose`]; everything else happens here.

use std::time::Duration;

use ara_shared::account::UserView;
use ara_shared::protocol::{
    ClientMessage, ConnectionId, ErrorCode, PROTOCOL_VERSION, Peer, ServerMessage,
};
use ara_shared::replica::{Overwrite, Rebase};
use ara_shared::{
    Actor, ClientId, Envelope, Mutation, PriorityId, Rejection, Replica, Role, Seq, UserId, Version,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::offline::storage::{self, Storage, StorageProblem};
use crate::offline::tabs::{self, Leadership, ReplicaOp, TabMessage, Tabs};
use crate::pwa::{self, UpdateState};

pub use crate::browser::{now_ms, random_bytes};

/// What the connection to the server is doing, shown to the person at all times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// This tab's part in its account's group of tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TabRole {
    /// Not signed in yet, or waiting for the lock's answer: edits are
    /// tentative until the role is known.
    Undecided,
    /// Owns the socket, the pending queue and the stored replica.
    Leader,
    /// Follows the leader tab; `synced` once it has the leader's replica.
    Follower { synced: bool },
}

/// A follower's edit that the leader has not queued yet: applied on this
/// tab's copy (at `seq`, if it still applies) until the leader's op replaces it.
#[derive(Clone, Debug)]
struct Tentative {
    request: u64,
    mutation: Mutation,
    now_ms: i64,
    seq: Option<Seq>,
}

/// What applying one op did, for the leader's side effects.
enum Applied {
    Proposed(Box<Result<Envelope, Rejection>>),
    Unsent(Vec<Envelope>),
    Message(Option<ServerMessage>),
    Done,
}

/// Where the stored copy is: at most one write in flight, and another one
/// after it when the replica changed meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Saving {
    Idle,
    Writing,
    WritingThenAgain,
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
    /// Everyone else connected, and what they look at (from the server;
    /// this account's own connection is left out).
    pub peers: RwSignal<Vec<Peer>>,
    /// How presence lists name the connection of this browser, from the
    /// server's welcome.
    own_connection: StoredValue<Option<ConnectionId>>,
    /// What stops this device from keeping data, for the person to be told.
    pub storage: RwSignal<Option<StorageProblem>>,
    /// Whether the browser promised not to clear the stored data.
    pub persisted: RwSignal<Option<bool>>,
    /// A newer build of the app is ready, or the server needs one.
    pub update: RwSignal<UpdateState>,
    /// What this person looks at or edits, sent again after a reconnect.
    focus: StoredValue<(Option<PriorityId>, Option<PriorityId>)>,
    socket: StoredValue<Option<Connection>, LocalStorage>,
    attempts: StoredValue<u32>,
    next_notice: StoredValue<u64>,
    /// The account whose replica this is, once known.
    account: StoredValue<Option<UserView>>,
    database: StoredValue<Option<Storage>, LocalStorage>,
    saving: StoredValue<Saving>,
    tabs: StoredValue<Option<Tabs>, LocalStorage>,
    role: StoredValue<TabRole>,
    /// The leader tab this tab follows, and the number of its last op.
    leader: StoredValue<Option<u64>>,
    ops: StoredValue<u64>,
    tentative: StoredValue<Vec<Tentative>>,
    next_request: StoredValue<u64>,
    /// Whether the stored replica has been looked for, and sync started.
    restored: StoredValue<bool>,
    started: StoredValue<bool>,
    /// Which socket is the current one: events of an older one are ignored.
    generation: StoredValue<u64>,
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
            own_connection: StoredValue::new(None),
            storage: RwSignal::new(None),
            persisted: RwSignal::new(None),
            update: RwSignal::new(UpdateState::Current),
            focus: StoredValue::new((None, None)),
            socket: StoredValue::new_local(None),
            attempts: StoredValue::new(0),
            next_notice: StoredValue::new(1),
            account: StoredValue::new(None),
            database: StoredValue::new_local(None),
            saving: StoredValue::new(Saving::Idle),
            tabs: StoredValue::new_local(None),
            role: StoredValue::new(TabRole::Undecided),
            leader: StoredValue::new(None),
            ops: StoredValue::new(0),
            tentative: StoredValue::new(Vec::new()),
            next_request: StoredValue::new(1),
            restored: StoredValue::new(false),
            started: StoredValue::new(false),
            generation: StoredValue::new(0),
        }
    }

    /// Applies a person's edit at once and sends it when connected. A
    /// mutation that the rules refuse locally is explained and not sent.
    pub fn propose(&self, mutation: Mutation) -> bool {
        let now_ms = now_ms();
        if self.role.get_value() == TabRole::Leader {
            return match self.run_propose(mutation, now_ms, None) {
                Ok(()) => {
                    self.flush();
                    true
                }
                Err(rejection) => {
                    self.notify(NoticeBody::Rejected(rejection));
                    false
                }
            };
        }
        // Until the leader queues it, the edit is this tab's tentative one.
        let result = self
            .replica
            .try_update(|r| r.propose(mutation.clone(), now_ms))
            .unwrap_or_else(|| Err(Rejection::new(ara_shared::RejectionCode::NotPermitted)));
        match result {
            Ok(envelope) => {
                let request = self.next_request.get_value();
                self.next_request.set_value(request + 1);
                self.tentative.update_value(|t| {
                    t.push(Tentative {
                        request,
                        mutation: mutation.clone(),
                        now_ms,
                        seq: Some(envelope.seq),
                    })
                });
                if matches!(self.role.get_value(), TabRole::Follower { .. }) {
                    self.post_proposal(request, mutation, now_ms);
                }
                true
            }
            Err(rejection) => {
                self.notify(NoticeBody::Rejected(rejection));
                false
            }
        }
    }

    fn post_proposal(&self, request: u64, mutation: Mutation, now_ms: i64) {
        self.tabs.with_value(|tabs| {
            if let Some(tabs) = tabs {
                tabs.post(&TabMessage::Propose {
                    tab: tabs.id,
                    request,
                    mutation: Box::new(mutation),
                    now_ms,
                });
            }
        });
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
        if self.role.get_value() == TabRole::Leader {
            self.send(&ClientMessage::Presence { viewing, editing });
        } else {
            self.post(&TabMessage::Focus { viewing, editing });
        }
    }

    /// Other connections editing `priority`, by name.
    pub fn editors_of(&self, priority: PriorityId) -> Vec<String> {
        self.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| p.editing == Some(priority))
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
        if self.role.get_value() != TabRole::Leader
            || self.connection.get_untracked() != ConnectionState::Online
        {
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
    pub fn connect(&self) {
        if self.role.get_value() != TabRole::Leader || self.session_lost.get_untracked() {
            return;
        }
        let busy = self.socket.with_value(|c| {
            c.as_ref().is_some_and(|c| {
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
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let this = *self;
        let current = move || this.generation.get_value() == generation;
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
            if current()
                && let Some(text) = event.data().as_string()
            {
                this.receive(text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            if !current() {
                return;
            }
            // Nothing more from this socket, whatever it still delivers.
            this.generation.set_value(generation + 1);
            this.set_connection(ConnectionState::Offline);
            this.run(ReplicaOp::ConnectionReset);
            // A refused upgrade looks like any close; ask whether the session
            // is the reason before trying again.
            leptos::task::spawn_local(async move {
                match crate::api::get::<ara_shared::account::UserView>("/api/me").await {
                    Err(crate::api::ApiFailure::Refused(body)) if body.error == "not_signed_in" => {
                        this.run(ReplicaOp::SessionLost);
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

    fn set_connection(&self, state: ConnectionState) {
        if self.connection.get_untracked() != state {
            self.run(ReplicaOp::Connection { state });
        }
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

    /// The browser says the network is back: try at once, not after the
    /// back-off. It says it is gone: close, so that the state shows it.
    pub fn network_changed(&self, online: bool) {
        if self.role.get_value() != TabRole::Leader {
            return;
        }
        if online {
            self.attempts.set_value(0);
            self.connect();
        } else {
            // Offline now, not after the closing handshake: the socket is
            // given up (its late events are ignored), and everything pending
            // is unsent again.
            self.generation.update_value(|g| *g += 1);
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
                self.attempts.set_value(0);
                self.set_connection(ConnectionState::Online);
                let (viewing, editing) = self.focus.get_value();
                if viewing.is_some() || editing.is_some() {
                    self.send(&ClientMessage::Presence { viewing, editing });
                }
                // A reconnect is the moment a new build may have been deployed.
                pwa::check_for_update();
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
                self.attempts.set_value(u32::MAX / 2);
                pwa::check_for_update();
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
        let Some(account) = self.account.get_value() else {
            return false;
        };
        if actor.user == account.id {
            return false;
        }
        self.generation.update_value(|g| *g += 1);
        self.close_and_retry();
        let database = self.database.get_value();
        leptos::task::spawn_local(async move {
            if let (Ok(user), Some(database)) =
                (crate::api::get::<UserView>("/api/me").await, database)
            {
                let _ = database.save_session(&user).await;
            }
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        true
    }

    /// Applies a server message to this tab's replica and state (the same
    /// in the leader and in every follower); `None` if it is unreadable.
    fn apply_server(&self, text: &str) -> Option<ServerMessage> {
        let Ok(message) = serde_json::from_str::<ServerMessage>(text) else {
            self.notify(NoticeBody::ServerError(ErrorCode::Malformed));
            return None;
        };
        match &message {
            ServerMessage::Welcome {
                actor,
                applied_seq,
                connection,
                ..
            } => {
                self.own_connection.set_value(Some(*connection));
                let rebase = self.replica.try_update(|r| {
                    r.connection_reset();
                    let mut rebase = r.set_actor(actor.clone());
                    if let Some(seq) = applied_seq {
                        rebase.rejected.extend(r.applied_up_to(*seq).rejected);
                    }
                    rebase
                });
                if let Some(rebase) = rebase {
                    self.report(rebase);
                }
            }
            ServerMessage::Snapshot { version, state } => {
                if let Some(rebase) = self
                    .replica
                    .try_update(|r| r.receive_snapshot(*version, (**state).clone()))
                {
                    self.report(rebase);
                }
                self.loaded.set(true);
            }
            ServerMessage::Entries { entries } => {
                if let Some(Ok(rebase)) = self.replica.try_update(|r| r.receive_entries(entries)) {
                    self.report(rebase);
                }
                self.loaded.set(true);
            }
            ServerMessage::Ack { seq, version } => {
                // An ack can only retire a mutation whose entry we hold.
                let rebase = self
                    .replica
                    .try_update(|r| (*version <= r.version()).then(|| r.applied_up_to(*seq)));
                if let Some(Some(rebase)) = rebase {
                    self.report(rebase);
                }
            }
            ServerMessage::Rejected { seq, rejection } => {
                if let Some((Some(_), rebase)) =
                    self.replica.try_update(|r| r.receive_rejection(*seq))
                {
                    self.notify(NoticeBody::Rejected(rejection.clone()));
                    self.report(rebase);
                }
            }
            ServerMessage::Presence { peers } => {
                let own = self.own_connection.get_value();
                self.peers.set(
                    peers
                        .iter()
                        .filter(|p| Some(p.connection) != own)
                        .cloned()
                        .collect(),
                );
            }
            ServerMessage::Error { code, .. } => {
                self.notify(NoticeBody::ServerError(*code));
                if *code == ErrorCode::ProtocolMismatch {
                    self.update.set(UpdateState::Required);
                }
            }
        }
        Some(message)
    }

    /// Applies one op to this tab's replica and state.
    fn apply(&self, op: &ReplicaOp) -> Applied {
        match op {
            ReplicaOp::Propose {
                mutation, now_ms, ..
            } => Applied::Proposed(Box::new(
                self.replica
                    .try_update(|r| r.propose((**mutation).clone(), *now_ms))
                    .unwrap_or_else(|| {
                        Err(Rejection::new(ara_shared::RejectionCode::NotPermitted))
                    }),
            )),
            ReplicaOp::TakeUnsent => Applied::Unsent(
                self.replica
                    .try_update(|r| r.take_unsent())
                    .unwrap_or_default(),
            ),
            ReplicaOp::ConnectionReset => {
                self.replica.update(|r| r.connection_reset());
                Applied::Done
            }
            ReplicaOp::Server { text } => Applied::Message(self.apply_server(text)),
            ReplicaOp::Connection { state } => {
                self.connection.set(*state);
                if *state != ConnectionState::Online {
                    self.peers.set(Vec::new());
                }
                Applied::Done
            }
            ReplicaOp::SessionLost => {
                self.session_lost.set(true);
                Applied::Done
            }
            ReplicaOp::NewClientId { client_id } => {
                self.replica.update(|r| r.rekey(*client_id));
                Applied::Done
            }
        }
    }

    /// The leader's way to change its replica: apply the op, tell the
    /// follower tabs, and store the result.
    fn run(&self, op: ReplicaOp) -> Applied {
        let applied = self.apply(&op);
        let changed = match &applied {
            Applied::Proposed(result) => result.is_ok(),
            Applied::Unsent(unsent) => !unsent.is_empty(),
            Applied::Message(_) | Applied::Done => true,
        };
        if changed {
            let n = self.ops.get_value() + 1;
            self.ops.set_value(n);
            self.post(&TabMessage::Op { n, op: op.clone() });
            if matches!(
                op,
                ReplicaOp::Propose { .. }
                    | ReplicaOp::Server { .. }
                    | ReplicaOp::SessionLost
                    | ReplicaOp::NewClientId { .. }
            ) {
                self.save();
            }
        }
        applied
    }

    /// The leader queues a proposal (its own, or a follower's `origin`).
    fn run_propose(
        &self,
        mutation: Mutation,
        now_ms: i64,
        origin: Option<(u64, u64)>,
    ) -> Result<(), Rejection> {
        match self.run(ReplicaOp::Propose {
            mutation: Box::new(mutation),
            now_ms,
            origin,
        }) {
            Applied::Proposed(result) => result.map(|_| ()),
            _ => Err(Rejection::new(ara_shared::RejectionCode::NotPermitted)),
        }
    }

    fn post(&self, message: &TabMessage) {
        self.tabs.with_value(|tabs| {
            if let Some(tabs) = tabs {
                tabs.post(message);
            }
        });
    }

    // --- Starting from the stored replica -------------------------------

    /// Opens this device's store and returns the person last signed in on
    /// it, if any (the app then starts as them, offline if need be).
    pub async fn open_storage(&self) -> Option<UserView> {
        match Storage::open().await {
            Ok(database) => {
                let user = database.session().await;
                self.database.set_value(Some(database));
                user
            }
            Err(problem) => {
                self.storage.set(Some(problem));
                None
            }
        }
    }

    /// Puts `user`'s stored replica in place (before the socket opens), so
    /// that the app shows their last state and pending edits at once.
    pub async fn restore(&self, user: &UserView) {
        if self.restored.get_value() {
            return;
        }
        self.restored.set_value(true);
        self.account.set_value(Some(user.clone()));
        let Some(database) = self.database.get_value() else {
            return;
        };
        match database.replica(user.id).await {
            Ok(Some(replica)) => {
                let loaded = replica.version() > Version(0);
                self.replica.set(replica);
                self.loaded.set(loaded);
            }
            Ok(None) => {}
            Err(problem) => self.storage.set(Some(problem)),
        }
        if let Err(problem) = database.save_session(user).await {
            self.storage.set(Some(problem));
        }
    }

    /// Starts syncing as `user` (once signed in): their stored replica, this
    /// tab's place among the account's tabs, and the socket if it leads.
    pub fn start(&self, user: UserView) {
        if let Some(current) = self.account.get_value()
            && current.id != user.id
        {
            // Another account signed in meanwhile: start clean as them (the
            // first one's replica stays stored under their id).
            let database = self.database.get_value();
            leptos::task::spawn_local(async move {
                if let Some(database) = database {
                    let _ = database.save_session(&user).await;
                }
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            });
            return;
        }
        if self.started.get_value() {
            if self.session_lost.get_untracked() {
                // Signed in again after the session was lost: the next start
                // may be offline again.
                if let Some(database) = self.database.get_value() {
                    let user = user.clone();
                    leptos::task::spawn_local(async move {
                        let _ = database.save_session(&user).await;
                    });
                }
                self.session_lost.set(false);
                self.attempts.set_value(0);
                self.post(&TabMessage::Resume);
                self.connect();
            }
            return;
        }
        self.started.set_value(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            this.restore(&user).await;
            let tabs = Tabs::open(user.id, move |message| this.on_tab_message(message));
            this.tabs.set_value(tabs);
            tabs::request_leadership(
                user.id,
                move |leadership| match leadership {
                    Leadership::Leader => this.become_leader(),
                    Leadership::Follower => this.become_follower(),
                },
                move || this.become_leader(),
            );
        });
    }

    fn my_tab(&self) -> Option<u64> {
        self.tabs.with_value(|t| t.as_ref().map(|t| t.id))
    }

    /// This tab takes over the socket, the queue and the stored copy: its
    /// tentative edits become real ones, and every follower resyncs to it.
    fn become_leader(&self) {
        let tentative = self.withdraw_tentative();
        self.role.set_value(TabRole::Leader);
        self.tentative.set_value(Vec::new());
        self.post_full(None);
        for t in tentative {
            if let Err(rejection) = self.run_propose(t.mutation, t.now_ms, None) {
                self.notify(NoticeBody::Rejected(rejection));
            }
        }
        self.save();
        self.connection.set(ConnectionState::Connecting);
        self.connect();
    }

    fn become_follower(&self) {
        self.role.set_value(TabRole::Follower { synced: false });
        if let Some(tab) = self.my_tab() {
            self.post(&TabMessage::Join { tab });
        }
        let outstanding = self.tentative.get_value();
        for t in outstanding {
            self.post_proposal(t.request, t.mutation, t.now_ms);
        }
    }

    fn post_full(&self, to: Option<u64>) {
        let Some(leader) = self.my_tab() else { return };
        let Some((replica, all_sent)) = self.replica.with_untracked(|r| {
            let mut copy = r.clone();
            let all_sent = !r.pending().is_empty() && copy.take_unsent().is_empty();
            serde_json::to_string(r).ok().map(|text| (text, all_sent))
        }) else {
            return;
        };
        self.post(&TabMessage::Full {
            to,
            leader,
            op: self.ops.get_value(),
            replica,
            all_sent,
            loaded: self.loaded.get_untracked(),
            connection: self.connection.get_untracked(),
            peers: self.peers.get_untracked(),
            own_connection: self.own_connection.get_value(),
        });
    }

    /// Takes this tab's tentative edits off its replica (keeping the list).
    fn withdraw_tentative(&self) -> Vec<Tentative> {
        let tentative = self.tentative.get_value();
        if let Some(first) = tentative.iter().filter_map(|t| t.seq).min() {
            self.replica.update(|r| {
                r.withdraw_from(first);
            });
        }
        tentative
    }

    /// Puts the tentative edits back on top of the replica.
    fn reapply_tentative(&self) {
        let mut tentative = self.tentative.get_value();
        for t in &mut tentative {
            t.seq = self
                .replica
                .try_update(|r| r.propose(t.mutation.clone(), t.now_ms).ok().map(|e| e.seq))
                .flatten();
        }
        self.tentative.set_value(tentative);
    }

    fn on_tab_message(&self, message: TabMessage) {
        let role = self.role.get_value();
        match (role, message) {
            (TabRole::Leader, TabMessage::Join { tab }) => self.post_full(Some(tab)),
            (
                TabRole::Leader,
                TabMessage::Propose {
                    tab,
                    request,
                    mutation,
                    now_ms,
                },
            ) => match self.run_propose(*mutation, now_ms, Some((tab, request))) {
                Err(rejection) => self.post(&TabMessage::Refused {
                    tab,
                    request,
                    rejection,
                }),
                Ok(()) => self.flush(),
            },
            (TabRole::Leader, TabMessage::Focus { viewing, editing }) => {
                self.focus.set_value((viewing, editing));
                self.send(&ClientMessage::Presence { viewing, editing });
            }
            (TabRole::Leader, TabMessage::Resume) => {
                self.session_lost.set(false);
                self.attempts.set_value(0);
                self.connect();
            }
            (TabRole::Follower { .. }, full @ TabMessage::Full { .. }) => self.adopt_full(full),
            (TabRole::Follower { synced }, TabMessage::Op { n, op }) => self.follow(synced, n, op),
            (
                TabRole::Follower { .. },
                TabMessage::Refused {
                    tab,
                    request,
                    rejection,
                },
            ) if Some(tab) == self.my_tab() => {
                self.withdraw_tentative();
                self.tentative
                    .update_value(|t| t.retain(|t| t.request != request));
                self.reapply_tentative();
                self.notify(NoticeBody::Rejected(rejection));
            }
            _ => {}
        }
    }

    /// Replays the leader's `n`th op on this follower's replica.
    fn follow(&self, synced: bool, n: u64, op: ReplicaOp) {
        let mine = self.my_tab();
        let own_request = match &op {
            ReplicaOp::Propose {
                origin: Some((tab, request)),
                ..
            } if Some(*tab) == mine => Some(*request),
            _ => None,
        };
        if !synced {
            // The replica will come whole; only forget what the leader queued.
            if let Some(request) = own_request {
                self.withdraw_tentative();
                self.tentative
                    .update_value(|t| t.retain(|t| t.request != request));
                self.reapply_tentative();
            }
            return;
        }
        if n != self.ops.get_value() + 1 {
            // A gap (a new leader, a lost message): ask for the whole replica.
            self.role.set_value(TabRole::Follower { synced: false });
            if let Some(tab) = mine {
                self.post(&TabMessage::Join { tab });
            }
            return;
        }
        self.ops.set_value(n);
        self.withdraw_tentative();
        if let Some(request) = own_request {
            self.tentative
                .update_value(|t| t.retain(|t| t.request != request));
        }
        self.apply(&op);
        self.reapply_tentative();
    }

    fn adopt_full(&self, message: TabMessage) {
        let TabMessage::Full {
            to,
            leader,
            op,
            replica,
            all_sent,
            loaded,
            connection,
            peers,
            own_connection,
        } = message
        else {
            return;
        };
        if to.is_some() && to != self.my_tab() {
            return;
        }
        let Ok(replica) = serde_json::from_str::<Replica>(&replica) else {
            return;
        };
        let (mut replica, _) = replica.restored();
        if all_sent {
            replica.take_unsent();
        }
        let new_leader = self.leader.get_value() != Some(leader);
        self.leader.set_value(Some(leader));
        self.ops.set_value(op);
        self.role.set_value(TabRole::Follower { synced: true });
        self.replica.set(replica);
        self.loaded.set(loaded || self.loaded.get_untracked());
        self.connection.set(connection);
        self.peers.set(peers);
        self.own_connection.set_value(own_connection);
        self.reapply_tentative();
        if new_leader && to.is_none() {
            // The old leader closed: ask the new one to queue what it never did.
            for t in self.tentative.get_value() {
                self.post_proposal(t.request, t.mutation, t.now_ms);
            }
        }
    }

    // --- Storing ---------------------------------------------------------

    /// Stores the replica, coalescing: one write in flight, then one more
    /// with whatever changed meanwhile. Only the leader writes.
    fn save(&self) {
        if self.role.get_value() != TabRole::Leader {
            return;
        }
        match self.saving.get_value() {
            Saving::Idle => {
                self.saving.set_value(Saving::Writing);
                let this = *self;
                leptos::task::spawn_local(async move { this.write_loop().await });
            }
            Saving::Writing => self.saving.set_value(Saving::WritingThenAgain),
            Saving::WritingThenAgain => {}
        }
    }

    async fn write_loop(&self) {
        loop {
            let user = self.account.with_value(|a| a.as_ref().map(|a| a.id));
            let database = self.database.get_value();
            if let (Some(user), Some(database)) = (user, database) {
                let result = match self.replica.with_untracked(storage::encode) {
                    Ok(encoded) => database.save(user, &encoded).await,
                    Err(problem) => Err(problem),
                };
                match result {
                    Ok(()) => {
                        if matches!(self.storage.get_untracked(), Some(StorageProblem::Full)) {
                            self.storage.set(None);
                        }
                    }
                    Err(problem) => self.storage.set(Some(problem)),
                }
            }
            if self.saving.get_value() == Saving::WritingThenAgain {
                self.saving.set_value(Saving::Writing);
            } else {
                self.saving.set_value(Saving::Idle);
                return;
            }
        }
    }

    /// Signing out on purpose: the next start asks for a sign-in, and the
    /// stored replica goes unless it still holds edits not yet sent.
    pub async fn sign_out(&self) {
        let Some(database) = self.database.get_value() else {
            return;
        };
        let _ = database.forget_session().await;
        let user = self.account.with_value(|a| a.as_ref().map(|a| a.id));
        let nothing_pending = self.replica.with_untracked(|r| r.pending().is_empty());
        if let Some(user) = user
            && nothing_pending
        {
            let _ = database.remove(user).await;
        }
    }

    /// The server refused the stored session: the next start asks for a
    /// sign-in; the person's replica and unsent edits stay stored.
    pub async fn session_refused(&self) {
        if let Some(database) = self.database.get_value() {
            let _ = database.forget_session().await;
        }
    }

    /// Whose edits this replica holds (the last account signed in here).
    pub fn account(&self) -> Option<UserView> {
        self.account.get_value()
    }
}

impl Default for SyncHandle {
    fn default() -> Self {
        Self::new()
    }
}
