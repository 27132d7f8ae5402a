//! Invitations by the secretariat: a one-time link (only its hash is
//! stored) that lets the invited address create its account with the role
//! and region chosen for it; listed and revoked by the secretariat.

use ara_shared::account::OpenInvitation;
use ara_shared::{RegionId, Role, UserId};
use serde::{Deserialize, Serialize};

use super::accounts::{NewAccount, UserRecord, normalise_email};
use super::{Auth, AuthError, new_token, now_ms, token_hash};
use crate::store::{LogStore, StoreError};

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

impl Auth {
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
                id: hex::encode(&key),
                email: invitation.email,
                role: invitation.role,
                region: invitation.region,
                expires_ms: invitation.expires_ms,
            });
        }
        open.sort_by_key(|i| i.expires_ms);
        Ok(open)
    }

    /// The secretariat withdraws an invitation: its link stops working.
    pub async fn revoke_invitation(&self, by: &UserRecord, id: &str) -> Result<(), AuthError> {
        if by.role != Role::Secretariat {
            return Err(AuthError::Forbidden);
        }
        let key = hex::decode(id)
            .ok()
            .filter(|k| k.len() == 32)
            .ok_or(AuthError::InvalidToken)?;
        self.invitations
            .remove(key)?
            .ok_or(AuthError::InvalidToken)?;
        self.store.flush().await?;
        Ok(())
    }
}
