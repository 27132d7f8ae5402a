//! Limits on failed sign-ins that slow a password guesser down without
//! locking anyone else out.
//!
//! Failures are counted per (account, address) and per address, never per
//! account alone: an account-wide limit would let anyone lock the real owner
//! out by failing on purpose, and an address-wide hard block is everyone's
//! block behind a reverse proxy. After a free allowance each further failure
//! doubles the wait before the next attempt from there (capped), and
//! failures are forgotten one by one while none come. So a guesser at one
//! address gets a few attempts an hour at one account, a person who mistyped
//! waits seconds to minutes, and the owner at another address signs in at
//! once. The address is the client's as [`crate::client_address`] finds it;
//! IPv6 addresses count by their /64 network, which one client can fill.
//!
//! An attempt counts as a failure from the moment it is let through, and a
//! success takes it back: parallel guesses cannot all pass the check before
//! the first is counted. In memory: a restart forgets, which costs an
//! attacker a restart they cannot cause.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::AuthError;
use crate::client_address::network;

/// How many failures one address may have on one account before it waits.
pub const FREE_FAILURES_PER_ACCOUNT: u32 = 5;
/// How many failures one address may have on all accounts before it waits.
pub const FREE_FAILURES_PER_ADDRESS: u32 = 20;
/// The first wait after the allowance; each further failure doubles it.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
/// The longest wait between two attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// With no new failure, one failure of an (account, address) is forgotten
/// this often: the old allowance, 5 in 15 minutes, as a steady rate.
const FORGET_PER_ACCOUNT: Duration = Duration::from_secs(3 * 60);
/// Likewise for an address: 20 in 15 minutes.
const FORGET_PER_ADDRESS: Duration = Duration::from_secs(45);
/// Records kept before the forgotten ones are pruned, and then the oldest
/// evicted, so that the limiter's memory is bounded.
const MAX_RECORDS: usize = 100_000;

/// The failures of one key, as of its last failure.
#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// The count after forgetting one per `forget` since the last failure.
    fn count_at(&self, now: Instant, forget: Duration) -> u32 {
        let forgotten = now.duration_since(self.last).as_secs() / forget.as_secs().max(1);
        self.count
            .saturating_sub(u32::try_from(forgotten).unwrap_or(u32::MAX))
    }

    /// How long from now the next attempt must wait, if at all.
    fn wait(&self, now: Instant, free: u32) -> Option<Duration> {
        let excess = self.count.checked_sub(free)?;
        let delay = FIRST_DELAY
            .checked_mul(1u32.checked_shl(excess).unwrap_or(u32::MAX))
            .unwrap_or(MAX_DELAY)
            .min(MAX_DELAY);
        let left = delay.saturating_sub(now.duration_since(self.last));
        (!left.is_zero()).then_some(left)
    }
}

/// One kind of key (pairs or addresses) with its allowance and its pace of
/// forgetting.
struct Counter<K> {
    records: HashMap<K, Failures>,
    free: u32,
    forget: Duration,
}

impl<K: std::hash::Hash + Eq + Clone> Counter<K> {
    fn new(free: u32, forget: Duration) -> Self {
        Self {
            records: HashMap::new(),
            free,
            forget,
        }
    }

    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        self.records.get(key)?.wait(now, self.free)
    }

    fn add(&mut self, key: &K, now: Instant) {
        if self.records.len() >= MAX_RECORDS && !self.records.contains_key(key) {
            self.prune(now);
        }
        let count = self
            .records
            .get(key)
            .map_or(0, |f| f.count_at(now, self.forget));
        self.records.insert(
            key.clone(),
            Failures {
                count: count.saturating_add(1),
                last: now,
            },
        );
    }

    /// Takes back one failure counted for an attempt that succeeded.
    fn take_back(&mut self, key: &K) {
        if let Some(f) = self.records.get_mut(key) {
            f.count = f.count.saturating_sub(1);
        }
    }

    fn forget(&mut self, key: &K) {
        self.records.remove(key);
    }

    /// Drops what is forgotten; if that is not enough, the records whose
    /// last failure is oldest (under a flood of new addresses the oldest
    /// are the least likely to be a guesser still at work).
    fn prune(&mut self, now: Instant) {
        let forget = self.forget;
        self.records.retain(|_, f| f.count_at(now, forget) > 0);
        if self.records.len() >= MAX_RECORDS {
            let mut lasts: Vec<Instant> = self.records.values().map(|f| f.last).collect();
            let cut = lasts.len() / 10;
            lasts.select_nth_unstable(cut);
            let before = lasts[cut];
            self.records.retain(|_, f| f.last > before);
        }
    }
}

pub struct Limiter {
    /// Failures of one address on one account (the email, normalised).
    pairs: Counter<(String, IpAddr)>,
    /// Failures of one address on any account.
    addresses: Counter<IpAddr>,
}

impl Default for Limiter {
    fn default() -> Self {
        Self {
            pairs: Counter::new(FREE_FAILURES_PER_ACCOUNT, FORGET_PER_ACCOUNT),
            addresses: Counter::new(FREE_FAILURES_PER_ADDRESS, FORGET_PER_ADDRESS),
        }
    }
}

impl Limiter {
    /// Lets an attempt on `account` from `from` through, counted as a
    /// failure until [`Limiter::succeeded`] says otherwise; or refuses it,
    /// before any password is checked, with how long to wait.
    pub fn attempt(&mut self, account: &str, from: IpAddr) -> Result<(), AuthError> {
        self.attempt_at(account, from, Instant::now())
    }

    fn attempt_at(&mut self, account: &str, from: IpAddr, now: Instant) -> Result<(), AuthError> {
        let pair = (account.to_owned(), network(from));
        let wait = self
            .pairs
            .wait(&pair, now)
            .max(self.addresses.wait(&pair.1, now));
        if let Some(wait) = wait {
            return Err(AuthError::TooManyAttempts {
                retry_after_s: wait.as_secs_f64().ceil() as u64,
            });
        }
        self.pairs.add(&pair, now);
        self.addresses.add(&pair.1, now);
        Ok(())
    }

    /// The attempt let through was right: its pair starts afresh, and the
    /// address loses the failure counted for it (but keeps the others, so
    /// that signing in to one's own account does not pay for guesses at
    /// others).
    pub fn succeeded(&mut self, account: &str, from: IpAddr) {
        let pair = (account.to_owned(), network(from));
        self.pairs.forget(&pair);
        self.addresses.take_back(&pair.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 10));
    const GUESSER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 66));

    fn refused(result: Result<(), AuthError>) -> Option<u64> {
        match result {
            Err(AuthError::TooManyAttempts { retry_after_s }) => Some(retry_after_s),
            Ok(()) => None,
            Err(other) => panic!("unexpected refusal: {other}"),
        }
    }

    /// Fails `n` attempts on `account` from `from` at `now`.
    fn fail(l: &mut Limiter, account: &str, from: IpAddr, n: u32, now: Instant) {
        for _ in 0..n {
            assert_eq!(refused(l.attempt_at(account, from, now)), None);
        }
    }

    #[test]
    fn an_address_waits_after_five_failures_on_one_account_and_the_wait_doubles() {
        let mut l = Limiter::default();
        let t = Instant::now();
        fail(&mut l, "a@x.eu", GUESSER, FREE_FAILURES_PER_ACCOUNT, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(30));
        // The wait is counted from the last failure, and refused attempts
        // do not lengthen it.
        let t = t + Duration::from_secs(10);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(20));
        let t = t + Duration::from_secs(20);
        fail(&mut l, "a@x.eu", GUESSER, 1, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(60));
        let t = t + Duration::from_secs(60);
        fail(&mut l, "a@x.eu", GUESSER, 1, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(120));
    }

    #[test]
    fn the_wait_is_capped() {
        let t = Instant::now();
        let many = Failures { count: 40, last: t };
        assert_eq!(many.wait(t, FREE_FAILURES_PER_ACCOUNT), Some(MAX_DELAY));
        let overflowing = Failures {
            count: u32::MAX,
            last: t,
        };
        assert_eq!(
            overflowing.wait(t, FREE_FAILURES_PER_ACCOUNT),
            Some(MAX_DELAY)
        );
    }

    #[test]
    fn failures_of_others_on_an_account_never_block_its_owner_elsewhere() {
        let mut l = Limiter::default();
        let t = Instant::now();
        fail(&mut l, "a@x.eu", GUESSER, FREE_FAILURES_PER_ACCOUNT, t);
        assert!(refused(l.attempt_at("a@x.eu", GUESSER, t)).is_some());
        assert_eq!(refused(l.attempt_at("a@x.eu", HOME, t)), None);
        l.succeeded("a@x.eu", HOME);
        // Nor does the guesser's wait spill over to other accounts.
        assert_eq!(refused(l.attempt_at("b@x.eu", GUESSER, t)), None);
    }

    #[test]
    fn an_address_waits_after_twenty_failures_across_accounts() {
        let mut l = Limiter::default();
        let t = Instant::now();
        for i in 0..FREE_FAILURES_PER_ADDRESS {
            fail(&mut l, &format!("user{i}@x.eu"), GUESSER, 1, t);
        }
        assert_eq!(refused(l.attempt_at("new@x.eu", GUESSER, t)), Some(30));
        assert_eq!(refused(l.attempt_at("new@x.eu", HOME, t)), None);
    }

    #[test]
    fn failures_are_forgotten_one_by_one_while_none_come() {
        let mut l = Limiter::default();
        let t = Instant::now();
        fail(&mut l, "a@x.eu", GUESSER, FREE_FAILURES_PER_ACCOUNT, t);
        // After the wait, one more failure: the sixth, so the wait doubles.
        let t = t + FIRST_DELAY;
        fail(&mut l, "a@x.eu", GUESSER, 1, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(60));
        // An hour of quiet forgets everything: five free failures again.
        let t = t + Duration::from_secs(3600);
        fail(&mut l, "a@x.eu", GUESSER, FREE_FAILURES_PER_ACCOUNT, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", GUESSER, t)), Some(30));
    }

    #[test]
    fn a_success_starts_its_pair_afresh_but_keeps_the_addresss_other_failures() {
        let mut l = Limiter::default();
        let t = Instant::now();
        fail(&mut l, "a@x.eu", HOME, FREE_FAILURES_PER_ACCOUNT - 1, t);
        assert_eq!(refused(l.attempt_at("a@x.eu", HOME, t)), None);
        l.succeeded("a@x.eu", HOME);
        fail(&mut l, "a@x.eu", HOME, FREE_FAILURES_PER_ACCOUNT, t);
        assert!(refused(l.attempt_at("a@x.eu", HOME, t)).is_some());
        // Only the successful attempt was taken back from the address: its
        // 4 + 5 failures count, and 11 more make it wait.
        for i in 0..FREE_FAILURES_PER_ADDRESS - 9 {
            fail(&mut l, &format!("other{i}@x.eu"), HOME, 1, t);
        }
        assert!(refused(l.attempt_at("more@x.eu", HOME, t)).is_some());
    }

    #[test]
    fn parallel_attempts_are_counted_before_any_password_is_checked() {
        let mut l = Limiter::default();
        let t = Instant::now();
        // Five let through, none answered yet: the sixth already waits.
        fail(&mut l, "a@x.eu", GUESSER, FREE_FAILURES_PER_ACCOUNT, t);
        assert!(refused(l.attempt_at("a@x.eu", GUESSER, t)).is_some());
    }

    #[test]
    fn an_ipv6_client_counts_as_its_slash_64() {
        let mut l = Limiter::default();
        let t = Instant::now();
        for i in 0..FREE_FAILURES_PER_ACCOUNT {
            let ip: IpAddr = format!("2001:db8:1:2::{i:x}")
                .parse()
                .expect("an IPv6 address");
            fail(&mut l, "a@x.eu", ip, 1, t);
        }
        let next: IpAddr = "2001:db8:1:2:ffff::1".parse().expect("an IPv6 address");
        assert!(refused(l.attempt_at("a@x.eu", next, t)).is_some());
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().expect("an IPv6 address");
        assert_eq!(refused(l.attempt_at("a@x.eu", elsewhere, t)), None);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_addresses() {
        let mut l = Limiter::default();
        let t = Instant::now();
        for i in 0..(MAX_RECORDS as u32 + 10) {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            fail(
                &mut l,
                "a@x.eu",
                ip,
                1,
                t + Duration::from_millis(u64::from(i)),
            );
        }
        assert!(l.pairs.records.len() <= MAX_RECORDS);
        assert!(l.addresses.records.len() <= MAX_RECORDS);
    }
}
