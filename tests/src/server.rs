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

/// `<target>/<profile>/ara-server`, next to the test executable's `deps/`.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("path of the test executable");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("test executables live in <target>/<profile>/deps");
    let binary = profile_dir.join("ara-server");
    assert!(
        binary.exists(),
        "{} is missing: `cargo test --workspace` builds it; otherwise run `cargo build -p ara-server`",
        binary.display()
    );
    binary
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

/// A running server; dropped, it is killed (its temp store goes with it).
pub struct TestServer {
    child: Option<Child>,
    dir: TempDir,
    args: Vec<String>,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    /// The first-run setup token, when the store had no account.
    pub setup_token: Option<String>,
    log: Arc<Mutex<String>>,
}

impl TestServer {
    /// A server with an empty store (no demo data).
    pub async fn start() -> Self {
        Self::start_with(&["--no-demo"]).await
    }

    pub async fn start_with(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp data dir");
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let mut server = Self {
            child: None,
            dir,
            args,
            url: String::new(),
            setup_token: None,
            log: Arc::default(),
        };
        server.launch().await;
        server
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    async fn launch(&mut self) {
        let mut child = Command::new(server_binary())
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(&self.args)
            .env("RUST_LOG", "warn")
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
        let deadline = std::time::Instant::now() + START_TIMEOUT;
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
                _ => panic!(
                    "ara-server did not start within {START_TIMEOUT:?}:\n{}",
                    self.log()
                ),
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
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = std::time::Instant::now() + STOP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                assert!(
                    status.success(),
                    "ara-server exited with {status} on SIGTERM:\n{}",
                    self.log()
                );
                return;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!(
                    "ara-server did not stop within {STOP_TIMEOUT:?} of SIGTERM:\n{}",
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

    /// Starts the server again after [`TestServer::kill9`].
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        self.launch().await;
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
        let invited = http::post_json(
            &self.url,
            "/api/invitations",
            Some(secretariat),
            &json!({"email": email, "role": role}),
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

impl TestServer {
    /// Invites a region editor who works for `region` (as the secretariat)
    /// and accepts the invitation; returns the new person's session cookie.
    pub async fn invite_region_editor(
        &self,
        secretariat: &str,
        name: &str,
        email: &str,
        region: ara_shared::RegionId,
    ) -> String {
        let invited = http::post_json(
            &self.url,
            "/api/invitations",
            Some(secretariat),
            &json!({"email": email, "role": Role::RegionEditor, "region": region}),
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
