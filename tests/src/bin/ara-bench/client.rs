//! Scenario 6, the client: the app shell's gzip size, time until the app is
//! interactive on a repeat load in headless Chromium, and time to apply
//! 1,000 remote mutations to a 500-priority programme and re-render the work
//! programme view.
//!
//! Times are taken inside the page (`performance.now()`, whose origin is the
//! navigation's start) by a script installed before any of the page's own,
//! so the DevTools round trips do not count. The repeat load is whatever the
//! browser does on a second visit: today the HTTP cache (hashed assets are
//! immutable); once a service worker controls the page, the same harness
//! measures the start from its cache, and the report says which it was.
//!
//! Baselines: the uncompressed shell (size); a navigation to `/healthz` on
//! the same server, timed the same way (interactive); the same 1,000
//! mutations applied natively to `ara_shared::Replica` without a DOM (apply).

use std::time::Instant;

use anyhow::{Context as _, bail};
use ara_shared::protocol::ServerMessage;
use ara_shared::{Actor, Mutation, PriorityId, Replica, Role, UserId};
use ara_tests::cdp::Browser;
use ara_tests::http;
use ara_tests::server::TestServer;
use serde_json::json;

use crate::report::{Report, kib, ms, ratio};
use crate::wire;

const PRIORITIES: usize = 500;
const REMOTE: usize = 1_000;
const REPEAT_LOADS: usize = 3;

/// Installed before the page's scripts on every navigation: records when
/// the page became interactive and when a burst of remote edits was shown.
const PROBE: &str = r#"
(() => {
  const Native = window.WebSocket;
  if (Native) {
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', () => {
          if (window.__araMark && window.__araFirst === undefined) window.__araFirst = performance.now();
        });
      }
    };
  }
  const ready = () => {
    if (location.pathname === '/healthz') return document.body && document.body.textContent.trim() === 'ok';
    return document.body && document.body.dataset.ready === 'true'
      && document.querySelector('#connection-state')?.dataset.state === 'online'
      && document.querySelectorAll('li.priority').length === __EXPECTED__;
  };
  const applied = () => {
    if (!window.__araMark) return false;
    const titles = document.querySelectorAll('li.priority .priority-title');
    if (titles.length !== __EXPECTED__) return false;
    for (const t of titles) if (!t.textContent.startsWith('Final ')) return false;
    return true;
  };
  const check = () => {
    if (window.__araReady === undefined && ready()) window.__araReady = performance.now();
    if (window.__araApplied === undefined && applied()) window.__araApplied = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  setInterval(check, 4);
})();
"#;

/// Sum of the shell's js, wasm and css as sent with `encoding`.
async fn shell_bytes(server: &TestServer, encoding: &str) -> anyhow::Result<u64> {
    let index = http::get(&server.url, "/", None).await;
    let html = index.text();
    let mut total = 0u64;
    for ext in [".js", ".wasm", ".css"] {
        let path = html
            .split('"')
            .find(|s| s.starts_with("/assets/") && s.ends_with(ext))
            .with_context(|| format!("index.html links a {ext} asset"))?;
        let response = http::request(
            &server.url,
            "GET",
            path,
            &[("Accept-Encoding", encoding)],
            None,
        )
        .await;
        if response.status != 200 {
            bail!("{path}: {}", response.status);
        }
        if encoding == "gzip" && response.header("content-encoding") != Some("gzip") {
            bail!("{path} was not sent gzip-encoded");
        }
        total += response.body.len() as u64;
    }
    Ok(total)
}

fn actor() -> Actor {
    Actor {
        user: UserId(uuid::Uuid::nil()),
        name: String::new(),
        role: Role::Secretariat,
        region: None,
    }
}

pub async fn run(report: &mut Report) -> anyhow::Result<()> {
    eprintln!("scenario 6: client");
    let server = TestServer::start().await;
    let gzip = shell_bytes(&server, "gzip").await?;
    let identity = shell_bytes(&server, "identity").await?;
    report.row(
        "6 client",
        format!("app shell (js + wasm + css), gzip: {}", kib(gzip)),
        "the same files uncompressed",
        kib(identity),
        ratio(gzip as f64, identity as f64),
        "—",
    );

    // A 500-priority programme.
    let cookie = server.sign_up_secretariat().await;
    let (mut conn, _, _) = wire::connect(&server, &cookie, None).await?;
    let ids: Vec<PriorityId> = (0..PRIORITIES).map(|_| wire::new_id()).collect();
    let creates = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            conn.envelope(Mutation::CreatePriority {
                id: *id,
                title: format!("Priority {i}"),
                horizon: wire::horizon(),
            })
        })
        .collect();
    conn.push_and_wait(creates).await?;

    let browser = Browser::launch().await;
    let page = browser.page().await;
    page.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": PROBE.replace("__EXPECTED__", &PRIORITIES.to_string())}),
    )
    .await;
    page.set_cookie(&server.url, &cookie).await;
    let app = format!("{}/programme", server.url);
    let ready = "window.__araReady !== undefined";
    page.navigate(&app).await;
    page.wait_for(ready, "the app to show 500 priorities (first load)")
        .await;
    let first = page.eval("window.__araReady").await.as_f64().unwrap_or(0.0);

    let mut repeat = Vec::new();
    let mut blank = Vec::new();
    for _ in 0..REPEAT_LOADS {
        page.navigate(&format!("{}/healthz", server.url)).await;
        page.wait_for(ready, "/healthz to load").await;
        blank.push(page.eval("window.__araReady").await.as_f64().unwrap_or(0.0));
        page.navigate(&app).await;
        page.wait_for(ready, "the app to show 500 priorities (repeat load)")
            .await;
        repeat.push(page.eval("window.__araReady").await.as_f64().unwrap_or(0.0));
    }
    let controlled = page
        .eval("!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
        .await
        .as_bool()
        .unwrap_or(false);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (repeat, blank) = (median(repeat), median(blank));
    let source = if controlled {
        "service-worker cache"
    } else {
        "HTTP cache, no service worker yet"
    };
    report.row(
        "6 client",
        format!("interactive on a repeat load ({source}), 500 priorities shown and online: {repeat:.0} ms (first load {first:.0} ms)"),
        "navigation to /healthz, timed the same way",
        format!("{blank:.0} ms"),
        ratio(repeat, blank),
        "—",
    );

    // 1,000 remote mutations: every priority renamed twice, the second time
    // to "Final …", pushed by another client in pushes of 100.
    page.eval("window.__araMark = true").await;
    let mut mutations = Vec::new();
    for round in ["Interim", "Final"] {
        for (i, id) in ids.iter().enumerate() {
            mutations.push(Mutation::RenamePriority {
                id: *id,
                title: format!("{round} {i}"),
            });
        }
    }
    debug_assert_eq!(mutations.len(), REMOTE);
    let envelopes: Vec<_> = mutations
        .iter()
        .cloned()
        .map(|m| conn.envelope(m))
        .collect();
    for chunk in envelopes.chunks(100) {
        conn.send(&ara_shared::protocol::ClientMessage::Push {
            mutations: chunk.to_vec(),
        })
        .await?;
    }
    let last = envelopes.last().context("mutations")?.seq;
    conn.wait_ack(last).await?;
    page.wait_for(
        "window.__araApplied !== undefined",
        "the page to show all 1,000 remote edits",
    )
    .await;
    let applied = page
        .eval("window.__araApplied - window.__araFirst")
        .await
        .as_f64()
        .context("timings in the page")?;

    // Baseline: the same entries applied natively.
    let (_, snapshot, _) = wire::connect(&server, &cookie, None).await?;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        bail!("snapshot expected");
    };
    let entries: Vec<_> = (0..REMOTE)
        .map(|i| {
            wire::log_entry(
                i as u64 + 1,
                wire::new_client(),
                i as u64 + 1,
                mutations[i].clone(),
            )
        })
        .collect();
    let mut replica = Replica::new(wire::new_client(), actor());
    let mut before = *state;
    // The state as it was before the burst: titles back to "Priority i".
    for (i, id) in ids.iter().enumerate() {
        if let Some(p) = before.priorities.get_mut(id) {
            p.title = format!("Priority {i}");
        }
    }
    replica.receive_snapshot(ara_shared::Version(0), before);
    let started = Instant::now();
    replica
        .receive_entries(&entries)
        .map_err(|g| anyhow::anyhow!("gap: {g:?}"))?;
    let native = started.elapsed();
    report.row(
        "6 client",
        format!("apply {REMOTE} remote mutations + re-render 500 priorities in Chromium: {applied:.0} ms"),
        "same mutations applied natively to the replica",
        ms(native),
        ratio(applied, native.as_secs_f64() * 1000.0),
        "—",
    );
    Ok(())
}
