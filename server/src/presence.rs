//! Who is connected and what they are looking at or editing. In memory only:
//! presence is ephemeral and never written to the store.

use std::collections::BTreeMap;
use std::sync::Mutex;

use ara_shared::protocol::{Peer, ServerMessage};
use ara_shared::{ClientId, PriorityId};
use axum::extract::ws::Utf8Bytes;
use tokio::sync::broadcast;

/// Presence lists a connection may fall behind; older ones are skipped,
/// since each list replaces the one before.
const BUFFER: usize = 16;

pub struct Presence {
    peers: Mutex<BTreeMap<ClientId, Peer>>,
    updates: broadcast::Sender<Utf8Bytes>,
}

impl Default for Presence {
    fn default() -> Self {
        Self {
            peers: Mutex::default(),
            updates: broadcast::channel(BUFFER).0,
        }
    }
}

impl Presence {
    pub fn subscribe(&self) -> broadcast::Receiver<Utf8Bytes> {
        self.updates.subscribe()
    }

    fn publish(&self, peers: &BTreeMap<ClientId, Peer>) {
        let message = ServerMessage::Presence {
            peers: peers.values().cloned().collect(),
        };
        if let Ok(text) = serde_json::to_string(&message) {
            let _ = self.updates.send(Utf8Bytes::from(text));
        }
    }

    fn change(&self, f: impl FnOnce(&mut BTreeMap<ClientId, Peer>)) {
        // A poisoned lock only means another connection panicked mid-update;
        // presence is advisory, so carry on with what is there.
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut peers);
        self.publish(&peers);
    }

    pub fn join(&self, peer: Peer) {
        self.change(|peers| {
            peers.insert(peer.client_id, peer);
        });
    }

    pub fn update(
        &self,
        client: ClientId,
        viewing: Option<PriorityId>,
        editing: Option<PriorityId>,
    ) {
        self.change(|peers| {
            if let Some(peer) = peers.get_mut(&client) {
                peer.viewing = viewing;
                peer.editing = editing;
            }
        });
    }

    pub fn leave(&self, client: ClientId) {
        self.change(|peers| {
            peers.remove(&client);
        });
    }
}
