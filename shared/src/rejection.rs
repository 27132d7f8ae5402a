//! Typed refusals of a mutation. The UI turns a [`RejectionCode`] and its
//! parameters into words in the person's language; nothing here is English prose.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::{forbidden_in_line, forbidden_in_text};

keyed_enum! {
    /// Why a mutation was refused. The serialised name is the message key.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum RejectionCode {
        /// A required text field is empty (param `field`).
        EmptyField = "empty_field",
        /// A text field is longer than allowed (params `field`, `max`).
        TooLong = "too_long",
        /// The entity referred to does not exist (params `entity`, `id`).
        UnknownEntity = "unknown_entity",
        /// An entity with this id exists already (params `entity`, `id`).
        DuplicateId = "duplicate_id",
        /// The status cannot change this way (params `from`, `to`).
        InvalidTransition = "invalid_transition",
        /// A horizon ends before it starts.
        HorizonEndsBeforeStart = "horizon_ends_before_start",
        /// The actor's role does not allow this change (param `role`).
        NotPermitted = "not_permitted",
        /// A value is not in the allowed form (params `field`, `expected`; a
        /// text refused for a character it holds also has `character`).
        InvalidValue = "invalid_value",
        /// Two dates or times are in the wrong order (param `field`).
        EndsBeforeStart = "ends_before_start",
        /// The referred entity is in use and cannot be removed (params `entity`, `by`).
        InUse = "in_use",
        /// Only one of these may exist (params `entity`, `key`), e.g. one conference a year.
        AlreadyExists = "already_exists",
        /// The region must be a member for this (param `region`).
        NotAMember = "not_a_member",
        /// Baselines are records of a decision and cannot be changed.
        BaselineImmutable = "baseline_immutable",
    }
}

keyed_enum! {
    /// A parameter of a [`Rejection`]: what its message needs to say.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Param {
        /// The field refused (its key, as the app names fields).
        Field = "field",
        /// The most characters the field may have.
        Max = "max",
        /// The kind of entity referred to.
        Entity = "entity",
        Id = "id",
        /// A status or membership moved from…
        From = "from",
        /// …and to.
        To = "to",
        Role = "role",
        /// The form the value must have (`url`, `single_line`, …).
        Expected = "expected",
        /// The character that may not be there, as `U+XXXX`.
        Character = "character",
        /// What holds on to an entity that is in use.
        By = "by",
        /// The value that must be unique.
        Key = "key",
        Region = "region",
        Value = "value",
        Year = "year",
    }
}

/// A refusal with the parameters its message needs. On the wire the
/// parameters are a map from [`Param`] keys to values.
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

    pub fn with(mut self, param: Param, value: impl ToString) -> Self {
        self.params
            .insert(param.key().to_owned(), value.to_string());
        self
    }

    pub fn param(&self, param: Param) -> Option<&str> {
        self.params.get(param.key()).map(String::as_str)
    }
}

/// A required single-line field (a title, a name): trimmed, 1 to `max`
/// characters, none of them [`forbidden_in_line`].
pub(crate) fn required_line(field: &str, value: &str, max: usize) -> Result<String, Rejection> {
    non_empty(field, value).and_then(|value| optional_line(field, value, max))
}

/// An optional single-line field (a place, a contact): trimmed, at most
/// `max` characters, none of them [`forbidden_in_line`].
pub(crate) fn optional_line(field: &str, value: &str, max: usize) -> Result<String, Rejection> {
    let value = within(field, value, max)?;
    match value.chars().find(|c| forbidden_in_line(*c)) {
        Some(c) => Err(forbidden(field, SINGLE_LINE, c)),
        None => Ok(value.to_owned()),
    }
}

/// A required multi-line text (a comment): trimmed, 1 to `max` characters,
/// line breaks and tabs kept, none of them [`forbidden_in_text`].
pub(crate) fn required_text(field: &str, value: &str, max: usize) -> Result<String, Rejection> {
    non_empty(field, value).and_then(|value| optional_text(field, value, max))
}

/// An optional multi-line text (a description, minutes, a summary): trimmed,
/// at most `max` characters, none of them [`forbidden_in_text`].
pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<String, Rejection> {
    let value = within(field, value, max)?;
    match value.chars().find(|c| forbidden_in_text(*c)) {
        Some(c) => Err(forbidden(field, PLAIN_TEXT, c)),
        None => Ok(value.to_owned()),
    }
}

/// The `expected` of a single-line field that holds a control character, a
/// line break or a bidirectional control.
pub const SINGLE_LINE: &str = "single_line";
/// The `expected` of a multi-line text that holds a control character other
/// than a line break or tab, or a bidirectional control.
pub const PLAIN_TEXT: &str = "plain_text";

fn non_empty<'a>(field: &str, value: &'a str) -> Result<&'a str, Rejection> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Rejection::new(RejectionCode::EmptyField).with(Param::Field, field));
    }
    Ok(value)
}

fn within<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, Rejection> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Rejection::new(RejectionCode::TooLong)
            .with(Param::Field, field)
            .with(Param::Max, max));
    }
    Ok(value)
}

/// A text holding a character it must not: `invalid_value` with the form
/// it must have and the character as `U+XXXX`, so that the person can find
/// an invisible one. Not a code of its own: an app that predates this rule
/// still reads the refusal (as "not in a valid form").
fn forbidden(field: &str, expected: &str, c: char) -> Rejection {
    invalid(field, expected).with(Param::Character, format!("U+{:04X}", u32::from(c)))
}

/// An optional http(s) address.
pub(crate) fn optional_url(field: &str, value: &str) -> Result<String, Rejection> {
    let value = within(field, value, 500)?;
    let valid = value.is_empty()
        || ((value.starts_with("https://") || value.starts_with("http://"))
            && value.len() > 10
            && !value.contains(char::is_whitespace)
            && !value.contains(forbidden_in_line));
    if valid {
        Ok(value.to_owned())
    } else {
        Err(invalid(field, "url"))
    }
}

/// A value of the wrong form.
pub(crate) fn invalid(field: &str, expected: &str) -> Rejection {
    Rejection::new(RejectionCode::InvalidValue)
        .with(Param::Field, field)
        .with(Param::Expected, expected)
}

/// The referred entity does not exist.
pub(crate) fn unknown(entity: &str, id: impl ToString) -> Rejection {
    Rejection::new(RejectionCode::UnknownEntity)
        .with(Param::Entity, entity)
        .with(Param::Id, id)
}

/// The actor may not do this.
pub(crate) fn not_permitted(role: &str) -> Rejection {
    Rejection::new(RejectionCode::NotPermitted).with(Param::Role, role)
}
