//! A minimal Chrome DevTools Protocol client for Debian's headless Chromium:
//! launch, one page per browser, evaluate, type, press keys, screenshots,
//! network emulation. Each [`Browser`] is its own process with a fresh
//! profile, so two browsers are two different people.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The flags every test browser runs with (as root, in a sandboxed CI).
pub const FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
pub const WAIT: Duration = Duration::from_secs(15);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Connection {
    socket: Mutex<Socket>,
    next_id: AtomicU64,
}

impl Connection {
    async fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut socket = self.socket.lock().await;
        let exchange = async {
            socket
                .send(Message::text(message.to_string()))
                .await
                .map_err(|e| format!("send {method}: {e}"))?;
            // Events and other answers are skipped: calls are sequential.
            while let Some(frame) = socket.next().await {
                let Ok(Message::Text(text)) = frame else {
                    continue;
                };
                let Ok(reply) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if reply["id"].as_u64() == Some(id) {
                    if let Some(error) = reply.get("error") {
                        return Err(format!("{method}: {error}"));
                    }
                    return Ok(reply["result"].clone());
                }
            }
            Err(format!("{method}: the browser closed the connection"))
        };
        tokio::time::timeout(COMMAND_TIMEOUT, exchange)
            .await
            .unwrap_or_else(|_| Err(format!("{method}: no answer within {COMMAND_TIMEOUT:?}")))
    }
}

/// A headless Chromium process; killed when dropped.
pub struct Browser {
    child: Child,
    /// The temporary profile this browser owns, if it was not given one.
    _profile: Option<TempDir>,
    connection: Arc<Connection>,
    /// The DevTools session of each target this client attached to: network
    /// emulation belongs to a session, so it is changed on the same one.
    sessions: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl Browser {
    /// Starts Chromium. A missing browser is a failure, never a skip.
    pub async fn launch() -> Self {
        let profile = tempfile::tempdir().expect("temp profile dir");
        let path = profile.path().to_owned();
        Self::launch_at(&path, Some(profile)).await
    }

    /// Starts Chromium on an existing profile directory, e.g. one a closed
    /// browser left: the same person's browser started again, with its
    /// stored data and service workers.
    pub async fn launch_with_profile(profile: &Path) -> Self {
        Self::launch_at(profile, None).await
    }

    async fn launch_at(profile_path: &Path, owned: Option<TempDir>) -> Self {
        assert!(
            Path::new(CHROMIUM).exists(),
            "Chromium not found at {CHROMIUM}: run tests/run, which installs Debian's chromium and chromium-driver"
        );
        // A previous run's port file would point at a browser that is gone.
        let _ = std::fs::remove_file(profile_path.join("DevToolsActivePort"));
        let child = Command::new(CHROMIUM)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile_path.display()))
            .arg("--remote-debugging-port=0")
            .arg("--window-size=1200,900")
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let port_file = profile_path.join("DevToolsActivePort");
        let endpoint = crate::eventually(WAIT, "Chromium's DevToolsActivePort file", || {
            let port_file = port_file.clone();
            async move {
                let text = std::fs::read_to_string(&port_file).ok()?;
                let mut lines = text.lines();
                let port = lines.next()?.trim().to_owned();
                let path = lines.next()?.trim().to_owned();
                Some(format!("ws://127.0.0.1:{port}{path}"))
            }
        })
        .await;
        let (socket, _) =
            tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(endpoint.as_str()))
                .await
                .expect("DevTools connection within the time limit")
                .expect("DevTools connection accepted");
        Self {
            child,
            _profile: owned,
            connection: Arc::new(Connection {
                socket: Mutex::new(socket),
                next_id: AtomicU64::new(1),
            }),
            sessions: Default::default(),
        }
    }

    /// Opens a new tab.
    pub async fn page(&self) -> Page {
        let target = self
            .connection
            .call(None, "Target.createTarget", json!({"url": "about:blank"}))
            .await
            .expect("create a tab");
        let target_id = target["targetId"].as_str().expect("target id").to_owned();
        let attached = self
            .connection
            .call(
                None,
                "Target.attachToTarget",
                json!({"targetId": target_id, "flatten": true}),
            )
            .await
            .expect("attach to the tab");
        let page = Page {
            connection: self.connection.clone(),
            session: attached["sessionId"]
                .as_str()
                .expect("session id")
                .to_owned(),
        };
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(target_id, page.session.clone());
        }
        page.call("Page.enable", json!({})).await;
        page.call("Runtime.enable", json!({})).await;
        page.call("Network.enable", json!({})).await;
        page
    }
}

impl Browser {
    /// A DevTools command to the browser itself (not to a tab).
    pub async fn call(&self, method: &str, params: Value) -> Value {
        self.connection
            .call(None, method, params)
            .await
            .unwrap_or_else(|e| panic!("DevTools call failed: {e}"))
    }

    /// Closes the browser the way a person quits it (`Browser.close`), so
    /// that it writes its profile, and waits for the process to end.
    pub async fn close(mut self) {
        let _ = self.connection.call(None, "Browser.close", json!({})).await;
        crate::eventually(WAIT, "Chromium to exit after Browser.close", || {
            let exited = self.child.try_wait().ok().flatten().is_some();
            async move { exited.then_some(()) }
        })
        .await;
    }

    /// Cuts every tab and every service worker of this browser off the
    /// network, or reconnects them. A page's own emulation does not reach
    /// its service worker, which is a target of its own.
    pub async fn set_offline(&self, offline: bool) {
        let targets = self
            .connection
            .call(None, "Target.getTargets", json!({}))
            .await
            .expect("list the browser's targets");
        let conditions = json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
        for target in targets["targetInfos"].as_array().into_iter().flatten() {
            let kind = target["type"].as_str().unwrap_or_default();
            if kind != "page" && kind != "service_worker" {
                continue;
            }
            let target_id = target["targetId"].as_str().unwrap_or_default().to_owned();
            let known = self
                .sessions
                .lock()
                .ok()
                .and_then(|s| s.get(&target_id).cloned());
            let session = match known {
                Some(session) => session,
                None => {
                    let Ok(attached) = self
                        .connection
                        .call(
                            None,
                            "Target.attachToTarget",
                            json!({"targetId": target_id, "flatten": true}),
                        )
                        .await
                    else {
                        continue;
                    };
                    let session = attached["sessionId"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = self
                        .connection
                        .call(Some(&session), "Network.enable", json!({}))
                        .await;
                    if let Ok(mut sessions) = self.sessions.lock() {
                        sessions.insert(target_id, session.clone());
                    }
                    session
                }
            };
            self.connection
                .call(
                    Some(&session),
                    "Network.emulateNetworkConditions",
                    conditions.clone(),
                )
                .await
                .unwrap_or_else(|e| panic!("emulate the network of a {kind}: {e}"));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab, driven as a person would.
#[derive(Clone)]
pub struct Page {
    connection: Arc<Connection>,
    session: String,
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

impl Page {
    pub async fn call(&self, method: &str, params: Value) -> Value {
        self.connection
            .call(Some(&self.session), method, params)
            .await
            .unwrap_or_else(|e| panic!("DevTools call failed: {e}"))
    }

    pub async fn navigate(&self, url: &str) {
        self.call("Page.navigate", json!({"url": url})).await;
    }

    pub async fn reload(&self) {
        self.call("Page.reload", json!({})).await;
    }

    /// Evaluates `js` (awaiting a promise) and returns its JSON value.
    pub async fn eval(&self, js: &str) -> Value {
        match self.try_eval(js).await {
            Ok(v) => v,
            Err(e) => panic!("evaluating `{js}` failed: {e}"),
        }
    }

    async fn try_eval(&self, js: &str) -> Result<Value, String> {
        let result = self
            .connection
            .call(
                Some(&self.session),
                "Runtime.evaluate",
                json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
            )
            .await?;
        if let Some(details) = result.get("exceptionDetails") {
            return Err(details.to_string());
        }
        Ok(result["result"]["value"].clone())
    }

    /// Waits until the JS condition is true (errors count as false).
    pub async fn wait_for(&self, condition: &str, what: &str) {
        let js = format!(
            "(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"
        );
        crate::eventually(WAIT, what, || {
            let js = js.clone();
            async move { (self.try_eval(&js).await == Ok(Value::Bool(true))).then_some(()) }
        })
        .await;
    }

    /// Text content of the first element matching `selector`.
    pub async fn text(&self, selector: &str) -> String {
        let js = format!(
            "document.querySelector({})?.textContent ?? ''",
            js_string(selector)
        );
        self.eval(&js).await.as_str().unwrap_or_default().to_owned()
    }

    pub async fn click(&self, selector: &str) {
        self.wait_for(
            &format!("document.querySelector({})", js_string(selector)),
            selector,
        )
        .await;
        self.eval(&format!(
            "document.querySelector({}).click()",
            js_string(selector)
        ))
        .await;
    }

    /// Focuses the element and types like a keyboard would.
    pub async fn type_text(&self, selector: &str, text: &str) {
        self.focus(selector).await;
        self.call("Input.insertText", json!({"text": text})).await;
    }

    pub async fn focus(&self, selector: &str) {
        self.wait_for(
            &format!("document.querySelector({})", js_string(selector)),
            selector,
        )
        .await;
        self.eval(&format!(
            "document.querySelector({}).focus()",
            js_string(selector)
        ))
        .await;
    }

    /// Presses a key on whatever has focus (`Enter`, `Escape`, `Tab`, ...).
    pub async fn press(&self, key: &str) {
        let code = match key {
            "Enter" => 13,
            "Escape" => 27,
            "Tab" => 9,
            "ArrowUp" => 38,
            "ArrowDown" => 40,
            "ArrowLeft" => 37,
            "ArrowRight" => 39,
            " " => 32,
            _ => 0,
        };
        let mut down =
            json!({"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code});
        if key == "Enter" {
            down["text"] = json!("\r");
        }
        self.call("Input.dispatchKeyEvent", down).await;
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code}),
        )
        .await;
    }

    pub async fn screenshot(&self, path: &Path) {
        let shot = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .expect("screenshot is base64");
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(path, bytes).expect("write screenshot");
    }

    /// Cuts the page off the network (or reconnects it).
    pub async fn set_offline(&self, offline: bool) {
        self.call(
            "Network.emulateNetworkConditions",
            json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;
    }

    /// Closes this tab (as a person closes it).
    pub async fn close(&self) {
        self.call("Page.close", json!({})).await;
    }

    /// Sets a cookie for the page's origin (to act as a signed-in person).
    pub async fn set_cookie(&self, url: &str, cookie: &str) {
        let (name, value) = cookie.split_once('=').expect("name=value cookie");
        self.call(
            "Network.setCookie",
            json!({"name": name, "value": value, "url": url, "httpOnly": true}),
        )
        .await;
    }
}
