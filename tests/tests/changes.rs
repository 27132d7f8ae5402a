//! `GET /api/changes`: the recent changes the dashboard shows, from the
//! real log of the real server.

use ara_shared::changes::{MAX_RECENT_CHANGES, RecentChanges};
use ara_shared::{
    EntityRef, Horizon, Mutation, PriorityId, PriorityStatus, Quarter, Role, Term, Version,
};
use ara_tests::http;
use ara_tests::server::TestServer;
use ara_tests::ws::SyncClient;

fn horizon() -> Horizon {
    Horizon {
        term: Term::Medium,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2028, 4).expect("valid"),
    }
}

async fn changes(server: &TestServer, cookie: &str, query: &str) -> RecentChanges {
    let response = http::get(&server.url, &format!("/api/changes{query}"), Some(cookie)).await;
    assert_eq!(response.status, 200, "{query}: {}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.json()
}

#[tokio::test]
async fn recent_changes_are_the_real_entries_newest_first_with_who_and_what() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let bob = server
        .invite(
            &sabine,
            "Bob Navarra",
            "bob@navarra.test",
            Role::RegionEditor,
        )
        .await;
    let (mut a, _) = SyncClient::connect(&server, &sabine).await;
    let (mut b, _) = SyncClient::connect(&server, &bob).await;

    let id = PriorityId(uuid::Uuid::now_v7());
    let create = a.envelope(Mutation::CreatePriority {
        id,
        title: "Battery skills academy".into(),
        horizon: horizon(),
    });
    a.push(vec![create.clone()]).await;
    let v1 = a.ack(create.seq).await;
    let status = b.envelope(Mutation::SetPriorityStatus {
        id,
        status: PriorityStatus::Adopted,
    });
    b.push(vec![status.clone()]).await;
    let v2 = b.ack(status.seq).await;
    let rename = a.envelope(Mutation::RenamePriority {
        id,
        title: "Battery skills academy 2030".into(),
    });
    a.push(vec![rename.clone()]).await;
    let v3 = a.ack(rename.seq).await;

    let all = changes(&server, &sabine, "").await;
    assert_eq!(all.version, v3);
    let versions: Vec<Version> = all.changes.iter().map(|c| c.version).collect();
    assert_eq!(versions, [v3, v2, v1], "every entry, newest first");
    let [renamed, adopted, created] = &all.changes[..] else {
        panic!("three changes: {all:?}");
    };
    assert_eq!(renamed.actor, "Sabine Sekretariat");
    assert_eq!(renamed.kind, "rename_priority");
    assert_eq!(adopted.actor, "Bob Navarra");
    assert_eq!(adopted.kind, "set_priority_status");
    assert_eq!(adopted.status, Some(PriorityStatus::Adopted));
    assert_eq!(adopted.entity, EntityRef::Priority(id));
    assert_eq!(
        adopted.title.as_deref(),
        Some("Battery skills academy 2030"),
        "the priority's title as it is now"
    );
    assert_eq!(created.kind, "create_priority");
    assert!(created.at_ms > 0 && created.at_ms <= renamed.at_ms);

    // A limit returns the newest ones only.
    let newest = changes(&server, &bob, "?limit=2").await;
    let versions: Vec<Version> = newest.changes.iter().map(|c| c.version).collect();
    assert_eq!(versions, [v3, v2]);
}

#[tokio::test]
async fn recent_changes_need_a_session_and_a_bounded_limit() {
    // The demo programme: far more entries than one request may return.
    let server = TestServer::start_with(&[]).await;
    let anonymous = http::get(&server.url, "/api/changes", None).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        anonymous.json::<serde_json::Value>()["error"],
        "not_signed_in"
    );

    let sabine = server.sign_up_secretariat().await;
    let observer = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let default = changes(&server, &observer, "").await;
    assert_eq!(default.changes.len(), 20, "the default is 20");
    assert_eq!(default.changes[0].version, default.version);
    assert_eq!(default.changes[0].actor, "ARA secretariat (demo data)");
    assert!(
        default.version.0 > MAX_RECENT_CHANGES as u64,
        "the demo log is longer than the bound"
    );

    let bounded = changes(&server, &observer, "?limit=100000").await;
    assert_eq!(bounded.changes.len(), MAX_RECENT_CHANGES);
    assert!(
        bounded
            .changes
            .windows(2)
            .all(|w| w[0].version.0 == w[1].version.0 + 1),
        "continuous, newest first"
    );

    for bad in ["0", "-3", "many"] {
        let refused = http::get(
            &server.url,
            &format!("/api/changes?limit={bad}"),
            Some(&observer),
        )
        .await;
        assert_eq!(refused.status, 400, "limit={bad}");
        assert_eq!(refused.json::<serde_json::Value>()["error"], "bad_request");
    }
}
