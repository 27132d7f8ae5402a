//! `ara-bench`: how fast and how robust ARA Planner is on this machine, as
//! ratios to a baseline measured in the same run.
//!
//! Starts the real `ara-server` binary (built with `cargo build --release -p
//! ara-server`; `ARA_SERVER_BIN` overrides the path) on loopback with
//! temporary stores, drives real WebSocket clients and headless Chromium, and
//! prints a Markdown table. Every loop is bounded in count and in time.
//!
//! ```sh
//! cargo build --release -p ara-server
//! cargo run --release -p ara-tests --bin ara-bench -- [--quick] [SCENARIO...]
//! ```
//!
//! Scenarios: `writes`, `fanout`, `stores` (catch-up, cold start and memory
//! on large stores), `client`; none named runs all. `--quick` uses smaller
//! stores and shorter runs (for a smoke test, not for BENCHMARKS.md).

mod client;
mod commit_baseline;
mod fanout;
mod report;
mod stores;
mod wire;
mod writes;

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use report::Report;

/// Sizes and durations of one run.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Measuring time per write-throughput step.
    pub write_secs: Duration,
    /// Measuring time of the fan-out run.
    pub fanout_secs: Duration,
    /// Store sizes for the cold-start curve; the last is the large store.
    pub store_sizes: [u64; 3],
}

impl Plan {
    fn full() -> Self {
        Self {
            write_secs: Duration::from_secs(6),
            fanout_secs: Duration::from_secs(10),
            store_sizes: [10_000, 100_000, 1_000_000],
        }
    }

    fn quick() -> Self {
        Self {
            write_secs: Duration::from_secs(2),
            fanout_secs: Duration::from_secs(3),
            store_sizes: [10_000, 20_000, 50_000],
        }
    }
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // The baseline servers run as child processes of the bench.
    if args.first().map(String::as_str) == Some(fanout::BASELINE_SERVER) {
        return fanout::run_baseline_server();
    }
    if args.first().map(String::as_str) == Some(commit_baseline::COMMIT_BASELINE_SERVER) {
        let dir = args.get(1).context("the relay needs its sled directory")?;
        return commit_baseline::run_relay(Path::new(dir));
    }
    let quick = args.iter().any(|a| a == "--quick");
    args.retain(|a| a != "--quick");
    let known = ["writes", "fanout", "stores", "client"];
    if let Some(unknown) = args.iter().find(|a| !known.contains(&a.as_str())) {
        anyhow::bail!(
            "unknown scenario `{unknown}`; choose from {}",
            known.join(", ")
        );
    }
    let wants = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let plan = if quick { Plan::quick() } else { Plan::full() };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut report = Report::new(quick);
    runtime.block_on(async {
        if wants("writes") {
            writes::run(&plan, &mut report).await?;
        }
        if wants("fanout") {
            fanout::run(&plan, &mut report).await?;
        }
        if wants("stores") {
            stores::run(&plan, &mut report).await?;
        }
        if wants("client") {
            client::run(&mut report).await?;
        }
        anyhow::Ok(())
    })?;
    report.print();
    Ok(())
}
