//! Limits on failed sign-ins, per account and per address, over a sliding
//! window. In memory: a restart resets it, which costs an attacker a restart
//! they cannot cause.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::AuthError;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_FAILURES_PER_ACCOUNT: usize = 5;
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// Keys kept before old ones are pruned, so the limiter's memory is bounded.
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct Limiter {
    accounts: HashMap<String, VecDeque<Instant>>,
    addresses: HashMap<IpAddr, VecDeque<Instant>>,
}

fn recent(failures: Option<&mut VecDeque<Instant>>, now: Instant) -> (usize, Option<Instant>) {
    let Some(failures) = failures else {
        return (0, None);
    };
    while failures
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        failures.pop_front();
    }
    (failures.len(), failures.front().copied())
}

impl Limiter {
    /// Refuses before any password is checked when a limit is reached.
    pub fn check(&mut self, account: &str, from: IpAddr) -> Result<(), AuthError> {
        let now = Instant::now();
        let (by_account, oldest_account) = recent(self.accounts.get_mut(account), now);
        let (by_address, oldest_address) = recent(self.addresses.get_mut(&from), now);
        let blocked = if by_account >= MAX_FAILURES_PER_ACCOUNT {
            oldest_account
        } else if by_address >= MAX_FAILURES_PER_ADDRESS {
            oldest_address
        } else {
            None
        };
        match blocked {
            Some(oldest) => Err(AuthError::TooManyAttempts {
                retry_after_s: WINDOW
                    .saturating_sub(now.duration_since(oldest))
                    .as_secs()
                    .max(1),
            }),
            None => Ok(()),
        }
    }

    pub fn failed(&mut self, account: &str, from: IpAddr) {
        let now = Instant::now();
        if self.accounts.len() >= MAX_KEYS || self.addresses.len() >= MAX_KEYS {
            self.accounts
                .retain(|_, f| f.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
            self.addresses
                .retain(|_, f| f.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        self.accounts
            .entry(account.to_owned())
            .or_default()
            .push_back(now);
        self.addresses.entry(from).or_default().push_back(now);
    }

    pub fn succeeded(&mut self, account: &str) {
        self.accounts.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_blocked_after_five_failures_and_others_are_not() {
        let mut l = Limiter::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            assert!(l.check("a@x.eu", ip).is_ok());
            l.failed("a@x.eu", ip);
        }
        assert!(matches!(
            l.check("a@x.eu", ip),
            Err(AuthError::TooManyAttempts { .. })
        ));
        assert!(l.check("b@x.eu", ip).is_ok());
    }

    #[test]
    fn address_is_blocked_after_twenty_failures_across_accounts() {
        let mut l = Limiter::default();
        let ip: IpAddr = [10, 0, 0, 9].into();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            l.failed(&format!("user{i}@x.eu"), ip);
        }
        assert!(matches!(
            l.check("new@x.eu", ip),
            Err(AuthError::TooManyAttempts { .. })
        ));
        assert!(l.check("new@x.eu", [10, 0, 0, 8].into()).is_ok());
    }
}
