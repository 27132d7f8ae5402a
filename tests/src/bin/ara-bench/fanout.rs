//! Scenario 2, fan-out latency: 200 connected clients, 10 of them writers at
//! 200 mutations per second in total; the time from a write to its arrival
//! at every other client. Memory (scenario 5) is read on the same server:
//! idle, then with the 200 clients.
//!
//! Two alternating rounds of each (baseline first), their samples pooled.
//!
//! Baseline: a minimal tokio-tungstenite broadcast server (this binary, in a
//! child process like the real server) that relays each writer's frame to
//! every connection without sessions, validation, a log or a flush, driven
//! by the same clients with the same frames.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use ara_shared::Mutation;
use ara_shared::protocol::ClientMessage;
use ara_tests::server::TestServer;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::Plan;
use crate::report::{Report, mib, ms, percentile, ratio};
use crate::wire::{self, Socket};

pub const BASELINE_SERVER: &str = "__fanout-baseline-server";
const CLIENTS: usize = 200;
const WRITERS: usize = 10;
const RATE_PER_SECOND: u64 = 200;
const WARM_UP: Duration = Duration::from_secs(1);
/// Rounds of each, alternating.
const ROUNDS: usize = 2;

/// A sync connection, retried while the slots of closed ones are released.
async fn connect_retrying(server: &TestServer, cookie: &str) -> anyhow::Result<wire::Conn> {
    let mut last = None;
    for _ in 0..50 {
        match wire::connect(server, cookie, None).await {
            Ok((conn, _, _)) => return Ok(conn),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last.context("no attempt")?)
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_us() -> u64 {
    epoch().elapsed().as_micros() as u64
}

/// The marker a writer puts in each title: `b<writer>:<micros since epoch>`.
fn marker(writer: usize) -> String {
    format!("b{writer}:{}", now_us())
}

/// Latencies (µs) of every marker in `text` written by another client.
fn record(text: &str, me: usize, after_us: u64, samples: &mut Vec<u32>) {
    let now = now_us();
    for part in text.split(r#""title":"b"#).skip(1) {
        let Some((writer, rest)) = part.split_once(':') else {
            continue;
        };
        let Some(sent) = rest.split('"').next().and_then(|s| s.parse::<u64>().ok()) else {
            continue;
        };
        if writer.parse::<usize>().ok() == Some(me) || sent < after_us {
            continue;
        }
        samples.push(u32::try_from(now.saturating_sub(sent)).unwrap_or(u32::MAX));
    }
}

async fn reader(
    mut stream: SplitStream<Socket>,
    me: usize,
    after_us: u64,
    stop: Arc<AtomicBool>,
) -> Vec<u32> {
    let mut samples = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match tokio::time::timeout(Duration::from_millis(200), stream.next()).await {
            Err(_) => {}
            Ok(Some(Ok(Message::Text(text)))) => record(&text, me, after_us, &mut samples),
            Ok(Some(Ok(_))) => {}
            Ok(_) => break,
        }
    }
    samples
}

/// Sends one rename a tick until `until`; `priority` is `None` for the
/// baseline, which relays any frame.
async fn writer(
    mut sink: SplitSink<Socket, Message>,
    me: usize,
    client_id: ara_shared::ClientId,
    first_seq: u64,
    priority: ara_shared::PriorityId,
    until: Instant,
) -> anyhow::Result<()> {
    let period = Duration::from_micros(1_000_000 * WRITERS as u64 / RATE_PER_SECOND);
    let mut tick = tokio::time::interval(period);
    for seq in first_seq..first_seq + 100_000 {
        tick.tick().await;
        if Instant::now() >= until {
            break;
        }
        let envelope = ara_shared::Envelope {
            client_id,
            seq: ara_shared::Seq(seq),
            mutation: Mutation::RenamePriority {
                id: priority,
                title: marker(me),
            },
        };
        let text = serde_json::to_string(&ClientMessage::Push {
            mutations: vec![envelope],
        })?;
        sink.send(Message::text(text)).await?;
    }
    Ok(())
}

struct Figures {
    p50: u32,
    p95: u32,
    p99: u32,
    max: u32,
    samples: usize,
    expected: usize,
}

/// Runs the load on connected sockets; writer `i` renames `priorities[i]`.
async fn drive(
    sockets: Vec<(Socket, ara_shared::ClientId, u64)>,
    priorities: Vec<ara_shared::PriorityId>,
    secs: Duration,
) -> anyhow::Result<Vec<u32>> {
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let after_us = now_us() + WARM_UP.as_micros() as u64;
    let until = start + WARM_UP + secs;
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    let mut quiet_sinks = Vec::new();
    for (i, (socket, client_id, next_seq)) in sockets.into_iter().enumerate() {
        let (sink, stream) = socket.split();
        readers.push(tokio::spawn(reader(stream, i, after_us, stop.clone())));
        if i < WRITERS {
            writers.push(tokio::spawn(writer(
                sink,
                i,
                client_id,
                next_seq,
                priorities[i],
                until,
            )));
        } else {
            quiet_sinks.push(sink);
        }
    }
    for w in writers {
        w.await??;
    }
    // Stragglers arrive; then the readers stop.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for r in readers {
        all.extend(r.await?);
    }
    drop(quiet_sinks);
    Ok(all)
}

impl Figures {
    fn of(mut all: Vec<u32>, rounds: usize, secs: Duration) -> Self {
        all.sort_unstable();
        let expected =
            rounds * (secs.as_secs_f64() * RATE_PER_SECOND as f64) as usize * (CLIENTS - 1);
        Self {
            p50: percentile(&all, 50.0),
            p95: percentile(&all, 95.0),
            p99: percentile(&all, 99.0),
            max: all.last().copied().unwrap_or(0),
            samples: all.len(),
            expected,
        }
    }
}

fn us(v: u32) -> String {
    ms(Duration::from_micros(u64::from(v)))
}

pub async fn run(plan: &Plan, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("scenario 2: fan-out latency (and scenario 5: memory idle / with 200 clients)");
    epoch();
    // The real server. All the bench's clients connect from loopback, more
    // than one address may hold by default.
    let server = TestServer::start_with(&[
        "--no-demo",
        "--max-connections-per-address",
        &(CLIENTS * 2).to_string(),
    ])
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = server.rss_bytes().context("server RSS")?;
    let cookies = wire::cookies(&server, CLIENTS).await;
    let signed_in = server.rss_bytes().context("server RSS")?;
    // The writers' priorities, created once.
    let (mut creator, _, _) = wire::connect(&server, &cookies[0], None).await?;
    let mut priorities = Vec::new();
    let mut creates = Vec::new();
    for _ in 0..WRITERS {
        let id = wire::new_id();
        creates.push(creator.envelope(Mutation::CreatePriority {
            id,
            title: "Fan-out".into(),
            horizon: wire::horizon(),
        }));
        priorities.push(id);
    }
    creator.push_and_wait(creates).await?;
    drop(creator);

    // Alternating rounds, so that both see the same (shared, noisy) machine.
    let (mut child, port) = start_baseline()?;
    let mut ours = Vec::new();
    let mut base = Vec::new();
    let mut with_clients = 0;
    for round in 0..ROUNDS {
        let mut sockets = Vec::new();
        for _ in 0..CLIENTS {
            let request = format!("ws://127.0.0.1:{port}/");
            let (socket, _) = tokio::time::timeout(
                wire::WAIT,
                tokio_tungstenite::connect_async_with_config(
                    request,
                    Some(wire::client_config()),
                    true,
                ),
            )
            .await
            .context("baseline connect timed out")??;
            sockets.push((socket, wire::new_client(), 1));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        base.extend(drive(sockets, priorities.clone(), plan.fanout_secs).await?);

        let mut sockets = Vec::new();
        for cookie in &cookies {
            let conn = connect_retrying(&server, cookie).await?;
            sockets.push((conn.socket, conn.client_id, conn.next_seq));
        }
        // Presence lists of 200 joins are in flight; let them settle.
        tokio::time::sleep(Duration::from_secs(1)).await;
        if round == 0 {
            with_clients = server.rss_bytes().context("server RSS")?;
        }
        ours.extend(drive(sockets, priorities.clone(), plan.fanout_secs).await?);
        // The closed connections give their slots back.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let under_load = server.rss_bytes().context("server RSS")?;
    drop(server);
    let ours = Figures::of(ours, ROUNDS, plan.fanout_secs);
    let base = Figures::of(base, ROUNDS, plan.fanout_secs);

    for (name, a, b) in [
        ("p50", ours.p50, base.p50),
        ("p95", ours.p95, base.p95),
        ("p99", ours.p99, base.p99),
        ("max", ours.max, base.max),
    ] {
        let target = if name == "p99" {
            if a < 25_000 {
                "< 25 ms: met"
            } else {
                "< 25 ms: MISSED"
            }
        } else {
            "—"
        };
        report.row(
            "2 fan-out (200 clients, 10 writers, 200/s)",
            format!("{name} {}", us(a)),
            "minimal tokio-tungstenite broadcast",
            us(b),
            ratio(f64::from(a), f64::from(b)),
            target,
        );
    }
    report.note(format!(
        "fan-out: {} deliveries measured on ARA Planner and {} on the baseline; about {} expected (200/s × measuring time × 199 receivers; the writers' timers add a few)",
        ours.samples, base.samples, ours.expected
    ));
    report.row(
        "5 memory",
        format!(
            "server RSS idle (fresh store, no connection): {}",
            mib(idle)
        ),
        "itself",
        mib(idle),
        ratio(idle as f64, idle as f64),
        "—",
    );
    report.row(
        "5 memory",
        format!(
            "server RSS after creating the 13 accounts for 200 connections (Argon2id): {}",
            mib(signed_in)
        ),
        "idle RSS",
        mib(idle),
        ratio(signed_in as f64, idle as f64),
        "—",
    );
    report.row(
        "5 memory",
        format!(
            "server RSS with 200 connected clients: {}",
            mib(with_clients)
        ),
        "idle RSS",
        mib(idle),
        ratio(with_clients as f64, idle as f64),
        "—",
    );
    report.row(
        "5 memory",
        format!("server RSS after the fan-out rounds: {}", mib(under_load)),
        "idle RSS",
        mib(idle),
        ratio(under_load as f64, idle as f64),
        "—",
    );
    Ok(())
}

fn start_baseline() -> anyhow::Result<(std::process::Child, u16)> {
    let mut child = Command::new(std::env::current_exe()?)
        .arg(BASELINE_SERVER)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("baseline stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let port = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .with_context(|| format!("baseline server said {line:?}"))?;
    Ok((child, port))
}

/// The baseline: every text frame any connection sends goes to every
/// connection, through one tokio broadcast channel. Nothing else.
pub fn run_baseline_server() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("listening on {}", listener.local_addr()?.port());
        // Shared, reference-counted frames, as the real server's fan-out.
        let (tx, _) = broadcast::channel::<Utf8Bytes>(1024);
        // Bounded: the bench never opens more than this.
        for _ in 0..10_000 {
            let (stream, _) = listener.accept().await?;
            // As the real server does: small frames go out at once.
            stream.set_nodelay(true)?;
            let tx = tx.clone();
            tokio::spawn(async move {
                let accepted =
                    tokio_tungstenite::accept_async_with_config(stream, Some(wire::client_config()));
                let Ok(socket) = accepted.await else {
                    return;
                };
                let (mut sink, mut stream) = socket.split();
                let mut rx = tx.subscribe();
                loop {
                    tokio::select! {
                        frame = stream.next() => match frame {
                            Some(Ok(Message::Text(text))) => { let _ = tx.send(text); }
                            Some(Ok(_)) => {}
                            _ => return,
                        },
                        msg = rx.recv() => match msg {
                            Ok(text) => if sink.send(Message::Text(text)).await.is_err() { return; },
                            Err(broadcast::error::RecvError::Lagged(_)) => {}
                            Err(_) => return,
                        },
                    }
                }
            });
        }
        bail!("the baseline server accepted its maximum of connections")
    })
}
