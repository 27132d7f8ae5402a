//! The sequencer: one task owns the materialised state, validates each pushed
//! mutation with the rules of `ara-shared`, gives accepted ones the next
//! version and appends them to the log, with what each changed of each
//! entity to the history index. A second task, the flusher, makes
//! what was appended durable — one flush for everything appended since its
//! last one (group commit) — and only then fans the entries out and
//! acknowledges them. The two overlap: while a flush runs, the sequencer
//! already checks and appends the next pushes, and they go out with the
//! next flush.
//!
//! Connections talk to the sequencer through [`Hub`]; all state changes
//! happen in order in [`Sequencer::run`], so no locks are needed around the
//! state. Everything the sequencer answers goes through the flusher, in the
//! order it was decided, so no client sees an outcome before the entries
//! it depends on are durable.
//!
//! Over 800 lines: the hub, the sequencer task and its flusher share one
//! private vocabulary (commands, outcomes, batches) and are read together
//! when reasoning about what is durable when; the rules themselves are in
//! `ara_shared::sequencer`, and about 200 lines are the tests at the end.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use ara_shared::clients::{ClientRefusal, Clients, Decision};
use ara_shared::protocol::{ErrorCode, ServerMessage};
use ara_shared::sequencer::Sequencer as Core;
use ara_shared::{Actor, ClientId, Envelope, LogEntry, Seq, State, UserId, Version};
use axum::extract::ws::Utf8Bytes;
use tokio::sync::{Mutex, broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::history_index::{self, IndexRow};
use crate::metrics::Metrics;
use crate::store::{EncodedEntry, LogStore, Snapshot, StoreError, entries_frame};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Entries in one catch-up frame, so that a long catch-up stays within the
/// protocol's frame limit (a typical entry is about 400 bytes).
const CATCH_UP_CHUNK: usize = 500;
/// Commands taken from the queue for one batch.
const MAX_COMMANDS_PER_BATCH: usize = 1024;
/// A flush that takes longer is reported as stalled.
const FLUSH_STALLED: Duration = Duration::from_secs(10);

/// Batches appended but not yet flushed before the sequencer waits for the
/// flusher: bounds what a slow disk lets pile up.
const MAX_UNFLUSHED_BATCHES: usize = 64;
/// Largest fan-out frame: a flush covering more entries sends several
/// frames, well within the protocol's frame limit.
const FANOUT_FRAME_BYTES: usize = ara_shared::protocol::MAX_FRAME_BYTES / 2;
/// Fan-out messages a connection may fall behind before it is dropped (it
/// then reconnects and catches up), so a slow reader cannot grow memory.
pub const FANOUT_BUFFER: usize = 1024;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What a connection gets when it joins: where the server is, what the
/// client lacks (entries in frames of [`CATCH_UP_CHUNK`], or a snapshot),
/// and a subscription to everything after that point (no gap, no duplicate).
pub struct Joined {
    pub version: Version,
    pub applied_seq: Option<Seq>,
    pub catch_up: Vec<ServerMessage>,
    pub updates: broadcast::Receiver<Utf8Bytes>,
}

/// How the sequencer runs, from the command line.
#[derive(Clone, Copy, Debug)]
pub struct SyncConfig {
    /// Load the demo programme into an empty store.
    pub demo: bool,
    /// Pushes are refused (`storage_full`, nothing saved) while the disk
    /// has less free space than this: sled must never meet a full disk,
    /// after which it accepts no write until reopened.
    pub min_free_bytes: u64,
    /// A snapshot is written after this many new versions.
    pub snapshot_every: u64,
    /// A client more than this many versions behind gets a snapshot of the
    /// state instead of the entries it missed.
    pub catch_up_window: u64,
}

enum Command {
    Join {
        client_id: ClientId,
        user: UserId,
        last_version: Option<Version>,
        reply: oneshot::Sender<Result<Joined, ClientRefusal>>,
    },
    Push {
        actor: Actor,
        envelopes: Vec<Envelope>,
        reply: mpsc::Sender<ServerMessage>,
    },
    Read {
        reply: oneshot::Sender<(Version, State)>,
    },
    Stop {
        reply: oneshot::Sender<()>,
    },
}

/// Handle to the sequencer, cheap to clone into every connection.
#[derive(Clone)]
pub struct Hub {
    commands: mpsc::Sender<Command>,
    task: Arc<Mutex<Option<JoinHandle<SyncResult<()>>>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the sequencer has stopped")]
pub struct HubStopped;

/// Why the sequencer could not start, or stopped: the store failed (the
/// edits since the last flush were not acknowledged), the bundled demo no
/// longer applies, or one of its tasks panicked.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{doing}: {source}")]
    Store {
        doing: &'static str,
        #[source]
        source: StoreError,
    },
    #[error("demo mutation {index} was rejected: {rejection:?}")]
    DemoRefused {
        index: usize,
        rejection: Box<ServerMessage>,
    },
    #[error("the flusher stopped: {0}")]
    FlusherStopped(Box<SyncError>),
    #[error("the {0} task panicked")]
    Panicked(&'static str),
}

impl From<StoreError> for SyncError {
    fn from(source: StoreError) -> Self {
        SyncError::Store {
            doing: "the store",
            source,
        }
    }
}

type SyncResult<T> = Result<T, SyncError>;

/// Why a connection could not join.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error(transparent)]
    Stopped(#[from] HubStopped),
    #[error(transparent)]
    Refused(#[from] ClientRefusal),
}

impl Hub {
    /// Loads the state from the store (and the demo programme into an empty
    /// one when configured), then starts the sequencer task.
    pub async fn start<S: LogStore>(
        store: S,
        config: SyncConfig,
        metrics: Arc<Metrics>,
        shutdown: watch::Receiver<bool>,
    ) -> SyncResult<Self> {
        let mut sequencer = Sequencer::load(
            store,
            config.snapshot_every,
            config.catch_up_window,
            metrics,
        )?;
        sequencer.min_free_bytes = config.min_free_bytes;
        if config.demo && sequencer.core.version() == Version(0) {
            sequencer.load_demo().await?;
        }
        // Everything loaded is durable: the log is this long from the start.
        sequencer
            .metrics
            .log_length
            .store(sequencer.core.version().0, Ordering::Relaxed);
        let (commands, rx) = mpsc::channel(4096);
        let task = tokio::spawn(sequencer.run(rx, shutdown));
        Ok(Self {
            commands,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    /// `user` connects as `client_id`, which must be theirs (or new, and
    /// then becomes theirs).
    pub async fn join(
        &self,
        client_id: ClientId,
        user: UserId,
        last_version: Option<Version>,
    ) -> Result<Joined, JoinError> {
        let (reply, rx) = oneshot::channel();
        self.commands
            .send(Command::Join {
                client_id,
                user,
                last_version,
                reply,
            })
            .await
            .map_err(|_| HubStopped)?;
        Ok(rx.await.map_err(|_| HubStopped)??)
    }

    /// Queues mutations; outcomes arrive on `reply` after they are durable.
    /// Waits when the sequencer is busy, which slows the pushing client only.
    pub async fn push(
        &self,
        actor: Actor,
        envelopes: Vec<Envelope>,
        reply: mpsc::Sender<ServerMessage>,
    ) -> Result<(), HubStopped> {
        self.commands
            .send(Command::Push {
                actor,
                envelopes,
                reply,
            })
            .await
            .map_err(|_| HubStopped)
    }

    /// The current state and its version, for exports.
    pub async fn read(&self) -> Result<(Version, State), HubStopped> {
        let (reply, rx) = oneshot::channel();
        self.commands
            .send(Command::Read { reply })
            .await
            .map_err(|_| HubStopped)?;
        rx.await.map_err(|_| HubStopped)
    }

    /// Finishes queued work, flushes, and waits for the sequencer to end.
    pub async fn stop(&self) -> SyncResult<()> {
        let (reply, rx) = oneshot::channel();
        if self.commands.send(Command::Stop { reply }).await.is_ok() {
            let _ = rx.await;
        }
        if let Some(task) = self.task.lock().await.take() {
            task.await.map_err(|_| SyncError::Panicked("sequencer"))??;
        }
        Ok(())
    }
}

/// What the sequencer did with one pushed envelope, sent once durable.
enum Outcome {
    Accepted {
        seq: Seq,
        version: Version,
    },
    Rejected(ServerMessage),
    /// Not this client's to push: its connection is closed.
    Refused(ClientRefusal),
    /// Not saved for want of disk space: the connection is closed, and the
    /// client sends it again later.
    NoRoom(String),
}

impl Outcome {
    /// The answer to the pusher, once the batch was made durable (`saved`)
    /// or the disk refused it: an accepted edit is acknowledged only when
    /// saved, else told `storage_failed`.
    fn answer(self, saved: bool) -> ServerMessage {
        match self {
            Outcome::Accepted { seq, version } if saved => ServerMessage::Ack { seq, version },
            Outcome::Accepted { .. } => ServerMessage::Error {
                code: ErrorCode::StorageFailed,
                detail: "the server could not save this edit to its disk; it stays with you".into(),
            },
            Outcome::Rejected(message) => message,
            Outcome::Refused(refusal) => ServerMessage::Error {
                code: refusal_code(refusal),
                detail: refusal.to_string(),
            },
            Outcome::NoRoom(detail) => ServerMessage::Error {
                code: ErrorCode::StorageFull,
                detail,
            },
        }
    }
}

type Outcomes = Vec<(mpsc::Sender<ServerMessage>, Outcome)>;

/// What the sequencer hands the flusher, in order.
enum ToFlusher {
    /// Entries appended to the log (maybe none) and the answers to the
    /// pushes of one batch, to publish once durable.
    Batch {
        entries: Vec<EncodedEntry>,
        outcomes: Outcomes,
    },
    /// Answered once everything handed over before it is published.
    Barrier(oneshot::Sender<()>),
}

/// The flusher's end: makes appended entries durable, then publishes them.
struct Flusher<S> {
    store: S,
    fanout: broadcast::Sender<Utf8Bytes>,
    metrics: Arc<Metrics>,
}

impl<S: LogStore> Flusher<S> {
    /// Takes everything queued, flushes once if any of it was appended,
    /// then fans the entries out and answers the pushers, in order.
    async fn run(self, mut rx: mpsc::Receiver<ToFlusher>) -> SyncResult<()> {
        let mut queue = Vec::new();
        while let Some(first) = rx.recv().await {
            queue.push(first);
            while let Ok(more) = rx.try_recv() {
                queue.push(more);
            }
            self.publish(&mut queue).await?;
        }
        Ok(())
    }

    /// Flushes, saying so in the log and `/metrics` (`ara_flush_stalled`,
    /// `/healthz` 503) while a flush takes longer than [`FLUSH_STALLED`]:
    /// sled 0.34 waits, rather than fails, on a disk with no byte left,
    /// and nothing of the batch is acknowledged until it is durable.
    async fn flush_watched(&self) -> Result<(), StoreError> {
        let flush = self.store.flush();
        tokio::pin!(flush);
        let started = Instant::now();
        loop {
            match tokio::time::timeout(FLUSH_STALLED, &mut flush).await {
                Ok(outcome) => {
                    if self.metrics.flush_stalled.swap(0, Ordering::Relaxed) == 1 {
                        tracing::warn!(
                            waited_s = started.elapsed().as_secs(),
                            "the stalled flush completed: edits are saved again"
                        );
                    }
                    return outcome;
                }
                Err(_) => {
                    if self.metrics.flush_stalled.swap(1, Ordering::Relaxed) == 0 {
                        tracing::error!(
                            waited_s = started.elapsed().as_secs(),
                            "a flush of the log has not completed: no edit is acknowledged until it does (is the disk full or failing?)"
                        );
                    }
                }
            }
        }
    }

    async fn publish(&self, queue: &mut Vec<ToFlusher>) -> SyncResult<()> {
        let mut entries = Vec::new();
        let mut outcomes = Vec::new();
        let mut barriers = Vec::new();
        for item in queue.drain(..) {
            match item {
                ToFlusher::Batch {
                    entries: e,
                    outcomes: o,
                } => {
                    entries.extend(e);
                    outcomes.extend(o);
                }
                ToFlusher::Barrier(reply) => barriers.push(reply),
            }
        }
        if let Some(last) = entries.last() {
            let started = Instant::now();
            if let Err(e) = self.flush_watched().await {
                refuse_unsaved(&self.metrics, &e, entries[0].version, outcomes);
                return Err(SyncError::Store {
                    doing: "flushing the log",
                    source: e,
                });
            }
            self.metrics.observe_flush(started.elapsed());
            tracing::debug!(
                version = last.version.0,
                accepted = entries.len(),
                flush_us = started.elapsed().as_micros(),
                "entries durable"
            );
            self.metrics
                .mutations_accepted
                .fetch_add(entries.len() as u64, Ordering::Relaxed);
            self.metrics
                .log_length
                .store(last.version.0, Ordering::Relaxed);
            for frame in fanout_frames(&entries) {
                // No subscribers is fine: nobody is connected.
                let _ = self.fanout.send(Utf8Bytes::from(frame));
            }
        }
        for (reply, outcome) in outcomes {
            let message = outcome.answer(true);
            // A full or closed reply queue means the connection is gone or
            // stuck; the client gets the outcome on its next connection.
            let _ = reply.try_send(message);
        }
        for barrier in barriers {
            let _ = barrier.send(());
        }
        Ok(())
    }
}

/// The disk refused a write: nothing from version `from` on is durable.
/// Each pusher whose edit was accepted is told `storage_failed` instead of
/// an ack and keeps the edit; sled takes no write after a failed one, so
/// the caller stops the sequencer and no edit is taken until a restart
/// (`ara_storage_failed`, `/healthz` 503).
fn refuse_unsaved(metrics: &Metrics, error: &StoreError, from: Version, outcomes: Outcomes) {
    tracing::error!(%error, from_version = from.0, "writing the log failed: the edits since the last flush were not saved; the server accepts no edits until it is restarted (free disk space or fix the disk first)");
    metrics.storage_failed.store(1, Ordering::Relaxed);
    for (reply, outcome) in outcomes {
        let _ = reply.try_send(outcome.answer(false));
    }
}

/// The error code that closes a connection whose client id or seq was
/// refused.
pub fn refusal_code(refusal: ClientRefusal) -> ErrorCode {
    match refusal {
        ClientRefusal::Taken => ErrorCode::ClientIdTaken,
        ClientRefusal::SeqTooFarAhead { .. } => ErrorCode::SeqOutOfWindow,
    }
}

/// `entries` frames for the fan-out of one flush, each at most
/// [`FANOUT_FRAME_BYTES`] (an entry larger than that goes alone).
fn fanout_frames(entries: &[EncodedEntry]) -> Vec<String> {
    // The frame around the entries, and a comma before each but the first.
    let empty = entries_frame(&[]).len();
    let mut frames = Vec::new();
    let mut start = 0;
    let mut bytes = empty;
    for (i, entry) in entries.iter().enumerate() {
        if i > start && bytes + 1 + entry.json.len() > FANOUT_FRAME_BYTES {
            frames.push(entries_frame(&entries[start..i]));
            start = i;
            bytes = empty;
        }
        bytes += usize::from(i > start) + entry.json.len();
    }
    if start < entries.len() {
        frames.push(entries_frame(&entries[start..]));
    }
    frames
}

struct Sequencer<S> {
    store: S,
    /// The log's rules: the state, its version, and whose each client id is
    /// with its last applied seq (a push of an older or equal seq has been
    /// applied already and is only acknowledged).
    core: Core,
    /// The history index rows of the entries accepted and not yet appended.
    index: Vec<IndexRow>,
    fanout: broadcast::Sender<Utf8Bytes>,
    /// To the flusher; `None` once the sequencer has stopped it.
    flusher: Option<mpsc::Sender<ToFlusher>>,
    flusher_task: Option<JoinHandle<SyncResult<()>>>,
    /// A snapshot is written after this many new versions.
    snapshot_every: u64,
    last_snapshot: Version,
    /// See [`SyncConfig::catch_up_window`].
    catch_up_window: u64,
    /// See [`SyncConfig::min_free_bytes`].
    min_free_bytes: u64,
    metrics: Arc<Metrics>,
}

impl<S: LogStore> Sequencer<S> {
    /// The newest snapshot plus the log after it (or the whole log); starts
    /// the flusher, so it must run inside the tokio runtime.
    fn load(
        store: S,
        snapshot_every: u64,
        catch_up_window: u64,
        metrics: Arc<Metrics>,
    ) -> SyncResult<Self> {
        history_index::catch_up(&store)?;
        let mut core = match store.latest_snapshot()? {
            Some(s) if s.clients.is_empty() && !s.legacy_applied.is_empty() => {
                // Written before client ids were bound: the owners are in
                // the log before it, read without replaying the rules.
                let mut core = Core::from_snapshot(s.state, s.version, Clients::default());
                let before = usize::try_from(s.version.0).unwrap_or(usize::MAX);
                store.for_each_after(Version(0), before, |entry| {
                    core.record_client(&entry);
                    Ok(())
                })?;
                core
            }
            Some(s) => Core::from_snapshot(s.state, s.version, Clients::from_records(s.clients)),
            None => Core::new(),
        };
        let from = core.version();
        store.for_each_after(from, usize::MAX, |entry| {
            core.replay_untracked(&entry)
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })?;
        let version = core.version();
        tracing::info!(
            version = version.0,
            snapshot = from.0,
            replayed = version.0 - from.0,
            "state loaded"
        );
        let (fanout, _) = broadcast::channel(FANOUT_BUFFER);
        let (flusher, rx) = mpsc::channel(MAX_UNFLUSHED_BATCHES);
        let flusher_task = tokio::spawn(
            Flusher {
                store: store.clone(),
                fanout: fanout.clone(),
                metrics: metrics.clone(),
            }
            .run(rx),
        );
        Ok(Self {
            store,
            core,
            index: Vec::new(),
            fanout,
            flusher: Some(flusher),
            flusher_task: Some(flusher_task),
            snapshot_every: snapshot_every.max(1),
            last_snapshot: from,
            catch_up_window,
            min_free_bytes: 0,
            metrics,
        })
    }

    /// Whether the disk has room for more edits; `None` if it has, else
    /// why not, for the pushers. Logs when that changes.
    fn lack_of_room(&self) -> Option<String> {
        if self.min_free_bytes == 0 {
            return None;
        }
        let free = self.store.available_bytes()?;
        let full = free < self.min_free_bytes;
        let was_full = self
            .metrics
            .storage_full
            .swap(u64::from(full), Ordering::Relaxed)
            == 1;
        const MB: u64 = 1 << 20;
        if full && !was_full {
            tracing::error!(
                free_mb = free / MB,
                reserve_mb = self.min_free_bytes / MB,
                "the disk is nearly full: edits are refused (storage_full) and stay with the people who made them until there is room"
            );
        } else if !full && was_full {
            tracing::info!(
                free_mb = free / MB,
                "there is room on the disk again: edits are saved"
            );
        }
        full.then(|| {
            format!(
                "the server's disk is nearly full ({} MB free, {} MB kept in reserve); nothing was saved, and your edits stay with you until there is room",
                free / MB,
                self.min_free_bytes / MB
            )
        })
    }

    /// Hands a batch to the flusher; fails if the flusher has failed.
    async fn hand_over(&mut self, item: ToFlusher) -> SyncResult<()> {
        let sent = match &self.flusher {
            Some(flusher) => flusher.send(item).await.is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            Err(self.flusher_failure().await)
        }
    }

    /// Waits until everything handed to the flusher is durable and
    /// published: what a joining client or an export may see.
    async fn settle(&mut self) -> SyncResult<()> {
        let (reply, done) = oneshot::channel();
        self.hand_over(ToFlusher::Barrier(reply)).await?;
        match done.await {
            Ok(()) => Ok(()),
            Err(_) => Err(self.flusher_failure().await),
        }
    }

    /// Why the flusher stopped (its flush failed): the sequencer stops too.
    async fn flusher_failure(&mut self) -> SyncError {
        self.flusher = None;
        match self.flusher_task.take() {
            Some(task) => match task.await {
                Ok(Err(e)) => SyncError::FlusherStopped(Box::new(e)),
                Ok(Ok(())) => SyncError::FlusherStopped(Box::new(SyncError::Panicked("flusher"))),
                Err(_) => SyncError::Panicked("flusher"),
            },
            None => SyncError::FlusherStopped(Box::new(SyncError::Panicked("flusher"))),
        }
    }

    /// Stops the flusher and waits for it: with its channel closed, it still
    /// publishes everything queued before it ends.
    async fn stop_flusher(&mut self) -> SyncResult<()> {
        self.flusher = None;
        if let Some(task) = self.flusher_task.take() {
            task.await.map_err(|_| SyncError::Panicked("flusher"))??;
        }
        Ok(())
    }

    fn snapshot(&mut self) -> SyncResult<()> {
        let version = self.core.version();
        if self.last_snapshot == version {
            return Ok(());
        }
        let snapshot = Snapshot {
            version,
            state: self.core.state().clone(),
            clients: self.core.clients().records(),
            legacy_applied: Vec::new(),
        };
        self.store.write_snapshot(&snapshot)?;
        self.last_snapshot = version;
        tracing::debug!(%version, "snapshot written");
        Ok(())
    }

    /// The demo programme goes through the same path as any client's edits.
    async fn load_demo(&mut self) -> SyncResult<()> {
        let actor = ara_shared::demo::demo_actor();
        let mut entries = Vec::new();
        for (i, envelope) in ara_shared::demo::demo_envelopes(now_ms())
            .into_iter()
            .enumerate()
        {
            match self.accept(&actor, envelope) {
                Ok(entry) => entries.push(entry),
                Err(rejection) => {
                    return Err(SyncError::DemoRefused {
                        index: i,
                        rejection: Box::new(rejection),
                    });
                }
            }
        }
        self.store
            .append(&entries, &std::mem::take(&mut self.index))?;
        self.store.flush().await?;
        tracing::info!(mutations = entries.len(), "demo work programme loaded");
        Ok(())
    }

    /// Validates and applies one envelope the core decided is new; on
    /// success it is the next entry, and its history index rows wait in
    /// `self.index` for the append.
    fn accept(&mut self, actor: &Actor, envelope: Envelope) -> Result<LogEntry, ServerMessage> {
        let seq = envelope.seq;
        match self.core.apply(actor, envelope, now_ms()) {
            Ok((entry, changes)) => {
                self.index
                    .extend(IndexRow::for_entry(entry.version, changes));
                Ok(entry)
            }
            Err(rejection) => Err(ServerMessage::Rejected { seq, rejection }),
        }
    }

    async fn run(
        mut self,
        mut rx: mpsc::Receiver<Command>,
        _shutdown: watch::Receiver<bool>,
    ) -> SyncResult<()> {
        let mut batch = Vec::with_capacity(MAX_COMMANDS_PER_BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < MAX_COMMANDS_PER_BATCH {
                match rx.try_recv() {
                    Ok(command) => batch.push(command),
                    Err(_) => break,
                }
            }
            if self.process(&mut batch).await? {
                break;
            }
        }
        self.stop_flusher().await?;
        // On the way out: a snapshot, so the next start is fast.
        self.snapshot()?;
        self.store.flush().await?;
        Ok(())
    }

    /// Runs one batch of commands in order; returns true on `Stop`.
    async fn process(&mut self, batch: &mut Vec<Command>) -> SyncResult<bool> {
        let mut entries = Vec::new();
        let mut outcomes: Outcomes = Vec::new();
        // Looked at once a batch, when it has a push.
        let mut no_room: Option<Option<String>> = None;
        for command in batch.drain(..) {
            match command {
                Command::Push {
                    actor,
                    envelopes,
                    reply,
                } => {
                    for envelope in envelopes {
                        let seq = envelope.seq;
                        match self.core.decide(actor.user, &envelope) {
                            Ok(Decision::Apply) => {}
                            Ok(Decision::AlreadyApplied(version)) => {
                                outcomes.push((reply.clone(), Outcome::Accepted { seq, version }));
                                continue;
                            }
                            Err(refusal) => {
                                // The connection closes on this; the rest of
                                // its push is refused alike.
                                outcomes.push((reply.clone(), Outcome::Refused(refusal)));
                                continue;
                            }
                        }
                        if let Some(why) = no_room.get_or_insert_with(|| self.lack_of_room()) {
                            self.metrics.storage_refused.fetch_add(1, Ordering::Relaxed);
                            outcomes.push((reply.clone(), Outcome::NoRoom(why.clone())));
                            continue;
                        }
                        match self.accept(&actor, envelope) {
                            Ok(entry) => {
                                outcomes.push((
                                    reply.clone(),
                                    Outcome::Accepted {
                                        seq,
                                        version: entry.version,
                                    },
                                ));
                                entries.push(entry);
                            }
                            Err(rejected) => {
                                outcomes.push((reply.clone(), Outcome::Rejected(rejected)))
                            }
                        }
                    }
                }
                Command::Join {
                    client_id,
                    user,
                    last_version,
                    reply,
                } => {
                    // A joining client must not see entries that are not yet
                    // durable, nor miss any: publish first, then subscribe.
                    self.commit(&mut entries, &mut outcomes).await?;
                    self.settle().await?;
                    let joined = match self.core.bind(client_id, user) {
                        Ok(applied_seq) => Ok(self.join(applied_seq, last_version)?),
                        Err(refusal) => Err(refusal),
                    };
                    let _ = reply.send(joined);
                }
                Command::Read { reply } => {
                    // Exports show only what is durable.
                    self.commit(&mut entries, &mut outcomes).await?;
                    self.settle().await?;
                    let _ = reply.send((self.core.version(), self.core.state().clone()));
                }
                Command::Stop { reply } => {
                    self.commit(&mut entries, &mut outcomes).await?;
                    self.settle().await?;
                    let _ = reply.send(());
                    return Ok(true);
                }
            }
        }
        self.commit(&mut entries, &mut outcomes).await?;
        Ok(false)
    }

    /// Appends the batch's entries to the log and hands them, with the
    /// answers to its pushes, to the flusher, which publishes them once a
    /// flush made them durable.
    async fn commit(
        &mut self,
        entries: &mut Vec<LogEntry>,
        outcomes: &mut Outcomes,
    ) -> SyncResult<()> {
        let rejected = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Rejected(_) | Outcome::Refused(_)))
            .count();
        self.metrics
            .mutations_rejected
            .fetch_add(rejected as u64, Ordering::Relaxed);
        if entries.is_empty() && outcomes.is_empty() {
            return Ok(());
        }
        // Each entry is encoded once, for the log and the fan-out alike.
        let encoded = EncodedEntry::all(entries)?;
        entries.clear();
        if let Err(e) = self
            .store
            .append_encoded(&encoded, &std::mem::take(&mut self.index))
        {
            let from = encoded.first().map_or(self.core.version(), |e| e.version);
            refuse_unsaved(&self.metrics, &e, from, std::mem::take(outcomes));
            return Err(SyncError::Store {
                doing: "appending to the log",
                source: e,
            });
        }
        self.hand_over(ToFlusher::Batch {
            entries: encoded,
            outcomes: std::mem::take(outcomes),
        })
        .await?;
        if self.core.version().0 - self.last_snapshot.0 >= self.snapshot_every {
            self.snapshot()?;
        }
        Ok(())
    }

    fn join(
        &mut self,
        applied_seq: Option<Seq>,
        last_version: Option<Version>,
    ) -> SyncResult<Joined> {
        let updates = self.fanout.subscribe();
        // The whole log is kept (it is the history), so any version can be
        // caught up from entries; past the window a snapshot is cheaper. A
        // client ahead of the server (a store restored from an older backup)
        // starts again from the snapshot. The subscription above is the tail.
        let version = self.core.version();
        let catch_up = match last_version {
            Some(v) if v <= version && version.0 - v.0 <= self.catch_up_window => {
                let mut frames = Vec::new();
                let mut chunk = Vec::new();
                self.store.for_each_after(v, usize::MAX, |entry| {
                    chunk.push(entry);
                    if chunk.len() == CATCH_UP_CHUNK {
                        frames.push(ServerMessage::Entries {
                            entries: std::mem::take(&mut chunk),
                        });
                    }
                    Ok(())
                })?;
                if !chunk.is_empty() || frames.is_empty() {
                    frames.push(ServerMessage::Entries { entries: chunk });
                }
                frames
            }
            _ => vec![ServerMessage::Snapshot {
                version,
                state: Box::new(self.core.state().clone()),
            }],
        };
        Ok(Joined {
            version,
            applied_seq,
            catch_up,
            updates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use ara_shared::{Horizon, Mutation, PriorityId, PriorityStatus, Quarter, Role, Term};

    fn actor() -> Actor {
        Actor {
            user: UserId::from_parts(1, [1; 10]),
            name: "Test".into(),
            role: Role::RegionEditor,
            region: None,
        }
    }

    fn metrics() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    fn mutations(n: u8) -> Vec<Envelope> {
        let client_id = ClientId::from_parts(7, [7; 10]);
        let horizon = Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2026, 4).expect("valid"),
        };
        let mut out = Vec::new();
        for i in 0..n {
            let id = PriorityId::from_parts(u64::from(i), [i; 10]);
            out.push(Mutation::CreatePriority {
                id,
                title: format!("P{i}"),
                horizon,
            });
            out.push(Mutation::RenamePriority {
                id,
                title: format!("Priority {i}"),
            });
            out.push(Mutation::SetPriorityStatus {
                id,
                status: PriorityStatus::Adopted,
            });
            out.push(Mutation::MovePriority { id, index: 0 });
        }
        out.into_iter()
            .enumerate()
            .map(|(i, mutation)| Envelope {
                client_id,
                seq: Seq(i as u64 + 1),
                mutation,
            })
            .collect()
    }

    async fn write_all(seq: &mut Sequencer<Store>, envelopes: Vec<Envelope>) {
        let (reply, _rx) = mpsc::channel(envelopes.len() + 1);
        let mut batch = vec![Command::Push {
            actor: actor(),
            envelopes,
            reply,
        }];
        seq.process(&mut batch).await.expect("batch commits");
        seq.settle().await.expect("batch durable");
    }

    #[tokio::test]
    async fn snapshot_plus_tail_start_up_equals_full_replay() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let mut seq =
            Sequencer::load(store.clone(), 10, 10_000, metrics()).expect("empty store loads");
        for chunk in mutations(9).chunks(5) {
            write_all(&mut seq, chunk.to_vec()).await;
        }
        assert_eq!(seq.core.version(), Version(36));
        assert!(seq.last_snapshot > Version(0), "a snapshot was written");
        assert!(
            seq.last_snapshot < seq.core.version(),
            "there is a tail after it"
        );

        let from_snapshot =
            Sequencer::load(store.clone(), 10, 10_000, metrics()).expect("loads from snapshot");
        store
            .tree("snapshots")
            .expect("tree")
            .clear()
            .expect("clear");
        let full_replay =
            Sequencer::load(store, 10, 10_000, metrics()).expect("loads from the log");
        assert_eq!(from_snapshot.core.state(), seq.core.state());
        assert_eq!(full_replay.core.state(), seq.core.state());
        assert_eq!(from_snapshot.core.version(), full_replay.core.version());
        assert_eq!(from_snapshot.core.clients(), full_replay.core.clients());
    }

    /// A snapshot written before client ids were bound (seqs, no owners)
    /// still loads: the owners come from the log before it, so an upgrade
    /// does not replay the whole log under today's rules.
    #[tokio::test]
    async fn a_snapshot_without_owners_loads_with_the_owners_of_the_log() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let mut seq = Sequencer::load(store.clone(), 1_000, 10_000, metrics()).expect("loads");
        write_all(&mut seq, mutations(2)).await;
        let snapshots = store.tree("snapshots").expect("tree");
        snapshots.clear().expect("clear");
        let legacy = serde_json::json!({
            "version": seq.core.version(),
            "state": seq.core.state(),
            "applied": [[ClientId::from_parts(7, [7; 10]), 8, seq.core.version()]],
        });
        snapshots
            .insert(
                seq.core.version().0.to_be_bytes(),
                serde_json::to_vec(&legacy).expect("json"),
            )
            .expect("insert");
        let loaded = Sequencer::load(store, 1_000, 10_000, metrics()).expect("loads");
        assert_eq!(loaded.core.version(), seq.core.version());
        assert_eq!(loaded.core.clients(), seq.core.clients());
        assert_eq!(
            loaded
                .core
                .clients()
                .get(ClientId::from_parts(7, [7; 10]))
                .map(|r| r.owner),
            Some(actor().user)
        );
    }

    /// Group commit: pushes of several connections taken in one batch are
    /// made durable by a single flush, and each pusher gets its acks.
    #[tokio::test]
    async fn pushes_of_many_connections_share_one_flush() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let mut seq = Sequencer::load(store, 1000, 10_000, metrics()).expect("loads");
        let mut batch = Vec::new();
        let mut replies = Vec::new();
        for (n, chunk) in mutations(3).chunks(4).enumerate() {
            let client_id = ClientId::from_parts(100 + n as u64, [n as u8; 10]);
            let envelopes = chunk
                .iter()
                .map(|e| Envelope {
                    client_id,
                    ..e.clone()
                })
                .collect();
            let (reply, rx) = mpsc::channel(8);
            replies.push(rx);
            batch.push(Command::Push {
                actor: actor(),
                envelopes,
                reply,
            });
        }
        seq.process(&mut batch).await.expect("batch commits");
        seq.settle().await.expect("batch durable");
        let metrics = seq.metrics.render();
        assert!(metrics.contains("ara_flush_seconds_count 1\n"), "{metrics}");
        assert!(
            metrics.contains("ara_mutations_accepted_total 12\n"),
            "{metrics}"
        );
        for mut rx in replies {
            for _ in 0..4 {
                let answer = rx.try_recv().expect("an answer for every push");
                assert!(matches!(answer, ServerMessage::Ack { .. }), "{answer:?}");
            }
        }
    }

    #[tokio::test]
    async fn pushing_the_same_envelope_twice_applies_it_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let mut seq = Sequencer::load(store, 1000, 10_000, metrics()).expect("loads");
        let envelopes = mutations(1);
        write_all(&mut seq, envelopes[..1].to_vec()).await;
        write_all(&mut seq, envelopes[..1].to_vec()).await;
        assert_eq!(seq.core.version(), Version(1));
        assert_eq!(seq.core.state().priorities.len(), 1);
    }

    /// A flush covering many entries fans out in frames within the limit,
    /// every entry once and in order.
    #[test]
    fn fanout_frames_stay_within_the_frame_limit() {
        let title = "x".repeat(2_000);
        let entries: Vec<EncodedEntry> = (1..=1_000u64)
            .map(|v| EncodedEntry {
                version: Version(v),
                json: format!(r#"{{"version":{v},"title":"{title}"}}"#),
            })
            .collect();
        let frames = fanout_frames(&entries);
        assert!(frames.len() > 1, "2 MB of entries need several frames");
        let mut versions = Vec::new();
        for frame in &frames {
            assert!(frame.len() <= FANOUT_FRAME_BYTES, "{} bytes", frame.len());
            let value: serde_json::Value = serde_json::from_str(frame).expect("valid JSON");
            assert_eq!(value["type"], "entries");
            for entry in value["entries"].as_array().expect("entries") {
                versions.push(entry["version"].as_u64().expect("version"));
            }
        }
        assert_eq!(versions, (1..=1_000).collect::<Vec<_>>());
        assert_eq!(fanout_frames(&entries[..1]).len(), 1);
        assert!(fanout_frames(&[]).is_empty());
    }
}
