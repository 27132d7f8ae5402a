//! Several tabs of one browser, one account: one of them (the leader, which
//! holds the account's Web Lock) owns the sync socket, the pending queue and
//! the stored replica; the others follow it.
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
//!
//! [`TabProtocol`] is the protocol's bookkeeping and decisions, with no
//! browser in it: it takes what happened (a message, this tab's new role)
//! and says what to do, and is tested natively below. The rest of this file
//! does what it says, on the handle's replica and signals; the lock and the
//! channel themselves are [`crate::offline::tabs`]'s.

use ara_shared::protocol::{ConnectionId, Peer};
use ara_shared::{ClientId, Mutation, PriorityId, Rejection, Replica, Seq, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{ConnectionState, NoticeBody, SyncHandle};
use crate::offline::tabs::{self as lock, Channel, Leadership};

/// One change of the leader's replica, replayed by every follower in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum ReplicaOp {
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
pub(super) enum TabMessage {
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

/// The leader's replica and status as a follower takes them over.
#[derive(Debug)]
pub(super) struct Adopted {
    pub replica: Replica,
    pub loaded: bool,
    pub connection: ConnectionState,
    pub peers: Vec<Peer>,
    pub own_connection: Option<ConnectionId>,
    /// This tab's edits the new leader must be asked again to queue.
    pub repost: Vec<TabMessage>,
}

/// What a message from another tab asks of this one. Where tentative edits
/// are involved, `withdraw_from` is the first of their seqs on the replica
/// (take them off from there) and they go back on top afterwards
/// ([`TabProtocol::reapply`]).
#[derive(Debug)]
pub(super) enum Step {
    Nothing,
    /// Tell the other tabs (a follower that missed an op asks again).
    Post(TabMessage),
    /// Leader: send the whole replica to a joining tab.
    SendFull {
        to: u64,
    },
    /// Leader: queue a follower's edit.
    Queue {
        tab: u64,
        request: u64,
        mutation: Mutation,
        now_ms: i64,
    },
    /// Leader: a follower's person looks at or edits something.
    Focus {
        viewing: Option<PriorityId>,
        editing: Option<PriorityId>,
    },
    /// Leader: a follower signed in again.
    Resume,
    /// Follower: replay the leader's op under the tentative edits.
    Replay {
        withdraw_from: Option<Seq>,
        op: ReplicaOp,
    },
    /// Follower, before it has the leader's replica: the leader queued one
    /// of this tab's edits, which is tentative no more.
    Queued {
        withdraw_from: Option<Seq>,
    },
    /// Follower: the leader's rules refused one of this tab's edits.
    Refused {
        withdraw_from: Option<Seq>,
        rejection: Rejection,
    },
    /// Follower: take over the leader's replica and status.
    Adopt(Box<Adopted>),
}

/// This tab's side of the tab protocol: its role, its id on the channel,
/// the leader it follows and how many of its ops it has replayed, and its
/// own edits the leader has not queued yet. No browser inside: the handle
/// tells it what happened and does what it answers.
#[derive(Debug)]
pub(super) struct TabProtocol {
    /// This tab's id on the channel; `None` while there is none.
    me: Option<u64>,
    role: TabRole,
    /// The leader tab this tab follows.
    leader: Option<u64>,
    /// The leader's ops replayed (a follower) or made (the leader).
    ops: u64,
    tentative: Vec<Tentative>,
    next_request: u64,
}

impl Default for TabProtocol {
    fn default() -> Self {
        Self {
            me: None,
            role: TabRole::Undecided,
            leader: None,
            ops: 0,
            tentative: Vec::new(),
            next_request: 1,
        }
    }
}

impl TabProtocol {
    /// This tab joined its account's channel as `me`.
    pub fn joined(&mut self, me: u64) {
        self.me = Some(me);
    }

    pub fn me(&self) -> Option<u64> {
        self.me
    }

    pub fn is_leader(&self) -> bool {
        self.role == TabRole::Leader
    }

    /// The number of the leader's next op (this tab leads).
    pub fn next_op(&mut self) -> u64 {
        self.ops += 1;
        self.ops
    }

    /// How many ops the leader has made.
    pub fn ops(&self) -> u64 {
        self.ops
    }

    /// A tab that does not lead applied an edit on its copy at `seq`: it
    /// stays tentative until the leader queues it. Returns the message that
    /// asks the leader to, once there is one to ask.
    pub fn tentative(&mut self, mutation: Mutation, now_ms: i64, seq: Seq) -> Option<TabMessage> {
        let request = self.next_request;
        self.next_request += 1;
        self.tentative.push(Tentative {
            request,
            mutation: mutation.clone(),
            now_ms,
            seq: Some(seq),
        });
        let me = self.me?;
        matches!(self.role, TabRole::Follower { .. }).then(|| TabMessage::Propose {
            tab: me,
            request,
            mutation: Box::new(mutation),
            now_ms,
        })
    }

    /// This tab got the lock: it leads from now on. Returns where its
    /// tentative edits start on its replica (take them off) and the edits,
    /// which it now queues itself.
    pub fn become_leader(&mut self) -> (Option<Seq>, Vec<(Mutation, i64)>) {
        let withdraw_from = self.withdraw_from();
        self.role = TabRole::Leader;
        let edits = std::mem::take(&mut self.tentative)
            .into_iter()
            .map(|t| (t.mutation, t.now_ms))
            .collect();
        (withdraw_from, edits)
    }

    /// Another tab leads: ask it for its replica, and to queue the edits
    /// made here meanwhile.
    pub fn become_follower(&mut self) -> Vec<TabMessage> {
        self.role = TabRole::Follower { synced: false };
        let join = self.me.map(|tab| TabMessage::Join { tab });
        join.into_iter().chain(self.proposals()).collect()
    }

    /// Puts the tentative edits back on top of `replica`, after it changed
    /// under them; those that no longer apply stay listed without a seq.
    pub fn reapply(&mut self, replica: &mut Replica) {
        for t in &mut self.tentative {
            t.seq = replica
                .propose(t.mutation.clone(), t.now_ms)
                .ok()
                .map(|e| e.seq);
        }
    }

    pub fn has_tentative(&self) -> bool {
        !self.tentative.is_empty()
    }

    /// What another tab said, and what this one does about it.
    pub fn receive(&mut self, message: TabMessage) -> Step {
        match (self.role, message) {
            (TabRole::Leader, TabMessage::Join { tab }) => Step::SendFull { to: tab },
            (
                TabRole::Leader,
                TabMessage::Propose {
                    tab,
                    request,
                    mutation,
                    now_ms,
                },
            ) => Step::Queue {
                tab,
                request,
                mutation: *mutation,
                now_ms,
            },
            (TabRole::Leader, TabMessage::Focus { viewing, editing }) => {
                Step::Focus { viewing, editing }
            }
            (TabRole::Leader, TabMessage::Resume) => Step::Resume,
            (TabRole::Follower { .. }, full @ TabMessage::Full { .. }) => self.adopt(full),
            (TabRole::Follower { synced }, TabMessage::Op { n, op }) => self.follow(synced, n, op),
            (
                TabRole::Follower { .. },
                TabMessage::Refused {
                    tab,
                    request,
                    rejection,
                },
            ) if Some(tab) == self.me => {
                let withdraw_from = self.withdraw_from();
                self.forget(request);
                Step::Refused {
                    withdraw_from,
                    rejection,
                }
            }
            _ => Step::Nothing,
        }
    }

    /// The leader's `n`th op.
    fn follow(&mut self, synced: bool, n: u64, op: ReplicaOp) -> Step {
        let own_request = match &op {
            ReplicaOp::Propose {
                origin: Some((tab, request)),
                ..
            } if Some(*tab) == self.me => Some(*request),
            _ => None,
        };
        if !synced {
            // The replica will come whole; only forget what the leader queued.
            return match own_request {
                Some(request) => {
                    let withdraw_from = self.withdraw_from();
                    self.forget(request);
                    Step::Queued { withdraw_from }
                }
                None => Step::Nothing,
            };
        }
        if n != self.ops + 1 {
            // A gap (a new leader, a lost message): ask for the whole replica.
            self.role = TabRole::Follower { synced: false };
            return match self.me {
                Some(tab) => Step::Post(TabMessage::Join { tab }),
                None => Step::Nothing,
            };
        }
        self.ops = n;
        let withdraw_from = self.withdraw_from();
        if let Some(request) = own_request {
            self.forget(request);
        }
        Step::Replay { withdraw_from, op }
    }

    fn adopt(&mut self, message: TabMessage) -> Step {
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
            return Step::Nothing;
        };
        if to.is_some() && to != self.me {
            return Step::Nothing;
        }
        let Ok(replica) = serde_json::from_str::<Replica>(&replica) else {
            return Step::Nothing;
        };
        let (mut replica, _) = replica.restored();
        if all_sent {
            replica.take_unsent();
        }
        let new_leader = self.leader != Some(leader);
        self.leader = Some(leader);
        self.ops = op;
        self.role = TabRole::Follower { synced: true };
        // The old leader closed: ask the new one to queue what it never did.
        let repost = if new_leader && to.is_none() {
            self.proposals()
        } else {
            Vec::new()
        };
        Step::Adopt(Box::new(Adopted {
            replica,
            loaded,
            connection,
            peers,
            own_connection,
            repost,
        }))
    }

    /// Where this tab's tentative edits start on its replica.
    fn withdraw_from(&self) -> Option<Seq> {
        self.tentative.iter().filter_map(|t| t.seq).min()
    }

    fn forget(&mut self, request: u64) {
        self.tentative.retain(|t| t.request != request);
    }

    /// Asks the leader to queue every tentative edit.
    fn proposals(&self) -> Vec<TabMessage> {
        let Some(me) = self.me else {
            return Vec::new();
        };
        self.tentative
            .iter()
            .map(|t| TabMessage::Propose {
                tab: me,
                request: t.request,
                mutation: Box::new(t.mutation.clone()),
                now_ms: t.now_ms,
            })
            .collect()
    }
}

/// This tab's place among its account's tabs: the protocol, and the channel
/// it speaks on (none before sign-in, or where the browser has none).
#[derive(Default)]
pub(super) struct Tabs {
    pub protocol: TabProtocol,
    channel: Option<Channel>,
}

impl Tabs {
    fn post(&self, message: &TabMessage) {
        if let (Some(channel), Ok(text)) = (&self.channel, serde_json::to_string(message)) {
            channel.post(&text);
        }
    }
}

impl SyncHandle {
    /// Whether this tab leads its account's tabs.
    pub(super) fn is_leader(&self) -> bool {
        self.tabs.with_value(|t| t.protocol.is_leader())
    }

    /// Runs one decision of the protocol.
    pub(super) fn protocol<R>(&self, decide: impl FnOnce(&mut TabProtocol) -> R) -> R {
        self.tabs
            .try_update_value(|t| decide(&mut t.protocol))
            .expect("the handle lives as long as the app")
    }

    /// Tells every other tab of the account (never this one).
    pub(super) fn post(&self, message: &TabMessage) {
        self.tabs.with_value(|t| t.post(message));
    }

    /// Joins the channel of `user`'s tabs and asks for the leader's lock.
    pub(super) fn join_tabs(&self, user: UserId) {
        let this = *self;
        let channel = Channel::open(user, move |text| {
            if let Ok(message) = serde_json::from_str::<TabMessage>(&text) {
                this.on_tab_message(message);
            }
        });
        self.tabs.update_value(|t| {
            if let Some(channel) = &channel {
                t.protocol.joined(channel.id);
            }
            t.channel = channel;
        });
        lock::request_leadership(
            user,
            move |leadership| match leadership {
                Leadership::Leader => this.become_leader(),
                Leadership::Follower => this.become_follower(),
            },
            move || this.become_leader(),
        );
    }

    /// A tab that does not lead applies an edit on its copy at once; the
    /// leader queues it (or refuses it) later.
    pub(super) fn propose_tentative(
        &self,
        mutation: Mutation,
        now_ms: i64,
    ) -> Result<(), Rejection> {
        let envelope = self
            .replica
            .try_update(|r| r.propose(mutation.clone(), now_ms))
            .unwrap_or_else(|| Err(Rejection::new(ara_shared::RejectionCode::NotPermitted)))?;
        if let Some(message) = self.protocol(|p| p.tentative(mutation, now_ms, envelope.seq)) {
            self.post(&message);
        }
        Ok(())
    }

    /// This tab takes over the socket, the queue and the stored copy: its
    /// tentative edits become real ones, and every follower resyncs to it.
    fn become_leader(&self) {
        let (withdraw_from, edits) = self.protocol(TabProtocol::become_leader);
        self.withdraw(withdraw_from);
        self.post_full(None);
        for (mutation, now_ms) in edits {
            if let Err(rejection) = self.run_propose(mutation, now_ms, None) {
                self.notify(NoticeBody::Rejected(rejection));
            }
        }
        self.save();
        self.connection.set(ConnectionState::Connecting);
        self.connect();
    }

    fn become_follower(&self) {
        for message in self.protocol(TabProtocol::become_follower) {
            self.post(&message);
        }
    }

    /// The leader's replica and status, to one tab or (`to: None`) to all.
    fn post_full(&self, to: Option<u64>) {
        let Some(leader) = self.tabs.with_value(|t| t.protocol.me()) else {
            return;
        };
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
            op: self.tabs.with_value(|t| t.protocol.ops()),
            replica,
            all_sent,
            loaded: self.loaded.get_untracked(),
            connection: self.connection.get_untracked(),
            peers: self.peers.get_untracked(),
            own_connection: self.own_connection(),
        });
    }

    /// Takes this tab's tentative edits off its replica, from `seq` on.
    fn withdraw(&self, seq: Option<Seq>) {
        if let Some(seq) = seq {
            self.replica.update(|r| {
                r.withdraw_from(seq);
            });
        }
    }

    /// Puts the tentative edits back on top of the replica.
    fn reapply_tentative(&self) {
        if !self.tabs.with_value(|t| t.protocol.has_tentative()) {
            return;
        }
        self.replica
            .update(|r| self.tabs.update_value(|t| t.protocol.reapply(r)));
    }

    fn on_tab_message(&self, message: TabMessage) {
        match self.protocol(|p| p.receive(message)) {
            Step::Nothing => {}
            Step::Post(message) => self.post(&message),
            Step::SendFull { to } => self.post_full(Some(to)),
            Step::Queue {
                tab,
                request,
                mutation,
                now_ms,
            } => match self.run_propose(mutation, now_ms, Some((tab, request))) {
                Err(rejection) => self.post(&TabMessage::Refused {
                    tab,
                    request,
                    rejection,
                }),
                Ok(()) => self.flush(),
            },
            Step::Focus { viewing, editing } => self.leader_focus(viewing, editing),
            Step::Resume => self.resume(),
            Step::Replay { withdraw_from, op } => {
                self.withdraw(withdraw_from);
                self.apply(&op);
                self.reapply_tentative();
            }
            Step::Queued { withdraw_from } => {
                self.withdraw(withdraw_from);
                self.reapply_tentative();
            }
            Step::Refused {
                withdraw_from,
                rejection,
            } => {
                self.withdraw(withdraw_from);
                self.reapply_tentative();
                self.notify(NoticeBody::Rejected(rejection));
            }
            Step::Adopt(adopted) => self.adopt(*adopted),
        }
    }

    fn adopt(&self, adopted: Adopted) {
        let Adopted {
            replica,
            loaded,
            connection,
            peers,
            own_connection,
            repost,
        } = adopted;
        self.replica.set(replica);
        self.loaded.set(loaded || self.loaded.get_untracked());
        self.connection.set(connection);
        self.peers.set(peers);
        self.set_own_connection(own_connection);
        self.reapply_tentative();
        for message in repost {
            self.post(&message);
        }
    }
}

#[cfg(test)]
mod tests;
