//! Who is connected and what they are looking at or editing. In memory only:
//! presence is ephemeral and never written to the store.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ara_shared::PriorityId;
use ara_shared::protocol::{ConnectionId, Peer, ServerMessage};
use axum::extract::ws::Utf8Bytes;
use tokio::sync::broadcast;

/// Presence lists a connection may fall behind; older ones are skipped,
/// since each list replaces the one before.
const BUFFER: usize = 16;

pub struct Presence {
    peers: Mutex<BTreeMap<ConnectionId, Peer>>,
    updates: broadcast::Sender<Utf8Bytes>,
    /// The number the next connection gets: presence names connections by
    /// these, never by client ids, which are bound to their person.
    next_connection: AtomicU64,
}

impl Default for Presence {
    fn default() -> Self {
        Self {
            peers: Mutex::default(),
            updates: broadcast::channel(BUFFER).0,
            next_connection: AtomicU64::new(1),
        }
    }
}

impl Presence {
    /// A number for a new connection, unique while the server runs.
    pub fn new_connection(&self) -> ConnectionId {
        ConnectionId(self.next_connection.fetch_add(1, Ordering::Relaxed))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Utf8Bytes> {
        self.updates.subscribe()
    }

    fn publish(&self, peers: &BTreeMap<ConnectionId, Peer>) {
        let message = ServerMessage::Presence {
            peers: peers.values().cloned().collect(),
        };
        if let Ok(text) = serde_json::to_string(&message) {
            let _ = self.updates.send(Utf8Bytes::from(text));
        }
    }

    fn change(&self, f: impl FnOnce(&mut BTreeMap<ConnectionId, Peer>)) {
        // A poisoned lock only means another connection panicked mid-update;
        // presence is advisory, so carry on with what is there.
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut peers);
        self.publish(&peers);
    }

    pub fn join(&self, peer: Peer) {
        self.change(|peers| {
            peers.insert(peer.connection, peer);
        });
    }

    pub fn update(
        &self,
        connection: ConnectionId,
        viewing: Option<PriorityId>,
        editing: Option<PriorityId>,
    ) {
        self.change(|peers| {
            if let Some(peer) = peers.get_mut(&connection) {
                peer.viewing = viewing;
                peer.editing = editing;
            }
        });
    }

    pub fn leave(&self, connection: ConnectionId) {
        self.change(|peers| {
            peers.remove(&connection);
        });
    }
}
