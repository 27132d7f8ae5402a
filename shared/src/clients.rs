//! Which client ids belong to whom, and which of their mutations are
//! applied: the sequencer's deduplication and client-id ownership, with no
//! I/O, so that the server, its replay of the log and `restore` decide alike.
//!
//! A client id is a random id one browser profile makes for one account.
//! It is bound to the person who first used it (first `hello`, or first
//! entry in the log), and only that person may use it afterwards: the ids
//! are visible in log entries, and before this binding anyone could say
//! `hello` with another person's id, push a huge `seq`, and so make the
//! victim's later pushes be acknowledged as duplicates but never applied.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, Seq, UserId, Version};
use crate::mutation::LogEntry;

/// How far past the last applied seq a push may reach. A client numbers
/// its mutations 1, 2, 3, … and never has anywhere near this many unsent,
/// so a seq further ahead is a broken or hostile client: accepting it would
/// make every later push of that client look like a duplicate.
pub const SEQ_WINDOW: u64 = 1 << 20;

/// One client id: whose it is, and its last applied mutation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRecord {
    pub owner: UserId,
    /// The last applied seq and the version it got; `None` until the first
    /// mutation of this client is applied.
    pub applied: Option<(Seq, Version)>,
}

/// Why a client id or a seq is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientRefusal {
    #[error("this client id belongs to another account")]
    Taken,
    #[error("seq {} is more than {SEQ_WINDOW} ahead of the last applied one ({})", seq.0, last.0)]
    SeqTooFarAhead { seq: Seq, last: Seq },
}

/// What to do with a pushed mutation of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// New: validate it and, if it applies, append it.
    Apply,
    /// Applied before: acknowledge it again with this version.
    AlreadyApplied(Version),
}

/// Every known client id, its owner and its last applied seq.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clients {
    records: HashMap<ClientId, ClientRecord>,
}

impl Clients {
    /// The table after these entries, in log order (a replay of the log).
    pub fn from_log<'a>(entries: impl IntoIterator<Item = &'a LogEntry>) -> Self {
        let mut clients = Self::default();
        for entry in entries {
            clients.record(entry);
        }
        clients
    }

    /// A table as a snapshot stored it.
    pub fn from_records(records: impl IntoIterator<Item = (ClientId, ClientRecord)>) -> Self {
        Self {
            records: records.into_iter().collect(),
        }
    }

    /// Every record, for a snapshot; sorted, so equal tables store alike.
    pub fn records(&self) -> Vec<(ClientId, ClientRecord)> {
        let mut records: Vec<_> = self.records.iter().map(|(c, r)| (*c, *r)).collect();
        records.sort_by_key(|(c, _)| *c);
        records
    }

    pub fn get(&self, client: ClientId) -> Option<&ClientRecord> {
        self.records.get(&client)
    }

    /// `user` starts a connection with `client`: binds the id to them if it
    /// is new. Returns the last applied seq of that client.
    pub fn bind(&mut self, client: ClientId, user: UserId) -> Result<Option<Seq>, ClientRefusal> {
        let record = self.records.entry(client).or_insert(ClientRecord {
            owner: user,
            applied: None,
        });
        if record.owner == user {
            Ok(record.applied.map(|(seq, _)| seq))
        } else {
            Err(ClientRefusal::Taken)
        }
    }

    /// Whether `user` may push `seq` of `client`, and whether it is new.
    /// `current` is the version a mutation older than the last applied one
    /// is acknowledged with (its own version is no longer known).
    pub fn decide(
        &self,
        client: ClientId,
        user: UserId,
        seq: Seq,
        current: Version,
    ) -> Result<Decision, ClientRefusal> {
        let record = self.records.get(&client);
        if record.is_some_and(|r| r.owner != user) {
            return Err(ClientRefusal::Taken);
        }
        let applied = record.and_then(|r| r.applied);
        let last = applied.map_or(Seq(0), |(seq, _)| seq);
        match applied {
            Some((_, version)) if seq == last => Ok(Decision::AlreadyApplied(version)),
            Some(_) if seq < last => Ok(Decision::AlreadyApplied(current)),
            _ if seq.0 > last.0.saturating_add(SEQ_WINDOW) => {
                Err(ClientRefusal::SeqTooFarAhead { seq, last })
            }
            _ => Ok(Decision::Apply),
        }
    }

    /// An entry was applied (or is replayed from the log). The first person
    /// to use a client id owns it; an entry of anyone else under that id (a
    /// store written before ids were bound) does not move its seq, so the
    /// owner's own mutations are never taken for duplicates.
    pub fn record(&mut self, entry: &LogEntry) {
        let record = self.records.entry(entry.client_id).or_insert(ClientRecord {
            owner: entry.actor.user,
            applied: None,
        });
        if record.owner == entry.actor.user {
            record.applied = Some((entry.seq, entry.version));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PriorityId;
    use crate::mutation::{Actor, Mutation, Role};

    fn user(n: u8) -> UserId {
        UserId::from_parts(u64::from(n), [n; 10])
    }

    fn client(n: u8) -> ClientId {
        ClientId::from_parts(u64::from(n), [n; 10])
    }

    fn entry(version: u64, client_id: ClientId, seq: u64, by: UserId) -> LogEntry {
        LogEntry {
            version: Version(version),
            client_id,
            seq: Seq(seq),
            actor: Actor {
                user: by,
                name: "Someone".into(),
                role: Role::Secretariat,
                region: None,
            },
            at_ms: 0,
            mutation: Mutation::MovePriority {
                id: PriorityId::from_parts(1, [1; 10]),
                index: 0,
            },
        }
    }

    #[test]
    fn a_client_id_belongs_to_whoever_used_it_first() {
        let mut clients = Clients::default();
        assert_eq!(clients.bind(client(1), user(1)), Ok(None));
        assert_eq!(clients.bind(client(1), user(2)), Err(ClientRefusal::Taken));
        assert_eq!(
            clients.decide(client(1), user(2), Seq(1), Version(0)),
            Err(ClientRefusal::Taken)
        );
        assert_eq!(
            clients.decide(client(1), user(1), Seq(1), Version(0)),
            Ok(Decision::Apply)
        );
    }

    #[test]
    fn old_seqs_are_duplicates_and_far_ones_are_refused() {
        let mut clients = Clients::default();
        clients.record(&entry(5, client(1), 3, user(1)));
        let decide = |seq| clients.decide(client(1), user(1), Seq(seq), Version(9));
        assert_eq!(decide(3), Ok(Decision::AlreadyApplied(Version(5))));
        assert_eq!(decide(2), Ok(Decision::AlreadyApplied(Version(9))));
        assert_eq!(decide(4), Ok(Decision::Apply));
        assert_eq!(decide(3 + SEQ_WINDOW), Ok(Decision::Apply));
        assert_eq!(
            decide(4 + SEQ_WINDOW),
            Err(ClientRefusal::SeqTooFarAhead {
                seq: Seq(4 + SEQ_WINDOW),
                last: Seq(3)
            })
        );
        // A new client starts at 1: its first seq is bounded too.
        assert!(
            clients
                .decide(client(2), user(1), Seq(SEQ_WINDOW + 1), Version(9))
                .is_err()
        );
    }

    /// A store written before ids were bound may hold another person's
    /// entries under a victim's id with a huge seq: replaying it keeps the
    /// owner's own seq, so the owner's next mutation still applies.
    #[test]
    fn a_replayed_takeover_does_not_swallow_the_owners_mutations() {
        let log = [
            entry(1, client(1), 1, user(1)),
            entry(2, client(1), 1_000_000_000, user(2)),
        ];
        let clients = Clients::from_log(&log);
        assert_eq!(clients.get(client(1)).map(|r| r.owner), Some(user(1)));
        assert_eq!(
            clients.decide(client(1), user(1), Seq(2), Version(2)),
            Ok(Decision::Apply)
        );
        assert_eq!(
            Clients::from_records(clients.records()),
            clients,
            "a snapshot's records give the same table"
        );
    }
}
