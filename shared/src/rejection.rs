//! Typed refusals of a mutation. The UI turns a [`RejectionCode`] and its
//! parameters into words in the person's language; nothing here is English prose.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a mutation was refused. The serialised name is the message key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionCode {
    /// A required text field is empty (param `field`).
    EmptyField,
    /// A text field is longer than allowed (params `field`, `max`).
    TooLong,
    /// The entity referred to does not exist (params `entity`, `id`).
    UnknownEntity,
    /// An entity with this id exists already (params `entity`, `id`).
    DuplicateId,
    /// The status cannot change this way (params `from`, `to`).
    InvalidTransition,
    /// A horizon ends before it starts.
    HorizonEndsBeforeStart,
    /// The actor's role does not allow this change (param `role`).
    NotPermitted,
}

impl RejectionCode {
    /// The message key, as used by the app's translations.
    pub fn key(self) -> &'static str {
        match self {
            RejectionCode::EmptyField => "empty_field",
            RejectionCode::TooLong => "too_long",
            RejectionCode::UnknownEntity => "unknown_entity",
            RejectionCode::DuplicateId => "duplicate_id",
            RejectionCode::InvalidTransition => "invalid_transition",
            RejectionCode::HorizonEndsBeforeStart => "horizon_ends_before_start",
            RejectionCode::NotPermitted => "not_permitted",
        }
    }
}

/// A refusal with the parameters its message needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("mutation rejected: {code:?} {params:?}")]
pub struct Rejection {
    pub code: RejectionCode,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl Rejection {
    pub fn new(code: RejectionCode) -> Self {
        Self {
            code,
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}
