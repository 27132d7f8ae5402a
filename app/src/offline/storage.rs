//! IndexedDB, the browser's durable store: the last signed-in person (so
//! that the app can start without the server) and, per account, the replica
//! (confirmed state, its version and the pending queue, with this browser's
//! client id and seq counter).
//!
//! One database `ara-planner` with one object store of JSON strings by key.
//! Every failure is typed, so that the person can be told what it means for
//! their unsent edits: IndexedDB missing or refused, or the quota full.
//!
//! Knows nothing of the rest of the app (`sync` → `offline`): the caller
//! gives the time.

use ara_shared::account::UserView;
use ara_shared::{Replica, UserId};
use gloo_events::EventListener;
use js_sys::{Function, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "ara-planner";
const DB_VERSION: u32 = 1;
const RECORDS: &str = "records";
const SESSION_KEY: &str = "session";
/// Bumped when the stored replica's shape changes incompatibly.
const FORMAT: u32 = 1;

/// Why the browser would not store something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageProblem {
    /// No IndexedDB, or the browser refuses it (private window, policy).
    Unavailable,
    /// The quota for this site is used up.
    Full,
    /// A stored replica could not be read (another app version's format);
    /// it is kept aside, not overwritten.
    Unreadable,
}

/// The last person signed in on this browser, for an offline start.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredSession {
    user: UserView,
}

#[derive(Deserialize)]
struct StoredReplica {
    format: u32,
    replica: Replica,
}

/// What is written: the same shape, borrowing the replica.
#[derive(Serialize)]
struct StoringReplica<'a> {
    format: u32,
    saved_at_ms: i64,
    replica: &'a Replica,
}

/// The stored form of `replica` as of `now_ms`, made while the caller holds it.
pub fn encode(replica: &Replica, now_ms: i64) -> Result<String, StorageProblem> {
    serde_json::to_string(&StoringReplica {
        format: FORMAT,
        saved_at_ms: now_ms,
        replica,
    })
    .map_err(|_| StorageProblem::Unavailable)
}

/// The open database.
#[derive(Clone)]
pub struct Storage {
    db: IdbDatabase,
}

/// Waits for an IndexedDB request; its result on success.
async fn finish(request: &IdbRequest) -> Result<JsValue, StorageProblem> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => request.result().map_err(|_| StorageProblem::Unavailable),
        Err(_) => Err(problem_of(request.error().ok().flatten())),
    }
}

/// Waits until a write transaction is durable (or says why it is not).
async fn committed(transaction: &IdbTransaction) -> Result<(), StorageProblem> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onerror(Some(&reject));
        transaction.set_onabort(Some(&reject));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| problem_of(transaction.error()))
}

fn problem_of(error: Option<web_sys::DomException>) -> StorageProblem {
    match error.map(|e| e.name()) {
        Some(name) if name == "QuotaExceededError" => StorageProblem::Full,
        _ => StorageProblem::Unavailable,
    }
}

fn replica_key(user: UserId) -> String {
    format!("replica:{}", user.0)
}

impl Storage {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StorageProblem> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or(StorageProblem::Unavailable)?;
        let request: IdbOpenDbRequest = factory
            .open_with_u32(DB_NAME, DB_VERSION)
            .map_err(|_| StorageProblem::Unavailable)?;
        // Held until the database is open: the upgrade comes before success.
        let _upgrade = EventListener::once(&request, "upgradeneeded", |event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db
                && !db.object_store_names().contains(RECORDS)
            {
                let _ = db.create_object_store(RECORDS);
            }
        });
        let db = finish(&request)
            .await?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| StorageProblem::Unavailable)?;
        Ok(Self { db })
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, StorageProblem> {
        self.db
            .transaction_with_str_and_mode(RECORDS, mode)
            .map_err(|_| StorageProblem::Unavailable)
    }

    async fn get(&self, key: &str) -> Result<Option<String>, StorageProblem> {
        let transaction = self.transaction(IdbTransactionMode::Readonly)?;
        let store = transaction
            .object_store(RECORDS)
            .map_err(|_| StorageProblem::Unavailable)?;
        let request = store
            .get(&JsValue::from_str(key))
            .map_err(|_| StorageProblem::Unavailable)?;
        Ok(finish(&request).await?.as_string())
    }

    async fn put(&self, key: &str, value: &str) -> Result<(), StorageProblem> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let store = transaction
            .object_store(RECORDS)
            .map_err(|_| StorageProblem::Unavailable)?;
        store
            .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
            .map_err(|e| problem_of(e.dyn_into().ok()))?;
        committed(&transaction).await
    }

    async fn delete(&self, key: &str) -> Result<(), StorageProblem> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let store = transaction
            .object_store(RECORDS)
            .map_err(|_| StorageProblem::Unavailable)?;
        store
            .delete(&JsValue::from_str(key))
            .map_err(|_| StorageProblem::Unavailable)?;
        committed(&transaction).await
    }

    /// The person last signed in on this browser, if any.
    pub async fn session(&self) -> Option<UserView> {
        let text = self.get(SESSION_KEY).await.ok()??;
        serde_json::from_str::<StoredSession>(&text)
            .ok()
            .map(|s| s.user)
    }

    pub async fn save_session(&self, user: &UserView) -> Result<(), StorageProblem> {
        let text = serde_json::to_string(&StoredSession { user: user.clone() })
            .map_err(|_| StorageProblem::Unavailable)?;
        self.put(SESSION_KEY, &text).await
    }

    /// After signing out: the next start asks for a sign-in. The person's
    /// replica stays while it holds unsent edits.
    pub async fn forget_session(&self) -> Result<(), StorageProblem> {
        self.delete(SESSION_KEY).await
    }

    /// The stored replica of `user`, ready to use. A record this version of
    /// the app cannot read is moved aside (never overwritten), under a key
    /// with `now_ms`, and reported.
    pub async fn replica(
        &self,
        user: UserId,
        now_ms: i64,
    ) -> Result<Option<Replica>, StorageProblem> {
        let key = replica_key(user);
        let Some(text) = self.get(&key).await? else {
            return Ok(None);
        };
        match serde_json::from_str::<StoredReplica>(&text) {
            Ok(stored) if stored.format == FORMAT => Ok(Some(stored.replica.restored().0)),
            _ => {
                let aside = format!("{key}:unreadable:{now_ms}");
                self.put(&aside, &text).await?;
                self.delete(&key).await?;
                Err(StorageProblem::Unreadable)
            }
        }
    }

    /// Stores a replica [`encode`]d for `user`, durably, replacing the
    /// previous one.
    pub async fn save(&self, user: UserId, encoded: &str) -> Result<(), StorageProblem> {
        self.put(&replica_key(user), encoded).await
    }

    /// Removes `user`'s replica (signing out with nothing left to send).
    pub async fn remove(&self, user: UserId) -> Result<(), StorageProblem> {
        self.delete(&replica_key(user)).await
    }
}
