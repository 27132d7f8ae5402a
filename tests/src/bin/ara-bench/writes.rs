//! Scenario 1, durable write throughput: 1, 10 and 50 writers, each with one
//! mutation in flight (it pushes, waits for the ack, pushes again), so every
//! counted mutation was acknowledged after the flush that made it durable.
//!
//! Baseline: the raw limit of this disk, a loop that appends the same log
//! entries (same JSON, same keys) to a sled tree opened as the server opens
//! it and flushes after every batch of `n` — the batch the server can form
//! from `n` writers with one mutation each in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ara_shared::Mutation;
use ara_tests::http;
use ara_tests::server::TestServer;

use crate::Plan;
use crate::report::{Report, ratio};
use crate::wire::{self, Conn};

/// (writers, mutations each keeps in flight).
const STEPS: [(usize, usize); 4] = [(1, 1), (10, 1), (50, 1), (50, 10)];
/// Upper bound of mutations per step, whatever the time.
const MAX_MUTATIONS: u64 = 200_000;

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Accepted mutations, flushes and seconds spent flushing so far.
async fn flushes(server: &TestServer) -> (f64, f64, f64) {
    let text = http::get(&server.url, "/metrics", None).await.text();
    (
        metric(&text, "ara_mutations_accepted_total"),
        metric(&text, "ara_flush_seconds_count"),
        metric(&text, "ara_flush_seconds_sum"),
    )
}

/// One writer: renames its own priority with up to `window` mutations in
/// flight (each pushed alone), until told to stop or the step's bound is
/// reached; a mutation counts once its ack arrived.
async fn writer(
    mut conn: Conn,
    window: usize,
    stop: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
) -> anyhow::Result<Conn> {
    let id = wire::new_id();
    let create = conn.envelope(Mutation::CreatePriority {
        id,
        title: "Bench priority".into(),
        horizon: wire::horizon(),
    });
    conn.push_and_wait(vec![create]).await?;
    let mut in_flight = std::collections::VecDeque::new();
    let mut n = 0u64;
    loop {
        while in_flight.len() < window
            && !stop.load(Ordering::Relaxed)
            && done.load(Ordering::Relaxed) < MAX_MUTATIONS
        {
            n += 1;
            let rename = conn.envelope(Mutation::RenamePriority {
                id,
                title: format!("Bench priority, revision {n}"),
            });
            in_flight.push_back(rename.seq);
            conn.send(&ara_shared::protocol::ClientMessage::Push {
                mutations: vec![rename],
            })
            .await?;
        }
        // Acks arrive in the order of the pushes.
        let Some(oldest) = in_flight.pop_front() else {
            break;
        };
        conn.wait_ack(oldest).await?;
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(conn)
}

/// CPU time (user + system) a process has used, from `/proc/PID/stat`.
pub fn cpu_time(pid: &str) -> Duration {
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // Fields after the command name, which is in parentheses.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

pub struct Step {
    pub rate: f64,
    pub batch: f64,
    /// Mean time of one flush in the server.
    pub flush_ms: f64,
    /// Cores busy in the server and in the bench's clients.
    pub server_cores: f64,
    pub client_cores: f64,
}

/// Mutations per second through the server with `n` writers.
async fn server_rate(
    server: &TestServer,
    cookies: &[String],
    n: usize,
    window: usize,
    secs: Duration,
) -> anyhow::Result<Step> {
    let mut conns = Vec::new();
    for cookie in &cookies[..n] {
        conns.push(wire::connect(server, cookie, None).await?.0);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|c| tokio::spawn(writer(c, window, stop.clone(), done.clone())))
        .collect();
    // Let every writer create its priority first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (accepted0, flushes0, flush_secs0) = flushes(server).await;
    let done0 = done.load(Ordering::Relaxed);
    let pid = server.pid().context("server pid")?.to_string();
    let (server_cpu0, client_cpu0) = (cpu_time(&pid), cpu_time("self"));
    let started = Instant::now();
    tokio::time::sleep(secs).await;
    let done1 = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed();
    let (server_cpu1, client_cpu1) = (cpu_time(&pid), cpu_time("self"));
    let (accepted1, flushes1, flush_secs1) = flushes(server).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        tokio::time::timeout(wire::WAIT, task)
            .await
            .context("a writer did not stop")???;
    }
    let wall = elapsed.as_secs_f64();
    Ok(Step {
        rate: (done1 - done0) as f64 / wall,
        batch: (accepted1 - accepted0) / (flushes1 - flushes0).max(1.0),
        flush_ms: 1000.0 * (flush_secs1 - flush_secs0) / (flushes1 - flushes0).max(1.0),
        server_cores: (server_cpu1 - server_cpu0).as_secs_f64() / wall,
        client_cores: (client_cpu1 - client_cpu0).as_secs_f64() / wall,
    })
}

/// Entries per second appended to sled and flushed in batches of `batch`.
fn raw_rate(batch: usize, secs: Duration) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let db = sled::Config::new()
        .path(dir.path())
        .mode(sled::Mode::HighThroughput)
        .open()?;
    let log = db.open_tree("log")?;
    let client = wire::new_client();
    let id = wire::new_id();
    let started = Instant::now();
    let mut version = 0u64;
    while started.elapsed() < secs && version < MAX_MUTATIONS {
        let mut b = sled::Batch::default();
        for _ in 0..batch {
            version += 1;
            let entry = wire::log_entry(
                version,
                client,
                version,
                Mutation::RenamePriority {
                    id,
                    title: format!("Bench priority, revision {version}"),
                },
            );
            b.insert(&version.to_be_bytes(), serde_json::to_vec(&entry)?);
        }
        log.apply_batch(b)?;
        db.flush()?;
    }
    Ok(version as f64 / started.elapsed().as_secs_f64())
}

pub async fn run(plan: &Plan, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("scenario 1: durable write throughput");
    let server = TestServer::start().await;
    let most = STEPS.iter().map(|(n, _)| *n).max().expect("steps");
    let cookies = wire::cookies(&server, most).await;
    for (n, window) in STEPS {
        let step = server_rate(&server, &cookies, n, window, plan.write_secs).await?;
        let (rate, batch) = (step.rate, step.batch);
        let secs = plan.write_secs;
        // The most the server can batch: everything in flight at once.
        let most_batched = n * window;
        let raw = tokio::task::spawn_blocking(move || raw_rate(most_batched, secs)).await??;
        // The same loop with the batch the server actually formed.
        let formed = (batch.round() as usize).max(1);
        let raw_formed = tokio::task::spawn_blocking(move || raw_rate(formed, secs)).await??;
        let target = if n == 50 {
            if rate >= 0.7 * raw {
                "≥ 70 %: met"
            } else {
                "≥ 70 %: MISSED"
            }
        } else {
            "—"
        };
        report.row(
            "1 durable writes",
            format!(
                "{n} writers × {window} in flight: {rate:.0} mutations/s acknowledged (mean {batch:.1} per flush of {:.2} ms; cores busy: server {:.2}, clients {:.2})",
                step.flush_ms, step.server_cores, step.client_cores
            ),
            &format!("sled append + flush, batches of {most_batched}"),
            format!("{raw:.0} entries/s"),
            ratio(rate, raw),
            target,
        );
        report.note(format!(
            "{n} writers × {window} in flight: the raw loop with the batch the server formed ({formed}) wrote {raw_formed:.0} entries/s; the server reached {} of that",
            ratio(rate, raw_formed)
        ));
    }
    Ok(())
}
