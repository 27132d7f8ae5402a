//! The second baseline of scenario 1: a minimal group-commit relay. It does
//! the work the server must do for each push and nothing more: read the
//! WebSocket frame and decode it, give each mutation the next version,
//! append the same log entries to sled (opened as the server opens it) and
//! flush them once per batch, fan the batch out to every connection (the
//! pusher included) as one shared frame, then acknowledge each mutation to
//! its pusher. No sessions, hello, rules, presence, rate limits or timeouts.
//!
//! It runs as a child process of the bench (this binary, called with
//! [`COMMIT_BASELINE_SERVER`] and a sled directory), like the real server,
//! so its CPU time is counted apart from the clients'.

use std::path::Path;
use std::process::Stdio;

use anyhow::{Context as _, bail};
use ara_shared::protocol::{ClientMessage, MAX_BATCH, ServerMessage};
use ara_shared::{Envelope, Version};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::wire;

pub const COMMIT_BASELINE_SERVER: &str = "__commit-baseline-server";
/// The bench never opens more connections than this.
const MAX_CONNECTIONS: usize = 10_000;
/// The server's sizes: its command queue, the pushes one flush takes at
/// most, a connection's queue of acks, and its fan-out ring.
const PUSH_QUEUE: usize = 4096;
const MAX_PUSHES_PER_BATCH: usize = 1024;
const REPLY_QUEUE: usize = 4 * MAX_BATCH;
const FANOUT_BUFFER: usize = 1024;

/// The relay as the bench sees it: a child process on a loopback port with
/// its own sled directory, killed when dropped.
pub struct Relay {
    child: tokio::process::Child,
    port: u16,
    /// Removed after the child is gone (fields drop after [`Relay::stop`]).
    _dir: tempfile::TempDir,
}

impl Relay {
    /// Starts the relay on a fresh sled directory and waits for its port.
    pub async fn start() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("relay sled directory")?;
        let mut child = tokio::process::Command::new(std::env::current_exe()?)
            .arg(COMMIT_BASELINE_SERVER)
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting the relay")?;
        let stdout = child.stdout.take().context("relay stdout")?;
        let mut line = String::new();
        tokio::time::timeout(wire::WAIT, BufReader::new(stdout).read_line(&mut line))
            .await
            .context("the relay did not say its port in time")??;
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("the relay said {line:?}"))?;
        Ok(Self {
            child,
            port,
            _dir: dir,
        })
    }

    /// A bench connection to the relay: no hello, so nothing to greet.
    pub async fn connect(&self) -> anyhow::Result<wire::Conn> {
        let connect = tokio_tungstenite::connect_async_with_config(
            format!("ws://127.0.0.1:{}/", self.port),
            Some(wire::client_config()),
            true,
        );
        let (socket, _) = tokio::time::timeout(wire::WAIT, connect)
            .await
            .context("relay connect timed out")?
            .context("relay connect")?;
        Ok(wire::Conn {
            socket,
            client_id: wire::new_client(),
            next_seq: 1,
        })
    }

    pub fn pid(&self) -> anyhow::Result<String> {
        Ok(self.child.id().context("relay pid")?.to_string())
    }

    /// Kills the relay and waits for it, then removes its directory.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        tokio::time::timeout(wire::WAIT, self.child.kill())
            .await
            .context("the relay did not exit in time")?
            .context("killing the relay")
    }
}

/// One push handed to the sequencer, with the queue its acks go back on.
struct Push {
    envelopes: Vec<Envelope>,
    reply: mpsc::Sender<ServerMessage>,
}

/// The child process: `ara-bench __commit-baseline-server DIR`.
pub fn run_relay(dir: &Path) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Opened exactly as the raw sled loop (and the server) open it.
        let db = sled::Config::new()
            .path(dir)
            .mode(sled::Mode::HighThroughput)
            .open()
            .with_context(|| format!("opening sled in {}", dir.display()))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("listening on {}", listener.local_addr()?.port());
        let (pushes, queue) = mpsc::channel(PUSH_QUEUE);
        let (fanout, _) = broadcast::channel(FANOUT_BUFFER);
        let sequencer = tokio::spawn(sequence(db, queue, fanout.clone()));
        tokio::select! {
            ended = sequencer => {
                ended.context("the relay's sequencer panicked")??;
                bail!("the relay's sequencer stopped")
            }
            accepted = accept(listener, pushes, fanout) => accepted,
        }
    })
}

async fn accept(
    listener: tokio::net::TcpListener,
    pushes: mpsc::Sender<Push>,
    fanout: broadcast::Sender<Utf8Bytes>,
) -> anyhow::Result<()> {
    for _ in 0..MAX_CONNECTIONS {
        let (stream, _) = listener.accept().await.context("accepting")?;
        // As the real server does: small frames go out at once.
        stream.set_nodelay(true).context("TCP_NODELAY")?;
        tokio::spawn(serve(stream, pushes.clone(), fanout.subscribe()));
    }
    bail!("the relay accepted its maximum of connections")
}

/// One connection. As the server: every frame that is ready (entries before
/// acks) is fed to the socket, and the socket is flushed once when nothing
/// more is ready, before the client's next frame is read.
async fn serve(
    stream: TcpStream,
    pushes: mpsc::Sender<Push>,
    mut entries: broadcast::Receiver<Utf8Bytes>,
) {
    let accepted = tokio_tungstenite::accept_async_with_config(stream, Some(wire::client_config()));
    let Ok(socket) = accepted.await else {
        return;
    };
    let (mut sink, mut frames) = socket.split();
    let (reply, mut replies) = mpsc::channel::<ServerMessage>(REPLY_QUEUE);
    let mut unflushed = false;
    loop {
        let fed = tokio::select! {
            biased;
            update = entries.recv() => match update {
                Ok(text) => sink.feed(Message::Text(text)).await,
                // The writers read everything; a lagging reader only misses
                // entries it does not look at.
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            // `reply` is held here, so the queue never ends.
            Some(ack) = replies.recv() => {
                // Encoded here, as the server encodes its replies per
                // connection, not in the sequencer.
                let Ok(text) = serde_json::to_string(&ack) else {
                    return;
                };
                sink.feed(Message::text(text)).await
            }
            () = std::future::ready(()), if unflushed => {
                unflushed = false;
                if sink.flush().await.is_err() {
                    return;
                }
                continue;
            }
            frame = frames.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    // Decoding is part of the work; anything but a push ends
                    // the connection (the bench sends nothing else).
                    let Ok(ClientMessage::Push { mutations }) = serde_json::from_str(&text) else {
                        return;
                    };
                    let push = Push { envelopes: mutations, reply: reply.clone() };
                    if pushes.send(push).await.is_err() {
                        return;
                    }
                    continue;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return,
            },
        };
        if fed.is_err() {
            return;
        }
        unflushed = true;
    }
}

/// The group commit: everything ready is one batch, made durable with one
/// flush, then fanned out as one frame, then acknowledged.
async fn sequence(
    db: sled::Db,
    mut queue: mpsc::Receiver<Push>,
    fanout: broadcast::Sender<Utf8Bytes>,
) -> anyhow::Result<()> {
    let log = db.open_tree("log").context("opening the log tree")?;
    let mut version = 0u64;
    let mut batch = Vec::with_capacity(MAX_PUSHES_PER_BATCH);
    // Waits for one push, then takes every other one already queued, as the
    // server's `recv` then `try_recv` loop does.
    while queue.recv_many(&mut batch, MAX_PUSHES_PER_BATCH).await > 0 {
        let mut appended = sled::Batch::default();
        let mut entries = Vec::new();
        let mut acks = Vec::new();
        for push in batch.drain(..) {
            for envelope in push.envelopes {
                version += 1;
                let seq = envelope.seq;
                let entry = wire::log_entry(version, envelope.client_id, seq.0, envelope.mutation);
                // Encoded once, for the log and the fan-out, as the server.
                let json = serde_json::to_string(&entry).context("encoding a log entry")?;
                appended.insert(&version.to_be_bytes(), json.as_bytes());
                entries.push(json);
                let ack = ServerMessage::Ack {
                    seq,
                    version: Version(version),
                };
                acks.push((push.reply.clone(), ack));
            }
        }
        if entries.is_empty() {
            continue;
        }
        log.apply_batch(appended).context("appending to the log")?;
        db.flush_async().await.context("flushing the log")?;
        let text = format!(r#"{{"type":"entries","entries":[{}]}}"#, entries.join(","));
        // No subscribers is fine: nobody is connected.
        let _ = fanout.send(Utf8Bytes::from(text));
        for (reply, ack) in acks {
            // As the server: a full or closed queue means the connection is
            // gone or stuck.
            let _ = reply.try_send(ack);
        }
    }
    Ok(())
}
