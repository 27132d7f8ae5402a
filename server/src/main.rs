//! `ara-server`: serves ARA Planner — the embedded app, the sync WebSocket —
//! and owns the sled store.
//!
//! ## Map
//! - **Serving:** [`listener`] (TCP connections and their limits), [`http`]
//!   (the one route table, its error type and extractors), [`security`]
//!   (the cross-site check and the security headers), [`client_address`]
//!   (who a request comes from, behind trusted proxies), [`assets`] (the
//!   embedded, pre-compressed app), [`calendar`] (iCalendar feeds),
//!   [`metrics`].
//! - **Sync:** [`ws`] (one WebSocket connection), [`presence`] (who views
//!   and edits what; never stored), [`sync`] (the sequencer task: the
//!   `ara-shared` core wrapped with the store, group commit and fan-out).
//! - **People:** [`auth`] (accounts, sessions, invitations, the sign-in
//!   limiter).
//! - **Store:** [`store`] (sled: the log, snapshots and metadata, behind
//!   the `LogStore` seam; the seal), [`history_index`], [`export`] (backup,
//!   restore, CSV), [`backups`] (automatic backups), [`check`] and
//!   [`compact`] (offline store commands), [`whole_file`] (files written
//!   whole or not at all).
//!
//! ## Invariants
//! - The rules live in `ara-shared`: nothing here re-implements a
//!   validation, a permission or the log's order (`ara_shared::sequencer`).
//! - An edit is acknowledged only once it is durable; a refused or failed
//!   write is told to the person who made it, never dropped silently.
//! - Imports go one way: `http` may use `auth` and `ws`; `auth` and `ws`
//!   never use `http`.
//! - A failure's detail goes to the log, not to the client.

mod assets;
mod auth;
mod backups;
mod calendar;
mod check;
mod client_address;
mod compact;
mod export;
mod history_index;
mod http;
mod listener;
mod metrics;
mod presence;
mod security;
mod store;
mod sync;
mod whole_file;
mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::Context as _;
use clap::Parser;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

/// ARA Planner server: the work programme of the Automotive Regions Alliance,
/// edited by many people at once.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Address to listen on. Use port 0 to let the system pick a free port.
    #[arg(long, env = "ARA_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,

    /// Directory of the sled store; created when missing.
    #[arg(long, env = "ARA_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,

    #[command(subcommand)]
    command: Option<Command>,

    /// Start with an empty store instead of loading the demo work programme.
    #[arg(long, env = "ARA_NO_DEMO")]
    no_demo: bool,

    /// Write a snapshot of the state after this many new versions (and at
    /// shutdown), so that start-up replays at most this much of the log.
    #[arg(long, env = "ARA_SNAPSHOT_EVERY", default_value_t = 1000)]
    snapshot_every: u64,

    /// A reconnecting client more than this many versions behind gets a
    /// snapshot of the state instead of the entries it missed.
    #[arg(long, env = "ARA_CATCH_UP_WINDOW", default_value_t = 10_000)]
    catch_up_window: u64,

    /// How long a sign-in lasts, in seconds (default 14 days).
    #[arg(long, env = "ARA_SESSION_TTL_SECS", default_value_t = 14 * 24 * 3600)]
    session_ttl_secs: u64,

    /// How long an invitation link works, in seconds (default 7 days).
    #[arg(long, env = "ARA_INVITATION_TTL_SECS", default_value_t = 7 * 24 * 3600)]
    invitation_ttl_secs: u64,

    /// The address people use to reach the server (for links it prints and
    /// to mark cookies `Secure` when it is https). Defaults to http://ADDR.
    #[arg(long, env = "ARA_PUBLIC_URL")]
    public_url: Option<String>,

    /// Seconds a sync connection may take to accept one frame before it is
    /// dropped as stalled (a client that stopped reading).
    #[arg(long, env = "ARA_SEND_TIMEOUT_SECS", default_value_t = 30)]
    send_timeout_secs: u64,

    /// Mutations per second one sync connection may push once its burst of
    /// 2,000 is spent; faster pushes are delayed, never refused. Protects the
    /// others from one runaway client; raise it for load tests.
    #[arg(long, env = "ARA_PUSH_RATE", default_value_t = ws::DEFAULT_PUSH_RATE, value_parser = parse_push_rate)]
    push_rate: f64,

    /// Extra origins (scheme://host[:port]) whose pages may open the sync
    /// WebSocket and send requests that change something, besides the
    /// server's own and that of --public-url; comma-separated.
    #[arg(long, env = "ARA_ALLOWED_ORIGINS", value_delimiter = ',')]
    allowed_origins: Vec<String>,

    /// Seconds a client has to send a request's line and headers, counted
    /// from when the connection is ready for them (its start, or the
    /// previous answer on a kept-alive connection); then it is closed.
    #[arg(long, env = "ARA_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout_secs: u64,

    /// Seconds an HTTP connection may move no byte while no request of it is
    /// being handled (a client that stopped reading) before it is closed; a
    /// request body must also arrive within this time. Sync WebSockets keep
    /// their own rules.
    #[arg(long, env = "ARA_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout_secs: u64,

    /// Open connections one client address (an IPv6 /64) may hold; one more
    /// is closed at once. Trusted proxies are not capped.
    #[arg(long, env = "ARA_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 128, value_parser = clap::value_parser!(u64).range(1..))]
    max_connections_per_address: u64,

    /// Reverse proxies (IP addresses and CIDR ranges, comma-separated) whose
    /// X-Forwarded-For names the client, for sign-in limits and /metrics.
    /// Without it the header is ignored: anyone can send it.
    #[arg(long, env = "ARA_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_ip_range)]
    trusted_proxies: Vec<client_address::IpRange>,

    /// A bearer token that lets a monitoring system read /metrics from
    /// anywhere (Authorization: Bearer TOKEN); without it only this machine
    /// may. Prefer the environment variable: arguments are visible to others.
    #[arg(long, env = "ARA_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,

    /// Free disk space, in MB, kept in reserve: while the store's disk has
    /// less, edits are refused (people keep them and send them again later)
    /// rather than risking a write into a full disk. 0 turns the check off.
    #[arg(long, env = "ARA_MIN_FREE_SPACE_MB", default_value_t = 100)]
    min_free_space_mb: u64,

    /// Directory for automatic backups (outside the data directory, ideally
    /// on another disk). Without it the server writes none: download them
    /// from the account page or run `ara-server backup` instead.
    #[arg(long, env = "ARA_BACKUP_DIR", global = true)]
    backup_dir: Option<PathBuf>,

    /// How often to write an automatic backup: a number with s, m, h or d
    /// (for example 12h or 1d).
    #[arg(long, env = "ARA_BACKUP_EVERY", default_value = "1d", value_parser = parse_period)]
    backup_every: std::time::Duration,

    /// How many automatic backups to keep; older ones are removed.
    #[arg(long, env = "ARA_BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u64).range(1..))]
    backup_keep: u64,

    /// Log lines as readable text or as one JSON object a line (for log
    /// collectors). Which events are logged: RUST_LOG (default `info`).
    #[arg(
        long,
        env = "ARA_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text,
        global = true
    )]
    log_format: LogFormat,

    /// Appended to the build id that the service worker and `/api/version`
    /// announce: open browsers then see a new build, fetch the whole app
    /// again and offer "Reload to update". The tests use it to serve a new
    /// build from the same binary.
    #[arg(long, env = "ARA_BUILD_SALT", hide = true)]
    build_salt: Option<String>,
}

/// A push rate is a positive, finite number of mutations per second.
fn parse_push_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= 1.0 => Ok(rate),
        _ => Err(format!(
            "`{text}` is not a rate: give mutations per second, at least 1"
        )),
    }
}

/// A period is a whole number followed by s, m, h or d, at least a second.
fn parse_period(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let refuse =
        || format!("`{text}` is not a period: give a number with s, m, h or d, such as 12h or 1d");
    let unit = text.chars().last().ok_or_else(refuse)?;
    let seconds: u64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(refuse()),
    };
    let count: u64 = text[..text.len() - 1].parse().map_err(|_| refuse())?;
    match count.checked_mul(seconds) {
        Some(total) if total > 0 => Ok(std::time::Duration::from_secs(total)),
        _ => Err(refuse()),
    }
}

fn parse_ip_range(text: &str) -> Result<client_address::IpRange, String> {
    text.parse()
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Write a full JSON backup (work programme log and accounts) of the
    /// store in --data-dir to FILE. The server must be stopped; while it
    /// runs, the secretariat downloads the same backup in the app.
    Backup {
        /// Where to write the backup (replaced if it exists).
        file: PathBuf,
    },
    /// Check the backup FILE completely, then build a new store from it in
    /// --data-dir, which must be empty or missing.
    Restore {
        /// The backup to restore, as written by `backup` or downloaded.
        file: PathBuf,
    },
    /// Check the store in --data-dir without changing it (a copy is read):
    /// the log replays under the rules, snapshots equal the replay, the
    /// accounts are consistent. Exits non-zero on any problem.
    Check,
    /// Rewrite the store in --data-dir into a fresh one to give back the
    /// space sled has grown into. The server must be stopped. Keeps the
    /// whole log, the accounts, sessions (people stay signed in), open
    /// invitations and calendar feeds; checks the old store and the new one
    /// as `check` does, and swaps the new one in only if both are whole.
    Compact {
        /// Keep the old store in DATA_DIR.before-compact-TIME instead of
        /// removing it once the new one is in place.
        #[arg(long)]
        keep_old: bool,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
        .and_then(|runtime| {
            let served = runtime.block_on(run(&cli));
            // Every task, and with them every handle on the store, ends
            // here: only then can sled's files be sealed.
            runtime.shutdown_timeout(CONNECTIONS_CLOSE_TIMEOUT);
            served
        })
        .and_then(|stopped| match stopped {
            Some(version) => seal_after_stop(&cli.data_dir, version),
            None => Ok(()),
        });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line a cause, in words: these are for the operator.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Seals the store of a server that stopped cleanly, so that the next
/// start sees whether its files changed in between.
fn seal_after_stop(data_dir: &std::path::Path, version: ara_shared::Version) -> anyhow::Result<()> {
    if store::seal::seal_closed(data_dir, version)
        .with_context(|| format!("sealing the store in {}", data_dir.display()))?
    {
        tracing::info!(%version, "store sealed");
    } else {
        tracing::warn!(
            "the store is still held open, so it was not sealed; the next start cannot compare its files"
        );
    }
    Ok(())
}

/// What to do about a damaged store, for the operator: see what is
/// damaged, restore the newest backup beside it, keep the damaged one.
fn damaged_store(cli: &Cli, cause: &dyn std::fmt::Display) -> anyhow::Error {
    let dir = cli.data_dir.display();
    let newest = cli
        .backup_dir
        .as_deref()
        .and_then(|d| backups::list(d).ok())
        .and_then(|mut all| all.pop());
    let restore = match newest {
        Some((file, info)) => format!(
            "2. Restore the newest automatic backup (version {}, {} bytes) into a new directory:\n     ara-server restore {} --data-dir {dir}.restored\n   and start the server with --data-dir {dir}.restored",
            info.version,
            info.bytes,
            file.display()
        ),
        None => format!(
            "2. Restore your newest backup (from --backup-dir, `ara-server backup`, or downloaded on the account page) into a new directory:\n     ara-server restore BACKUP.json --data-dir {dir}.restored\n   and start the server with --data-dir {dir}.restored"
        ),
    };
    anyhow::anyhow!(
        "the store in {dir} cannot be used: {cause}.\nThe server did not start. What to do:\n1. See what is damaged: ara-server check --data-dir {dir}\n{restore}\n3. Keep {dir} as it is until the restored server runs: it may hold edits newer than the backup."
    )
}

/// Whether an error comes from a damaged store.
fn is_damage(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<store::StoreError>(),
            Some(store::StoreError::Corrupt(_))
        )
    })
}

/// Runs the command, or serves until a signal; a server that stopped
/// cleanly returns its last version, for the seal.
async fn run(cli: &Cli) -> anyhow::Result<Option<ara_shared::Version>> {
    match &cli.command {
        Some(Command::Backup { file }) => {
            let version = export::backup_to_file(&cli.data_dir, file)
                .with_context(|| format!("backing up {}", cli.data_dir.display()))?;
            println!("Backup of version {version} written to {}", file.display());
            return Ok(None);
        }
        Some(Command::Restore { file }) => {
            let version = export::restore_from_file(file, &cli.data_dir)
                .with_context(|| format!("restoring {}", file.display()))?;
            println!("Restored version {version} into {}", cli.data_dir.display());
            return Ok(None);
        }
        Some(Command::Check) => {
            let verdict = check::check_data_dir(&cli.data_dir)
                .with_context(|| format!("checking {}", cli.data_dir.display()))?;
            println!(
                "{}: log up to version {}, {} snapshot(s), {} account(s)",
                cli.data_dir.display(),
                verdict.version,
                verdict.snapshots,
                verdict.accounts
            );
            if verdict.is_whole() {
                println!("The store is whole.");
                return Ok(None);
            }
            for problem in &verdict.problems {
                println!("problem: {problem}");
            }
            anyhow::bail!(
                "the store is damaged ({} problem(s)); restore the newest backup into a new --data-dir with `ara-server restore FILE --data-dir NEW`",
                verdict.problems.len()
            );
        }
        Some(Command::Compact { keep_old }) => {
            let old_store = if *keep_old {
                compact::OldStore::Keep
            } else {
                compact::OldStore::Remove
            };
            let done = compact::compact_data_dir(&cli.data_dir, old_store)
                .with_context(|| format!("compacting {}", cli.data_dir.display()))?;
            println!(
                "Compacted {}: log up to version {}, {} account(s); {} on disk before, {} after.",
                cli.data_dir.display(),
                done.version,
                done.accounts,
                compact::size(done.bytes_before),
                compact::size(done.bytes_after)
            );
            match done.old {
                Some(old) => println!(
                    "The old store is in {}; remove it once the server runs well on the new one.",
                    old.display()
                ),
                None => println!("The old store was removed."),
            }
            return Ok(None);
        }
        None => {}
    }

    let store = match store::Store::open(&cli.data_dir) {
        Ok(store) => store,
        Err(e @ store::StoreError::Corrupt(_)) => return Err(damaged_store(cli, &e)),
        Err(e) => {
            return Err(anyhow::Error::new(e))
                .with_context(|| format!("opening the store in {}", cli.data_dir.display()));
        }
    };
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let metrics = Arc::new(metrics::Metrics::default());
    let config = sync::SyncConfig {
        demo: !cli.no_demo,
        min_free_bytes: cli.min_free_space_mb.saturating_mul(1 << 20),
        snapshot_every: cli.snapshot_every,
        catch_up_window: cli.catch_up_window,
    };
    let hub = sync::Hub::start(store.clone(), config, metrics.clone(), shutdown_rx.clone())
        .await
        .map_err(|e| {
            let e = anyhow::Error::new(e);
            if is_damage(&e) {
                damaged_store(cli, &format!("{e:#}"))
            } else {
                e
            }
        })?;
    let backups = Arc::new(match &cli.backup_dir {
        Some(dir) => backups::Backups::open(
            backups::Schedule {
                dir: dir.clone(),
                every: cli.backup_every,
                keep: usize::try_from(cli.backup_keep).unwrap_or(usize::MAX),
            },
            metrics.clone(),
        )
        .with_context(|| format!("preparing the backup directory {}", dir.display()))?,
        None => backups::Backups::off(metrics.clone()),
    });

    let bound = tokio::net::TcpListener::bind(cli.addr)
        .await
        .with_context(|| format!("listening on {}", cli.addr))?;
    let local = bound.local_addr()?;
    let public_url = cli
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_owned();
    let auth = Arc::new(
        auth::Auth::open(&store, public_url.starts_with("https://"))?
            .with_invitation_lifetime(std::time::Duration::from_secs(cli.invitation_ttl_secs))
            .with_session_lifetime(std::time::Duration::from_secs(cli.session_ttl_secs)),
    );
    tokio::spawn(
        backups
            .clone()
            .run(store.clone(), auth.clone(), shutdown_rx.clone()),
    );
    if let Some(token) = auth.setup_token().await? {
        // The only way to the first account: no password is built in.
        println!("First start: create the secretariat account at {public_url}/setup#{token}");
    }
    let mut allowed_origins = cli.allowed_origins.clone();
    // The address people use is the server's own, also where a proxy hands
    // on another Host.
    allowed_origins.push(public_url.clone());
    let trusted_proxies = Arc::new(client_address::TrustedProxies::new(
        cli.trusted_proxies.clone(),
    ));
    let state = http::AppState::new(
        auth,
        store.clone(),
        hub.clone(),
        metrics.clone(),
        allowed_origins,
        shutdown_rx.clone(),
        ws::ConnectionLimits {
            send_timeout: std::time::Duration::from_secs(cli.send_timeout_secs.max(1)),
            push_rate: cli.push_rate,
        },
    )
    .with_build(assets::Build::new(cli.build_salt.as_deref()))
    .with_backups(backups)
    .with_trusted_proxies(trusted_proxies.clone())
    .with_metrics_access(metrics::MetricsAccess::new(cli.metrics_token.clone()));
    let app = http::router(state);
    let limits = listener::Limits {
        header_read_timeout: std::time::Duration::from_secs(cli.header_read_timeout_secs),
        idle_timeout: std::time::Duration::from_secs(cli.idle_timeout_secs),
        max_connections_per_address: usize::try_from(cli.max_connections_per_address)
            .unwrap_or(usize::MAX),
    };

    let stop_signal = shutdown_signal();
    // Tests and scripts read this line to learn the port.
    println!("ARA Planner listening on http://{local}/");
    tracing::info!(%local, data_dir = %cli.data_dir.display(), "serving");

    let mut server_shutdown = shutdown_rx.clone();
    let server = listener::serve(bound, app, limits, trusted_proxies, async move {
        let _ = server_shutdown.wait_for(|stop| *stop).await;
    });
    let signal = tokio::spawn(async move {
        let name = stop_signal.await;
        tracing::info!(
            signal = name,
            "shutting down: finishing in-flight writes and closing connections"
        );
        let _ = shutdown_tx.send(true);
    });
    server.await;
    signal.abort();
    // Upgraded sync connections outlive the HTTP server: each one sends the
    // outcomes of what it has in flight and closes with a reason, while the
    // sequencer is still there to commit it.
    let deadline = tokio::time::Instant::now() + CONNECTIONS_CLOSE_TIMEOUT;
    while metrics.connected_clients.load(Ordering::Relaxed) > 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    hub.stop().await?;
    tracing::info!("stopped");
    Ok(Some(ara_shared::Version(
        metrics.log_length.load(Ordering::Relaxed),
    )))
}

/// How long shutdown waits for sync connections to finish and close.
const CONNECTIONS_CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Ctrl-C (SIGINT) or SIGTERM; resolves to which. The handlers are installed
/// when this is called, not when the future is first polled: it is called
/// before the server says it listens, so a signal sent right after that
/// still stops it gracefully (a SIGTERM that came before the spawned task
/// ran killed the process without its shutdown snapshot).
fn shutdown_signal() -> impl std::future::Future<Output = &'static str> {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt) => "SIGINT",
                () = wait(terminate) => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}
