//! The file manager's downloads on both backends: bob downloads a file of a folder alice shared
//! with him once he has allowed the portal to use that collection for him (a sign-in asking for
//! its HTTPS scope), straight from the data server; the link stops working when the share is
//! revoked.

use crate::datasets::{alice_and_bob, demo_user};
use crate::harness::TestApp;
use crate::sharing::alices_results;
use crate::sign_in::{as_user, through_provider};
use mrdp_server::seed::collection_id;
use mrdp_shared::{ApiError, DownloadLink, ErrorCode, Share, StoreBackend};
use serde_json::{Value, json};

async fn post(app: &TestApp, browser: &reqwest::Client, path: &str, body: &Value) -> (u16, String) {
    let request = browser.post(app.url(path)).header("x-mrdp-csrf", "1");
    let response = request.json(body).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn code(body: &str) -> ErrorCode {
    serde_json::from_str::<ApiError>(body).unwrap().code
}

/// Signs `login` in again through `browser`, asking for `collection`'s HTTPS scope as well;
/// answers where the portal sends the browser in the end.
async fn allow_collection(
    app: &TestApp,
    browser: &reqwest::Client,
    login: &str,
    collection: &str,
) -> String {
    let user = demo_user(app, login);
    let start = browser
        .get(app.url("/api/auth/login"))
        .query(&[("next", "/file-manager"), ("collection", collection)])
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 302);
    let authorize = start.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        authorize.contains(&format!("{collection}%2Fhttps")),
        "{authorize}"
    );
    let callback = through_provider(app, browser, &authorize, &as_user(&user)).await;
    let back = browser.get(&callback).send().await.unwrap();
    back.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_shared_file_downloads_once_the_collection_is_allowed_until_the_share_is_revoked_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let (alice, bob) = alice_and_bob(&app).await;
        let home = collection_id("home:alice");
        alices_results(&app);
        let bob_name = demo_user(&app, "bob").username;
        let (status, body) = post(
            &app,
            &alice,
            &format!("/api/collections/{home}/shares"),
            &json!({"path": "/results/", "colleague": bob_name, "permission": "read"}),
        )
        .await;
        assert_eq!(status, 201, "{backend:?}: {body}");
        let share: Share = serde_json::from_str(&body).unwrap();
        let downloads = format!("/api/collections/{}/downloads", share.collection);

        // Not yet allowed: the app is told to ask for it.
        let file = json!({"path": "/notes.csv"});
        let (status, body) = post(&app, &bob, &downloads, &file).await;
        assert_eq!(
            (status, code(&body)),
            (403, ErrorCode::ConsentRequired),
            "{body}"
        );
        assert_eq!(
            allow_collection(&app, &bob, "bob", &share.collection).await,
            "/file-manager"
        );

        let (status, body) = post(&app, &bob, &downloads, &file).await;
        assert_eq!(status, 200, "{body}");
        let link: DownloadLink = serde_json::from_str(&body).unwrap();
        assert!(
            !link.url.starts_with(&app.url("")),
            "the bytes come from the data server, not the portal: {}",
            link.url
        );
        let fetched = reqwest::get(&link.url).await.unwrap();
        assert_eq!(fetched.status(), 200);
        assert_eq!(fetched.text().await.unwrap(), "a,b\n1,2\n");

        // What is not a file of the collection.
        for (path, expected) in [
            ("/results/", 400),
            ("/../alice", 400),
            ("notes.csv", 400),
            ("/missing.csv", 404),
        ] {
            let (status, body) = post(&app, &bob, &downloads, &json!({ "path": path })).await;
            assert_eq!(status, expected, "{path}: {body}");
        }

        // Revoked: the link already given stops working, and no new one is made.
        let revoked = alice
            .delete(app.url(&format!("/api/shares/{}/{}", share.collection, share.id)))
            .header("x-mrdp-csrf", "1")
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status(), 204);
        let refused = reqwest::get(&link.url).await.unwrap().status().as_u16();
        assert!(
            matches!(refused, 403 | 404),
            "the data server refuses the revoked share's link: {refused}"
        );
        let (status, body) = post(&app, &bob, &downloads, &file).await;
        assert!(matches!(status, 403 | 404), "{status}: {body}");
        app.stop().await;
    }
}
