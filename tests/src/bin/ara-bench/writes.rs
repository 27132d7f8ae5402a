//! Scenario 1, durable write throughput: 1, 10 and 50 writers, each with one
//! mutation in flight (it pushes, waits for the ack, pushes again), and 50
//! with 10 each in flight, so every counted mutation was acknowledged after
//! the flush that made it durable.
//!
//! Two baselines, measured in the same run:
//!
//! - the raw limit of this disk, a loop that appends the same log entries
//!   (same JSON, same keys) to a sled tree opened as the server opens it and
//!   flushes after every batch of `n × window` — the largest batch the
//!   server can form from `n` writers with `window` mutations each in flight;
//! - the limit of this machine for the work the server must do, the minimal
//!   group-commit relay of [`crate::commit_baseline`]: the same clients over
//!   the same WebSocket settings, the same sled log, one flush per batch,
//!   the batch fanned out to every connection and each mutation
//!   acknowledged — without sessions, rules, presence or limits.
//!
//! Each step measures the server and then the relay back to back, so both
//! see the same (shared, noisy) machine.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ara_shared::Mutation;
use ara_tests::http;
use ara_tests::server::TestServer;

use crate::Plan;
use crate::commit_baseline::Relay;
use crate::report::{Report, ratio};
use crate::wire::{self, Conn};

/// (writers, mutations each keeps in flight).
const STEPS: [(usize, usize); 4] = [(1, 1), (10, 1), (50, 1), (50, 10)];
/// The per-connection push limit for this scenario. The default (500 a
/// second after a burst of 2,000) protects the others from one runaway
/// client; it would cap 50 writers at 25,000 mutations/s and measure the
/// limit, not the server.
const PUSH_RATE: &str = "1000000";
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

/// What one step measured.
pub struct Step {
    pub rate: f64,
    /// Cores busy in the process under test (server or relay) and in the
    /// bench's clients.
    pub server_cores: f64,
    pub client_cores: f64,
    /// From the server's metrics; the relay has none.
    pub flushes: Option<Flushes>,
}

pub struct Flushes {
    /// Mean mutations per flush.
    pub batch: f64,
    /// Mean time of one flush.
    pub flush_ms: f64,
}

/// Accepted mutations, flushes and seconds spent flushing so far, when
/// there is a server to ask.
async fn sample(metrics: Option<&TestServer>) -> Option<(f64, f64, f64)> {
    match metrics {
        Some(server) => Some(flushes(server).await),
        None => None,
    }
}

/// Mutations per second acknowledged to `conns` (connected, not yet
/// writing), each a writer with `window` in flight, and the CPU the process
/// `pid` and the bench spent on them; `metrics` is the server whose
/// counters tell the batches it formed.
async fn measure(
    conns: Vec<Conn>,
    pid: &str,
    window: usize,
    secs: Duration,
    metrics: Option<&TestServer>,
) -> anyhow::Result<Step> {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|c| tokio::spawn(writer(c, window, stop.clone(), done.clone())))
        .collect();
    // Let every writer create its priority first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = sample(metrics).await;
    let done0 = done.load(Ordering::Relaxed);
    let (server_cpu0, client_cpu0) = (cpu_time(pid), cpu_time("self"));
    let started = Instant::now();
    tokio::time::sleep(secs).await;
    let done1 = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed();
    let (server_cpu1, client_cpu1) = (cpu_time(pid), cpu_time("self"));
    let after = sample(metrics).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        tokio::time::timeout(wire::WAIT, task)
            .await
            .context("a writer did not stop")???;
    }
    let wall = elapsed.as_secs_f64();
    let flushes = before.zip(after).map(
        |((accepted0, flushes0, flush_secs0), (accepted1, flushes1, flush_secs1))| {
            let count = (flushes1 - flushes0).max(1.0);
            Flushes {
                batch: (accepted1 - accepted0) / count,
                flush_ms: 1000.0 * (flush_secs1 - flush_secs0) / count,
            }
        },
    );
    Ok(Step {
        rate: (done1 - done0) as f64 / wall,
        server_cores: (server_cpu1 - server_cpu0).as_secs_f64() / wall,
        client_cores: (client_cpu1 - client_cpu0).as_secs_f64() / wall,
        flushes,
    })
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
    let pid = server.pid().context("server pid")?.to_string();
    measure(conns, &pid, window, secs, Some(server)).await
}

/// Mutations per second through the minimal relay with `n` writers.
async fn relay_rate(
    relay: &Relay,
    n: usize,
    window: usize,
    secs: Duration,
) -> anyhow::Result<Step> {
    let mut conns = Vec::new();
    for _ in 0..n {
        conns.push(relay.connect().await?);
    }
    measure(conns, &relay.pid()?, window, secs, None).await
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
    // Through the environment, so that `ARA_SERVER_BIN` may name an older
    // build (which has no such option and ignores the variable) for an A/B.
    let server = TestServer::start_with_env(&["--no-demo"], &[("ARA_PUSH_RATE", PUSH_RATE)]).await;
    let relay = Relay::start().await?;
    let most = STEPS.iter().map(|(n, _)| *n).max().expect("steps");
    let cookies = wire::cookies(&server, most).await;
    for (n, window) in STEPS {
        let step = server_rate(&server, &cookies, n, window, plan.write_secs).await?;
        let relayed = relay_rate(&relay, n, window, plan.write_secs).await?;
        let flushes = step.flushes.context("the server's flush metrics")?;
        let (rate, batch) = (step.rate, flushes.batch);
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
        let baseline = format!("sled append + flush, batches of {most_batched}");
        report.row(
            "1 durable writes",
            format!(
                "{n} writers × {window} in flight: {rate:.0} mutations/s acknowledged (mean {batch:.1} per flush of {:.2} ms; cores busy: server {:.2}, clients {:.2})",
                flushes.flush_ms, step.server_cores, step.client_cores
            ),
            &baseline,
            format!("{raw:.0} entries/s"),
            ratio(rate, raw),
            target,
        );
        report.row(
            "1 durable writes",
            format!(
                "{n} writers × {window} in flight through a minimal group-commit relay: {:.0} mutations/s acknowledged (cores busy: relay {:.2}, clients {:.2})",
                relayed.rate, relayed.server_cores, relayed.client_cores
            ),
            &baseline,
            format!("{raw:.0} entries/s"),
            ratio(relayed.rate, raw),
            "—",
        );
        report.note(format!(
            "{n} writers × {window} in flight: the raw loop with the batch the server formed ({formed}) wrote {raw_formed:.0} entries/s; the server reached {} of that",
            ratio(rate, raw_formed)
        ));
        report.note(format!(
            "{n} writers × {window} in flight: ARA Planner reached {} of the minimal group-commit relay (same clients, same sled, same fan-out and acks; no sessions, rules or presence)",
            ratio(rate, relayed.rate)
        ));
    }
    relay.stop().await
}
