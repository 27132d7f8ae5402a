//! Operating the store: automatic backups that restore every acknowledged
//! edit, and a damaged store that stops the server with the way out and is
//! left exactly as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ara_shared::account::BackupsStatus;
use ara_shared::protocol::ServerMessage;
use ara_shared::{Role, Version};
use ara_tests::http;
use ara_tests::server::{TEST_PASSWORD, TestServer, run_command, server_binary};
use ara_tests::ws::{SyncClient, new_priority};
use serde_json::json;

/// Generous: these wait for the server's own schedule, on a shared machine.
const WAIT: Duration = Duration::from_secs(60);

/// The server's backup files in `dir`, oldest first, with their versions.
fn backup_files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut found: Vec<(PathBuf, u64)> = std::fs::read_dir(dir)
        .expect("read the backup dir")
        .map(|e| e.expect("entry").path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            let version = name
                .strip_prefix("ara-planner-backup-")?
                .strip_suffix(".json")?
                .rsplit_once("Z-v")?
                .1
                .parse()
                .ok()?;
            Some((path, version))
        })
        .collect();
    found.sort();
    found
}

/// Waits until `ready` holds for the files in `dir`.
async fn wait_for_backups(
    dir: &Path,
    what: &str,
    mut ready: impl FnMut(&[(PathBuf, u64)]) -> bool,
) {
    let started = Instant::now();
    loop {
        let files = backup_files(dir);
        if ready(&files) {
            return;
        }
        assert!(started.elapsed() < WAIT, "{what}: backups so far {files:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn automatic_backups_are_kept_rotated_and_restore_every_acknowledged_edit() {
    let backups = tempfile::tempdir().expect("backup dir");
    let dir = backups.path().to_str().expect("utf-8 path");
    let mut server = TestServer::start_with(&[
        "--no-demo",
        "--backup-dir",
        dir,
        "--backup-every",
        "1s",
        "--backup-keep",
        "2",
    ])
    .await;
    let secretariat = server.sign_up_secretariat().await;
    let observer = server
        .invite(&secretariat, "Olga", "olga@ara.test", Role::Observer)
        .await;
    let (mut client, _) = SyncClient::connect(&server, &secretariat).await;
    let mut titles = Vec::new();
    let mut acknowledged = Version(0);
    for i in 0..5 {
        let title = format!("Acknowledged before the backup {i}");
        let envelope = client.envelope(new_priority(&title));
        client.push(vec![envelope.clone()]).await;
        acknowledged = client.ack(envelope.seq).await;
        titles.push(title);
    }

    // Backups come by themselves, whole, and only the newest two stay.
    wait_for_backups(
        backups.path(),
        "a backup of every acknowledged edit",
        |files| files.last().is_some_and(|(_, v)| *v >= acknowledged.0),
    )
    .await;
    let mut seen = std::collections::BTreeSet::new();
    wait_for_backups(backups.path(), "more backups, rotated", |files| {
        assert!(
            files.len() <= 3,
            "--backup-keep 2 has at most one more, while rotating: {files:?}"
        );
        seen.extend(files.iter().map(|(p, _)| p.clone()));
        seen.len() >= 4
    })
    .await;
    // A new backup is renamed into place before the oldest is pruned, so
    // a listing may catch three for an instant; then two stay.
    wait_for_backups(backups.path(), "--backup-keep 2: the newest two", |files| {
        files.len() <= 2
    })
    .await;
    let leftovers: Vec<_> = std::fs::read_dir(backups.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "only whole files: {leftovers:?}");

    // The newest is in /metrics and on the secretariat's account page.
    let metrics = http::get(&server.url, "/metrics", None).await.text();
    assert!(http::metric(&metrics, "ara_backup_last_version") >= acknowledged.0);
    assert!(http::metric(&metrics, "ara_backup_last_size_bytes") > 0);
    assert!(http::metric(&metrics, "ara_backup_last_success_timestamp_seconds") > 1_700_000_000);
    assert_eq!(http::metric(&metrics, "ara_backup_failures_total"), 0);
    let status = http::get(&server.url, "/api/backups", Some(&secretariat)).await;
    assert_eq!(status.status, 200, "{}", status.text());
    let status: BackupsStatus = status.json();
    assert!(status.automatic);
    assert_eq!((status.every_secs, status.keep), (1, 2));
    let latest = status.latest.expect("the newest backup");
    assert!(
        latest.version >= acknowledged && latest.bytes > 0,
        "{latest:?}"
    );
    assert_eq!(
        http::get(&server.url, "/api/backups", Some(&observer))
            .await
            .status,
        403,
        "only the secretariat"
    );
    drop(client);
    server.stop().await;

    // The newest automatic backup restores into a fresh store with every
    // acknowledged edit and the accounts.
    let (newest, _) = backup_files(backups.path()).pop().expect("a backup");
    let fresh = tempfile::tempdir().expect("fresh dir");
    let data = fresh.path().join("data");
    let restored = run_command(&[
        "restore".as_ref(),
        newest.as_os_str(),
        "--data-dir".as_ref(),
        data.as_os_str(),
    ]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let restored = TestServer::start_in(fresh, &["--no-demo"]).await;
    let signed_in = http::post_json(
        &restored.url,
        "/api/session",
        None,
        &json!({"email": "secretariat@ara.test", "password": TEST_PASSWORD}),
    )
    .await;
    assert_eq!(
        signed_in.status,
        200,
        "the account came back: {}",
        signed_in.text()
    );
    let cookie = signed_in.cookie().expect("session");
    let (_, snapshot) = SyncClient::connect(&restored, &cookie).await;
    let ServerMessage::Snapshot { version, state } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    assert!(version >= acknowledged);
    let restored_titles: Vec<&str> = state
        .priorities
        .values()
        .map(|p| p.title.as_str())
        .collect();
    for title in &titles {
        assert!(
            restored_titles.contains(&title.as_str()),
            "{title} in {restored_titles:?}"
        );
    }
}

#[test]
fn backup_settings_that_make_no_sense_are_refused_at_start() {
    let dir = tempfile::tempdir().expect("dir");
    let not_a_dir = dir.path().join("a-file");
    std::fs::write(&not_a_dir, b"taken").expect("file");
    let data = dir.path().join("data");
    let cases: Vec<(Vec<&std::ffi::OsStr>, &str)> = vec![
        (
            vec!["--backup-dir".as_ref(), not_a_dir.as_os_str()],
            "preparing the backup directory",
        ),
        (
            vec!["--backup-every".as_ref(), "soon".as_ref()],
            "is not a period",
        ),
        (
            vec!["--backup-every".as_ref(), "0h".as_ref()],
            "is not a period",
        ),
        (
            vec!["--backup-keep".as_ref(), "0".as_ref()],
            "--backup-keep",
        ),
    ];
    for (extra, expected) in cases {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--addr".as_ref(),
            "127.0.0.1:0".as_ref(),
            "--data-dir".as_ref(),
            data.as_os_str(),
        ];
        args.extend(extra.iter().copied());
        let output = run_command(&args);
        assert!(!output.status.success(), "{extra:?} is refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
    }
    assert_eq!(
        std::fs::read(&not_a_dir).expect("still there"),
        b"taken",
        "the file in the way is left alone"
    );
}

/// Starts the server on `data` and expects it to stop by itself, refusing;
/// returns what it said. A server that starts serving instead is stopped
/// and the test fails.
fn refused_start(data: &Path, backups: &Path) -> String {
    let mut child = Command::new(server_binary())
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .arg("--backup-dir")
        .arg(backups)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ara-server");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let output = child.wait_with_output().expect("output");
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!status.success(), "the damaged store is refused: {said}");
            return said;
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!(
                "the server started on a damaged store: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_damaged_store_stops_the_server_with_the_way_out_and_is_left_untouched() {
    let backups = tempfile::tempdir().expect("backup dir");
    let backup_dir = backups.path().to_str().expect("utf-8 path");
    let mut server = TestServer::start_with(&["--no-demo", "--backup-dir", backup_dir]).await;
    let secretariat = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &secretariat).await;
    for i in 0..40 {
        let envelope = client.envelope(new_priority(&format!("Kept {i}")));
        client.push(vec![envelope.clone()]).await;
        client.ack(envelope.seq).await;
    }
    drop(client);
    wait_for_backups(backups.path(), "the first automatic backup", |files| {
        !files.is_empty()
    })
    .await;
    server.stop().await;
    let (newest, _) = backup_files(backups.path()).pop().expect("a backup");
    let written = server.data_dir();
    let db_len = std::fs::metadata(written.join("db"))
        .expect("sled's db file")
        .len();

    let work = tempfile::tempdir().expect("work dir");
    type Damage = Box<dyn Fn(&Path)>;
    let damages: Vec<(&str, Damage)> = vec![
        (
            "truncated",
            Box::new(move |data: &Path| {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(data.join("db"))
                    .expect("open db");
                file.set_len(db_len / 2).expect("truncate");
            }),
        ),
        (
            "overwritten",
            Box::new(move |data: &Path| {
                use std::io::{Seek as _, SeekFrom, Write as _};
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(data.join("db"))
                    .expect("open db");
                file.seek(SeekFrom::Start(db_len / 2)).expect("seek");
                file.write_all(&[0x5a; 64]).expect("overwrite");
            }),
        ),
    ];
    for (what, damage) in damages {
        let data = work.path().join(what);
        ara_tests::store::copy(&written, &data);
        damage(&data);
        let before = ara_tests::store::files(&data);
        let said = refused_start(&data, backups.path());
        let dir = data.display().to_string();
        for expected in [
            "cannot be used".to_owned(),
            format!("ara-server check --data-dir {dir}"),
            format!(
                "ara-server restore {} --data-dir {dir}.restored",
                newest.display()
            ),
            format!("Keep {dir} as it is"),
        ] {
            assert!(said.contains(&expected), "{what}: `{expected}` in {said}");
        }
        assert_eq!(
            ara_tests::store::files(&data),
            before,
            "{what}: the store's files are untouched"
        );

        // `check` says the same, also without touching the files.
        let checked = run_command(&["check".as_ref(), "--data-dir".as_ref(), data.as_os_str()]);
        let report = String::from_utf8_lossy(&checked.stdout);
        assert!(!checked.status.success(), "{what}: {report}");
        assert!(report.contains("db has"), "{what}: {report}");
        assert_eq!(
            ara_tests::store::files(&data),
            before,
            "{what}: check changed nothing"
        );
    }

    // The undamaged store still starts, from the same files.
    server.start_again().await;
    let metrics = http::get(&server.url, "/metrics", None).await.text();
    assert!(http::metric(&metrics, "ara_log_length") >= 40);
}

#[tokio::test]
async fn a_log_cut_short_after_a_crash_is_refused_not_served_young() {
    let mut server = TestServer::start().await;
    let secretariat = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &secretariat).await;
    for i in 0..200 {
        let envelope = client.envelope(new_priority(&format!("Before the crash {i}")));
        client.push(vec![envelope.clone()]).await;
        client.ack(envelope.seq).await;
    }
    drop(client);
    // A clean restart records how long the log is; then a crash, and a bad
    // copy of the store: sled's snapshot file missing, and all but the
    // first twentieth of its log file. sled reads what is left as a
    // shorter, whole log.
    server.restart().await;
    server.kill9();
    for entry in std::fs::read_dir(server.data_dir()).expect("data dir") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
        {
            std::fs::remove_file(path).expect("remove sled's snapshot");
        }
    }
    let db = server.data_dir().join("db");
    let len = std::fs::metadata(&db).expect("db").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open db")
        .set_len(len / 20)
        .expect("truncate");
    let empty_backups = tempfile::tempdir().expect("no backups");
    let said = refused_start(&server.data_dir(), empty_backups.path());
    assert!(said.contains("the log ends at version"), "{said}");
    assert!(said.contains("ara-server restore BACKUP.json"), "{said}");
    assert!(
        !said.contains("First start"),
        "never served as a new store: {said}"
    );
}
