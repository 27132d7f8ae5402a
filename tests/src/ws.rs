//! A sync client speaking the protocol of `ara_shared::protocol` over a real
//! WebSocket, as the app does.

use std::time::Duration;

use ara_shared::protocol::{ClientMessage, ErrorCode, PROTOCOL_VERSION, Peer, ServerMessage};
use ara_shared::{
    ClientId, Envelope, Horizon, LogEntry, Mutation, PriorityId, Quarter, Seq, State, Term, Version,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::server::TestServer;

pub const WAIT: Duration = Duration::from_secs(10);

pub fn new_client_id() -> ClientId {
    ClientId(uuid::Uuid::now_v7())
}

/// The WebSocket settings of the test and bench clients: reads of at most
/// 8 KiB, as the server reads. tungstenite zero-fills its whole read buffer
/// before every read, and at its default of 128 KiB that costs CPU the
/// bench's figures would otherwise measure (its clients share the cores
/// with the server).
pub fn client_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(8 * 1024)
}

/// Opens `/sync` with the given cookie and origin; the raw result, so tests
/// can check refusals of the upgrade itself.
pub async fn connect_raw(
    server: &TestServer,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, WsError> {
    let mut request = server.ws_url().into_client_request().expect("valid ws url");
    let own_origin = server.url.clone();
    if let Some(origin) = origin
        .or(Some(own_origin.as_str()))
        .filter(|o| !o.is_empty())
    {
        request.headers_mut().insert(
            "Origin",
            HeaderValue::from_str(origin).expect("ascii origin"),
        );
    }
    if let Some(cookie) = cookie {
        request.headers_mut().insert(
            "Cookie",
            HeaderValue::from_str(cookie).expect("ascii cookie"),
        );
    }
    // Without Nagle's algorithm, as browsers open their WebSockets.
    let connect =
        tokio_tungstenite::connect_async_with_config(request, Some(client_config()), true);
    match tokio::time::timeout(WAIT, connect).await {
        Ok(result) => result.map(|(stream, _)| stream),
        Err(_) => panic!("WebSocket connect did not finish within {WAIT:?}"),
    }
}

/// A new short-term priority titled `title`, with a fresh id.
pub fn new_priority(title: &str) -> Mutation {
    Mutation::CreatePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: title.into(),
        horizon: Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2026, 2).expect("valid"),
        },
    }
}

/// A connected, greeted sync client.
pub struct SyncClient {
    pub stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub client_id: ClientId,
    next_seq: u64,
    /// The version of the last entries or snapshot received.
    pub version: Version,
    /// Presence lists received, newest last; [`SyncClient::recv`] does not
    /// return them, so tests of other messages need not skip them.
    pub presence: Vec<Vec<Peer>>,
}

impl SyncClient {
    /// Wraps an open socket without saying hello (to test what hello does).
    pub fn ungreeted(stream: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Self {
        Self {
            stream,
            client_id: new_client_id(),
            next_seq: 1,
            version: Version(0),
            presence: Vec::new(),
        }
    }

    /// Connects, says hello as a new client, and reads `welcome` and the
    /// catch-up (snapshot or entries).
    pub async fn connect(server: &TestServer, cookie: &str) -> (Self, ServerMessage) {
        Self::connect_as(server, cookie, new_client_id(), None).await
    }

    pub async fn connect_as(
        server: &TestServer,
        cookie: &str,
        client_id: ClientId,
        last_version: Option<Version>,
    ) -> (Self, ServerMessage) {
        let mut client = Self::hello_as(server, cookie, client_id, last_version).await;
        client.version = last_version.unwrap_or_default();
        let welcome = client.recv().await;
        assert!(
            matches!(welcome, ServerMessage::Welcome { .. }),
            "expected welcome, got {welcome:?}"
        );
        let catch_up = client.recv().await;
        (client, catch_up)
    }

    /// Opens a socket and says hello as `client_id`, reading nothing yet
    /// (to test what the server answers).
    pub async fn hello_as(
        server: &TestServer,
        cookie: &str,
        client_id: ClientId,
        last_version: Option<Version>,
    ) -> Self {
        let stream = connect_raw(server, Some(cookie), None)
            .await
            .expect("the upgrade is accepted");
        let mut client = Self::ungreeted(stream);
        client.client_id = client_id;
        client
            .send(&ClientMessage::Hello {
                protocol: PROTOCOL_VERSION,
                client_id,
                last_version,
            })
            .await;
        client
    }

    /// Reads until the error that closes the connection, skipping other
    /// messages; it must be `code`, and the socket must close after it.
    /// Returns the error's detail.
    pub async fn closed_with(&mut self, code: ErrorCode) -> String {
        let detail = self
            .wait_for("the connection to be closed with a reason", |m| match m {
                ServerMessage::Error { code: got, detail } => {
                    assert_eq!(*got, code, "{detail}");
                    Some(detail.clone())
                }
                _ => None,
            })
            .await;
        assert!(
            self.try_recv().await.is_none(),
            "the connection closes after the error"
        );
        detail
    }

    pub async fn send(&mut self, message: &ClientMessage) {
        let text = serde_json::to_string(message).expect("serialise");
        self.send_text(&text).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        tokio::time::timeout(WAIT, self.stream.send(Message::text(text)))
            .await
            .expect("send within the time limit")
            .expect("send on an open socket");
    }

    /// The envelope for `mutation` with this client's next seq.
    pub fn envelope(&mut self, mutation: Mutation) -> Envelope {
        let envelope = Envelope {
            client_id: self.client_id,
            seq: Seq(self.next_seq),
            mutation,
        };
        self.next_seq += 1;
        envelope
    }

    /// Pushes envelopes as one batch.
    pub async fn push(&mut self, envelopes: Vec<Envelope>) {
        self.send(&ClientMessage::Push {
            mutations: envelopes,
        })
        .await;
    }

    /// The next server message; panics on close, timeout or bad JSON.
    pub async fn recv(&mut self) -> ServerMessage {
        match self.try_recv().await {
            Some(message) => message,
            None => panic!("the server closed the sync connection"),
        }
    }

    /// The next server message, or `None` if the socket closed.
    pub async fn try_recv(&mut self) -> Option<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .unwrap_or_else(|_| panic!("no message from the server within {WAIT:?}"));
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let message: ServerMessage = serde_json::from_str(&text).unwrap_or_else(|e| {
                        let start: String = text.chars().take(300).collect();
                        panic!("server sent unreadable JSON ({e}): {start}…")
                    });
                    match &message {
                        ServerMessage::Presence { peers } => {
                            self.presence.push(peers.clone());
                            continue;
                        }
                        ServerMessage::Entries { entries } => {
                            if let Some(last) = entries.last() {
                                self.version = last.version;
                            }
                        }
                        ServerMessage::Snapshot { version, .. } => self.version = *version,
                        _ => {}
                    }
                    return Some(message);
                }
                Some(Ok(Message::Close(_))) => {
                    // Send the close reply tungstenite has queued, as a
                    // browser does, so that the server need not wait for it.
                    let _ = tokio::time::timeout(WAIT, self.stream.flush()).await;
                    return None;
                }
                None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    /// Reads messages until `pick` returns `Some`, skipping the others.
    pub async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ServerMessage) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            let message = self.recv().await;
            if let Some(found) = pick(&message) {
                return found;
            }
        }
    }

    /// Reads until a presence list satisfies `check` (the latest one counts).
    pub async fn wait_presence(&mut self, what: &str, check: impl Fn(&[Peer]) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if self.presence.last().is_some_and(|p| check(p)) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for presence: {what}"
            );
            let frame = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .unwrap_or_else(|_| panic!("no presence within {WAIT:?}: {what}"));
            if let Some(Ok(Message::Text(text))) = frame
                && let Ok(ServerMessage::Presence { peers }) = serde_json::from_str(&text)
            {
                self.presence.push(peers);
            }
        }
    }

    /// Waits for the `ack` of `seq` and returns its version.
    pub async fn ack(&mut self, seq: Seq) -> Version {
        self.wait_for(&format!("ack of {seq:?}"), |m| match m {
            ServerMessage::Ack { seq: s, version } if *s == seq => Some(*version),
            ServerMessage::Rejected { seq: s, rejection } if *s == seq => {
                panic!("{seq:?} was rejected: {rejection:?}")
            }
            _ => None,
        })
        .await
    }
}

/// The current state and the whole log, as clients get them: a new client's
/// snapshot, and another client catching up from version 0 until it holds
/// the snapshot's version.
pub async fn whole_log(server: &TestServer, cookie: &str) -> (State, Vec<LogEntry>) {
    let (_, snapshot) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { version, state } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    let (mut client, first) =
        SyncClient::connect_as(server, cookie, new_client_id(), Some(Version(0))).await;
    let mut entries = Vec::new();
    let mut message = first;
    loop {
        if let ServerMessage::Entries { entries: chunk } = message {
            entries.extend(chunk);
        }
        if entries.last().map_or(Version(0), |e| e.version) >= version {
            return (*state, entries);
        }
        message = client.recv().await;
    }
}
