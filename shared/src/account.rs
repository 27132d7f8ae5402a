//! The account API's bodies, shared so that the app and the server agree on
//! them: who is signed in, and the requests of setup, sign-in, password
//! change, invitations and roles.

use serde::{Deserialize, Serialize};

use crate::ids::{RegionId, UserId};
use crate::mutation::Role;

/// A password has at least this many characters…
pub const MIN_PASSWORD_CHARS: usize = 12;
/// …and at most this many.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// A person's name on their account has 1 to this many characters.
pub const MAX_PERSON_NAME_CHARS: usize = 120;

keyed_enum! {
    /// Why the account API refused a request: the `error` of every
    /// refusal's body, which the app translates. The app matches on it
    /// exhaustively, so a new code does not compile there until it has
    /// words in every language.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AccountErrorCode {
        InvalidCredentials = "invalid_credentials",
        /// With `retry_after_s`.
        TooManyAttempts = "too_many_attempts",
        NotSignedIn = "not_signed_in",
        Forbidden = "forbidden",
        InvalidToken = "invalid_token",
        /// Not [`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_CHARS`] characters.
        WeakPassword = "weak_password",
        InvalidEmail = "invalid_email",
        EmailTaken = "email_taken",
        /// Empty, over [`MAX_PERSON_NAME_CHARS`], or with a control character.
        InvalidName = "invalid_name",
        NameTaken = "name_taken",
        AlreadySetUp = "already_set_up",
        UnknownUser = "unknown_user",
        LastSecretariat = "last_secretariat",
        CannotRemoveSelf = "cannot_remove_self",
        UnknownRegion = "unknown_region",
        BadRequest = "bad_request",
        UnsupportedMediaType = "unsupported_media_type",
        PayloadTooLarge = "payload_too_large",
        CrossSite = "cross_site",
        NotFound = "not_found",
        /// The server failed; the detail is in its log, not in the answer.
        Internal = "internal",
    }
}

/// What the app may know about a person with an account (never the hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The region a region editor works for.
    #[serde(default)]
    pub region: Option<RegionId>,
}

/// Creates the first secretariat account with the token of the setup link.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetUpRequest {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current: String,
    pub new: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    pub role: Role,
    #[serde(default)]
    pub region: Option<RegionId>,
}

/// An invitation as its recipient and the inviter see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    #[serde(default)]
    pub region: Option<RegionId>,
    /// Path with the one-time token in the fragment, e.g. `/invite#...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub email: String,
    pub role: Role,
    pub expires_ms: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    pub name: String,
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRoleRequest {
    pub role: Role,
    #[serde(default)]
    pub region: Option<RegionId>,
}

/// Every refused API request: `error` is a stable code the app translates,
/// `message` is English for logs and scripts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: AccountErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
}

/// An invitation not accepted yet, as the secretariat lists it. `id` names
/// it for revoking; it is not the token and cannot be used to accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    #[serde(default)]
    pub region: Option<RegionId>,
    pub expires_ms: i64,
}

/// Whether the signed-in person has a calendar feed URL. The URL itself is
/// shown only when it is made: the server keeps just its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedStatus {
    pub active: bool,
}

/// A new calendar feed URL (a path on this server, e.g. `/calendar/....ics`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedLink {
    pub url: String,
}

/// The server's backups as the secretariat's account page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupsStatus {
    /// Whether the server writes backups by itself (`--backup-dir`).
    pub automatic: bool,
    /// How often, in seconds (0 when not automatic).
    pub every_secs: u64,
    /// How many automatic backups are kept (0 when not automatic).
    pub keep: u32,
    /// The newest automatic backup.
    #[serde(default)]
    pub latest: Option<BackupInfo>,
    /// When the last attempt failed, if none succeeded since.
    #[serde(default)]
    pub failed_ms: Option<i64>,
}

/// One backup file written by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupInfo {
    pub created_ms: i64,
    pub bytes: u64,
    pub version: crate::Version,
}
