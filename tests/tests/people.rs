//! The secretariat's side of accounts over real HTTP: open invitations
//! listed and revoked, a person's access removed, the last secretariat
//! account kept, region editors bound to member regions, and whether a
//! person has a calendar feed.

use ara_shared::account::{CalendarFeedStatus, OpenInvitation, UserView};
use ara_shared::region::Membership;
use ara_shared::{RegionId, Role, State};
use ara_tests::http::{self, Response};
use ara_tests::server::{TEST_PASSWORD, TestServer};
use serde_json::{Value, json};

fn region_with(state: &State, membership: Membership) -> RegionId {
    state
        .regions
        .values()
        .find(|r| r.membership == membership)
        .map(|r| r.id)
        .expect("the demo has such a region")
}

async fn send(
    server: &TestServer,
    method: &str,
    path: &str,
    cookie: &str,
    body: Option<Value>,
) -> Response {
    let text = body.map(|b| b.to_string());
    let mut headers = vec![("Cookie", cookie)];
    if text.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    http::request(
        &server.url,
        method,
        path,
        &headers,
        text.as_deref().map(str::as_bytes),
    )
    .await
}

fn error_code(response: &Response) -> String {
    response.json::<Value>()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn users(server: &TestServer, cookie: &str) -> Vec<UserView> {
    let listed = http::get(&server.url, "/api/users", Some(cookie)).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    listed.json()
}

async fn user_id(server: &TestServer, cookie: &str, email: &str) -> ara_shared::UserId {
    users(server, cookie)
        .await
        .into_iter()
        .find(|u| u.email == email)
        .unwrap_or_else(|| panic!("{email} listed"))
        .id
}

#[tokio::test]
async fn open_invitations_are_listed_without_their_tokens_and_can_be_revoked() {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let member = region_with(&ara_shared::demo::demo_state(), Membership::Member);

    let invited = http::post_json(
        &server.url,
        "/api/invitations",
        Some(&secretariat),
        &json!({"email": "rita@ara.test", "role": "region_editor", "region": member}),
    )
    .await;
    assert_eq!(invited.status, 201, "{}", invited.text());
    let link = invited.json::<Value>()["link"]
        .as_str()
        .expect("link")
        .to_owned();
    let token = link.split('#').nth(1).expect("token").to_owned();

    let listed = http::get(&server.url, "/api/invitations", Some(&secretariat)).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    assert!(
        !listed.text().contains(&token),
        "the list never holds a token"
    );
    let open: Vec<OpenInvitation> = listed.json();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].email, "rita@ara.test");
    assert_eq!(open[0].role, Role::RegionEditor);
    assert_eq!(open[0].region, Some(member));
    assert_eq!(open[0].id.len(), 64, "the id is the stored hash");

    // The id does not accept the invitation; only the token does.
    let by_id = http::get(
        &server.url,
        &format!("/api/invitations/{}", open[0].id),
        None,
    )
    .await;
    assert_eq!(by_id.status, 404);

    // Only the secretariat lists and revokes.
    let observer = server
        .invite(&secretariat, "Olga", "olga@ara.test", Role::Observer)
        .await;
    assert_eq!(
        http::get(&server.url, "/api/invitations", Some(&observer))
            .await
            .status,
        403
    );
    let refused = send(
        &server,
        "DELETE",
        &format!("/api/invitations/{}", open[0].id),
        &observer,
        None,
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        http::get(&server.url, &format!("/api/invitations/{token}"), None)
            .await
            .status,
        200
    );

    let revoked = send(
        &server,
        "DELETE",
        &format!("/api/invitations/{}", open[0].id),
        &secretariat,
        None,
    )
    .await;
    assert_eq!(revoked.status, 204, "{}", revoked.text());
    let gone = http::get(&server.url, &format!("/api/invitations/{token}"), None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(error_code(&gone), "invalid_token");
    let accept = http::post_json(
        &server.url,
        &format!("/api/invitations/{token}/accept"),
        None,
        &json!({"name": "Rita", "password": TEST_PASSWORD}),
    )
    .await;
    assert_eq!(accept.status, 404, "a revoked link cannot be accepted");
    let listed: Vec<OpenInvitation> =
        http::get(&server.url, "/api/invitations", Some(&secretariat))
            .await
            .json();
    assert!(
        listed.is_empty(),
        "accepted (Olga) and revoked (Rita) are gone: {listed:?}"
    );
    let again = send(
        &server,
        "DELETE",
        &format!("/api/invitations/{}", open[0].id),
        &secretariat,
        None,
    )
    .await;
    assert_eq!(again.status, 404);
    let nonsense = send(
        &server,
        "DELETE",
        "/api/invitations/not-hex",
        &secretariat,
        None,
    )
    .await;
    assert_eq!(nonsense.status, 404);
}

#[tokio::test]
async fn a_region_editor_works_for_a_member_region() {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let state = ara_shared::demo::demo_state();
    let member = region_with(&state, Membership::Member);
    let applicant = region_with(&state, Membership::Applicant);

    for region in [applicant, RegionId(uuid::Uuid::now_v7())] {
        let refused = http::post_json(
            &server.url,
            "/api/invitations",
            Some(&secretariat),
            &json!({"email": "x@ara.test", "role": "region_editor", "region": region}),
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(error_code(&refused), "unknown_region");
    }

    let rita = server
        .invite_to_region(
            &secretariat,
            "Rita",
            "rita@ara.test",
            Role::RegionEditor,
            Some(member),
        )
        .await;
    let me: UserView = http::get(&server.url, "/api/me", Some(&rita)).await.json();
    assert_eq!((me.role, me.region), (Role::RegionEditor, Some(member)));

    let path = format!("/api/users/{}/role", me.id);
    let refused = send(
        &server,
        "PUT",
        &path,
        &secretariat,
        Some(json!({"role": "region_editor", "region": applicant})),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(error_code(&refused), "unknown_region");
    // Another role has no region: the region is dropped, not checked.
    let observer = send(
        &server,
        "PUT",
        &path,
        &secretariat,
        Some(json!({"role": "observer", "region": applicant})),
    )
    .await;
    assert_eq!(observer.status, 200, "{}", observer.text());
    assert_eq!(observer.json::<UserView>().region, None);
}

#[tokio::test]
async fn the_last_secretariat_account_keeps_its_role_and_access_with_its_own_code() {
    let server = TestServer::start().await;
    let first = server.sign_up_secretariat().await;
    let first_id = user_id(&server, &first, "secretariat@ara.test").await;

    let demote = send(
        &server,
        "PUT",
        &format!("/api/users/{first_id}/role"),
        &first,
        Some(json!({"role": "observer"})),
    )
    .await;
    assert_eq!(demote.status, 403);
    assert_eq!(error_code(&demote), "last_secretariat");
    let myself = send(
        &server,
        "DELETE",
        &format!("/api/users/{first_id}"),
        &first,
        None,
    )
    .await;
    assert_eq!(myself.status, 403);
    assert_eq!(error_code(&myself), "cannot_remove_self");

    // With a second secretariat account, the first may step down or go.
    let second = server
        .invite(&first, "Second", "second@ara.test", Role::Secretariat)
        .await;
    let second_id = user_id(&server, &first, "second@ara.test").await;
    let removed = send(
        &server,
        "DELETE",
        &format!("/api/users/{first_id}"),
        &second,
        None,
    )
    .await;
    assert_eq!(removed.status, 204, "{}", removed.text());
    let last = send(
        &server,
        "PUT",
        &format!("/api/users/{second_id}/role"),
        &second,
        Some(json!({"role": "observer"})),
    )
    .await;
    assert_eq!(error_code(&last), "last_secretariat");
}

#[tokio::test]
async fn removing_access_ends_sessions_sign_in_and_the_calendar_feed() {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let feed = http::post_json(
        &server.url,
        "/api/me/calendar-feed",
        Some(&editor),
        &json!({}),
    )
    .await;
    assert_eq!(feed.status, 201);
    let feed_url = feed.json::<Value>()["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_eq!(http::get(&server.url, &feed_url, None).await.status, 200);
    let rita = user_id(&server, &secretariat, "rita@ara.test").await;
    let secretariat_id = user_id(&server, &secretariat, "secretariat@ara.test").await;

    let not_hers = send(
        &server,
        "DELETE",
        &format!("/api/users/{secretariat_id}"),
        &editor,
        None,
    )
    .await;
    assert_eq!(not_hers.status, 403);
    assert_eq!(error_code(&not_hers), "forbidden");

    let removed = send(
        &server,
        "DELETE",
        &format!("/api/users/{rita}"),
        &secretariat,
        None,
    )
    .await;
    assert_eq!(removed.status, 204, "{}", removed.text());
    assert_eq!(
        http::get(&server.url, "/api/me", Some(&editor))
            .await
            .status,
        401,
        "her session ended"
    );
    let sign_in = http::post_json(
        &server.url,
        "/api/session",
        None,
        &json!({"email": "rita@ara.test", "password": TEST_PASSWORD}),
    )
    .await;
    assert_eq!(sign_in.status, 401);
    assert_eq!(
        http::get(&server.url, &feed_url, None).await.status,
        404,
        "her feed ended"
    );
    assert!(
        users(&server, &secretariat)
            .await
            .iter()
            .all(|u| u.id != rita)
    );
    let unknown = send(
        &server,
        "DELETE",
        &format!("/api/users/{rita}"),
        &secretariat,
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);

    // The address is free again: she can be invited anew.
    server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::Observer)
        .await;
}

#[tokio::test]
async fn a_person_sees_whether_they_have_a_calendar_feed() {
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;
    let status = |r: Response| r.json::<CalendarFeedStatus>().active;
    assert!(!status(
        http::get(&server.url, "/api/me/calendar-feed", Some(&cookie)).await
    ));
    let made = http::post_json(
        &server.url,
        "/api/me/calendar-feed",
        Some(&cookie),
        &json!({}),
    )
    .await;
    assert_eq!(made.status, 201);
    assert!(status(
        http::get(&server.url, "/api/me/calendar-feed", Some(&cookie)).await
    ));
    assert_eq!(
        http::get(&server.url, "/api/me/calendar-feed", None)
            .await
            .status,
        401
    );
}
