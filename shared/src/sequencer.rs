//! The log's rules, with no I/O and no async: the one place that decides
//! what a pushed mutation becomes and what a log entry must be to be read
//! back. The server's sequencer task (`server/src/sync.rs`) wraps this core
//! with its store, flusher and fan-out; `check`, `restore` and start-up read
//! the log through [`Sequencer::replay`]; the convergence property tests
//! drive the same code instead of a model of the server.
//!
//! What it owns:
//! - **Order.** Each applied mutation gets the next [`Version`], starting
//!   at 1; a log entry read back must carry exactly the version after the
//!   one before it.
//! - **Deduplication and client ids** ([`Clients`]): a client's seq it has
//!   applied before is acknowledged again, not applied; a client id belongs
//!   to the first person who used it.
//! - **Validation** by [`State::apply`]: a pushed mutation is checked with
//!   the actor's permissions; a replayed entry is not (see
//!   [`LogEntry::apply_to`]).
//!
//! It never reads a clock: the caller passes the time an entry is made.

use crate::clients::{ClientRefusal, Clients, Decision};
use crate::ids::{Seq, UserId, Version};
use crate::mutation::{Actor, Change, Context, Envelope, LogEntry};
use crate::rejection::Rejection;
use crate::state::State;

/// The state, its version and the client table: everything the log's rules
/// need to take the next mutation.
#[derive(Clone, Debug, Default)]
pub struct Sequencer {
    state: State,
    version: Version,
    clients: Clients,
}

/// What became of one pushed envelope.
#[derive(Clone, Debug, PartialEq)]
pub enum Pushed {
    /// Applied as the next entry of the log, with what it changed.
    Applied {
        entry: Box<LogEntry>,
        changes: Vec<Change>,
    },
    /// Applied before (a resend after a lost ack): acknowledged again.
    Duplicate { seq: Seq, version: Version },
    /// Refused by the rules; nothing changed.
    Rejected { seq: Seq, rejection: Rejection },
    /// Not this person's client id, or a seq far outside its window.
    Refused(ClientRefusal),
}

/// Why a log entry cannot be read back: the log is damaged or was not
/// written by these rules.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReplayError {
    #[error("entry {found} follows version {after}: the log has a gap or a repeat")]
    OutOfOrder { after: Version, found: Version },
    #[error("log entry {version} does not apply under the rules: {rejection}")]
    Refused {
        version: Version,
        rejection: Rejection,
    },
}

impl Sequencer {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Continues from a snapshot: the state at `version` and its clients.
    pub fn from_snapshot(state: State, version: Version, clients: Clients) -> Self {
        Self {
            state,
            version,
            clients,
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// The version of the last entry (0 for an empty log).
    pub fn version(&self) -> Version {
        self.version
    }

    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    /// `user` connects as `client`, which becomes theirs if it is new.
    /// Returns the last seq of that client that was applied.
    pub fn bind(
        &mut self,
        client: crate::ids::ClientId,
        user: UserId,
    ) -> Result<Option<Seq>, ClientRefusal> {
        self.clients.bind(client, user)
    }

    /// Whether `user` may push `envelope` and whether it is new, without
    /// changing anything (the server looks at its disk between this and
    /// [`Sequencer::apply`]).
    pub fn decide(&self, user: UserId, envelope: &Envelope) -> Result<Decision, ClientRefusal> {
        self.clients
            .decide(envelope.client_id, user, envelope.seq, self.version)
    }

    /// Validates `envelope` as `actor`'s at `at_ms` and, if the rules
    /// allow it, applies it as the next entry. The caller has
    /// [decided](Sequencer::decide) that it is new.
    pub fn apply(
        &mut self,
        actor: &Actor,
        envelope: Envelope,
        at_ms: i64,
    ) -> Result<(LogEntry, Vec<Change>), Rejection> {
        let ctx = Context {
            actor,
            now_ms: at_ms,
        };
        let changes = self.state.apply(&envelope.mutation, &ctx)?;
        self.version = self.version.next();
        let entry = LogEntry {
            version: self.version,
            client_id: envelope.client_id,
            seq: envelope.seq,
            actor: actor.clone(),
            at_ms,
            mutation: envelope.mutation,
        };
        self.clients.record(&entry);
        Ok((entry, changes))
    }

    /// One pushed envelope, decided and (if new and allowed) applied.
    pub fn push(&mut self, actor: &Actor, envelope: Envelope, at_ms: i64) -> Pushed {
        let seq = envelope.seq;
        match self.decide(actor.user, &envelope) {
            Err(refusal) => Pushed::Refused(refusal),
            Ok(Decision::AlreadyApplied(version)) => Pushed::Duplicate { seq, version },
            Ok(Decision::Apply) => match self.apply(actor, envelope, at_ms) {
                Ok((entry, changes)) => Pushed::Applied {
                    entry: Box::new(entry),
                    changes,
                },
                Err(rejection) => Pushed::Rejected { seq, rejection },
            },
        }
    }

    /// Reads one entry of the log back (start-up, `check`, `restore`): it
    /// must be the next version and apply under the rules as logged.
    /// Returns what it changed.
    pub fn replay(&mut self, entry: &LogEntry) -> Result<Vec<Change>, ReplayError> {
        self.replay_with(entry, LogEntry::apply_to)
    }

    /// [`Sequencer::replay`] without working out what changed.
    pub fn replay_untracked(&mut self, entry: &LogEntry) -> Result<(), ReplayError> {
        self.replay_with(entry, LogEntry::apply_untracked_to)
    }

    /// Only the client table learns of `entry`: a store written before
    /// client ids were bound keeps their owners in the log before its
    /// snapshot, which is read for them alone.
    pub fn record_client(&mut self, entry: &LogEntry) {
        self.clients.record(entry);
    }

    /// The next entry, applied to the state by `apply`, then recorded.
    fn replay_with<T>(
        &mut self,
        entry: &LogEntry,
        apply: impl FnOnce(&LogEntry, &mut State) -> Result<T, Rejection>,
    ) -> Result<T, ReplayError> {
        if entry.version != self.version.next() {
            return Err(ReplayError::OutOfOrder {
                after: self.version,
                found: entry.version,
            });
        }
        let applied = apply(entry, &mut self.state).map_err(|rejection| ReplayError::Refused {
            version: entry.version,
            rejection,
        })?;
        self.clients.record(entry);
        self.version = entry.version;
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, PriorityId};
    use crate::mutation::{Mutation, Role};
    use crate::priority::{Horizon, Quarter, Term};
    use crate::rejection::RejectionCode;

    fn actor(n: u8) -> Actor {
        Actor {
            user: UserId::from_parts(u64::from(n), [n; 10]),
            name: format!("Person {n}"),
            role: Role::Secretariat,
            region: None,
        }
    }

    fn create(client: u8, seq: u64, title: &str) -> Envelope {
        Envelope {
            client_id: ClientId::from_parts(u64::from(client), [client; 10]),
            seq: Seq(seq),
            mutation: Mutation::CreatePriority {
                id: PriorityId::from_parts(seq, [client; 10]),
                title: title.into(),
                horizon: Horizon {
                    term: Term::Short,
                    start: Quarter::new(2026, 1).expect("valid"),
                    end: Quarter::new(2026, 2).expect("valid"),
                },
            },
        }
    }

    #[test]
    fn applied_pushes_get_consecutive_versions_and_resends_are_acknowledged_again() {
        let mut core = Sequencer::new();
        let Pushed::Applied { entry, changes } = core.push(&actor(1), create(1, 1, "A"), 5) else {
            panic!("the first push applies");
        };
        assert_eq!((entry.version, entry.at_ms), (Version(1), 5));
        assert!(!changes.is_empty());
        assert!(matches!(
            core.push(&actor(2), create(2, 1, "B"), 6),
            Pushed::Applied { entry, .. } if entry.version == Version(2)
        ));
        assert_eq!(
            core.push(&actor(1), create(1, 1, "A"), 7),
            Pushed::Duplicate {
                seq: Seq(1),
                version: Version(1)
            }
        );
        assert_eq!(core.version(), Version(2));
    }

    #[test]
    fn a_rejected_push_changes_nothing_and_a_taken_client_id_is_refused() {
        let mut core = Sequencer::new();
        let rejected = core.push(&actor(1), create(1, 1, " "), 0);
        assert!(matches!(
            rejected,
            Pushed::Rejected { seq: Seq(1), ref rejection } if rejection.code == RejectionCode::EmptyField
        ));
        assert_eq!(core.version(), Version(0));
        assert!(matches!(
            core.push(&actor(1), create(1, 2, "A"), 0),
            Pushed::Applied { .. }
        ));
        assert_eq!(
            core.push(&actor(2), create(1, 3, "Mine now"), 0),
            Pushed::Refused(ClientRefusal::Taken)
        );
    }

    #[test]
    fn replaying_the_log_rebuilds_the_same_sequencer_and_refuses_gaps() {
        let mut live = Sequencer::new();
        let mut log = Vec::new();
        for (client, seq) in [(1, 1), (2, 1), (1, 2)] {
            if let Pushed::Applied { entry, .. } =
                live.push(&actor(client), create(client, seq, "T"), 9)
            {
                log.push(entry);
            }
        }
        let mut read = Sequencer::new();
        for entry in &log {
            read.replay(entry).expect("the log reads back");
        }
        assert_eq!(read.state(), live.state());
        assert_eq!(read.clients(), live.clients());
        assert_eq!(read.version(), Version(3));

        let mut gap = Sequencer::new();
        assert_eq!(
            gap.replay_untracked(&log[1]),
            Err(ReplayError::OutOfOrder {
                after: Version(0),
                found: Version(2)
            })
        );
    }
}
