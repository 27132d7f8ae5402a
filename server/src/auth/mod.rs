//! Accounts, sessions, invitations and the first-run setup.
//!
//! Passwords are stored as Argon2id hashes. Session, invitation and setup
//! tokens are 32 random bytes handed out once and stored only as SHA-256
//! hashes, so a copy of the store cannot be used to sign in. Failed sign-ins
//! slow down per (account, address) and per address ([`limiter`]).

pub mod limiter;

use std::net::IpAddr;
use std::time::Duration;

use ara_shared::account::{OpenInvitation, UserView};
use ara_shared::{Actor, RegionId, Role, UserId};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, broadcast};

use crate::store::{LogStore, Store, StoreError};
use limiter::Limiter;

pub const SESSION_COOKIE: &str = "ara_session";
/// A session ends this long after sign-in.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);
/// An invitation link works this long unless configured otherwise.
pub const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MAX_NAME_CHARS: usize = 120;
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
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::InvalidCredentials => "invalid_credentials",
            AuthError::TooManyAttempts { .. } => "too_many_attempts",
            AuthError::NotSignedIn => "not_signed_in",
            AuthError::Forbidden => "forbidden",
            AuthError::InvalidToken => "invalid_token",
            AuthError::WeakPassword => "weak_password",
            AuthError::InvalidEmail => "invalid_email",
            AuthError::EmailTaken => "email_taken",
            AuthError::InvalidName => "invalid_name",
            AuthError::NameTaken => "name_taken",
            AuthError::AlreadySetUp => "already_set_up",
            AuthError::UnknownUser => "unknown_user",
            AuthError::LastSecretariat => "last_secretariat",
            AuthError::CannotRemoveSelf => "cannot_remove_self",
            AuthError::UnknownRegion => "unknown_region",
            AuthError::Store(_) | AuthError::Hashing(_) => "internal",
        }
    }
}

impl From<sled::Error> for AuthError {
    fn from(e: sled::Error) -> Self {
        AuthError::Store(StoreError::Sled(e))
    }
}

/// A person who can sign in. The hash never leaves the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The region a region editor works for.
    #[serde(default)]
    pub region: Option<RegionId>,
    pub password_hash: String,
    /// Hash (hex) of the secret of this person's calendar feed URL, if any.
    #[serde(default)]
    pub calendar_feed: Option<String>,
    pub created_ms: i64,
}

impl From<&UserRecord> for UserView {
    fn from(u: &UserRecord) -> Self {
        Self {
            id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.role,
            region: u.region,
        }
    }
}

impl UserRecord {
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.id,
            name: self.name.clone(),
            role: self.role,
            region: self.region,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SessionRecord {
    user: UserId,
    expires_ms: i64,
}

/// Sessions that just ended, so that their open sync connections end too.
#[derive(Clone, Copy, Debug)]
pub enum Revocation {
    /// This session signed out.
    Session([u8; 32]),
    /// Every session of this person but `keep`: the password or the role
    /// changed.
    User {
        user: UserId,
        keep: Option<[u8; 32]>,
    },
    /// Every session of this person: the secretariat removed their access.
    Removed(UserId),
}

/// Ends with a reason when the session a sync connection was opened with
/// ends: signed out, expired, or the person's password or role changed.
pub struct SessionWatch {
    user: UserId,
    session: [u8; 32],
    expires: tokio::time::Instant,
    revocations: broadcast::Receiver<Revocation>,
}

impl SessionWatch {
    /// Waits until the session ends; cancel-safe, so it can sit in a `select!`.
    pub async fn ended(&mut self) -> &'static str {
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(self.expires) => return "the session has expired; sign in again",
                revoked = self.revocations.recv() => match revoked {
                    Ok(Revocation::Session(hash)) if hash == self.session => {
                        return "signed out";
                    }
                    Ok(Revocation::User { user, keep })
                        if user == self.user && keep != Some(self.session) =>
                    {
                        return "the account changed; reconnecting with its new rights";
                    }
                    Ok(Revocation::Removed(user)) if user == self.user => {
                        return "your access was removed";
                    }
                    Ok(_) => {}
                    // Missed revocations might have been ours: reconnecting
                    // checks the session again.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return "the session must be checked again";
                    }
                    Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
                },
            }
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    /// For a region editor: the region they will work for.
    #[serde(default)]
    pub region: Option<RegionId>,
    pub expires_ms: i64,
    pub invited_by: UserId,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Now plus `after`, or a century from now if that does not fit.
fn far_instant(after: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(after)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
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

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

fn new_user_id() -> UserId {
    UserId(uuid::Uuid::now_v7())
}

pub fn normalise_email(email: &str) -> Result<String, AuthError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(AuthError::InvalidEmail)
    }
}

/// A person's name as shown to everyone: one line, no control or bidi
/// characters (which could make it read as someone else's).
pub fn valid_name(name: &str) -> Result<String, AuthError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(ara_shared::text::forbidden_in_line)
    {
        return Err(AuthError::InvalidName);
    }
    Ok(name.to_owned())
}

/// What two names that differ only in case or spacing have in common: such
/// names would pass for the same person in presence, history and comments.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A stored password hash must be an Argon2id hash in PHC form: anything
/// else could never be verified, or would be verified more weakly.
pub fn valid_password_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| parsed.algorithm == argon2::ARGON2ID_IDENT)
}

fn check_password_rules(password: &str) -> Result<(), AuthError> {
    let n = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(AuthError::WeakPassword)
    }
}

async fn hash_password(password: String) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AuthError::Hashing(format!("its task failed: {e}")))?
    .map_err(|e| AuthError::Hashing(e.to_string()))
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// What a new account is made of, checked before any token is consumed
/// or any password hashed.
struct NewAccount {
    name: String,
    email: String,
    password: String,
}

impl NewAccount {
    fn check(name: &str, email: &str, password: &str) -> Result<Self, AuthError> {
        let name = valid_name(name)?;
        let email = normalise_email(email)?;
        check_password_rules(password)?;
        Ok(Self {
            name,
            email,
            password: password.to_owned(),
        })
    }
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

    pub fn has_users(&self) -> bool {
        !self.users.is_empty()
    }

    /// With no account yet, a one-time token for the setup link (a new one at
    /// every start, the previous one no longer works).
    pub async fn setup_token(&self) -> Result<Option<String>, AuthError> {
        if self.has_users() {
            return Ok(None);
        }
        let (token, hash) = new_token();
        self.meta.insert(SETUP_KEY, &hash)?;
        self.store.flush().await?;
        Ok(Some(token))
    }

    fn user(&self, id: UserId) -> Result<UserRecord, AuthError> {
        let bytes = self
            .users
            .get(id.0.as_bytes())?
            .ok_or(AuthError::UnknownUser)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("user record: {e}"))))
    }

    fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, AuthError> {
        match self.emails.get(email.as_bytes())? {
            Some(id) => {
                let id = uuid::Uuid::from_slice(&id).map_err(|e| {
                    AuthError::Store(StoreError::Corrupt(format!("email index: {e}")))
                })?;
                self.user(UserId(id)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn put_user(&self, user: &UserRecord) -> Result<(), AuthError> {
        let bytes = serde_json::to_vec(user)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("user record: {e}"))))?;
        self.users.insert(user.id.0.as_bytes(), bytes)?;
        self.emails
            .insert(user.email.as_bytes(), user.id.0.as_bytes())?;
        Ok(())
    }

    /// Refuses a name that differs from an existing person's only in case
    /// or spacing.
    fn name_is_free(&self, name: &str) -> Result<(), AuthError> {
        let key = name_key(name);
        if self
            .user_records()?
            .iter()
            .any(|u| name_key(&u.name) == key)
        {
            return Err(AuthError::NameTaken);
        }
        Ok(())
    }

    /// Creates an account whose name, email and password were checked
    /// ([`NewAccount::check`]). The email is reserved atomically (sled's
    /// compare-and-swap) before the password is hashed: of concurrent
    /// requests for one address exactly one gets an account.
    async fn create_user(
        &self,
        account: NewAccount,
        role: Role,
        region: Option<RegionId>,
    ) -> Result<UserRecord, AuthError> {
        let id = new_user_id();
        let reserved = self.emails.compare_and_swap(
            account.email.as_bytes(),
            None as Option<&[u8]>,
            Some(id.0.as_bytes()),
        )?;
        if reserved.is_err() {
            return Err(AuthError::EmailTaken);
        }
        let password_hash = match hash_password(account.password).await {
            Ok(hash) => hash,
            Err(e) => {
                self.emails.remove(account.email.as_bytes())?;
                return Err(e);
            }
        };
        let user = UserRecord {
            id,
            name: account.name,
            email: account.email,
            role,
            region: region.filter(|_| role == Role::RegionEditor),
            password_hash,
            calendar_feed: None,
            created_ms: now_ms(),
        };
        self.put_user(&user)?;
        Ok(user)
    }

    /// Creates the first secretariat account with the setup token.
    pub async fn set_up(
        &self,
        token: &str,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<UserRecord, AuthError> {
        if self.has_users() {
            return Err(AuthError::AlreadySetUp);
        }
        let account = NewAccount::check(name, email, password)?;
        // Consume the token before anything else, atomically: of concurrent
        // requests with one token exactly one goes on. Should that one fail
        // later, the next start prints a new link (there is no account yet).
        let hash = token_hash(token);
        let consumed =
            self.meta
                .compare_and_swap(SETUP_KEY, Some(&hash[..]), None as Option<&[u8]>)?;
        if consumed.is_err() {
            return Err(if self.has_users() {
                AuthError::AlreadySetUp
            } else {
                AuthError::InvalidToken
            });
        }
        let user = self.create_user(account, Role::Secretariat, None).await?;
        self.store.flush().await?;
        tracing::info!(user = %user.id, "first secretariat account created");
        Ok(user)
    }

    /// Checks a password, within the limits on failed attempts.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<UserRecord, AuthError> {
        let email = email.trim().to_lowercase();
        self.limiter.lock().await.attempt(&email, from)?;
        let user = self.user_by_email(&email)?;
        let ok = match &user {
            Some(u) => verify_password(password.to_owned(), u.password_hash.clone()).await,
            None => {
                // Spend the same time as for a real account, so that timing
                // does not tell which addresses have one.
                let _ = hash_password(password.to_owned()).await;
                false
            }
        };
        match user {
            Some(u) if ok => {
                self.limiter.lock().await.succeeded(&email, from);
                Ok(u)
            }
            // The attempt counts as a failure already.
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    /// Starts a session; returns the `Set-Cookie` value.
    pub async fn start_session(&self, user: &UserRecord) -> Result<HeaderValue, AuthError> {
        let (token, hash) = new_token();
        let lifetime = i64::try_from(self.session_lifetime.as_millis()).unwrap_or(i64::MAX);
        let record = SessionRecord {
            user: user.id,
            expires_ms: now_ms().saturating_add(lifetime),
        };
        let bytes = serde_json::to_vec(&record)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("session: {e}"))))?;
        self.sessions.insert(hash, bytes)?;
        self.store.flush().await?;
        Ok(self.cookie(&token, self.session_lifetime.as_secs()))
    }

    fn cookie(&self, value: &str, max_age_s: u64) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
        ))
        .expect("cookie is ASCII")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> HeaderValue {
        self.cookie("", 0)
    }

    fn session_token(headers: &HeaderMap) -> Option<&str> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
    }

    /// The signed-in user of a request.
    pub fn current_user(&self, headers: &HeaderMap) -> Result<UserRecord, AuthError> {
        self.current_session(headers).map(|(user, _)| user)
    }

    /// The signed-in user of a request and a watch on the session, for a
    /// connection that lives longer than the request.
    pub fn current_session(
        &self,
        headers: &HeaderMap,
    ) -> Result<(UserRecord, SessionWatch), AuthError> {
        let revocations = self.revocations.subscribe();
        let token = Self::session_token(headers).ok_or(AuthError::NotSignedIn)?;
        let hash = token_hash(token);
        let bytes = self.sessions.get(hash)?.ok_or(AuthError::NotSignedIn)?;
        let session: SessionRecord =
            serde_json::from_slice(&bytes).map_err(|_| AuthError::NotSignedIn)?;
        let left_ms = session.expires_ms.saturating_sub(now_ms());
        if left_ms <= 0 {
            self.sessions.remove(hash)?;
            return Err(AuthError::NotSignedIn);
        }
        let user = self
            .user(session.user)
            .map_err(|_| AuthError::NotSignedIn)?;
        let watch = SessionWatch {
            user: user.id,
            session: hash,
            expires: far_instant(Duration::from_millis(
                u64::try_from(left_ms).unwrap_or(u64::MAX),
            )),
            revocations,
        };
        Ok((user, watch))
    }

    pub async fn sign_out(&self, headers: &HeaderMap) -> Result<(), AuthError> {
        if let Some(token) = Self::session_token(headers) {
            let hash = token_hash(token);
            self.sessions.remove(hash)?;
            self.store.flush().await?;
            self.revoke(Revocation::Session(hash));
        }
        Ok(())
    }

    /// Changes the password and ends every other session of the user.
    pub async fn change_password(
        &self,
        headers: &HeaderMap,
        current: &str,
        new: &str,
        from: IpAddr,
    ) -> Result<(), AuthError> {
        let user = self.current_user(headers)?;
        self.sign_in(&user.email, current, from).await?;
        check_password_rules(new)?;
        let mut updated = user.clone();
        updated.password_hash = hash_password(new.to_owned()).await?;
        self.put_user(&updated)?;
        let keep = Self::session_token(headers).map(token_hash);
        for item in self.sessions.iter() {
            let (key, value) = item?;
            let ours =
                serde_json::from_slice::<SessionRecord>(&value).is_ok_and(|s| s.user == user.id);
            if ours && keep.as_ref().map(|k| k.as_slice()) != Some(key.as_ref()) {
                self.sessions.remove(key)?;
            }
        }
        self.store.flush().await?;
        self.revoke(Revocation::User {
            user: user.id,
            keep,
        });
        Ok(())
    }

    /// The secretariat invites someone; returns the one-time token.
    pub async fn invite(
        &self,
        by: &UserRecord,
        email: &str,
        role: Role,
        region: Option<RegionId>,
    ) -> Result<(String, Invitation), AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        let email = normalise_email(email)?;
        if self.emails.contains_key(email.as_bytes())? {
            return Err(AuthError::EmailTaken);
        }
        let lifetime = i64::try_from(self.invitation_lifetime.as_millis()).unwrap_or(i64::MAX);
        let invitation = Invitation {
            email,
            role,
            region: region.filter(|_| role == Role::RegionEditor),
            expires_ms: now_ms().saturating_add(lifetime),
            invited_by: by.id,
        };
        let (token, hash) = new_token();
        let bytes = serde_json::to_vec(&invitation)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("invitation: {e}"))))?;
        self.invitations.insert(hash, bytes)?;
        self.store.flush().await?;
        Ok((token, invitation))
    }

    /// The invitation behind a token, if it is still valid.
    pub fn invitation(&self, token: &str) -> Result<Invitation, AuthError> {
        let bytes = self
            .invitations
            .get(token_hash(token))?
            .ok_or(AuthError::InvalidToken)?;
        let invitation: Invitation =
            serde_json::from_slice(&bytes).map_err(|_| AuthError::InvalidToken)?;
        if invitation.expires_ms <= now_ms() {
            return Err(AuthError::InvalidToken);
        }
        Ok(invitation)
    }

    /// Creates the invited account; the token cannot be used again.
    pub async fn accept_invitation(
        &self,
        token: &str,
        name: &str,
        password: &str,
    ) -> Result<UserRecord, AuthError> {
        let invitation = self.invitation(token)?;
        let account = NewAccount::check(name, &invitation.email, password)?;
        self.name_is_free(&account.name)?;
        // Consume the invitation atomically before the password is hashed:
        // of concurrent accepts of one link exactly one removes it.
        let key = token_hash(token);
        let Some(taken) = self.invitations.remove(key)? else {
            return Err(AuthError::InvalidToken);
        };
        let created = self
            .create_user(account, invitation.role, invitation.region)
            .await;
        if let Err(AuthError::Store(_) | AuthError::Hashing(_)) = &created {
            // Our failure, not the person's: the link keeps working.
            self.invitations.insert(key, taken)?;
        }
        let user = created?;
        self.store.flush().await?;
        Ok(user)
    }

    /// A new secret calendar feed URL path for `user`; the previous one
    /// stops working.
    pub async fn rotate_calendar_feed(&self, user: &UserRecord) -> Result<String, AuthError> {
        let (token, hash) = new_token();
        let mut record = self.user(user.id)?;
        if let Some(old) = record.calendar_feed.take().and_then(|h| hex_decode(&h)) {
            self.feeds.remove(old)?;
        }
        self.feeds.insert(hash, user.id.0.as_bytes())?;
        record.calendar_feed = Some(hex_encode(&hash));
        self.put_user(&record)?;
        self.store.flush().await?;
        Ok(format!("/calendar/{token}.ics"))
    }

    /// The person whose calendar feed `token` opens.
    pub fn feed_owner(&self, token: &str) -> Result<UserRecord, AuthError> {
        let id = self
            .feeds
            .get(token_hash(token))?
            .ok_or(AuthError::InvalidToken)?;
        let id = uuid::Uuid::from_slice(&id).map_err(|_| AuthError::InvalidToken)?;
        self.user(UserId(id))
    }

    /// Every account with its hash, for a backup.
    pub fn user_records(&self) -> Result<Vec<UserRecord>, AuthError> {
        let mut users = Vec::new();
        for item in self.users.iter() {
            let (_, bytes) = item?;
            users.push(
                serde_json::from_slice(&bytes).map_err(|e| {
                    AuthError::Store(StoreError::Corrupt(format!("user record: {e}")))
                })?,
            );
        }
        Ok(users)
    }

    /// Puts an account from a backup back (durable with the next flush),
    /// with its calendar feed, whose secret is stored only as its hash.
    pub fn restore_user(&self, user: &UserRecord) -> Result<(), AuthError> {
        self.put_user(user)?;
        if let Some(hash) = user.calendar_feed.as_deref().and_then(hex_decode) {
            self.feeds.insert(hash, user.id.0.as_bytes())?;
        }
        Ok(())
    }

    pub fn users(&self) -> Result<Vec<UserView>, AuthError> {
        let mut users: Vec<UserView> = self.user_records()?.iter().map(UserView::from).collect();
        users.sort_by_key(|u| u.name.to_lowercase());
        Ok(users)
    }

    /// The secretariat changes someone's role. The last secretariat account
    /// cannot lose its role, or nobody could administer the Alliance.
    pub async fn set_role(
        &self,
        by: &UserRecord,
        user: UserId,
        role: Role,
        region: Option<RegionId>,
    ) -> Result<UserView, AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        let mut record = self.user(user)?;
        if record.role == Role::Secretariat && role != Role::Secretariat {
            self.not_the_last_secretariat()?;
        }
        record.role = role;
        record.region = region.filter(|_| role == Role::RegionEditor);
        self.put_user(&record)?;
        self.store.flush().await?;
        // Open connections act with the old role: they reconnect with the new.
        self.revoke(Revocation::User {
            user: record.id,
            keep: None,
        });
        Ok(UserView::from(&record))
    }

    /// Refuses when at most one secretariat account is left, which must keep
    /// its role and access or nobody could administer the Alliance.
    fn not_the_last_secretariat(&self) -> Result<(), AuthError> {
        let secretariat = self
            .user_records()?
            .iter()
            .filter(|u| u.role == Role::Secretariat)
            .count();
        if secretariat <= 1 {
            return Err(AuthError::LastSecretariat);
        }
        Ok(())
    }

    /// The secretariat ends someone's access: the account, its sessions and
    /// its calendar feed go; what the person wrote stays in the log under
    /// their name. Nobody removes themselves (another secretariat member
    /// does), and the last secretariat account stays.
    pub async fn remove_user(&self, by: &UserRecord, user: UserId) -> Result<(), AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        if by.id == user {
            return Err(AuthError::CannotRemoveSelf);
        }
        let record = self.user(user)?;
        if record.role == Role::Secretariat {
            self.not_the_last_secretariat()?;
        }
        for item in self.sessions.iter() {
            let (key, value) = item?;
            if serde_json::from_slice::<SessionRecord>(&value).is_ok_and(|s| s.user == user) {
                self.sessions.remove(key)?;
            }
        }
        if let Some(feed) = record.calendar_feed.as_deref().and_then(hex_decode) {
            self.feeds.remove(feed)?;
        }
        self.emails.remove(record.email.as_bytes())?;
        self.users.remove(user.0.as_bytes())?;
        self.store.flush().await?;
        // Their open sync connections close now, before this answers: a
        // push they send after the removal is never applied.
        self.revoke(Revocation::Removed(user));
        tracing::info!(user = %user, by = %by.id, "access removed");
        Ok(())
    }

    /// Invitations not accepted yet (expired ones too, until revoked), for
    /// the secretariat; soonest to expire first. Never the tokens: the id is
    /// the stored hash, which cannot be used to accept.
    pub fn open_invitations(&self, by: &UserRecord) -> Result<Vec<OpenInvitation>, AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        let mut open = Vec::new();
        for item in self.invitations.iter() {
            let (key, value) = item?;
            let Ok(invitation) = serde_json::from_slice::<Invitation>(&value) else {
                continue;
            };
            open.push(OpenInvitation {
                id: hex_encode(&key),
                email: invitation.email,
                role: invitation.role,
                region: invitation.region,
                expires_ms: invitation.expires_ms,
            });
        }
        open.sort_by_key(|i| i.expires_ms);
        Ok(open)
    }

    /// What is inconsistent in the account trees, each in one sentence (for
    /// `ara-server check`): records that do not read, users missing from or
    /// misfiled in the email index, index entries without their user,
    /// sessions and calendar feeds of nobody, unreadable invitations.
    pub fn consistency_problems(&self) -> Result<Vec<String>, AuthError> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for item in self.users.iter() {
            let (key, bytes) = item?;
            let Ok(user) = serde_json::from_slice::<UserRecord>(&bytes) else {
                problems.push(format!(
                    "the account under key {} does not read",
                    hex_encode(&key)
                ));
                continue;
            };
            if key.as_ref() != user.id.0.as_bytes() {
                problems.push(format!("account {} is stored under another key", user.id));
            }
            if !valid_password_hash(&user.password_hash) {
                problems.push(format!("account {} has no Argon2id password hash", user.id));
            }
            let indexed = self.emails.get(user.email.as_bytes())?;
            if indexed.as_deref() != Some(user.id.0.as_bytes()) {
                problems.push(format!("account {} is not found by its email", user.id));
            }
            if let Some(feed) = user.calendar_feed.as_deref().and_then(hex_decode)
                && self.feeds.get(feed)?.as_deref() != Some(user.id.0.as_bytes())
            {
                problems.push(format!("account {}'s calendar feed is not filed", user.id));
            }
            ids.insert(user.id.0);
        }
        let known = |id: &[u8]| uuid::Uuid::from_slice(id).is_ok_and(|id| ids.contains(&id));
        for item in self.emails.iter() {
            let (email, id) = item?;
            if !known(&id) {
                let email = String::from_utf8_lossy(&email);
                problems.push(format!("the email {email} points to no account"));
            }
        }
        for item in self.sessions.iter() {
            let (_, bytes) = item?;
            match serde_json::from_slice::<SessionRecord>(&bytes) {
                Ok(session) if ids.contains(&session.user.0) => {}
                Ok(session) => problems.push(format!(
                    "a session belongs to {}, who has no account",
                    session.user
                )),
                Err(_) => problems.push("a session does not read".into()),
            }
        }
        for item in self.feeds.iter() {
            let (_, id) = item?;
            if !known(&id) {
                problems.push("a calendar feed belongs to no account".into());
            }
        }
        for item in self.invitations.iter() {
            let (_, bytes) = item?;
            if serde_json::from_slice::<Invitation>(&bytes).is_err() {
                problems.push("an invitation does not read".into());
            }
        }
        Ok(problems)
    }

    /// The secretariat withdraws an invitation: its link stops working.
    pub async fn revoke_invitation(&self, by: &UserRecord, id: &str) -> Result<(), AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        let key = hex_decode(id)
            .filter(|k| k.len() == 32)
            .ok_or(AuthError::InvalidToken)?;
        self.invitations
            .remove(key)?
            .ok_or(AuthError::InvalidToken)?;
        self.store.flush().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Anna.Schmidt@Sachsen.DE ")
                .ok()
                .as_deref(),
            Some("anna.schmidt@sachsen.de")
        );
        for bad in [
            "",
            "anna",
            "@sachsen.de",
            "anna@localhost",
            "an na@x.de",
            "anna@x.de.",
        ] {
            assert!(
                matches!(normalise_email(bad), Err(AuthError::InvalidEmail)),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(check_password_rules("short").is_err());
        assert!(check_password_rules("twelve chars").is_ok());
    }

    #[test]
    fn session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; ara_session=abc; b=2"),
        );
        assert_eq!(Auth::session_token(&h), Some("abc"));
    }
}
