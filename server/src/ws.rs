//! One sync WebSocket: hello, catch-up, then pushes in and entries out until
//! either side closes. Every refusal is an `error` frame and a close, and
//! touches nothing but this connection.
//!
//! Also the count of open connections per person ([`Connections`]), which
//! the upgrade in `http` asks for a slot. `ws` never imports `http`.

use std::time::Duration;

use ara_shared::protocol::{
    ClientMessage, DecodeError, ErrorCode, MAX_BATCH, PROTOCOL_VERSION, ServerMessage,
};
use ara_shared::{Actor, ClientId};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc, watch};

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use ara_shared::UserId;
use ara_shared::clients::ClientRefusal;
use ara_shared::protocol::{ConnectionId, Peer};

use crate::auth::SessionWatch;
use crate::metrics::{Disconnect, Metrics};
use crate::presence::Presence;
use crate::sync::{Hub, JoinError, refusal_code};

/// How long a new connection may take to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Outcomes (acks, rejections) waiting to be written to this connection.
const REPLY_QUEUE: usize = 4 * MAX_BATCH;
/// How long a stopping server waits for the outcomes of pushes already
/// handed to the sequencer before it closes the connection anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// How much one read of the socket takes at most. tungstenite zero-fills
/// this much of its buffer before every read, whatever arrives: at its
/// default of 128 KiB that memset was the server's largest single cost
/// with 50 writers (13 % of its CPU, `perf`). Pushes are a few hundred
/// bytes; a large frame is still read whole, in more reads.
pub const READ_BUFFER_BYTES: usize = 8 * 1024;

/// Close code for a policy violation (RFC 6455, 1008) and for going away (1001).
const CLOSE_POLICY: u16 = 1008;
/// WebSocket close code 1013: the server cannot take this now.
const CLOSE_TRY_AGAIN_LATER: u16 = 1013;
const CLOSE_GOING_AWAY: u16 = 1001;

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;
type Stream = futures_util::stream::SplitStream<WebSocket>;

/// How long a close frame may take once a connection is being dropped: a
/// client that stopped reading will not take it, and must not hold us.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Why a frame did not reach the client.
#[derive(Debug, PartialEq, Eq)]
enum SendFailed {
    /// The socket is closed or broken.
    Closed,
    /// The client took longer than the send timeout to accept one frame: it
    /// stopped reading and the TCP buffers are full.
    Stalled,
}

/// The sending half of a connection. Every write is bounded by a timeout,
/// so a client that stops reading is dropped instead of holding its task,
/// its connection slot and its share of memory forever; what waits for it
/// is bounded too (the fan-out ring and [`REPLY_QUEUE`]).
struct Outgoing {
    sink: Sink,
    timeout: Duration,
    metrics: Arc<Metrics>,
}

impl Outgoing {
    /// Queues a frame without flushing it, so that frames ready together
    /// (a batch's entries and the pusher's ack) leave in one write. It
    /// waits only when the buffer is full and must go out: bounded too.
    async fn feed_frame(&mut self, message: Message) -> Result<(), SendFailed> {
        let fed = tokio::time::timeout(self.timeout, self.sink.feed(message)).await;
        self.settle(fed).await
    }

    /// Writes out everything fed so far.
    async fn flush(&mut self) -> Result<(), SendFailed> {
        let flushed = tokio::time::timeout(self.timeout, self.sink.flush()).await;
        self.settle(flushed).await
    }

    async fn send_frame(&mut self, message: Message) -> Result<(), SendFailed> {
        self.feed_frame(message).await?;
        self.flush().await
    }

    async fn settle(
        &mut self,
        outcome: Result<Result<(), axum::Error>, tokio::time::error::Elapsed>,
    ) -> Result<(), SendFailed> {
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(SendFailed::Closed),
            Err(_) => {
                tracing::warn!(
                    timeout = ?self.timeout,
                    "closing a sync connection that stopped reading"
                );
                self.metrics.count_disconnect(Disconnect::Stalled);
                // The close frame queues behind the stuck one; it reaches the
                // client only if it starts reading again within CLOSE_TIMEOUT.
                let close = Message::Close(Some(CloseFrame {
                    code: CLOSE_POLICY,
                    reason: Utf8Bytes::from_static("stalled: the client stopped reading"),
                }));
                let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.sink.send(close)).await;
                Err(SendFailed::Stalled)
            }
        }
    }

    async fn feed(&mut self, message: &ServerMessage) -> Result<(), SendFailed> {
        let text = serde_json::to_string(message).map_err(|_| SendFailed::Closed)?;
        self.feed_frame(Message::Text(text.into())).await
    }

    async fn send(&mut self, message: &ServerMessage) -> Result<(), SendFailed> {
        let text = serde_json::to_string(message).map_err(|_| SendFailed::Closed)?;
        self.send_frame(Message::Text(text.into())).await
    }

    /// Sends an error frame, then closes with a reason. Bounded like every
    /// send: a refusal never waits on a client that does not read.
    async fn refuse(&mut self, code: ErrorCode, detail: String, close_code: u16) {
        tracing::debug!(?code, %detail, "closing sync connection");
        let reason: String = detail.chars().take(100).collect();
        if self
            .send(&ServerMessage::Error { code, detail })
            .await
            .is_err()
        {
            return;
        }
        let close = Message::Close(Some(CloseFrame {
            code: close_code,
            reason: Utf8Bytes::from(reason),
        }));
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.sink.send(close)).await;
    }
}

/// What one sync connection may do, from the command line.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Longest a connection may take to accept one frame.
    pub send_timeout: Duration,
    /// Mutations per second it may push after its burst.
    pub push_rate: f64,
}

/// Sync connections one account may hold at once (tabs and devices).
pub const MAX_CONNECTIONS_PER_USER: usize = 16;

/// The open sync connections per person, to bound what one account can
/// hold, and in total (the `connected_clients` metric).
#[derive(Clone)]
pub struct Connections {
    open: Arc<Mutex<HashMap<UserId, usize>>>,
    metrics: Arc<Metrics>,
}

impl Connections {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            open: Arc::default(),
            metrics,
        }
    }

    /// A slot for one more connection of `user`, or none when they hold
    /// [`MAX_CONNECTIONS_PER_USER`] already.
    pub fn take_slot(&self, user: UserId) -> Option<ConnectionSlot> {
        let mut map = self.open.lock().ok()?;
        let n = map.entry(user).or_insert(0);
        if *n >= MAX_CONNECTIONS_PER_USER {
            return None;
        }
        *n += 1;
        self.metrics
            .connected_clients
            .fetch_add(1, Ordering::Relaxed);
        Some(ConnectionSlot {
            user,
            connections: self.clone(),
        })
    }
}

/// Counts a person's open sync connection for as long as it lives.
pub struct ConnectionSlot {
    user: UserId,
    connections: Connections,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.connections.open.lock()
            && let Some(n) = map.get_mut(&self.user)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.user);
            }
        }
        self.connections
            .metrics
            .connected_clients
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// What a connection uses of the server, besides the person on it.
pub struct Services {
    pub hub: Hub,
    pub presence: Arc<Presence>,
    pub shutdown: watch::Receiver<bool>,
    pub limits: ConnectionLimits,
    /// Where a connection dropped for not reading is counted.
    pub metrics: Arc<Metrics>,
}

/// Serves one signed-in person's sync connection until it closes, the
/// session ends (sign-out, password or role change, expiry: the client
/// reconnects with what it is allowed now) or the server stops.
pub async fn serve(
    socket: WebSocket,
    actor: Actor,
    session: SessionWatch,
    _slot: ConnectionSlot,
    services: Services,
) {
    let (sink, mut stream) = socket.split();
    let mut out = Outgoing {
        sink,
        timeout: services.limits.send_timeout,
        metrics: services.metrics.clone(),
    };
    let user = actor.user;
    converse(&mut out, &mut stream, actor, session, services).await;
    linger(&mut stream).await;
    tracing::debug!(%user, "sync connection closed");
}

/// How long a closing connection waits for the client's close frame.
const LINGER: Duration = Duration::from_secs(2);

/// The end of the closing handshake (RFC 6455, 7.1.1): read, and drop,
/// what the client still sends until its close frame. Closing the socket
/// with unread data would reset the connection, and the client could lose
/// the last frames we sent — the error that says why.
async fn linger(stream: &mut Stream) {
    let _ = tokio::time::timeout(LINGER, async {
        while let Some(Ok(frame)) = stream.next().await {
            if matches!(frame, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// The conversation: hello, catch-up, then pushes in and entries out.
async fn converse(
    out: &mut Outgoing,
    stream: &mut Stream,
    actor: Actor,
    mut session: SessionWatch,
    services: Services,
) {
    let Services {
        hub,
        presence,
        mut shutdown,
        limits,
        ..
    } = services;
    let hello = tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await;
    let (client_id, last_version) = match hello {
        Ok(Some(Ok(Message::Text(text)))) => match ClientMessage::decode(&text) {
            Ok(ClientMessage::Hello {
                protocol,
                client_id,
                last_version,
            }) => {
                if protocol != PROTOCOL_VERSION {
                    let detail = format!(
                        "this server speaks protocol {PROTOCOL_VERSION}, the client {protocol}"
                    );
                    out.refuse(ErrorCode::ProtocolMismatch, detail, CLOSE_POLICY)
                        .await;
                    return;
                }
                (client_id, last_version)
            }
            Ok(_) => {
                out.refuse(
                    ErrorCode::HelloRequired,
                    "the first message must be hello".into(),
                    CLOSE_POLICY,
                )
                .await;
                return;
            }
            Err(e) => {
                out.refuse(e.code(), e.to_string(), CLOSE_POLICY).await;
                return;
            }
        },
        Ok(Some(Ok(_))) => {
            out.refuse(
                ErrorCode::Malformed,
                "expected a JSON text frame".into(),
                CLOSE_POLICY,
            )
            .await;
            return;
        }
        Ok(_) => return,
        Err(_) => {
            out.refuse(
                ErrorCode::HelloRequired,
                "no hello within 10 s".into(),
                CLOSE_POLICY,
            )
            .await;
            return;
        }
    };

    tracing::debug!(
        user = %actor.user,
        client = %client_id,
        last_version = last_version.map(|v| v.0),
        "sync connection opened"
    );
    let joined = match hub.join(client_id, actor.user, last_version).await {
        Ok(joined) => joined,
        Err(JoinError::Stopped(_)) => {
            out.refuse(
                ErrorCode::ServerShuttingDown,
                "the server is stopping".into(),
                CLOSE_GOING_AWAY,
            )
            .await;
            return;
        }
        Err(JoinError::Refused(refusal)) => {
            refuse_client(out, &actor, refusal).await;
            return;
        }
    };
    let connection = presence.new_connection();
    let welcome = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        version: joined.version,
        actor: actor.clone(),
        applied_seq: joined.applied_seq,
        connection,
    };
    if out.send(&welcome).await.is_err() {
        return;
    }
    for message in joined.catch_up {
        if out.send(&message).await.is_err() {
            return;
        }
    }
    let mut updates = joined.updates;
    let (reply_tx, mut replies) = mpsc::channel::<ServerMessage>(REPLY_QUEUE);
    let mut bucket = RateLimit::new(limits.push_rate);
    let mut others = presence.subscribe();
    let _here = Here::join(&presence, connection, &actor);
    let speaker = Speaker {
        actor: &actor,
        client_id,
        connection,
    };
    // Mutations handed to the sequencer whose outcome has not been sent yet.
    let mut in_flight = 0usize;

    // Frames fed but not yet written out.
    let mut unflushed = false;
    // Made once, not on every turn of the loop: each would register its
    // timer and wakers again for every frame.
    let stopping = async {
        // A closed channel also means the server is stopping.
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    let ended = session.ended();
    tokio::pin!(stopping, ended);
    loop {
        tokio::select! {
            // Entries before acks: the hub publishes a batch before it
            // answers its pushers, and the client expects that order.
            // Everything ready is fed first and written out together, before
            // the client's next frame is read.
            biased;
            () = &mut stopping => {
                // Read nothing more, but finish what is in flight: the
                // sequencer commits every push it has taken, and the client
                // gets those entries and acks before the close.
                if out.flush().await.is_ok() {
                    drain(out, &mut updates, &mut replies, in_flight).await;
                    out.refuse(ErrorCode::ServerShuttingDown, "the server is restarting".into(), CLOSE_GOING_AWAY).await;
                }
                return;
            }
            reason = &mut ended => {
                if out.flush().await.is_ok() {
                    out.refuse(ErrorCode::Unauthorized, reason.into(), CLOSE_POLICY).await;
                }
                return;
            }
            update = updates.recv() => match update {
                Ok(text) => {
                    if out.feed_frame(Message::Text(text)).await.is_err() {
                        return;
                    }
                    unflushed = true;
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let detail = format!("this connection fell {n} messages behind; reconnect to catch up");
                    out.metrics.count_disconnect(Disconnect::Lagging);
                    out.refuse(ErrorCode::Lagging, detail, CLOSE_POLICY).await;
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => {
                    // The sequencer stopped (a write the disk refused): the
                    // answers it gave before go out first, refusals closing.
                    while let Ok(reply) = replies.try_recv() {
                        if let ServerMessage::Error { code, detail } = reply {
                            if out.flush().await.is_ok() {
                                out.refuse(code, detail, close_code(code)).await;
                            }
                            return;
                        }
                        if out.feed(&reply).await.is_err() {
                            return;
                        }
                    }
                    let _ = out.flush().await;
                    return;
                }
            },
            update = others.recv() => match update {
                Ok(text) => {
                    if out.feed_frame(Message::Text(text)).await.is_err() {
                        return;
                    }
                    unflushed = true;
                }
                // Each list replaces the last: skipping old ones loses nothing.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            Some(reply) = replies.recv() => {
                in_flight = in_flight.saturating_sub(1);
                if let ServerMessage::Error { code, detail } = reply {
                    // A push that was not this client's to make, or one the
                    // disk had no room for (the client tries again later).
                    tracing::warn!(user = %actor.user, client = %client_id, ?code, "sync connection refused");
                    if out.flush().await.is_ok() {
                        out.refuse(code, detail, close_code(code)).await;
                    }
                    return;
                }
                if out.feed(&reply).await.is_err() {
                    return;
                }
                unflushed = true;
            }
            () = std::future::ready(()), if unflushed => {
                unflushed = false;
                if out.flush().await.is_err() {
                    return;
                }
            }
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    match handle_frame(&text, &speaker, &hub, &presence, &reply_tx, &mut bucket).await {
                        Ok(pushed) => in_flight += pushed,
                        Err((code, detail)) => {
                            out.refuse(code, detail, CLOSE_POLICY).await;
                            return;
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    out.refuse(ErrorCode::Malformed, "binary frames are not part of the protocol".into(), CLOSE_POLICY).await;
                    return;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => return,
                Some(Err(e)) => {
                    out.refuse(ErrorCode::TooLarge, format!("unreadable frame: {e}"), CLOSE_POLICY).await;
                    return;
                }
            },
        }
    }
}

/// How a connection refused with `code` closes: a disk without room asks
/// the client to come back later, anything else is a policy refusal.
fn close_code(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::StorageFull | ErrorCode::StorageFailed => CLOSE_TRY_AGAIN_LATER,
        _ => CLOSE_POLICY,
    }
}

/// Sends the entries and outcomes of the `in_flight` mutations this
/// connection already handed to the sequencer, for at most [`DRAIN_TIMEOUT`].
async fn drain(
    out: &mut Outgoing,
    updates: &mut broadcast::Receiver<Utf8Bytes>,
    replies: &mut mpsc::Receiver<ServerMessage>,
    mut in_flight: usize,
) {
    let deadline = tokio::time::Instant::now() + DRAIN_TIMEOUT;
    while in_flight > 0 {
        let sent = tokio::select! {
            biased;
            () = tokio::time::sleep_until(deadline) => return,
            update = updates.recv() => match update {
                Ok(text) => out.send_frame(Message::Text(text)).await.is_ok(),
                Err(broadcast::error::RecvError::Lagged(_)) => true,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            reply = replies.recv() => match reply {
                Some(reply) => {
                    in_flight -= 1;
                    out.send(&reply).await.is_ok()
                }
                None => return,
            },
        };
        if !sent {
            return;
        }
    }
    // Entries published with the last outcomes may still be queued.
    while let Ok(text) = updates.try_recv() {
        if out.send_frame(Message::Text(text)).await.is_err() {
            return;
        }
    }
}

/// Refuses a connection whose client id is another person's (or whose
/// seq is out of its window), with a warning for the operator: an honest
/// app never does this.
async fn refuse_client(out: &mut Outgoing, actor: &Actor, refusal: ClientRefusal) {
    tracing::warn!(user = %actor.user, %refusal, "sync connection refused");
    out.refuse(refusal_code(refusal), refusal.to_string(), CLOSE_POLICY)
        .await;
}

/// This connection in the presence list for as long as it is open.
struct Here<'a> {
    presence: &'a Presence,
    connection: ConnectionId,
}

impl<'a> Here<'a> {
    fn join(presence: &'a Presence, connection: ConnectionId, actor: &Actor) -> Self {
        presence.join(Peer {
            connection,
            user: actor.user,
            name: actor.name.clone(),
            viewing: None,
            editing: None,
        });
        Self {
            presence,
            connection,
        }
    }
}

impl Drop for Here<'_> {
    fn drop(&mut self) {
        self.presence.leave(self.connection);
    }
}

/// Mutations per second one connection may push by default (`--push-rate`),
/// and the burst it may send at once (a client back from offline flushes
/// its queue in one go).
pub const DEFAULT_PUSH_RATE: f64 = 500.0;
pub const MUTATION_BURST: f64 = 4.0 * MAX_BATCH as f64;

/// A token bucket that slows a connection down instead of refusing it, so
/// that a legitimate flush is delayed, never lost.
struct RateLimit {
    /// Tokens added per second.
    rate: f64,
    tokens: f64,
    at: tokio::time::Instant,
}

impl RateLimit {
    fn new(rate: f64) -> Self {
        Self {
            rate,
            tokens: MUTATION_BURST,
            at: tokio::time::Instant::now(),
        }
    }

    /// Takes `n` tokens at `now`; how long to wait before they may go.
    fn delay(&mut self, n: usize, now: tokio::time::Instant) -> Duration {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(MUTATION_BURST) - n as f64;
        self.at = now;
        if self.tokens < 0.0 {
            Duration::from_secs_f64(-self.tokens / self.rate)
        } else {
            Duration::ZERO
        }
    }

    async fn take(&mut self, n: usize) {
        let wait = self.delay(n, tokio::time::Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Who is on a connection: the person, their client id, and the number
/// presence shows for it.
struct Speaker<'a> {
    actor: &'a Actor,
    client_id: ClientId,
    connection: ConnectionId,
}

async fn handle_frame(
    text: &str,
    speaker: &Speaker<'_>,
    hub: &Hub,
    presence: &Presence,
    reply: &mpsc::Sender<ServerMessage>,
    bucket: &mut RateLimit,
) -> Result<usize, (ErrorCode, String)> {
    let message =
        ClientMessage::decode(text).map_err(|e: DecodeError| (e.code(), e.to_string()))?;
    match message {
        ClientMessage::Hello { .. } => {
            Err((ErrorCode::Malformed, "hello was already received".into()))
        }
        ClientMessage::Presence { viewing, editing } => {
            bucket.take(1).await;
            presence.update(speaker.connection, viewing, editing);
            Ok(0)
        }
        ClientMessage::Push { mutations } => {
            if mutations.len() > MAX_BATCH {
                return Err((
                    ErrorCode::BatchTooLarge,
                    format!(
                        "{} mutations in one push; at most {MAX_BATCH}",
                        mutations.len()
                    ),
                ));
            }
            if let Some(other) = mutations.iter().find(|m| m.client_id != speaker.client_id) {
                return Err((
                    ErrorCode::Malformed,
                    format!(
                        "mutation of client {} on the connection of {}",
                        other.client_id, speaker.client_id
                    ),
                ));
            }
            bucket.take(mutations.len()).await;
            let pushed = mutations.len();
            hub.push(speaker.actor.clone(), mutations, reply.clone())
                .await
                .map(|()| pushed)
                .map_err(|_| {
                    (
                        ErrorCode::ServerShuttingDown,
                        "the server is stopping".into(),
                    )
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limit slows a connection to its rate instead of refusing it: a
    /// queue flushed after a long offline spell is delayed, never lost.
    #[test]
    fn mutations_per_second_are_limited_by_waiting() {
        let mut bucket = RateLimit::new(DEFAULT_PUSH_RATE);
        let start = bucket.at;
        let burst = MUTATION_BURST as usize;
        assert_eq!(
            bucket.delay(burst, start),
            Duration::ZERO,
            "a burst passes at once"
        );
        let second = DEFAULT_PUSH_RATE as usize;
        assert_eq!(
            bucket.delay(second, start),
            Duration::from_secs(1),
            "one second's worth past the burst waits a second"
        );
        // A minute idle refills the bucket, up to the burst and no more.
        let later = start + Duration::from_secs(60);
        assert_eq!(bucket.delay(burst, later), Duration::ZERO);
        assert_eq!(bucket.delay(1, later), Duration::from_millis(2));
    }

    /// `--push-rate` sets the refill; the burst stays.
    #[test]
    fn a_configured_rate_refills_at_that_rate() {
        let mut bucket = RateLimit::new(20_000.0);
        let start = bucket.at;
        assert_eq!(bucket.delay(MUTATION_BURST as usize, start), Duration::ZERO);
        assert_eq!(bucket.delay(20_000, start), Duration::from_secs(1));
        let later = start + Duration::from_millis(100);
        assert_eq!(bucket.delay(1_000, later), Duration::from_millis(950));
    }
}
