//! The replica on this device: starting from the stored copy before the
//! socket opens, and the leader tab's writes after every change (one in
//! flight, then one more with whatever changed meanwhile). The database
//! itself is [`crate::offline::storage`]'s.

use ara_shared::Version;
use ara_shared::account::UserView;
use leptos::prelude::*;

use super::SyncHandle;
use crate::browser::now_ms;
use crate::offline::storage::{self, Storage, StorageProblem};

/// Where the stored copy is: at most one write in flight, and another one
/// after it when the replica changed meanwhile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Saving {
    #[default]
    Idle,
    Writing,
    WritingThenAgain,
}

/// What the handle keeps of this device's store.
#[derive(Default)]
pub(super) struct Persist {
    database: Option<Storage>,
    saving: Saving,
    /// The account whose replica this is, once known.
    account: Option<UserView>,
    /// Whether the stored replica has been looked for.
    restored: bool,
}

impl SyncHandle {
    fn database(&self) -> Option<Storage> {
        self.persist.with_value(|p| p.database.clone())
    }

    /// Opens this device's store and returns the person last signed in on
    /// it, if any (the app then starts as them, offline if need be).
    pub async fn open_storage(&self) -> Option<UserView> {
        match Storage::open().await {
            Ok(database) => {
                let user = database.session().await;
                self.persist.update_value(|p| p.database = Some(database));
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
        if self.persist.with_value(|p| p.restored) {
            return;
        }
        self.persist.update_value(|p| {
            p.restored = true;
            p.account = Some(user.clone());
        });
        let Some(database) = self.database() else {
            return;
        };
        match database.replica(user.id, now_ms()).await {
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

    /// Remembers `user` as the person signed in here, for the next start;
    /// a failure shows at the next write of the replica.
    pub(super) async fn store_session(&self, user: &UserView) {
        if let Some(database) = self.database() {
            let _ = database.save_session(user).await;
        }
    }

    /// Stores the replica, coalescing: one write in flight, then one more
    /// with whatever changed meanwhile. Only the leader writes.
    pub(super) fn save(&self) {
        if !self.is_leader() {
            return;
        }
        let start = self.persist.try_update_value(|p| {
            let start = p.saving == Saving::Idle;
            p.saving = match p.saving {
                Saving::Idle => Saving::Writing,
                Saving::Writing | Saving::WritingThenAgain => Saving::WritingThenAgain,
            };
            start
        });
        if start == Some(true) {
            let this = *self;
            leptos::task::spawn_local(async move { this.write_loop().await });
        }
    }

    async fn write_loop(&self) {
        loop {
            let user = self.account().map(|a| a.id);
            if let (Some(user), Some(database)) = (user, self.database()) {
                let result = match self
                    .replica
                    .with_untracked(|r| storage::encode(r, now_ms()))
                {
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
            let again = self.persist.try_update_value(|p| {
                p.saving = match p.saving {
                    Saving::WritingThenAgain => Saving::Writing,
                    Saving::Idle | Saving::Writing => Saving::Idle,
                };
                p.saving == Saving::Writing
            });
            if again != Some(true) {
                return;
            }
        }
    }

    /// Signing out on purpose: the next start asks for a sign-in, and the
    /// stored replica goes unless it still holds edits not yet sent.
    pub async fn sign_out(&self) {
        let Some(database) = self.database() else {
            return;
        };
        let _ = database.forget_session().await;
        let user = self.account().map(|a| a.id);
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
        if let Some(database) = self.database() {
            let _ = database.forget_session().await;
        }
    }

    /// Whose edits this replica holds (the last account signed in here).
    pub fn account(&self) -> Option<UserView> {
        self.persist.with_value(|p| p.account.clone())
    }
}
