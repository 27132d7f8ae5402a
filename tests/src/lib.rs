//! `ara-tests`: what the integration and browser tests drive ARA Planner with.
//!
//! Everything here talks to the real `ara-server` binary as a client would:
//! [`app`] opens the app as a signed-in person and checks accessibility,
//! [`server`] starts it on a free loopback port with a temporary store,
//! [`http`] speaks plain HTTP/1.1 to it, [`ws`] is a sync WebSocket client,
//! [`store`] measures, compares and copies data directories on disk,
//! [`cdp`] drives headless Chromium over the DevTools protocol,
//! [`pages`] says what a person does on a page of the app (one helper per
//! page or area), and [`browser`] writes screenshots when a browser test
//! fails. Every wait is
//! bounded in time and fails with a message that says what did not happen.

pub mod app;
pub mod browser;
pub mod cdp;
pub mod http;
pub mod pages;
pub mod server;
pub mod store;
pub mod ws;

use std::time::{Duration, Instant};

/// Polls `check` every 25 ms until it returns `Some`, for at most `limit`.
pub async fn eventually<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
