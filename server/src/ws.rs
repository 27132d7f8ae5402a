//! One sync WebSocket: hello, catch-up, then pushes in and entries out until
//! either side closes. Every refusal is an `error` frame and a close, and
//! touches nothing but this connection.

use std::time::Duration;

use ara_shared::protocol::{
    ClientMessage, DecodeError, ErrorCode, MAX_BATCH, PROTOCOL_VERSION, ServerMessage,
};
use ara_shared::{Actor, ClientId};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc, watch};

use std::sync::Arc;

use ara_shared::protocol::Peer;

use crate::auth::SessionWatch;
use crate::http::ConnectionSlot;
use crate::presence::Presence;
use crate::sync::Hub;

/// How long a new connection may take to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Outcomes (acks, rejections) waiting to be written to this connection.
const REPLY_QUEUE: usize = 4 * MAX_BATCH;
/// How long a stopping server waits for the outcomes of pushes already
/// handed to the sequencer before it closes the connection anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Close code for a policy violation (RFC 6455, 1008) and for going away (1001).
const CLOSE_POLICY: u16 = 1008;
const CLOSE_GOING_AWAY: u16 = 1001;

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;
type Stream = futures_util::stream::SplitStream<WebSocket>;

async fn send(sink: &mut Sink, message: &ServerMessage) -> bool {
    match serde_json::to_string(message) {
        Ok(text) => sink.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => false,
    }
}

/// Sends an error frame, then closes with a reason.
async fn refuse(sink: &mut Sink, code: ErrorCode, detail: String, close_code: u16) {
    tracing::debug!(?code, %detail, "closing sync connection");
    let reason: String = detail.chars().take(100).collect();
    let _ = send(sink, &ServerMessage::Error { code, detail }).await;
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code: close_code,
            reason: Utf8Bytes::from(reason),
        })))
        .await;
}

/// Serves one signed-in person's sync connection until it closes, the
/// session ends (sign-out, password or role change, expiry: the client
/// reconnects with what it is allowed now) or the server stops.
pub async fn serve(
    socket: WebSocket,
    actor: Actor,
    session: SessionWatch,
    _slot: ConnectionSlot,
    hub: Hub,
    presence: Arc<Presence>,
    shutdown: watch::Receiver<bool>,
) {
    let (mut sink, mut stream) = socket.split();
    let user = actor.user;
    converse(
        &mut sink,
        &mut stream,
        actor,
        session,
        hub,
        presence,
        shutdown,
    )
    .await;
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
    sink: &mut Sink,
    stream: &mut Stream,
    actor: Actor,
    mut session: SessionWatch,
    hub: Hub,
    presence: Arc<Presence>,
    mut shutdown: watch::Receiver<bool>,
) {
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
                    refuse(sink, ErrorCode::ProtocolMismatch, detail, CLOSE_POLICY).await;
                    return;
                }
                (client_id, last_version)
            }
            Ok(_) => {
                refuse(
                    sink,
                    ErrorCode::HelloRequired,
                    "the first message must be hello".into(),
                    CLOSE_POLICY,
                )
                .await;
                return;
            }
            Err(e) => {
                refuse(sink, e.code(), e.to_string(), CLOSE_POLICY).await;
                return;
            }
        },
        Ok(Some(Ok(_))) => {
            refuse(
                sink,
                ErrorCode::Malformed,
                "expected a JSON text frame".into(),
                CLOSE_POLICY,
            )
            .await;
            return;
        }
        Ok(_) => return,
        Err(_) => {
            refuse(
                sink,
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
    let Ok(joined) = hub.join(client_id, last_version).await else {
        refuse(
            sink,
            ErrorCode::ServerShuttingDown,
            "the server is stopping".into(),
            CLOSE_GOING_AWAY,
        )
        .await;
        return;
    };
    let welcome = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        version: joined.version,
        actor: actor.clone(),
        applied_seq: joined.applied_seq,
    };
    if !send(sink, &welcome).await {
        return;
    }
    for message in joined.catch_up {
        if !send(sink, &message).await {
            return;
        }
    }
    let mut updates = joined.updates;
    let (reply_tx, mut replies) = mpsc::channel::<ServerMessage>(REPLY_QUEUE);
    let mut bucket = RateLimit::new();
    let mut others = presence.subscribe();
    let _here = Here::join(&presence, client_id, &actor);
    // Mutations handed to the sequencer whose outcome has not been sent yet.
    let mut in_flight = 0usize;

    loop {
        tokio::select! {
            // Entries before acks: the hub publishes a batch before it
            // answers its pushers, and the client expects that order.
            biased;
            () = async {
                // A closed channel also means the server is stopping.
                let _ = shutdown.wait_for(|stop| *stop).await;
            } => {
                // Read nothing more, but finish what is in flight: the
                // sequencer commits every push it has taken, and the client
                // gets those entries and acks before the close.
                drain(sink, &mut updates, &mut replies, in_flight).await;
                refuse(sink, ErrorCode::ServerShuttingDown, "the server is restarting".into(), CLOSE_GOING_AWAY).await;
                return;
            }
            reason = session.ended() => {
                refuse(sink, ErrorCode::Unauthorized, reason.into(), CLOSE_POLICY).await;
                return;
            }
            update = updates.recv() => match update {
                Ok(text) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let detail = format!("this connection fell {n} messages behind; reconnect to catch up");
                    refuse(sink, ErrorCode::Lagging, detail, CLOSE_POLICY).await;
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            update = others.recv() => match update {
                Ok(text) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        return;
                    }
                }
                // Each list replaces the last: skipping old ones loses nothing.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            Some(reply) = replies.recv() => {
                in_flight = in_flight.saturating_sub(1);
                if !send(sink, &reply).await {
                    return;
                }
            }
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    match handle_frame(&text, client_id, &actor, &hub, &presence, &reply_tx, &mut bucket).await {
                        Ok(pushed) => in_flight += pushed,
                        Err((code, detail)) => {
                            refuse(sink, code, detail, CLOSE_POLICY).await;
                            return;
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    refuse(sink, ErrorCode::Malformed, "binary frames are not part of the protocol".into(), CLOSE_POLICY).await;
                    return;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => return,
                Some(Err(e)) => {
                    refuse(sink, ErrorCode::TooLarge, format!("unreadable frame: {e}"), CLOSE_POLICY).await;
                    return;
                }
            },
        }
    }
}

/// Sends the entries and outcomes of the `in_flight` mutations this
/// connection already handed to the sequencer, for at most [`DRAIN_TIMEOUT`].
async fn drain(
    sink: &mut Sink,
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
                Ok(text) => sink.send(Message::Text(text)).await.is_ok(),
                Err(broadcast::error::RecvError::Lagged(_)) => true,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            reply = replies.recv() => match reply {
                Some(reply) => {
                    in_flight -= 1;
                    send(sink, &reply).await
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
        if sink.send(Message::Text(text)).await.is_err() {
            return;
        }
    }
}

/// This connection in the presence list for as long as it is open.
struct Here<'a> {
    presence: &'a Presence,
    client: ClientId,
}

impl<'a> Here<'a> {
    fn join(presence: &'a Presence, client: ClientId, actor: &Actor) -> Self {
        presence.join(Peer {
            client_id: client,
            user: actor.user,
            name: actor.name.clone(),
            viewing: None,
            editing: None,
        });
        Self { presence, client }
    }
}

impl Drop for Here<'_> {
    fn drop(&mut self) {
        self.presence.leave(self.client);
    }
}

/// Mutations per second one connection may push, and the burst it may send
/// at once (a client back from offline flushes its queue in one go).
pub const MUTATIONS_PER_SECOND: f64 = 500.0;
pub const MUTATION_BURST: f64 = 4.0 * MAX_BATCH as f64;

/// A token bucket that slows a connection down instead of refusing it, so
/// that a legitimate flush is delayed, never lost.
struct RateLimit {
    tokens: f64,
    at: tokio::time::Instant,
}

impl RateLimit {
    fn new() -> Self {
        Self {
            tokens: MUTATION_BURST,
            at: tokio::time::Instant::now(),
        }
    }

    /// Takes `n` tokens at `now`; how long to wait before they may go.
    fn delay(&mut self, n: usize, now: tokio::time::Instant) -> Duration {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * MUTATIONS_PER_SECOND;
        self.tokens = (self.tokens + refill).min(MUTATION_BURST) - n as f64;
        self.at = now;
        if self.tokens < 0.0 {
            Duration::from_secs_f64(-self.tokens / MUTATIONS_PER_SECOND)
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

async fn handle_frame(
    text: &str,
    client_id: ClientId,
    actor: &Actor,
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
            presence.update(client_id, viewing, editing);
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
            if let Some(other) = mutations.iter().find(|m| m.client_id != client_id) {
                return Err((
                    ErrorCode::Malformed,
                    format!(
                        "mutation of client {} on the connection of {client_id}",
                        other.client_id
                    ),
                ));
            }
            bucket.take(mutations.len()).await;
            let pushed = mutations.len();
            hub.push(actor.clone(), mutations, reply.clone())
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
        let mut bucket = RateLimit::new();
        let start = bucket.at;
        let burst = MUTATION_BURST as usize;
        assert_eq!(
            bucket.delay(burst, start),
            Duration::ZERO,
            "a burst passes at once"
        );
        let second = MUTATIONS_PER_SECOND as usize;
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
}
