//! The people who can sign in: their records (the password hash never
//! leaves the server), the rules for names, emails and passwords, Argon2id
//! hashing, the first-run setup, roles and removal by the secretariat,
//! calendar feeds, and the consistency check of the account trees (for
//! `ara-server check`).

use ara_shared::account::UserView;
use ara_shared::{Actor, RegionId, Role, UserId};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

use super::invitations::Invitation;
use super::sessions::{Revocation, SessionRecord};
use super::{
    Auth, AuthError, MAX_NAME_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, SETUP_KEY, new_token,
    now_ms, token_hash,
};
use crate::store::{LogStore, StoreError};

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

pub(super) fn check_password_rules(password: &str) -> Result<(), AuthError> {
    let n = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(AuthError::WeakPassword)
    }
}

pub(super) async fn hash_password(password: String) -> Result<String, AuthError> {
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

pub(super) async fn verify_password(password: String, hash: String) -> bool {
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
pub(super) struct NewAccount {
    pub(super) name: String,
    pub(super) email: String,
    pub(super) password: String,
}

impl NewAccount {
    pub(super) fn check(name: &str, email: &str, password: &str) -> Result<Self, AuthError> {
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

impl Auth {
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

    pub(super) fn user(&self, id: UserId) -> Result<UserRecord, AuthError> {
        let bytes = self
            .users
            .get(id.0.as_bytes())?
            .ok_or(AuthError::UnknownUser)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("user record: {e}"))))
    }

    pub(super) fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, AuthError> {
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

    pub(super) fn put_user(&self, user: &UserRecord) -> Result<(), AuthError> {
        let bytes = serde_json::to_vec(user)
            .map_err(|e| AuthError::Store(StoreError::Corrupt(format!("user record: {e}"))))?;
        self.users.insert(user.id.0.as_bytes(), bytes)?;
        self.emails
            .insert(user.email.as_bytes(), user.id.0.as_bytes())?;
        Ok(())
    }

    /// Refuses a name that differs from an existing person's only in case
    /// or spacing.
    pub(super) fn name_is_free(&self, name: &str) -> Result<(), AuthError> {
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
    pub(super) async fn create_user(
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

    /// A new secret calendar feed URL path for `user`; the previous one
    /// stops working.
    pub async fn rotate_calendar_feed(&self, user: &UserRecord) -> Result<String, AuthError> {
        let (token, hash) = new_token();
        let mut record = self.user(user.id)?;
        if let Some(old) = record
            .calendar_feed
            .take()
            .and_then(|h| hex::decode(h).ok())
        {
            self.feeds.remove(old)?;
        }
        self.feeds.insert(hash, user.id.0.as_bytes())?;
        record.calendar_feed = Some(hex::encode(hash));
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
        if let Some(hash) = user
            .calendar_feed
            .as_deref()
            .and_then(|h| hex::decode(h).ok())
        {
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
        if let Some(feed) = record
            .calendar_feed
            .as_deref()
            .and_then(|h| hex::decode(h).ok())
        {
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
                    hex::encode(&key)
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
            if let Some(feed) = user
                .calendar_feed
                .as_deref()
                .and_then(|h| hex::decode(h).ok())
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
}
