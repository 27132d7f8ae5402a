//! The client's copy of the state: confirmed state from the server plus the
//! person's pending mutations on top (Replicache/Linear style rebase).
//!
//! The view a person sees is always `confirmed + pending`. When server entries
//! arrive they are applied to the confirmed state and the pending mutations are
//! re-applied on top; those that no longer apply are dropped and reported.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{ClientId, Seq, Version};
use crate::mutation::{Actor, Context, EntityRef, Envelope, LogEntry, Mutation};
use crate::rejection::Rejection;
use crate::state::State;

/// Someone else's later edit replaced a value this client had written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overwrite {
    pub entity: EntityRef,
    pub field: String,
    /// The value this client had written, which is no longer current.
    pub yours: Value,
    /// The value that replaced it.
    pub theirs: Value,
    pub by: Actor,
    pub version: Version,
    /// The mutation that puts `yours` back, if the field can be restored.
    pub restore: Option<Mutation>,
}

/// What a rebase did that the person should be told about.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rebase {
    /// Pending mutations that no longer apply and were dropped.
    pub rejected: Vec<(Envelope, Rejection)>,
    /// Values of this client that others overwrote.
    pub overwritten: Vec<Overwrite>,
}

/// Server entries did not follow on from the confirmed version: the client
/// must ask for the missing ones (or a snapshot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected version {expected}, got {got}")]
pub struct VersionGap {
    pub expected: Version,
    pub got: Version,
}

/// Confirmed state, its version, and the pending queue. Serialisable so that
/// the browser can persist it and start from it offline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Replica {
    client_id: ClientId,
    actor: Actor,
    next_seq: Seq,
    confirmed: State,
    version: Version,
    pending: Vec<Envelope>,
    /// How many of `pending` have been sent on the current connection.
    #[serde(skip)]
    sent: usize,
    /// Which fields this client wrote last, as the server confirmed them.
    #[serde(with = "last_writes")]
    last_writes: HashMap<(EntityRef, String), Value>,
    #[serde(skip)]
    view: State,
}

impl Replica {
    pub fn new(client_id: ClientId, actor: Actor) -> Self {
        Self {
            client_id,
            actor,
            next_seq: Seq(1),
            confirmed: State::default(),
            version: Version(0),
            pending: Vec::new(),
            sent: 0,
            last_writes: HashMap::new(),
            view: State::default(),
        }
    }

    /// Rebuilds what is not persisted after deserialisation.
    pub fn restored(mut self) -> (Self, Rebase) {
        self.sent = 0;
        let rebase = self.rebuild_view();
        (self, rebase)
    }

    pub fn client_id(&self) -> ClientId {
        self.client_id
    }

    /// The state the person sees: confirmed plus pending.
    pub fn view(&self) -> &State {
        &self.view
    }

    pub fn confirmed(&self) -> &State {
        &self.confirmed
    }

    pub fn version(&self) -> Version {
        self.version
    }

    pub fn pending(&self) -> &[Envelope] {
        &self.pending
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The server told us who we are (role and name may have changed).
    pub fn set_actor(&mut self, actor: Actor) -> Rebase {
        self.actor = actor;
        self.rebuild_view()
    }

    /// Applies a person's edit at once and queues it for the server. A
    /// mutation that is already invalid locally is refused and not queued.
    pub fn propose(&mut self, mutation: Mutation, now_ms: i64) -> Result<Envelope, Rejection> {
        let ctx = Context {
            actor: &self.actor,
            now_ms,
        };
        self.view.apply_untracked(&mutation, &ctx)?;
        let envelope = Envelope {
            client_id: self.client_id,
            seq: self.next_seq,
            mutation,
        };
        self.next_seq = Seq(self.next_seq.0 + 1);
        self.pending.push(envelope.clone());
        Ok(envelope)
    }

    /// Takes back this client's unsent pending mutations from `seq` on, as
    /// if they had never been proposed: `seq` is the next one again. For a
    /// browser tab that proposed tentatively while another tab owns the
    /// queue and decides the order (see the app's `offline::tabs`). Sent
    /// mutations are never taken back.
    pub fn withdraw_from(&mut self, seq: Seq) -> Vec<Envelope> {
        let keep = self
            .pending
            .iter()
            .position(|e| e.seq >= seq)
            .unwrap_or(self.pending.len())
            .max(self.sent);
        let withdrawn = self.pending.split_off(keep.min(self.pending.len()));
        if let Some(first) = withdrawn.first() {
            self.next_seq = first.seq;
            self.rebuild_view();
        }
        withdrawn
    }

    /// Goes on under a new client id, the pending mutations numbered from
    /// 1 again, none of them sent. For a browser whose id the server
    /// refuses as another person's (`client_id_taken`: a store where
    /// someone took the id over before ids were bound to their person);
    /// nothing was applied under that id for this person since, so nothing
    /// pending is lost or applied twice.
    pub fn rekey(&mut self, client_id: ClientId) {
        self.client_id = client_id;
        for (envelope, seq) in self.pending.iter_mut().zip(1..) {
            envelope.client_id = client_id;
            envelope.seq = Seq(seq);
        }
        self.next_seq = Seq(self.pending.len() as u64 + 1);
        self.sent = 0;
    }

    /// Pending mutations not yet sent on this connection; marks them sent.
    pub fn take_unsent(&mut self) -> Vec<Envelope> {
        let unsent = self.pending[self.sent.min(self.pending.len())..].to_vec();
        self.sent = self.pending.len();
        unsent
    }

    /// A new connection: everything pending must be sent again (the server
    /// applies each `(client_id, seq)` once).
    pub fn connection_reset(&mut self) {
        self.sent = 0;
    }

    /// The server says it has applied this client's mutations up to `seq`:
    /// they are in (or will arrive with) the confirmed state.
    pub fn applied_up_to(&mut self, seq: Seq) -> Rebase {
        let before = self.pending.len();
        self.pending.retain(|e| e.seq > seq);
        self.sent = self.sent.saturating_sub(before - self.pending.len());
        self.rebuild_view()
    }

    /// Server log entries in order. Entries at or below the confirmed version
    /// are ignored (delivered twice); a gap is an error and changes nothing.
    pub fn receive_entries(&mut self, entries: &[LogEntry]) -> Result<Rebase, VersionGap> {
        let mut overwritten = Vec::new();
        for entry in entries {
            if entry.version <= self.version {
                continue;
            }
            if entry.version != self.version.next() {
                // What was confirmed so far stays; the view must follow it.
                self.rebuild_view();
                return Err(VersionGap {
                    expected: self.version.next(),
                    got: entry.version,
                });
            }
            overwritten.extend(self.confirm(entry));
        }
        let mut rebase = self.rebuild_view();
        rebase.overwritten = overwritten;
        Ok(rebase)
    }

    /// The server's whole state at `version`, replacing the confirmed state.
    pub fn receive_snapshot(&mut self, version: Version, state: State) -> Rebase {
        self.confirmed = state;
        self.version = version;
        self.rebuild_view()
    }

    /// The server refused one of our mutations: it is dropped, and so is any
    /// unsent mutation that depended on it (reported in the returned rebase).
    pub fn receive_rejection(&mut self, seq: Seq) -> (Option<Envelope>, Rebase) {
        let Some(at) = self.pending.iter().position(|e| e.seq == seq) else {
            return (None, Rebase::default());
        };
        let envelope = self.pending.remove(at);
        if at < self.sent {
            self.sent -= 1;
        }
        (Some(envelope), self.rebuild_view())
    }

    /// Applies one server entry to the confirmed state and reports what of
    /// ours it overwrote.
    fn confirm(&mut self, entry: &LogEntry) -> Vec<Overwrite> {
        self.version = entry.version;
        // The server validated the entry against the same state, so applying
        // it cannot fail unless client and server disagree on the rules; the
        // version still advances so that the log is followed faithfully.
        let Ok(changes) = entry.apply_to(&mut self.confirmed) else {
            return Vec::new();
        };
        let mine = entry.client_id == self.client_id;
        if let Some(at) = self.pending.iter().position(|e| mine && e.seq == entry.seq) {
            self.pending.remove(at);
            if at < self.sent {
                self.sent -= 1;
            }
        }
        let mut overwritten = Vec::new();
        for change in changes {
            let key = (change.entity.clone(), change.field.clone());
            if mine {
                self.last_writes.insert(key, change.new);
            } else if let Some(yours) = self.last_writes.remove(&key)
                && Some(&yours) == change.old.as_ref()
                && yours != change.new
            {
                overwritten.push(Overwrite {
                    restore: restore_in(&self.confirmed, &change.entity, &change.field, &yours),
                    entity: change.entity,
                    field: change.field,
                    yours,
                    theirs: change.new,
                    by: entry.actor.clone(),
                    version: entry.version,
                });
            }
        }
        overwritten
    }

    fn rebuild_view(&mut self) -> Rebase {
        let mut view = self.confirmed.clone();
        let mut rejected = Vec::new();
        let actor = self.actor.clone();
        let sent = self.sent;
        let mut kept = Vec::with_capacity(self.pending.len());
        let mut kept_sent = 0;
        for (i, envelope) in std::mem::take(&mut self.pending).into_iter().enumerate() {
            match view.apply_untracked(
                &envelope.mutation,
                &Context {
                    actor: &actor,
                    now_ms: 0,
                },
            ) {
                Ok(_) => {
                    if i < sent {
                        kept_sent += 1;
                    }
                    kept.push(envelope);
                }
                // A sent mutation stays queued until the server answers for it;
                // an unsent one that cannot apply any more is dropped here.
                Err(_) if i < sent => {
                    kept_sent += 1;
                    kept.push(envelope);
                }
                Err(rejection) => rejected.push((envelope, rejection)),
            }
        }
        self.pending = kept;
        self.sent = kept_sent;
        self.view = view;
        Rebase {
            rejected,
            overwritten: Vec::new(),
        }
    }
}

/// The mutation that writes `value` back into `field`, where one exists:
/// the entity's patch with just that field.
pub fn restore_mutation(entity: &EntityRef, field: &str, value: &Value) -> Option<Mutation> {
    let mut patch = serde_json::Map::new();
    patch.insert(field.to_owned(), value.clone());
    let patch = Value::Object(patch);
    match entity {
        EntityRef::Priority(id) => Some(Mutation::UpdatePriority {
            id: *id,
            patch: serde_json::from_value(patch).ok()?,
        }),
        EntityRef::Region(id) => Some(Mutation::UpdateRegion {
            id: *id,
            patch: serde_json::from_value(patch).ok()?,
        }),
        EntityRef::Conference(id) => Some(Mutation::UpdateConference {
            id: *id,
            patch: serde_json::from_value(patch).ok()?,
        }),
        EntityRef::Meeting(id) => Some(Mutation::UpdateMeeting {
            id: *id,
            patch: serde_json::from_value(patch).ok()?,
        }),
        _ => None,
    }
}

/// [`restore_mutation`], or for reference data, developments and
/// stakeholders (changed only as a whole) the entity as it is now in
/// `state` with `field` set back to `value`.
pub fn restore_in(
    state: &State,
    entity: &EntityRef,
    field: &str,
    value: &Value,
) -> Option<Mutation> {
    if let Some(mutation) = restore_mutation(entity, field, value) {
        return Some(mutation);
    }
    fn with_field<T: Serialize + serde::de::DeserializeOwned>(
        current: &T,
        field: &str,
        value: &Value,
    ) -> Option<T> {
        let mut object = serde_json::to_value(current).ok()?;
        *object.as_object_mut()?.get_mut(field)? = value.clone();
        serde_json::from_value(object).ok()
    }
    match entity {
        EntityRef::TenPoint(n) => Some(Mutation::SetTenPoint {
            point: with_field(state.ten_points.get(n)?, field, value)?,
        }),
        EntityRef::Initiative(code) => Some(Mutation::SetInitiative {
            initiative: with_field(state.initiatives.get(code)?, field, value)?,
        }),
        EntityRef::Development(id) => Some(Mutation::SetDevelopment {
            development: with_field(state.developments.get(id)?, field, value)?,
        }),
        EntityRef::Stakeholder(id) => Some(Mutation::SetStakeholder {
            stakeholder: with_field(state.stakeholders.get(id)?, field, value)?,
        }),
        _ => None,
    }
}

/// JSON maps need string keys; the last writes are stored as a list.
mod last_writes {
    use super::*;
    use serde::{Deserializer, Serializer};

    type Map = HashMap<(EntityRef, String), Value>;

    pub fn serialize<S: Serializer>(map: &Map, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
        let items: Vec<((EntityRef, String), Value)> = Vec::deserialize(d)?;
        Ok(items.into_iter().collect())
    }
}
