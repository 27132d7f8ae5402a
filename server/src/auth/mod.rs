//! Accounts, sessions, invitations and the first-run setup: who may sign
//! in, and what the secretariat may do with accounts.
//!
//! - [`accounts`]: the people (records, names, emails, password hashes,
//!   roles, calendar feeds), the first-run setup, and the check of the
//!   account trees.
//! - [`sessions`]: signing in and out, the session cookie, the password
//!   change, and the watch that ends a sync connection with its session.
//! - [`invitations`]: inviting, accepting, listing and revoking.
//! - [`limiter`]: failed sign-ins slow down per (account, address) and per
//!   address.
//!
//! Passwords are stored as Argon2id hashes. Session, invitation and setup
//! tokens are 32 random bytes handed out once and stored only as SHA-256
//! hashes, so a copy of the store cannot be used to sign in.
//!
//! Invariants: `auth` never imports `crate::http`: it answers with
//! [`AuthError`], and `http` decides what a client is told. `Auth` checks
//! the actor's role itself in every secretariat operation, whatever its
//! caller checked before.

pub mod accounts;
pub mod invitations;
pub mod limiter;
pub mod sessions;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, broadcast};

use ara_shared::account::AccountErrorCode;

use crate::store::{Store, StoreError};
use limiter::Limiter;
use sessions::Revocation;

pub use accounts::{UserRecord, name_key, normalise_email, valid_name, valid_password_hash};
pub use sessions::SessionWatch;

pub const SESSION_COOKIE: &str = "ara_session";
/// A session ends this long after sign-in.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);
/// An invitation link works this long unless configured otherwise.
pub const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
pub use ara_shared::account::{
    MAX_PASSWORD_CHARS, MAX_PERSON_NAME_CHARS as MAX_NAME_CHARS, MIN_PASSWORD_CHARS,
};
const SETUP_KEY: &[u8] = b"setup_token";

/// A refusal of an account request. The code is what the app translates.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {retry_after_s} s")]
    TooManyAttempts { retry_after_s: u64 },
    #[error("not signed in, or the session has expired")]
    NotSignedIn,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("this link is unknown, used or expired")]
    InvalidToken,
    #[error("the password must have {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("the email address is not valid")]
    InvalidEmail,
    #[error("an account with this email exists already")]
    EmailTaken,
    #[error("the name must have 1 to {MAX_NAME_CHARS} characters and no control characters")]
    InvalidName,
    #[error("someone with this name has an account already")]
    NameTaken,
    #[error("the first account exists already")]
    AlreadySetUp,
    #[error("unknown user")]
    UnknownUser,
    #[error("the last secretariat account keeps its role and its access")]
    LastSecretariat,
    #[error("you cannot remove your own access")]
    CannotRemoveSelf,
    #[error("a region editor works for a member region of the Alliance")]
    UnknownRegion,
    #[error("storage error: {0}")]
    Store(#[from] StoreError),
    /// Argon2 (or the task it ran on) failed: the server's fault, and not
    /// the store's, which is whole.
    #[error("hashing the password failed: {0}")]
    Hashing(String),
}

impl AuthError {
    /// Stable key for the app's translations.
    pub fn code(&self) -> AccountErrorCode {
        match self {
            AuthError::InvalidCredentials => AccountErrorCode::InvalidCredentials,
            AuthError::TooManyAttempts { .. } => AccountErrorCode::TooManyAttempts,
            AuthError::NotSignedIn => AccountErrorCode::NotSignedIn,
            AuthError::Forbidden => AccountErrorCode::Forbidden,
            AuthError::InvalidToken => AccountErrorCode::InvalidToken,
            AuthError::WeakPassword => AccountErrorCode::WeakPassword,
            AuthError::InvalidEmail => AccountErrorCode::InvalidEmail,
            AuthError::EmailTaken => AccountErrorCode::EmailTaken,
            AuthError::InvalidName => AccountErrorCode::InvalidName,
            AuthError::NameTaken => AccountErrorCode::NameTaken,
            AuthError::AlreadySetUp => AccountErrorCode::AlreadySetUp,
            AuthError::UnknownUser => AccountErrorCode::UnknownUser,
            AuthError::LastSecretariat => AccountErrorCode::LastSecretariat,
            AuthError::CannotRemoveSelf => AccountErrorCode::CannotRemoveSelf,
            AuthError::UnknownRegion => AccountErrorCode::UnknownRegion,
            AuthError::Store(_) | AuthError::Hashing(_) => AccountErrorCode::Internal,
        }
    }
}

impl From<sled::Error> for AuthError {
    fn from(e: sled::Error) -> Self {
        AuthError::Store(StoreError::Sled(e))
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A fresh secret for a link or cookie, and the hash under which it is stored.
fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Accounts and sessions, persisted in their own sled trees.
pub struct Auth {
    store: Store,
    users: sled::Tree,
    emails: sled::Tree,
    sessions: sled::Tree,
    invitations: sled::Tree,
    feeds: sled::Tree,
    meta: sled::Tree,
    limiter: Mutex<Limiter>,
    /// Cookies get `Secure` when the public URL is https.
    secure_cookies: bool,
    invitation_lifetime: Duration,
    session_lifetime: Duration,
    revocations: broadcast::Sender<Revocation>,
}

impl Auth {
    pub fn open(store: &Store, secure_cookies: bool) -> Result<Self, AuthError> {
        Ok(Self {
            store: store.clone(),
            users: store.tree("users")?,
            emails: store.tree("emails")?,
            sessions: store.tree("sessions")?,
            invitations: store.tree("invitations")?,
            feeds: store.tree("feeds")?,
            meta: store.tree("meta")?,
            limiter: Mutex::new(Limiter::default()),
            secure_cookies,
            invitation_lifetime: INVITATION_LIFETIME,
            session_lifetime: SESSION_LIFETIME,
            revocations: broadcast::channel(64).0,
        })
    }

    pub fn with_invitation_lifetime(mut self, lifetime: Duration) -> Self {
        self.invitation_lifetime = lifetime;
        self
    }

    pub fn with_session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    fn revoke(&self, revocation: Revocation) {
        // No receiver only means no sync connection is open.
        let _ = self.revocations.send(revocation);
    }
}
