//! The real `ara-server` binary on a free loopback port with a temporary
//! store, and the accounts the tests act as.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use ara_shared::Role;
use serde_json::json;
use tempfile::TempDir;

use crate::http;

const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// The password every test account uses (long enough for the rules).
pub const TEST_PASSWORD: &str = "a long test password";

/// The server binary: `ARA_SERVER_BIN` if set, else `ara-server` next to
/// this executable (a bin in `<target>/<profile>/`) or one level up (a test
/// in `<target>/<profile>/deps/`).
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("ARA_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("path of the test executable");
    let found = exe
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("ara-server"))
        .find(|binary| binary.exists());
    found.unwrap_or_else(|| {
        panic!(
            "no ara-server beside {}: `cargo test --workspace` builds it; otherwise run `cargo build -p ara-server` (add --release for the bench)",
            exe.display()
        )
    })
}

/// Runs `ara-server` with `args` (a command such as `check`, `backup`,
/// `restore`) to its end.
pub fn run_command(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(server_binary())
        .args(args)
        .output()
        .expect("run ara-server")
}

/// [`run_command`] that must succeed; a failure shows what it said.
pub fn run_ok(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let output = run_command(args);
    assert!(
        output.status.success(),
        "ara-server {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn pump(
    pipe: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Ok(mut l) = log.lock() {
                l.push_str(&line);
                l.push('\n');
            }
            if let Some(tx) = &lines {
                let _ = tx.send(line);
            }
        }
    });
}

/// Resident memory of a process (VmRSS in `/proc/PID/status`), in bytes.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A running server; dropped, it is killed (its temp store goes with it).
pub struct TestServer {
    child: Option<Child>,
    dir: TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    /// The first-run setup token, when the store had no account.
    pub setup_token: Option<String>,
    log: Arc<Mutex<String>>,
    /// How long a start may take before it counts as failed.
    start_timeout: Duration,
}

impl TestServer {
    /// A server with an empty store (no demo data).
    pub async fn start() -> Self {
        Self::start_with(&["--no-demo"]).await
    }

    pub async fn start_with(args: &[&str]) -> Self {
        Self::start_with_env(args, &[]).await
    }

    /// A server with extra arguments and environment variables (which
    /// override the defaults, such as `RUST_LOG=warn`).
    pub async fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_in_with_env(tempfile::tempdir().expect("temp data dir"), args, env).await
    }

    /// A server on the store in `dir/data` (which may already exist, for
    /// example built by `ara-server restore`).
    pub async fn start_in(dir: TempDir, args: &[&str]) -> Self {
        Self::start_in_with_env(dir, args, &[]).await
    }

    async fn start_in_with_env(dir: TempDir, args: &[&str], env: &[(&str, &str)]) -> Self {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let env = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut server = Self {
            child: None,
            dir,
            args,
            env,
            url: String::new(),
            setup_token: None,
            log: Arc::default(),
            start_timeout: START_TIMEOUT,
        };
        server.launch().await;
        server
    }

    /// The server's process id while it runs (to read its memory use).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server's resident memory (VmRSS), read from `/proc`.
    pub fn rss_bytes(&self) -> Option<u64> {
        rss_bytes(self.pid()?)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    async fn launch(&mut self) {
        // Any free port, unless the arguments name the address.
        let addr = if self.args.iter().any(|a| a == "--addr") {
            Vec::new()
        } else {
            vec!["--addr", "127.0.0.1:0"]
        };
        let mut child = Command::new(server_binary())
            .args(addr)
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(&self.args)
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ara-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        // Read both pipes for the whole life of the process, so they never fill.
        pump(stdout, self.log.clone(), Some(tx));
        pump(stderr, self.log.clone(), None);
        self.child = Some(child);
        let limit = self.start_timeout;
        let deadline = std::time::Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(line) => {
                    if let Some(token) = line.split("/setup#").nth(1) {
                        self.setup_token = Some(token.trim().to_owned());
                    }
                    if let Some(url) = line.strip_prefix("ARA Planner listening on ") {
                        self.url = url.trim().trim_end_matches('/').to_owned();
                        return;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if !left.is_zero() => {
                    if let Some(status) = self
                        .child
                        .as_mut()
                        .and_then(|c| c.try_wait().ok().flatten())
                    {
                        panic!(
                            "ara-server exited ({status}) before listening:\n{}",
                            self.log()
                        );
                    }
                }
                _ => panic!("ara-server did not start within {limit:?}:\n{}", self.log()),
            }
        }
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// `ws://127.0.0.1:PORT/sync`
    pub fn ws_url(&self) -> String {
        format!("{}/sync", self.url.replacen("http://", "ws://", 1))
    }

    /// Graceful stop (SIGTERM), waiting for the process to end.
    pub async fn stop(&mut self) {
        self.stop_with("TERM").await;
    }

    /// Sends `signal` (`TERM`, `INT`, …) without waiting for anything.
    pub fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("the server is running");
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Graceful stop on `signal`, waiting for the process to end well.
    pub async fn stop_with(&mut self, signal: &str) {
        if self.child.is_none() {
            return;
        }
        self.signal(signal);
        self.wait_stopped(signal).await;
    }

    /// Waits for the process to end after `signal` was sent; it must exit 0.
    pub async fn wait_stopped(&mut self, signal: &str) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let deadline = std::time::Instant::now() + STOP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                assert!(
                    status.success(),
                    "ara-server exited with {status} on SIG{signal}:\n{}",
                    self.log()
                );
                return;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!(
                    "ara-server did not stop within {STOP_TIMEOUT:?} of SIG{signal}:\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `kill -9`: no chance to flush or snapshot.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same data directory (a new port).
    pub async fn restart(&mut self) {
        self.stop().await;
        self.launch().await;
    }

    /// Allows later starts to take up to `limit` (a large store replaying
    /// its whole log); the default is a minute.
    pub fn set_start_timeout(&mut self, limit: Duration) {
        self.start_timeout = limit;
    }

    /// Stops the server and starts it again on the same address and data
    /// directory, with `extra` arguments (e.g. another `--build-salt`):
    /// open browsers see the same origin come back, as after a deployment.
    pub async fn restart_in_place(&mut self, extra: &[&str]) {
        let addr = self
            .url
            .strip_prefix("http://")
            .expect("the server's url is http://ADDR")
            .to_owned();
        self.stop().await;
        let base = self.args.clone();
        self.args = vec!["--addr".into(), addr];
        self.args.extend(base.iter().cloned());
        self.args.extend(extra.iter().map(|a| (*a).to_owned()));
        self.launch().await;
        self.args = base;
    }

    /// Starts the server again after [`TestServer::kill9`].
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        self.launch().await;
    }

    /// Signs in `email` with [`TEST_PASSWORD`]; returns the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let response = http::post_json(
            &self.url,
            "/api/session",
            None,
            &json!({"email": email, "password": TEST_PASSWORD}),
        )
        .await;
        assert_eq!(response.status, 200, "{email}: {}", response.text());
        response.cookie().expect("a session cookie")
    }

    /// Creates the first (secretariat) account; returns its session cookie.
    pub async fn sign_up_secretariat(&self) -> String {
        let token = self
            .setup_token
            .clone()
            .expect("the server printed a setup link (fresh store)");
        let response = http::post_json(
            &self.url,
            "/api/setup",
            None,
            &json!({"token": token, "name": "Sabine Sekretariat", "email": "secretariat@ara.test", "password": TEST_PASSWORD}),
        )
        .await;
        assert_eq!(response.status, 201, "setup: {}", response.text());
        response.cookie().expect("setup starts a session")
    }

    /// Invites `email` with `role` as the secretariat and accepts the
    /// invitation; returns the new person's session cookie.
    pub async fn invite(&self, secretariat: &str, name: &str, email: &str, role: Role) -> String {
        self.invite_to_region(secretariat, name, email, role, None)
            .await
    }

    /// Like [`TestServer::invite`], for a region editor bound to `region`
    /// (a member region of the demo data).
    pub async fn invite_to_region(
        &self,
        secretariat: &str,
        name: &str,
        email: &str,
        role: Role,
        region: Option<ara_shared::RegionId>,
    ) -> String {
        let invited = http::post_json(
            &self.url,
            "/api/invitations",
            Some(secretariat),
            &json!({"email": email, "role": role, "region": region}),
        )
        .await;
        assert_eq!(invited.status, 201, "invite: {}", invited.text());
        let link: String = invited.json::<serde_json::Value>()["link"]
            .as_str()
            .expect("invitation link")
            .to_owned();
        let token = link.split('#').nth(1).expect("token in the fragment");
        let accepted = http::post_json(
            &self.url,
            &format!("/api/invitations/{token}/accept"),
            None,
            &json!({"name": name, "password": TEST_PASSWORD}),
        )
        .await;
        assert_eq!(accepted.status, 201, "accept: {}", accepted.text());
        accepted.cookie().expect("accepting starts a session")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill9();
    }
}
