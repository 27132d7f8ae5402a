//! `ara-server`: serves ARA Planner — the embedded app, the sync WebSocket —
//! and owns the sled store.
//!
//! Modules, each named after what it owns: [`assets`] (the embedded,
//! pre-compressed app), [`store`] (sled: the log and metadata), [`sync`] (the
//! sequencer that validates, orders, makes durable and fans out mutations),
//! [`ws`] (one WebSocket connection), [`http`] (routes). The rules themselves
//! live in `ara-shared`; nothing here re-implements them.

mod assets;
mod auth;
mod calendar;
mod export;
mod http;
mod metrics;
mod presence;
mod store;
mod sync;
mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

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

    /// Start an empty store empty instead of loading the demo work programme.
    #[arg(long, env = "ARA_NO_DEMO")]
    no_demo: bool,

    /// Write a snapshot of the state after this many new versions (and at
    /// shutdown), so that start-up replays at most this much of the log.
    #[arg(long, env = "ARA_SNAPSHOT_EVERY", default_value_t = 1000)]
    snapshot_every: u64,

    /// How long an invitation link works, in seconds (default 7 days).
    #[arg(long, env = "ARA_INVITATION_TTL_SECS", default_value_t = 7 * 24 * 3600)]
    invitation_ttl_secs: u64,

    /// The address people use to reach the server (for links it prints and
    /// to mark cookies `Secure` when it is https). Defaults to http://ADDR.
    #[arg(long, env = "ARA_PUBLIC_URL")]
    public_url: Option<String>,

    /// Extra origins (scheme://host[:port]) allowed to open the sync
    /// WebSocket besides the server's own, comma-separated.
    #[arg(long, env = "ARA_ALLOWED_ORIGINS", value_delimiter = ',')]
    allowed_origins: Vec<String>,

    /// Appended to the build id that the service worker and `/api/version`
    /// announce: open browsers then see a new build, fetch the whole app
    /// again and offer "Reload to update". The tests use it to serve a new
    /// build from the same binary.
    #[arg(long, env = "ARA_BUILD_SALT", hide = true)]
    build_salt: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Write a full JSON backup (work programme log and accounts) of the
    /// store in --data-dir to FILE. The server must be stopped; while it
    /// runs, the secretariat downloads the same backup in the app.
    Backup { file: PathBuf },
    /// Check the backup FILE completely, then build a new store from it in
    /// --data-dir, which must be empty or missing.
    Restore { file: PathBuf },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line a cause, in words: these are for the operator.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Backup { file }) => {
            let version = export::backup_to_file(&cli.data_dir, file)
                .with_context(|| format!("backing up {}", cli.data_dir.display()))?;
            println!("Backup of version {version} written to {}", file.display());
            return Ok(());
        }
        Some(Command::Restore { file }) => {
            let version = export::restore_from_file(file, &cli.data_dir)
                .with_context(|| format!("restoring {}", file.display()))?;
            println!("Restored version {version} into {}", cli.data_dir.display());
            return Ok(());
        }
        None => {}
    }

    let store = store::Store::open(&cli.data_dir)
        .with_context(|| format!("opening the store in {}", cli.data_dir.display()))?;
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let metrics = Arc::new(metrics::Metrics::default());
    let hub = sync::Hub::start(
        store.clone(),
        !cli.no_demo,
        cli.snapshot_every,
        metrics.clone(),
        shutdown_rx.clone(),
    )
    .await?;

    let listener = tokio::net::TcpListener::bind(cli.addr)
        .await
        .with_context(|| format!("listening on {}", cli.addr))?;
    let local = listener.local_addr()?;
    let public_url = cli
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_owned();
    let auth = Arc::new(
        auth::Auth::open(&store, public_url.starts_with("https://"))?
            .with_invitation_lifetime(std::time::Duration::from_secs(cli.invitation_ttl_secs)),
    );
    if let Some(token) = auth.setup_token().await? {
        // The only way to the first account: no password is built in.
        println!("First start: create the secretariat account at {public_url}/setup#{token}");
    }
    let state = http::AppState::new(
        auth,
        store.clone(),
        hub.clone(),
        metrics,
        cli.allowed_origins,
        shutdown_rx.clone(),
    )
    .with_build(assets::Build::new(cli.build_salt.as_deref()));
    let app = http::router(state);

    // Tests and scripts read this line to learn the port.
    println!("ARA Planner listening on http://{local}/");
    tracing::info!(%local, data_dir = %cli.data_dir.display(), "serving");

    let mut server_shutdown = shutdown_rx.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = server_shutdown.wait_for(|stop| *stop).await;
    });
    let signal = tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing in-flight writes and closing connections");
        let _ = shutdown_tx.send(true);
    });
    server.await.context("serving HTTP")?;
    signal.abort();
    hub.stop().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
