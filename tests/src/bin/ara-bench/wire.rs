//! Bench clients on the real protocol: accounts enough for many connections
//! (the server holds at most 16 per account), hello, and cheap reading that
//! parses only what a figure needs.

use std::time::Duration;

use anyhow::{Context as _, bail};
use ara_shared::protocol::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use ara_shared::{
    Actor, ClientId, Envelope, Horizon, LogEntry, Mutation, PriorityId, Quarter, Role, Seq, Term,
    UserId, Version,
};
use ara_tests::server::TestServer;
pub use ara_tests::ws::client_config;
use ara_tests::ws::connect_raw;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connections one account may hold (the server's limit).
pub const PER_ACCOUNT: usize = 16;
pub const WAIT: Duration = Duration::from_secs(60);

pub fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

pub fn new_id() -> PriorityId {
    PriorityId(uuid::Uuid::now_v7())
}

pub fn new_client() -> ClientId {
    ClientId(uuid::Uuid::now_v7())
}

/// Session cookies for `n` connections: the secretariat and as many
/// invited secretariat accounts as the per-account limit needs.
pub async fn cookies(server: &TestServer, connections: usize) -> Vec<String> {
    let first = server.sign_up_secretariat().await;
    let accounts = connections.div_ceil(PER_ACCOUNT).max(1);
    let mut cookies = vec![first.clone()];
    for i in 1..accounts {
        cookies.push(
            server
                .invite(
                    &first,
                    &format!("Bench {i}"),
                    &format!("bench{i}@ara.test"),
                    Role::Secretariat,
                )
                .await,
        );
    }
    (0..connections)
        .map(|c| cookies[c / PER_ACCOUNT].clone())
        .collect()
}

/// An open, greeted connection.
pub struct Conn {
    pub socket: Socket,
    pub client_id: ClientId,
    pub next_seq: u64,
}

/// Connects, says hello, and returns the connection and its catch-up.
pub async fn connect(
    server: &TestServer,
    cookie: &str,
    last_version: Option<Version>,
) -> anyhow::Result<(Conn, ServerMessage, usize)> {
    let socket = connect_raw(server, Some(cookie), None)
        .await
        .context("sync upgrade")?;
    let mut conn = Conn {
        socket,
        client_id: new_client(),
        next_seq: 1,
    };
    conn.send(&ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        client_id: conn.client_id,
        last_version,
    })
    .await?;
    let (welcome, _) = conn.recv().await?;
    if !matches!(welcome, ServerMessage::Welcome { .. }) {
        bail!("expected welcome, got {welcome:?}");
    }
    let (catch_up, bytes) = conn.recv().await?;
    Ok((conn, catch_up, bytes))
}

impl Conn {
    pub async fn send(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        let text = serde_json::to_string(message)?;
        tokio::time::timeout(WAIT, self.socket.send(Message::text(text)))
            .await
            .context("send timed out")??;
        Ok(())
    }

    pub fn envelope(&mut self, mutation: Mutation) -> Envelope {
        let envelope = Envelope {
            client_id: self.client_id,
            seq: Seq(self.next_seq),
            mutation,
        };
        self.next_seq += 1;
        envelope
    }

    /// The next text frame, raw.
    pub async fn recv_text(&mut self) -> anyhow::Result<String> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .context("no message from the server in time")?;
            match frame {
                Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
                Some(Ok(Message::Close(c))) => bail!("closed by the server: {c:?}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("connection ended"),
            }
        }
    }

    /// The next message other than presence, and its size in bytes.
    pub async fn recv(&mut self) -> anyhow::Result<(ServerMessage, usize)> {
        loop {
            let text = self.recv_text().await?;
            if text.starts_with(r#"{"type":"presence""#) {
                continue;
            }
            return Ok((serde_json::from_str(&text)?, text.len()));
        }
    }

    /// Pushes and waits for the ack of the last envelope; entries and other
    /// acks are skipped without parsing them whole.
    pub async fn push_and_wait(&mut self, envelopes: Vec<Envelope>) -> anyhow::Result<Version> {
        let last = envelopes.last().context("nothing to push")?.seq;
        self.send(&ClientMessage::Push {
            mutations: envelopes,
        })
        .await?;
        self.wait_ack(last).await
    }

    pub async fn wait_ack(&mut self, seq: Seq) -> anyhow::Result<Version> {
        loop {
            let text = self.recv_text().await?;
            if text.starts_with(r#"{"type":"ack""#) {
                if let ServerMessage::Ack { seq: s, version } = serde_json::from_str(&text)?
                    && s == seq
                {
                    return Ok(version);
                }
            } else if text.starts_with(r#"{"type":"rejected""#)
                || text.starts_with(r#"{"type":"error""#)
            {
                bail!("the server refused a bench mutation: {text}");
            }
        }
    }
}

/// A log entry as the server writes it, for baselines that must handle the
/// same bytes without the server.
pub fn log_entry(version: u64, client_id: ClientId, seq: u64, mutation: Mutation) -> LogEntry {
    LogEntry {
        version: Version(version),
        client_id,
        seq: Seq(seq),
        actor: Actor {
            user: UserId(uuid::Uuid::from_u128(1)),
            name: "Sabine Sekretariat".into(),
            role: Role::Secretariat,
            region: None,
        },
        at_ms: 1_767_225_600_000 + version as i64,
        mutation,
    }
}
