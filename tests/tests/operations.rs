//! What an operator relies on: `--help` documents every flag with its
//! environment variable (and the README's table lists them all), `/healthz`,
//! `/metrics` in Prometheus text format, and structured logs.

use std::process::Command;

use ara_tests::http;
use ara_tests::server::{TestServer, server_binary};
use ara_tests::ws::SyncClient;

/// The option blocks of a `--help` text: each flag with its description.
fn options(help: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let section = help
        .split("Options:")
        .nth(1)
        .unwrap_or_else(|| panic!("an Options section: {help}"));
    for line in section.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("--") || trimmed.starts_with("-h") || trimmed.starts_with("-V") {
            let flag = trimmed
                .split_whitespace()
                .find(|w| w.starts_with("--"))
                .expect("a long flag")
                .trim_end_matches(',')
                .to_owned();
            blocks.push((flag, trimmed.to_owned()));
        } else if let Some((_, text)) = blocks.last_mut() {
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    blocks
}

fn help(args: &[&str]) -> String {
    let output = Command::new(server_binary())
        .args(args)
        .arg("--help")
        .output()
        .expect("run ara-server --help");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("utf-8 help")
}

#[test]
fn help_documents_every_flag_with_its_environment_variable() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .expect("README.md");
    let mut documented = 0;
    for command in [&[][..], &["backup"], &["restore"]] {
        let text = help(command);
        for (flag, description) in options(&text) {
            if flag == "--help" || flag == "--version" {
                continue;
            }
            let env = description
                .split("[env: ")
                .nth(1)
                // `[env: NAME=value]`, or `[env: NAME]` for a secret whose
                // value is never shown.
                .and_then(|rest| rest.split(['=', ']']).next())
                .unwrap_or_else(|| panic!("{flag} names no environment variable: {description}"));
            assert!(env.starts_with("ARA_"), "{flag}: {env}");
            let words = description
                .split(&format!("[env: {env}"))
                .next()
                .unwrap_or("");
            assert!(
                words.split_whitespace().count() > 4,
                "{flag} says what it does: {description}"
            );
            assert!(
                readme.contains(&format!("`{flag}`")) && readme.contains(&format!("`{env}`")),
                "the README's configuration table lists {flag} and {env}"
            );
            documented += 1;
        }
    }
    assert!(documented >= 10, "{documented} flags documented");
    for command in ["backup", "restore"] {
        let text = help(&[command]);
        assert!(
            text.contains("<FILE>") && text.contains("Arguments:"),
            "{command} documents its FILE: {text}"
        );
    }
}

#[test]
fn a_push_rate_that_is_no_rate_is_refused_at_start() {
    for bad in ["0", "-5", "fast", "inf"] {
        let output = Command::new(server_binary())
            .arg(format!("--push-rate={bad}"))
            .args(["--addr", "127.0.0.1:0"])
            .output()
            .expect("run ara-server");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "--push-rate {bad} was accepted");
        assert!(
            stderr.contains("mutations per second"),
            "--push-rate {bad} says why: {stderr}"
        );
    }
}

#[tokio::test]
async fn health_and_metrics_for_monitoring() {
    let server = TestServer::start().await;
    let health = http::get(&server.url, "/healthz", None).await;
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));

    let cookie = server.sign_up_secretariat().await;
    let (_client, _) = SyncClient::connect(&server, &cookie).await;
    let metrics = http::get(&server.url, "/metrics", None).await;
    assert_eq!(metrics.status, 200);
    assert_eq!(
        metrics.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = metrics.text();
    for (name, kind) in [
        ("ara_connected_clients", "gauge"),
        ("ara_mutations_accepted_total", "counter"),
        ("ara_mutations_rejected_total", "counter"),
        ("ara_log_length", "gauge"),
        ("ara_flush_seconds", "histogram"),
    ] {
        assert!(
            text.contains(&format!("# TYPE {name} {kind}\n"))
                && text.contains(&format!("# HELP {name} ")),
            "{name} is described as a {kind}: {text}"
        );
    }
    assert!(text.contains("ara_connected_clients 1\n"), "{text}");
    // Every sample line is `name{labels} value` with a number.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().expect("a value");
        assert!(value.parse::<f64>().is_ok(), "not a sample: {line}");
    }
    assert!(text.contains("ara_flush_seconds_bucket{le=\"+Inf\"}"));
}

#[tokio::test]
async fn logs_are_json_objects_when_asked() {
    let server = TestServer::start_with_env(
        &["--no-demo", "--log-format", "json"],
        &[("RUST_LOG", "info")],
    )
    .await;
    // Standard error is read on its own thread: wait for the line.
    let log = ara_tests::eventually(
        std::time::Duration::from_secs(10),
        "the 'serving' log event",
        || async { Some(server.log()).filter(|l| l.contains(r#""message":"serving""#)) },
    )
    .await;
    let events: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let serving = events
        .iter()
        .find(|e| e["fields"]["message"] == "serving")
        .unwrap_or_else(|| panic!("a 'serving' event: {log}"));
    assert_eq!(serving["level"], "INFO");
    assert!(
        serving["fields"]["local"]
            .as_str()
            .is_some_and(|a| a.starts_with("127.0.0.1:")),
        "{serving}"
    );
    assert!(serving["fields"]["data_dir"].is_string(), "{serving}");
    assert!(serving["timestamp"].is_string(), "{serving}");
    assert!(
        events
            .iter()
            .any(|e| e["fields"]["message"] == "state loaded" && e["fields"]["version"] == 0),
        "{log}"
    );
}
