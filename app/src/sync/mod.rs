//! The browser side of sync: the [`Replica`] of the signed-in person, kept
//! in step with the server and with the person's other tabs, and the
//! notices a rebase produces. Views call [`SyncHandle::propose`];
//! everything else happens here:
//!
//! - [`connection`]: the leader tab's WebSocket, reconnects with back-off
//!   and jitter, and what each server message means for the connection;
//! - [`tabs`]: of several tabs, one leads (owns the socket, the pending
//!   queue and the stored copy) and the others follow it: every change of
//!   the leader's replica is an op ([`tabs::ReplicaOp`]) that the followers
//!   replay. The protocol's decisions are a plain struct, tested natively;
//! - [`persist`]: offline first, the replica is stored after every change
//!   and the app starts from it before the socket opens.
//!
//! Dependencies point one way: `pwa` → `sync` → `offline` (the browser's
//! IndexedDB, Web Locks and BroadcastChannel), and never back. What sync
//! needs of the PWA (an update check when a new build may exist) it is
//! given ([`SyncHandle::when_a_new_build_may_exist`]).

mod connection;
mod persist;
mod tabs;

use ara_shared::account::UserView;
use ara_shared::protocol::{ErrorCode, Peer, ServerMessage};
use ara_shared::replica::{Overwrite, Rebase};
use ara_shared::{
    Actor, ClientId, Envelope, Mutation, PriorityId, Rejection, Replica, Role, UserId,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use self::connection::Link;
use self::persist::Persist;
use self::tabs::{ReplicaOp, TabMessage, TabProtocol, Tabs};
use crate::offline::storage::StorageProblem;

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

/// Whether this page runs the newest build: the PWA finds a new one
/// waiting, the server says when it needs one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateState {
    Current,
    /// A newer build is installed and waits for the person's reload.
    Ready,
    /// The server no longer syncs with this build: it must be updated.
    Required,
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

/// What applying one op did, for the leader's side effects.
enum Applied {
    Proposed(Box<Result<Envelope, Rejection>>),
    Unsent(Vec<Envelope>),
    Message(Option<ServerMessage>),
    Done,
}

/// Cheap to copy into every view; owns nothing itself. The signals are what
/// views read; the rest is grouped by the part of sync that owns it.
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
    /// What stops this device from keeping data, for the person to be told.
    pub storage: RwSignal<Option<StorageProblem>>,
    /// Whether the browser promised not to clear the stored data.
    pub persisted: RwSignal<Option<bool>>,
    /// A newer build of the app is ready, or the server needs one.
    pub update: RwSignal<UpdateState>,
    next_notice: StoredValue<u64>,
    /// Whether sync has been started (once signed in).
    started: StoredValue<bool>,
    link: StoredValue<Link, LocalStorage>,
    tabs: StoredValue<Tabs, LocalStorage>,
    persist: StoredValue<Persist, LocalStorage>,
}

use crate::browser::{now_ms, random_bytes};

/// A new UUIDv7 id of any entity, e.g. `new_id(MeetingId::from_parts)`:
/// made in the browser, so that it can be referenced before the server has
/// seen it.
pub fn new_id<T>(make: fn(u64, [u8; 10]) -> T) -> T {
    make(now_ms().max(0) as u64, random_bytes())
}

fn new_client_id() -> ClientId {
    new_id(ClientId::from_parts)
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
            storage: RwSignal::new(None),
            persisted: RwSignal::new(None),
            update: RwSignal::new(UpdateState::Current),
            next_notice: StoredValue::new(1),
            started: StoredValue::new(false),
            link: StoredValue::new_local(Link::default()),
            tabs: StoredValue::new_local(Tabs::default()),
            persist: StoredValue::new_local(Persist::default()),
        }
    }

    /// Applies a person's edit at once and sends it when connected. A
    /// mutation that the rules refuse locally is explained and not sent.
    pub fn propose(&self, mutation: Mutation) -> bool {
        let now_ms = now_ms();
        let result = if self.is_leader() {
            self.run_propose(mutation, now_ms, None)
                .map(|()| self.flush())
        } else {
            // Until the leader queues it, the edit is this tab's tentative one.
            self.propose_tentative(mutation, now_ms)
        };
        match result {
            Ok(()) => true,
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
        if self.is_leader() {
            self.leader_focus(viewing, editing);
        } else {
            self.set_focus_value(viewing, editing);
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

    /// Starts syncing as `user` (once signed in): their stored replica, this
    /// tab's place among the account's tabs, and the socket if it leads.
    pub fn start(&self, user: UserView) {
        if let Some(current) = self.account()
            && current.id != user.id
        {
            // Another account signed in meanwhile: start clean as them (the
            // first one's replica stays stored under their id).
            let this = *self;
            leptos::task::spawn_local(async move {
                this.store_session(&user).await;
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
                let this = *self;
                let again = user.clone();
                leptos::task::spawn_local(async move { this.store_session(&again).await });
                self.post(&TabMessage::Resume);
                self.resume();
            }
            return;
        }
        self.started.set_value(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            this.restore(&user).await;
            this.join_tabs(user.id);
        });
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
                self.set_own_connection(Some(*connection));
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
                let own = self.own_connection();
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
            let n = self.protocol(TabProtocol::next_op);
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
}

impl Default for SyncHandle {
    fn default() -> Self {
        Self::new()
    }
}
