//! Scenarios 3, 4 and 5 on large stores.
//!
//! The stores are built the way an operator would: a generated backup file
//! (a 500-priority programme, then renames, moves and summary edits round
//! the programme until the log has N entries) goes through the real
//! binary's `ara-server restore`, which checks every entry under the rules.
//! `restore` writes a snapshot of the last version, which starts load; one
//! more start with the snapshots removed shows what they save (it replays
//! the whole log).
//!
//! - Cold start (4): spawn to "listening", on 10k, 100k and 1M entries.
//!   Baseline: opening the same sled store in this process and decoding its
//!   newest snapshot, without serving.
//! - Catch-up (3): a new client on the largest store (snapshot), and a
//!   client 10,000 versions behind (entries), until its replica is current.
//!   Baseline: decoding and applying the same bytes in this process.
//! - Memory (5): RSS after replaying the largest log and after serving it,
//!   against a fresh idle server.
//! - Space on disk: the store's bytes on disk against its live data, after
//!   `restore`, after `ara-server compact`, and after serving and writing
//!   more, then compacted again ([`space_on_disk`]).
//! - History of one entity (issue 18): `GET /api/history/priority/{id}`
//!   on the largest store, signed in, which reads the per-entity history
//!   index. Baseline: what the endpoint did before the index, a full replay
//!   of the same log in this process (`HistoryReplay` over every entry,
//!   read and decoded from the stopped store's sled log). Also the write
//!   path's added cost per entry: a tracked replay plus the index rows
//!   encoded and written, against an untracked replay of the same log.

use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use ara_shared::clients::ClientRecord;
use ara_shared::history::{HistoryItem, HistoryReplay, entity_changes};
use ara_shared::protocol::ServerMessage;
use ara_shared::{
    Actor, ClientId, EntityRef, LogEntry, Mutation, PriorityId, PriorityPatch, Replica, Role, Seq,
    State, UserId, Version,
};
use ara_tests::server::{TestServer, server_binary};
use serde::Deserialize;

use crate::Plan;
use crate::report::{Report, mib, ms, ratio};
use crate::wire;

const PRIORITIES: u64 = 500;
const BEHIND: u64 = 10_000;
const COLD_STARTS: usize = 3;

/// The server's snapshot record (`server/src/store.rs`), read by the
/// baseline exactly as the server reads it: today's `clients`, and the
/// `applied` of snapshots written before client ids were bound.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Snapshot {
    version: Version,
    state: State,
    #[serde(default)]
    clients: Vec<(ClientId, ClientRecord)>,
    #[serde(default, rename = "applied")]
    legacy_applied: Vec<(ClientId, Seq, Version)>,
}

/// The id of the generated programme's priority `i`.
fn priority_id(i: u64) -> PriorityId {
    PriorityId(uuid::Uuid::from_u128(
        0x0190_0000_0000_7000_8000_0000_0000_0000 + u128::from(i),
    ))
}

fn mutation(i: u64, ids: &[PriorityId]) -> Mutation {
    if i < PRIORITIES {
        return Mutation::CreatePriority {
            id: ids[i as usize],
            title: format!("Priority {i}"),
            horizon: wire::horizon(),
        };
    }
    let id = ids[(i % PRIORITIES) as usize];
    match i % 3 {
        0 => Mutation::RenamePriority {
            id,
            title: format!("Priority {}, revision {i}", i % PRIORITIES),
        },
        1 => Mutation::MovePriority {
            id,
            index: (i % 97) as u32,
        },
        _ => Mutation::UpdatePriority {
            id,
            patch: PriorityPatch {
                summary: Some(format!("Summary as of revision {i}")),
                ..PriorityPatch::default()
            },
        },
    }
}

/// Writes a backup with `n` entries from 50 clients.
fn write_backup(path: &Path, n: u64) -> anyhow::Result<()> {
    let ids: Vec<PriorityId> = (0..PRIORITIES).map(priority_id).collect();
    let clients: Vec<ClientId> = (0..50u128)
        .map(|i| ClientId(uuid::Uuid::from_u128(i + 1)))
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    write!(
        out,
        r#"{{"format":"ara-planner-backup/1","created_ms":0,"version":{n},"entries":["#
    )?;
    for i in 0..n {
        if i > 0 {
            out.write_all(b",")?;
        }
        let client = (i % 50) as usize;
        let entry = wire::log_entry(i + 1, clients[client], i / 50 + 1, mutation(i, &ids));
        serde_json::to_writer(&mut out, &entry)?;
    }
    write!(out, r#"],"users":[]}}"#)?;
    out.flush()?;
    Ok(())
}

/// Builds `dir/data` with `n` entries through `ara-server restore`.
fn build_store(dir: &Path, n: u64) -> anyhow::Result<(Duration, u64)> {
    let file = dir.join("backup.json");
    write_backup(&file, n)?;
    let bytes = std::fs::metadata(&file)?.len();
    let started = Instant::now();
    let out = Command::new(server_binary())
        .arg("restore")
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .output()?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("restore failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::remove_file(&file)?;
    Ok((took, bytes))
}

/// Removes every snapshot (the server is stopped), so that the next start
/// replays the whole log. Snapshots are derived data: nothing is lost.
///
/// The server started next found the data directory in use (debug build,
/// 50,000 entries): sled's background threads still held its file lock
/// after the `Db` was dropped. So the bench's opens have no flusher thread
/// (`flush_every_ms(None)`) and wait for the lock to be released.
fn drop_snapshots(data: &Path) -> anyhow::Result<()> {
    let db = sled::Config::new()
        .path(data)
        .mode(sled::Mode::HighThroughput)
        .flush_every_ms(None)
        .open()?;
    db.open_tree("snapshots")?.clear()?;
    db.flush()?;
    close(db, data)
}

/// Drops `db` and waits (up to 30 s, in steps of 50 ms) until sled's lock
/// on the store's `db` file is free, so that a server can start on it. The
/// bench changed the store behind the server's back: its seal goes, as a
/// store written before the seal would have none (the server would rightly
/// refuse files changed after its clean stop).
fn close(db: sled::Db, data: &Path) -> anyhow::Result<()> {
    drop(db);
    match std::fs::remove_file(data.join("ara-seal.json")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let file = std::fs::File::open(data.join("db"))?;
    for _ in 0..600 {
        match file.try_lock() {
            Ok(()) => return Ok(file.unlock()?),
            Err(std::fs::TryLockError::WouldBlock) => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        }
    }
    bail!("sled still holds the lock of {} after 30 s", data.display())
}

/// Opens the store and decodes its newest snapshot, as the server does at
/// start-up, without serving.
fn open_and_read_snapshot(data: &Path) -> anyhow::Result<(Duration, Version)> {
    let started = Instant::now();
    let db = sled::Config::new()
        .path(data)
        .mode(sled::Mode::HighThroughput)
        .flush_every_ms(None)
        .open()?;
    let snapshots = db.open_tree("snapshots")?;
    let (_, bytes) = snapshots.last()?.context("the store has a snapshot")?;
    let snapshot: Snapshot = serde_json::from_slice(&bytes)?;
    let took = started.elapsed();
    drop(snapshots);
    close(db, data)?;
    Ok((took, snapshot.version))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn replica_actor() -> Actor {
    Actor {
        user: UserId(uuid::Uuid::nil()),
        name: String::new(),
        role: Role::Secretariat,
        region: None,
    }
}

pub async fn run(plan: &Plan, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("scenarios 3, 4, 5: catch-up, cold start and memory on large stores");
    let idle = {
        let server = TestServer::start().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        server.rss_bytes().context("server RSS")?
    };
    let largest = plan.store_sizes[2];
    let mut kept = None;
    for n in plan.store_sizes {
        let dir = tempfile::tempdir()?;
        let path = dir.path().to_path_buf();
        let (restore_took, backup_bytes) =
            tokio::task::spawn_blocking(move || build_store(&path, n)).await??;
        let started = Instant::now();
        let mut server = TestServer::start_in(dir, &["--no-demo"]).await;
        let first_start = started.elapsed();
        let cookie = server.sign_up_secretariat().await;
        server.stop().await;
        // What snapshots save: a start that must replay the whole log.
        let data = server.data_dir();
        tokio::task::spawn_blocking(move || drop_snapshots(&data)).await??;
        server.set_start_timeout(Duration::from_secs(1800));
        let started = Instant::now();
        server.start_again().await;
        let replay = started.elapsed();
        let replay_rss = server.rss_bytes().context("server RSS")?;
        server.stop().await;
        let mut starts = Vec::new();
        let mut opens = Vec::new();
        for _ in 0..COLD_STARTS {
            // On a copy: the server's own start, measured next, then checks
            // its seal against the files it left, as after any clean stop.
            let copy = tempfile::tempdir()?;
            ara_tests::store::copy(&server.data_dir(), copy.path());
            let path = copy.path().to_path_buf();
            let (open, version) =
                tokio::task::spawn_blocking(move || open_and_read_snapshot(&path)).await??;
            if version.0 != n {
                bail!("the newest snapshot is at {version}, the log at {n}");
            }
            opens.push(open);
            let started = Instant::now();
            server.start_again().await;
            starts.push(started.elapsed());
            let health = ara_tests::http::get(&server.url, "/healthz", None).await;
            if health.status != 200 {
                bail!("the server did not serve after its start");
            }
            server.stop().await;
        }
        let (start, open) = (median(starts), median(opens));
        let target = if start < Duration::from_secs(1) {
            "< 1 s: met"
        } else {
            "< 1 s: MISSED"
        };
        report.row(
            "4 cold start",
            format!(
                "{n} entries: {} to serve (median of {COLD_STARTS})",
                ms(start)
            ),
            "open sled + decode newest snapshot",
            ms(open),
            ratio(start.as_secs_f64(), open.as_secs_f64()),
            target,
        );
        report.note(format!(
            "{n} entries: backup {} restored in {} by `ara-server restore` (checks every entry); first start after the restore {}; a start without snapshots, replaying the whole log, {} ({} the cold start)",
            mib(backup_bytes),
            ms(restore_took),
            ms(first_start),
            ms(replay),
            ratio(replay.as_secs_f64(), start.as_secs_f64())
        ));
        if n == largest {
            report.row(
                "5 memory",
                format!(
                    "server RSS after replaying all {n} entries (a start without snapshots): {}",
                    mib(replay_rss)
                ),
                "idle RSS",
                mib(idle),
                ratio(replay_rss as f64, idle as f64),
                "—",
            );
            kept = Some((server, cookie));
        }
    }
    let (mut server, cookie) = kept.context("the largest store")?;
    server.start_again().await;
    catch_up(&server, &cookie, largest, report).await?;
    let served = server.rss_bytes().context("server RSS")?;
    report.row(
        "5 memory",
        format!(
            "server RSS on the {largest}-entry store after the catch-ups: {}",
            mib(served)
        ),
        "idle RSS",
        mib(idle),
        ratio(served as f64, idle as f64),
        "—",
    );
    server.stop().await;
    history_of_one_priority(&mut server, &cookie, report).await?;
    space_on_disk(plan, report).await?;
    Ok(())
}

/// Edits the server takes after a compaction, before the store is measured
/// again: what "has run and written more" means here.
const WRITTEN_AFTER: u64 = 10_000;

/// The bytes of the data a store holds: the sum of key and value lengths
/// over all its trees (log entries, snapshots and accounts as stored). What
/// sled needs beyond that on disk is its space amplification.
fn live_bytes(data: &Path) -> anyhow::Result<u64> {
    let db = sled::Config::new()
        .path(data)
        .mode(sled::Mode::HighThroughput)
        .flush_every_ms(None)
        .open()?;
    let mut total = 0;
    for name in db.tree_names() {
        for item in db.open_tree(name)?.iter() {
            let (key, value) = item?;
            total += (key.len() + value.len()) as u64;
        }
    }
    close(db, data)?;
    Ok(total)
}

/// `ara-server compact` on a stopped store; returns how long it took.
fn compact(data: &Path) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let out = Command::new(server_binary())
        .arg("compact")
        .arg("--data-dir")
        .arg(data)
        .output()?;
    if !out.status.success() {
        bail!("compact failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(started.elapsed())
}

/// One row: the store's bytes on disk against its live data. Measures the
/// disk first: opening the store with sled to count the live data writes.
async fn space_row(report: &mut Report, data: &Path, what: String) -> anyhow::Result<()> {
    let disk = ara_tests::store::bytes_on_disk(data);
    let path = data.to_path_buf();
    let live = tokio::task::spawn_blocking(move || live_bytes(&path)).await??;
    report.row(
        "space on disk",
        format!("{what}: {} on disk", mib(disk)),
        "live data (key + value bytes of all trees)",
        mib(live),
        ratio(disk as f64, live as f64),
        "—",
    );
    Ok(())
}

/// Space amplification at each store size: after `restore`, after
/// `compact`, after the server ran and took [`WRITTEN_AFTER`] more edits,
/// and after compacting that.
async fn space_on_disk(plan: &Plan, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("space on disk: sled's files against the live data, and `ara-server compact`");
    for n in plan.store_sizes {
        let dir = tempfile::tempdir()?;
        let path = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || build_store(&path, n)).await??;
        let data = dir.path().join("data");
        space_row(report, &data, format!("{n} entries, restored")).await?;
        let path = data.clone();
        let first = tokio::task::spawn_blocking(move || compact(&path)).await??;
        space_row(report, &data, format!("{n} entries, compacted")).await?;

        let mut server = TestServer::start_in(dir, &["--no-demo"]).await;
        let cookie = server.sign_up_secretariat().await;
        let (mut conn, snapshot, _) = wire::connect(&server, &cookie, None).await?;
        let ServerMessage::Snapshot { state, .. } = snapshot else {
            bail!("a new client gets a snapshot");
        };
        let ids = state.programme_order;
        for chunk in 0..WRITTEN_AFTER / 500 {
            let batch = (0..500)
                .map(|i| {
                    let k = chunk * 500 + i;
                    conn.envelope(Mutation::RenamePriority {
                        id: ids[(k % ids.len() as u64) as usize],
                        title: format!("Written after the compaction {k}"),
                    })
                })
                .collect();
            conn.push_and_wait(batch).await?;
        }
        drop(conn);
        server.stop().await;
        let total = n + WRITTEN_AFTER;
        space_row(
            report,
            &data,
            format!("{total} entries, served and {WRITTEN_AFTER} written after compacting"),
        )
        .await?;
        let path = data.clone();
        let second = tokio::task::spawn_blocking(move || compact(&path)).await??;
        space_row(report, &data, format!("{total} entries, compacted again")).await?;
        report.note(format!(
            "{n} entries: `ara-server compact` took {} (checks the old store on a copy, the log through the backup check, the new store), {} for {total} entries",
            ms(first),
            ms(second)
        ));
    }
    Ok(())
}

const HISTORY_REQUESTS: usize = 5;

/// One priority's history through the server (the index), against a full
/// replay of the same log in this process; then the write path's added cost.
async fn history_of_one_priority(
    server: &mut TestServer,
    cookie: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let entity = EntityRef::Priority(priority_id(0));
    server.start_again().await;
    let path = format!("/api/history/priority/{}", priority_id(0));
    let mut took = Vec::new();
    let mut served: Vec<HistoryItem> = Vec::new();
    for _ in 0..HISTORY_REQUESTS {
        let started = Instant::now();
        let response = ara_tests::http::get(&server.url, &path, Some(cookie)).await;
        took.push(started.elapsed());
        if response.status != 200 {
            bail!("history answered {}: {}", response.status, response.text());
        }
        served = response.json();
    }
    server.stop().await;
    let took = median(took);
    let data = server.data_dir();
    let (replayed, base, entries) = {
        let entity = entity.clone();
        let data = data.clone();
        tokio::task::spawn_blocking(move || replay_history(&data, entity)).await??
    };
    if served != replayed {
        bail!(
            "the served history ({} items) differs from the full replay's ({})",
            served.len(),
            replayed.len()
        );
    }
    report.row(
        "7 history",
        format!(
            "one priority's history ({} items) on {entries} entries through the server: {} (median of {HISTORY_REQUESTS})",
            served.len(),
            ms(took)
        ),
        "full replay of the same log in-process (HistoryReplay)",
        ms(base),
        // Far below 0.01×, which `ratio` would print as 0.00×.
        format!("1/{:.0}×", base.as_secs_f64() / took.as_secs_f64()),
        "—",
    );
    let (untracked, indexed, rows, bytes) =
        tokio::task::spawn_blocking(move || index_cost(&data)).await??;
    let per_entry = |d: Duration| d.as_secs_f64() * 1e6 / entries as f64;
    report.note(format!(
        "write path on {entries} entries: decode + untracked replay {} ({:.2} µs/entry); decode + tracked replay + history index rows encoded and written to sled {} ({:.2} µs/entry): the index adds {:.2} µs per appended entry, {rows} rows, {} of index",
        ms(untracked),
        per_entry(untracked),
        ms(indexed),
        per_entry(indexed),
        per_entry(indexed) - per_entry(untracked),
        mib(bytes)
    ));
    Ok(())
}

fn open_log(data: &Path) -> anyhow::Result<sled::Tree> {
    let db = sled::Config::new()
        .path(data)
        .mode(sled::Mode::HighThroughput)
        .flush_every_ms(None)
        .open()?;
    Ok(db.open_tree("log")?)
}

/// Every entry of the stopped store's log, decoded, in order.
fn for_each_entry(log: &sled::Tree, mut visit: impl FnMut(LogEntry)) -> anyhow::Result<()> {
    for item in log.iter() {
        let (_, value) = item?;
        visit(serde_json::from_slice(&value)?);
    }
    Ok(())
}

/// What the history endpoint did before the index: the whole log read,
/// decoded and replayed for one entity.
fn replay_history(
    data: &Path,
    entity: EntityRef,
) -> anyhow::Result<(Vec<HistoryItem>, Duration, u64)> {
    let log = open_log(data)?;
    let started = Instant::now();
    let mut replay = HistoryReplay::new(entity);
    let mut entries = 0;
    for_each_entry(&log, |entry| {
        entries += 1;
        replay.feed(&entry);
    })?;
    let items = replay.finish();
    Ok((items, started.elapsed(), entries))
}

/// The sequencer's work per entry without and with the history index:
/// an untracked replay, against a tracked one whose changes are grouped
/// by `entity_changes`, encoded as the server's index rows are (entity
/// JSON, 0, big-endian version → JSON field changes) and written to a
/// scratch sled tree in batches. Returns both times, the rows and their
/// bytes.
fn index_cost(data: &Path) -> anyhow::Result<(Duration, Duration, u64, u64)> {
    let log = open_log(data)?;
    let mut state = State::default();
    let started = Instant::now();
    for_each_entry(&log, |entry| {
        let _ = entry.apply_untracked_to(&mut state);
    })?;
    let untracked = started.elapsed();

    let scratch = tempfile::tempdir()?;
    let index = sled::Config::new()
        .path(scratch.path())
        .mode(sled::Mode::HighThroughput)
        .open()?
        .open_tree("history_index")?;
    let mut state = State::default();
    let (mut rows, mut bytes) = (0u64, 0u64);
    let mut batch = sled::Batch::default();
    let mut failed = None;
    let started = Instant::now();
    for_each_entry(&log, |entry| {
        let Ok(changes) = entry.apply_to(&mut state) else {
            return;
        };
        // As the server: the programme's order is not indexed.
        for (entity, fields) in entity_changes(changes)
            .into_iter()
            .filter(|(e, _)| *e != EntityRef::Programme)
        {
            let mut key = serde_json::to_vec(&entity).expect("an entity encodes");
            key.push(0);
            key.extend_from_slice(&entry.version.0.to_be_bytes());
            let value = serde_json::to_vec(&fields).expect("JSON values encode");
            rows += 1;
            bytes += (key.len() + value.len()) as u64;
            batch.insert(key, value);
        }
        if entry.version.0 % 500 == 0
            && let Err(e) = index.apply_batch(std::mem::take(&mut batch))
        {
            failed.get_or_insert(e);
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    index.apply_batch(batch)?;
    let indexed = started.elapsed();
    Ok((untracked, indexed, rows, bytes))
}

async fn catch_up(
    server: &TestServer,
    cookie: &str,
    n: u64,
    report: &mut Report,
) -> anyhow::Result<()> {
    // A new client: snapshot. The median of three, as a single connection
    // (the first on a freshly opened store) is at the mercy of the machine.
    let mut took = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let (conn, snapshot, bytes) = wire::connect(server, cookie, None).await?;
        let ServerMessage::Snapshot { version, state } = snapshot else {
            bail!("a new client gets a snapshot");
        };
        let mut replica = Replica::new(conn.client_id, replica_actor());
        replica.receive_snapshot(version, *state.clone());
        took.push(started.elapsed());
        drop(conn);
        last = Some((version, state, bytes));
    }
    let took = median(took);
    let (version, state, bytes) = last.context("three connections")?;
    let text = serde_json::to_string(&ServerMessage::Snapshot {
        version,
        state: state.clone(),
    })?;
    let base_started = Instant::now();
    let decoded: ServerMessage = serde_json::from_str(&text)?;
    if let ServerMessage::Snapshot { version, state } = decoded {
        Replica::new(ClientId(uuid::Uuid::nil()), replica_actor())
            .receive_snapshot(version, *state);
    }
    let base = base_started.elapsed();
    report.row(
        "3 catch-up",
        format!(
            "new client on {n} entries: {} until current (snapshot {}; median of 3)",
            ms(took),
            mib(bytes as u64)
        ),
        "decode + apply the same snapshot in-process",
        ms(base),
        ratio(took.as_secs_f64(), base.as_secs_f64()),
        "—",
    );

    // A client 10,000 versions behind: it holds the state at `version`
    // while ten writers add 10,000 entries.
    let behind_at = version;
    let behind_state = *state;
    let mut writers = Vec::new();
    for _ in 0..10 {
        writers.push(wire::connect(server, cookie, None).await?.0);
    }
    let ids: Vec<PriorityId> = behind_state.programme_order.clone();
    let per_writer = BEHIND / 10;
    let mut tasks = Vec::new();
    for (w, mut conn) in writers.into_iter().enumerate() {
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            for chunk in 0..per_writer / 500 {
                let batch = (0..500)
                    .map(|i| {
                        let k = chunk * 500 + i;
                        conn.envelope(Mutation::RenamePriority {
                            id: ids[((w as u64 * 37 + k) % ids.len() as u64) as usize],
                            title: format!("Offline edit {w}-{k}"),
                        })
                    })
                    .collect();
                conn.push_and_wait(batch).await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let mut replica = Replica::new(wire::new_client(), replica_actor());
    replica.receive_snapshot(behind_at, behind_state.clone());
    let started = Instant::now();
    let (mut conn, first, mut bytes) = wire::connect(server, cookie, Some(behind_at)).await?;
    let ServerMessage::Entries { entries } = first else {
        bail!("a client {BEHIND} behind gets entries");
    };
    // The server sends the tail in frames of a bounded size: read them all.
    let target = behind_at.0 + BEHIND;
    let mut frames = Vec::new();
    let mut next = Some(entries);
    while let Some(entries) = next.take() {
        replica
            .receive_entries(&entries)
            .map_err(|g| anyhow::anyhow!("gap: {g:?}"))?;
        frames.push(entries);
        while replica.version().0 < target && next.is_none() {
            if let (ServerMessage::Entries { entries }, size) = conn.recv().await? {
                bytes += size;
                next = Some(entries);
            }
        }
    }
    let took = started.elapsed();
    drop(conn);
    if replica.version().0 != target {
        bail!(
            "the client is at {} after catching up from {behind_at}",
            replica.version()
        );
    }
    let texts = frames
        .into_iter()
        .map(|entries| serde_json::to_string(&ServerMessage::Entries { entries }))
        .collect::<Result<Vec<_>, _>>()?;
    let mut again = Replica::new(wire::new_client(), replica_actor());
    again.receive_snapshot(behind_at, behind_state);
    let base_started = Instant::now();
    for text in &texts {
        if let ServerMessage::Entries { entries } = serde_json::from_str(text)? {
            again
                .receive_entries(&entries)
                .map_err(|g| anyhow::anyhow!("gap: {g:?}"))?;
        }
    }
    let base = base_started.elapsed();
    report.row(
        "3 catch-up",
        format!(
            "client {BEHIND} versions behind: {} until current (entries {})",
            ms(took),
            mib(bytes as u64)
        ),
        "decode + apply the same entries in-process",
        ms(base),
        ratio(took.as_secs_f64(), base.as_secs_f64()),
        "—",
    );
    Ok(())
}
