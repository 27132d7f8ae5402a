//! Signing in and out: the session cookie, the limits on failed sign-ins,
//! the password change, and [`SessionWatch`], which ends a sync connection
//! when its session ends (signed out, expired, or the account changed).

use std::net::IpAddr;
use std::time::Duration;

use ara_shared::UserId;
use axum::http::{HeaderMap, HeaderValue, header};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::accounts::{UserRecord, check_password_rules, hash_password, verify_password};
use super::{Auth, AuthError, SESSION_COOKIE, new_token, now_ms, token_hash};
use crate::store::{LogStore, StoreError};

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct SessionRecord {
    pub(super) user: UserId,
    pub(super) expires_ms: i64,
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

/// Now plus `after`, or a century from now if that does not fit.
fn far_instant(after: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(after)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

impl Auth {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
