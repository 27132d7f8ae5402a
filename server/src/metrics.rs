//! Counters for operators, served at `/metrics` in Prometheus text format.
//! Plain atomics: cheap enough to update on every mutation and flush.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ara_shared::account::BackupInfo;
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

use crate::client_address::TrustedProxies;

/// Upper bounds of the flush latency buckets, in seconds.
const FLUSH_BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

#[derive(Default)]
pub struct Metrics {
    pub connected_clients: AtomicU64,
    pub mutations_accepted: AtomicU64,
    pub mutations_rejected: AtomicU64,
    pub log_length: AtomicU64,
    disconnects_stalled: AtomicU64,
    disconnects_lagging: AtomicU64,
    flush_buckets: [AtomicU64; FLUSH_BUCKETS.len()],
    flush_count: AtomicU64,
    flush_micros_total: AtomicU64,
    backup_last_ms: AtomicU64,
    backup_last_bytes: AtomicU64,
    backup_last_version: AtomicU64,
    backup_failures: AtomicU64,
    /// 1 while pushes are refused for want of disk space.
    pub storage_full: AtomicU64,
    /// Pushes refused for want of disk space.
    pub storage_refused: AtomicU64,
    /// 1 once a flush failed: no edit is accepted until a restart.
    pub storage_failed: AtomicU64,
    /// 1 while a flush has taken longer than the stall limit.
    pub flush_stalled: AtomicU64,
}

/// Why the server dropped a sync connection that did not keep up.
#[derive(Clone, Copy, Debug)]
pub enum Disconnect {
    /// It stopped reading: one frame did not go out within the send timeout.
    Stalled,
    /// It fell more than the fan-out buffer behind.
    Lagging,
}

impl Metrics {
    pub fn count_disconnect(&self, reason: Disconnect) {
        let counter = match reason {
            Disconnect::Stalled => &self.disconnects_stalled,
            Disconnect::Lagging => &self.disconnects_lagging,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn observe_flush(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bucket, bound) in self.flush_buckets.iter().zip(FLUSH_BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.flush_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.flush_micros_total.fetch_add(micros, Ordering::Relaxed);
    }

    /// How many log entries are durable (flushed): what a backup may hold.
    pub fn durable_entries(&self) -> usize {
        usize::try_from(self.log_length.load(Ordering::Relaxed)).unwrap_or(usize::MAX)
    }

    pub fn record_backup(&self, backup: &BackupInfo) {
        let ms = u64::try_from(backup.created_ms).unwrap_or(0);
        self.backup_last_ms.store(ms, Ordering::Relaxed);
        self.backup_last_bytes
            .store(backup.bytes, Ordering::Relaxed);
        self.backup_last_version
            .store(backup.version.0, Ordering::Relaxed);
    }

    pub fn count_backup_failure(&self) {
        self.backup_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut gauge = |name: &str, help: &str, kind: &str, value: u64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        };
        gauge(
            "ara_connected_clients",
            "Open sync connections.",
            "gauge",
            get(&self.connected_clients),
        );
        gauge(
            "ara_mutations_accepted_total",
            "Mutations accepted and made durable.",
            "counter",
            get(&self.mutations_accepted),
        );
        gauge(
            "ara_mutations_rejected_total",
            "Mutations refused by the rules.",
            "counter",
            get(&self.mutations_rejected),
        );
        gauge(
            "ara_log_length",
            "Entries in the log (the current version).",
            "gauge",
            get(&self.log_length),
        );
        gauge(
            "ara_storage_full",
            "1 while edits are refused because the disk has less free space than --min-free-space-mb.",
            "gauge",
            get(&self.storage_full),
        );
        gauge(
            "ara_storage_refused_total",
            "Pushed edits refused for want of disk space (not saved; the clients keep them).",
            "counter",
            get(&self.storage_refused),
        );
        gauge(
            "ara_storage_failed",
            "1 once a flush failed: no edit is accepted until the server is restarted.",
            "gauge",
            get(&self.storage_failed),
        );
        gauge(
            "ara_flush_stalled",
            "1 while a flush of the log has taken more than 10 s (nothing is acknowledged meanwhile).",
            "gauge",
            get(&self.flush_stalled),
        );
        gauge(
            "ara_backup_last_success_timestamp_seconds",
            "When the newest automatic backup was made (Unix time; 0: none yet).",
            "gauge",
            get(&self.backup_last_ms) / 1000,
        );
        gauge(
            "ara_backup_last_size_bytes",
            "Size of the newest automatic backup file.",
            "gauge",
            get(&self.backup_last_bytes),
        );
        gauge(
            "ara_backup_last_version",
            "The log version the newest automatic backup holds.",
            "gauge",
            get(&self.backup_last_version),
        );
        gauge(
            "ara_backup_failures_total",
            "Automatic backups that failed.",
            "counter",
            get(&self.backup_failures),
        );
        out.push_str(
            "# HELP ara_slow_disconnects_total Sync connections dropped for not keeping up.\n",
        );
        out.push_str("# TYPE ara_slow_disconnects_total counter\n");
        for (reason, counter) in [
            ("stalled", &self.disconnects_stalled),
            ("lagging", &self.disconnects_lagging),
        ] {
            out.push_str(&format!(
                "ara_slow_disconnects_total{{reason=\"{reason}\"}} {}\n",
                get(counter)
            ));
        }
        out.push_str("# HELP ara_flush_seconds Time to make a batch durable (group commit).\n");
        out.push_str("# TYPE ara_flush_seconds histogram\n");
        for (bucket, bound) in self.flush_buckets.iter().zip(FLUSH_BUCKETS) {
            out.push_str(&format!(
                "ara_flush_seconds_bucket{{le=\"{bound}\"}} {}\n",
                get(bucket)
            ));
        }
        let count = get(&self.flush_count);
        out.push_str(&format!(
            "ara_flush_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        let sum = get(&self.flush_micros_total) as f64 / 1e6;
        out.push_str(&format!(
            "ara_flush_seconds_sum {sum}\nara_flush_seconds_count {count}\n"
        ));
        out
    }
}

/// Who may read `/metrics`: what the server does and how busy it is is for
/// its operator, not for every visitor. A request that shows a bearer token
/// is judged by it alone (`--metrics-token`); without one, only this
/// machine may read them, which a request forwarded by a proxy is not, even
/// though its peer is (a local reverse proxy makes every visitor look like
/// loopback) — unless the proxy is trusted and names a loopback client.
pub struct MetricsAccess {
    token: Option<String>,
}

impl MetricsAccess {
    /// An empty token is no token: it would let anyone in.
    pub fn new(token: Option<String>) -> Self {
        Self {
            token: token.filter(|t| !t.trim().is_empty()),
        }
    }

    pub fn allows(&self, peer: IpAddr, headers: &HeaderMap, proxies: &TrustedProxies) -> bool {
        if let Some(presented) = headers.get(header::AUTHORIZATION) {
            let presented = presented.as_bytes();
            return match (&self.token, presented.strip_prefix(b"Bearer ")) {
                (Some(token), Some(presented)) => same_secret(token.as_bytes(), presented),
                _ => false,
            };
        }
        if crate::client_address::is_forwarded(headers) {
            let named = headers.contains_key("x-forwarded-for");
            return proxies.contains(peer) && named && proxies.client(peer, headers).is_loopback();
        }
        peer.to_canonical().is_loopback()
    }
}

/// Compares two secrets in time that does not depend on where they differ
/// (nor on their lengths: both are hashed first).
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |diff, (x, y)| diff | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.observe_flush(Duration::from_micros(700));
        m.observe_flush(Duration::from_millis(30));
        let text = m.render();
        assert!(
            text.contains("ara_flush_seconds_bucket{le=\"0.001\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("ara_flush_seconds_bucket{le=\"0.05\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("ara_flush_seconds_bucket{le=\"+Inf\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("ara_flush_seconds_count 2\n"), "{text}");
    }

    #[test]
    fn metrics_are_for_this_machine_or_the_token() {
        let loopback: IpAddr = [127, 0, 0, 1].into();
        let outside: IpAddr = [203, 0, 113, 9].into();
        let with = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (name, value) in pairs {
                h.insert(*name, value.parse().expect("ascii"));
            }
            h
        };
        let none = TrustedProxies::default();
        let open = MetricsAccess::new(None);
        assert!(open.allows(loopback, &HeaderMap::new(), &none));
        assert!(open.allows("::1".parse().expect("v6"), &HeaderMap::new(), &none));
        assert!(!open.allows(outside, &HeaderMap::new(), &none));
        for forwarded in ["x-forwarded-for", "forwarded", "x-real-ip"] {
            assert!(
                !open.allows(loopback, &with(&[(forwarded, "203.0.113.9")]), &none),
                "{forwarded}"
            );
        }
        let local_proxy = TrustedProxies::new(vec!["127.0.0.1".parse().expect("a range")]);
        let from = |client: &str| with(&[("x-forwarded-for", client)]);
        assert!(!open.allows(loopback, &from("203.0.113.9"), &local_proxy));
        assert!(open.allows(loopback, &from("127.0.0.1"), &local_proxy));

        let guarded = MetricsAccess::new(Some("s3cret".into()));
        let bearer = |token: &str| with(&[("authorization", &format!("Bearer {token}"))]);
        assert!(guarded.allows(outside, &bearer("s3cret"), &none));
        assert!(!guarded.allows(outside, &bearer("s3cre"), &none));
        assert!(!guarded.allows(loopback, &bearer("wrong"), &none));
        assert!(!open.allows(loopback, &bearer(""), &none));
        assert!(guarded.allows(loopback, &HeaderMap::new(), &none));
        assert!(MetricsAccess::new(Some(" ".into())).token.is_none());
    }
}
