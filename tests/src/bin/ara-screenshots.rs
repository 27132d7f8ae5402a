//! Screenshots of the main views for the README, taken the way the browser
//! tests see the product: the real server with its demo data on loopback,
//! in headless Chromium.
//!
//! ```text
//! cargo build -p ara-server && cargo run -p ara-tests --bin ara-screenshots -- docs/screenshots
//! ```

use ara_shared::protocol::ServerMessage;
use ara_tests::app::open_at;
use ara_tests::cdp::{Browser, Page};
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// Width and height of a laptop screen and of a phone.
const LAPTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let priority = first_priority(&server, &secretariat).await;
    let browser = Browser::launch().await;
    let shots: [(&str, String, (u32, u32)); 9] = [
        ("dashboard", "/".into(), LAPTOP),
        ("programme-board", "/programme?view=board".into(), LAPTOP),
        ("programme-list", "/programme".into(), LAPTOP),
        ("priority", format!("/priorities/{priority}"), LAPTOP),
        ("timeline", "/timeline".into(), LAPTOP),
        ("network", "/network".into(), LAPTOP),
        ("conferences", "/conferences".into(), LAPTOP),
        ("regions", "/regions".into(), LAPTOP),
        ("programme-phone", "/programme?view=board".into(), PHONE),
    ];
    for (name, path, size) in shots {
        let page = open_at(&browser, &server, &secretariat, &path).await;
        shoot(&page, size, &dir.join(format!("{name}.png"))).await;
        println!("{name}: {path}");
    }
}

/// The first priority of the demo programme, as the server holds it.
async fn first_priority(server: &TestServer, cookie: &str) -> String {
    let (_client, catch_up) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { state, .. } = catch_up else {
        panic!("a new client gets a snapshot, not {catch_up:?}");
    };
    state
        .programme_order
        .first()
        .map(ToString::to_string)
        .expect("the demo programme has priorities")
}

async fn shoot(page: &Page, (width, height): (u32, u32), path: &std::path::Path) {
    page.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500}),
    )
    .await;
    // Layout settles after the resize (the graph and the timeline measure it).
    tokio::time::sleep(Duration::from_millis(800)).await;
    page.screenshot(path).await;
}
