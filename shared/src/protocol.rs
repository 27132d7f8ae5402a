//! The sync protocol between the app and the server, over one WebSocket with
//! JSON text frames. Versioned: a peer that speaks another protocol version is
//! refused with [`ErrorCode::ProtocolMismatch`], and an unknown message is
//! refused with [`ErrorCode::UnknownMessage`], never misread.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, PriorityId, Seq, UserId, Version};
use crate::mutation::{Actor, Envelope, LogEntry};
use crate::rejection::Rejection;
use crate::state::State;

/// Bumped on every incompatible change of the messages below. Version 2:
/// presence names connections, not client ids, and `welcome` tells a
/// connection its own.
pub const PROTOCOL_VERSION: u32 = 2;

/// Most mutations one `push` may carry.
pub const MAX_BATCH: usize = 500;

/// Largest text frame either side accepts, in bytes.
pub const MAX_FRAME_BYTES: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// First message on a connection: who is syncing and what they have.
    Hello {
        protocol: u32,
        client_id: ClientId,
        /// The confirmed version the client holds; `None` for a new client.
        last_version: Option<Version>,
    },
    /// Mutations in the client's order.
    Push { mutations: Vec<Envelope> },
    /// What this person is looking at or editing now. Ephemeral: never stored.
    Presence {
        viewing: Option<PriorityId>,
        editing: Option<PriorityId>,
    },
}

/// One open sync connection, numbered by the server for presence lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectionId(pub u64);

/// One open connection as the others see it. It is named by a number the
/// server gives each connection, not by its client id: client ids are bound
/// to their person, and nobody needs to know anyone else's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    pub connection: ConnectionId,
    pub user: UserId,
    pub name: String,
    pub viewing: Option<PriorityId>,
    pub editing: Option<PriorityId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Answer to `hello`: the server's version, who the client acts as, and
    /// the last of this client's mutations the server has applied.
    Welcome {
        protocol: u32,
        version: Version,
        actor: Actor,
        applied_seq: Option<Seq>,
        /// How this connection appears in presence lists.
        connection: ConnectionId,
    },
    /// The whole state, when the client is new or too far behind.
    Snapshot { version: Version, state: Box<State> },
    /// Log entries in order, each exactly once per connection.
    Entries { entries: Vec<LogEntry> },
    /// A pushed mutation is durable at `version` (sent again for a duplicate).
    Ack { seq: Seq, version: Version },
    /// A pushed mutation was refused; the client drops it and says why.
    Rejected { seq: Seq, rejection: Rejection },
    /// Everyone connected now and what they look at (sent on every change).
    Presence { peers: Vec<Peer> },
    /// The connection is refused or about to close.
    Error { code: ErrorCode, detail: String },
}

keyed_enum! {
    /// Why the server refuses a connection or a frame.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ErrorCode {
        ProtocolMismatch = "protocol_mismatch",
        UnknownMessage = "unknown_message",
        Malformed = "malformed",
        TooLarge = "too_large",
        BatchTooLarge = "batch_too_large",
        HelloRequired = "hello_required",
        Unauthorized = "unauthorized",
        ServerShuttingDown = "server_shutting_down",
        /// The connection read too slowly and fell behind the fan-out.
        Lagging = "lagging",
        /// The client id of `hello` or of a pushed mutation belongs to another
        /// account.
        ClientIdTaken = "client_id_taken",
        /// A pushed seq is far beyond the client's last applied one.
        SeqOutOfWindow = "seq_out_of_window",
        /// The server's disk is (nearly) full: nothing of the push was saved;
        /// the client keeps its edits and sends them again later.
        StorageFull = "storage_full",
        /// The server could not write to its disk and accepts no edits until
        /// its operator has restarted it; the client keeps its edits.
        StorageFailed = "storage_failed",
        Internal = "internal",
    }
}

/// Why a frame could not be read as a [`ClientMessage`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("frame of {0} bytes exceeds the limit of {MAX_FRAME_BYTES}")]
    TooLarge(usize),
    #[error("unknown message type `{0}`")]
    UnknownMessage(String),
    #[error("malformed message: {0}")]
    Malformed(String),
}

impl DecodeError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DecodeError::TooLarge(_) => ErrorCode::TooLarge,
            DecodeError::UnknownMessage(_) => ErrorCode::UnknownMessage,
            DecodeError::Malformed(_) => ErrorCode::Malformed,
        }
    }
}

const CLIENT_TYPES: [&str; 3] = ["hello", "push", "presence"];

impl ClientMessage {
    /// Decodes a text frame, telling an unknown message from a malformed one.
    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        if text.len() > MAX_FRAME_BYTES {
            return Err(DecodeError::TooLarge(text.len()));
        }
        // One pass for a well-formed message, the common case; only a
        // refused one is read again, to tell an unknown type from damage.
        let error = match serde_json::from_str(text) {
            Ok(message) => return Ok(message),
            Err(e) => e,
        };
        /// Just the `type` of a message; other fields are skipped.
        #[derive(Deserialize)]
        struct Tagged<'a> {
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
        }
        match serde_json::from_str::<Tagged>(text) {
            Ok(Tagged { kind }) if !CLIENT_TYPES.contains(&kind.as_ref()) => {
                Err(DecodeError::UnknownMessage(kind.chars().take(64).collect()))
            }
            Ok(_) => Err(DecodeError::Malformed(error.to_string())),
            Err(_) if error.is_syntax() || error.is_eof() => {
                Err(DecodeError::Malformed(error.to_string()))
            }
            Err(_) => Err(DecodeError::Malformed("missing string field `type`".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_message_is_told_apart_from_malformed() {
        assert!(matches!(
            ClientMessage::decode(r#"{"type":"subscribe"}"#),
            Err(DecodeError::UnknownMessage(t)) if t == "subscribe"
        ));
        assert!(matches!(
            ClientMessage::decode("{"),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            ClientMessage::decode(r#"{"type":"push","mutations":3}"#),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            ClientMessage::decode(r#"[1]"#),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            ClientMessage::decode(r#"{"mutations":[]}"#),
            Err(DecodeError::Malformed(m)) if m.contains("type")
        ));
        assert!(matches!(
            ClientMessage::decode(r#"{"type":7}"#),
            Err(DecodeError::Malformed(_))
        ));
        // An escaped unknown type is still told apart, unescaped.
        assert!(matches!(
            ClientMessage::decode(r#"{"type":"sub\u0073cribe","x":[1,{"y":2}]}"#),
            Err(DecodeError::UnknownMessage(t)) if t == "subscribe"
        ));
        // A known type with a bad body is damage, not an unknown message.
        assert!(matches!(
            ClientMessage::decode(r#"{"type":"hello","protocol":"x"}"#),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn oversize_frame_is_refused_before_parsing() {
        let big = " ".repeat(MAX_FRAME_BYTES + 1);
        assert_eq!(
            ClientMessage::decode(&big).map_err(|e| e.code()),
            Err(ErrorCode::TooLarge)
        );
    }

    #[test]
    fn hello_round_trips() {
        let hello = ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            client_id: ClientId::from_parts(5, [5; 10]),
            last_version: Some(Version(7)),
        };
        let text = serde_json::to_string(&hello).expect("serialise");
        assert_eq!(ClientMessage::decode(&text), Ok(hello));
    }
}
