//! The registry: local accounts, and the embedded deployment's first-start set-up.

use crate::harness::{Confidential, TRANSFER_SCOPE, TestIdp};
use mrdp_idp::bootstrap::{self, GRAPH_CLIENT, PORTAL_CLIENT, TRANSFER_CLIENT};
use mrdp_idp::error::RegistryError;
use mrdp_idp::password;
use mrdp_idp::registry::clients;
use mrdp_idp::registry::users::{self, NewUser};
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;
use std::os::unix::fs::PermissionsExt;

fn carol(password: &str) -> NewUser {
    NewUser {
        username: "Carol".into(),
        name: "Carol Curator".into(),
        email: Some("carol@example.org".into()),
        organization: Some("NOAA".into()),
        password: password.into(),
    }
}

#[tokio::test]
async fn accounts_are_created_changed_and_disabled_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let store = idp.store();
        let identity = users::create(store, idp.clock.now(), carol("first password"))
            .await
            .unwrap();
        assert_eq!(identity.username, "carol@mrdp.local");

        let account = users::find(store, "carol").await.unwrap().unwrap();
        assert_eq!(account.identity, identity);
        assert!(password::verify("first password", &account.password_hash));
        assert!(!account.disabled);

        let again = users::create(store, idp.clock.now(), carol("another password")).await;
        assert!(matches!(again, Err(RegistryError::Duplicate(_))));

        users::set_password(
            store,
            "carol@mrdp.local",
            "second password",
            idp.clock.now(),
        )
        .await
        .unwrap();
        let account = users::find(store, "carol").await.unwrap().unwrap();
        assert!(password::verify("second password", &account.password_hash));
        assert!(!password::verify("first password", &account.password_hash));

        users::set_disabled(store, "carol", true, idp.clock.now())
            .await
            .unwrap();
        assert!(users::find(store, "carol").await.unwrap().unwrap().disabled);
        assert!(matches!(
            users::set_disabled(store, "nobody", true, idp.clock.now()).await,
            Err(RegistryError::NotFound(_))
        ));
        assert!(matches!(
            users::set_password(store, "carol", "short", idp.clock.now()).await,
            Err(RegistryError::Invalid(_))
        ));
        idp.stop().await;
    }
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn first_start_registers_clients_scopes_and_demo_users_once() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let data = tempfile::tempdir().unwrap();
    let callback = "http://127.0.0.1:8080/api/auth/callback";

    let demo = bootstrap::ensure_embedded(idp.store(), idp.clock.now(), data.path(), callback)
        .await
        .unwrap();
    let names: Vec<&str> = demo.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["alice@mrdp.local", "bob@mrdp.local"]);
    let alice = users::find(idp.store(), "alice").await.unwrap().unwrap();
    assert!(password::verify(
        &demo.users[0].password,
        &alice.password_hash
    ));
    let saved = std::fs::read_to_string(data.path().join("demo-credentials.toml")).unwrap();
    assert!(saved.contains(&demo.users[1].password));
    assert_eq!(mode(&data.path().join("demo-credentials.toml")), 0o600);

    let clients_dir = data.path().join("secrets/clients");
    for name in [PORTAL_CLIENT, GRAPH_CLIENT, TRANSFER_CLIENT] {
        assert_eq!(
            mode(&clients_dir.join(format!("{name}.toml"))),
            0o600,
            "{name}"
        );
    }
    let portal = clients::find_by_name(idp.store(), PORTAL_CLIENT)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(portal.redirect_uris, [callback]);

    // A second start creates nothing and keeps every credential.
    let files =
        |name: &str| std::fs::read_to_string(clients_dir.join(format!("{name}.toml"))).unwrap();
    let before = files(PORTAL_CLIENT);
    let again = bootstrap::ensure_embedded(idp.store(), idp.clock.now(), data.path(), callback)
        .await
        .unwrap();
    assert!(again.users.is_empty());
    assert_eq!(files(PORTAL_CLIENT), before);
    idp.stop().await;
}

/// The embedded deployment's first-start set-up, into `dir`.
async fn embed(idp: &TestIdp, dir: &std::path::Path) -> bootstrap::DemoCredentials {
    bootstrap::ensure_embedded(idp.store(), idp.clock.now(), dir, "http://127.0.0.1:1/cb")
        .await
        .unwrap()
}

#[tokio::test]
async fn the_written_credentials_work_and_the_graph_scope_depends_on_transfer() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let data = tempfile::tempdir().unwrap();
    embed(&idp, data.path()).await;
    let read = |name: &str| {
        bootstrap::read_credentials(&data.path().join(format!("secrets/clients/{name}.toml")))
            .unwrap()
    };
    let (portal, graph) = (read(PORTAL_CLIENT), read(GRAPH_CLIENT));
    let as_confidential = |c: &bootstrap::ClientCredentials| Confidential {
        client: clients::ClientRow {
            id: c.client_id.clone(),
            name: String::new(),
            public: false,
            redirect_uris: vec![],
        },
        secret: c.client_secret.clone(),
    };
    let portal = as_confidential(&portal);
    let graph_scope = bootstrap::graph_scope(&graph.client_id);

    let token = idp
        .client_token(&portal, &format!("{graph_scope}[{TRANSFER_SCOPE}]"))
        .await;
    assert_eq!(token["resource_server"], graph.client_id.as_str());
    let info = idp
        .introspect(
            &as_confidential(&graph),
            token["access_token"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!(info["active"], true);
    assert!(
        info["aud"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(graph.client_id))
    );
    idp.stop().await;
}

#[tokio::test]
async fn a_lost_credentials_file_gets_a_new_secret_and_the_old_one_stops_working() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let data = tempfile::tempdir().unwrap();
    embed(&idp, data.path()).await;
    let path = data.path().join("secrets/clients/transfer.toml");
    let old = bootstrap::read_credentials(&path).unwrap();
    std::fs::remove_file(&path).unwrap();

    embed(&idp, data.path()).await;
    let new = bootstrap::read_credentials(&path).unwrap();
    assert_eq!(
        new.client_id, old.client_id,
        "the same client, with a new secret"
    );
    assert_ne!(new.client_secret, old.client_secret);
    let form = [("grant_type", "client_credentials"), ("scope", "openid")];
    let with = |secret: &str| {
        idp.http
            .post(idp.url("/v2/oauth2/token"))
            .basic_auth(&new.client_id, Some(secret))
            .form(&form)
            .send()
    };
    assert_eq!(with(&old.client_secret).await.unwrap().status(), 401);
    assert_eq!(with(&new.client_secret).await.unwrap().status(), 200);
    idp.stop().await;
}

#[tokio::test]
async fn groups_collect_accounts_on_both_backends() {
    use mrdp_idp::registry::groups;
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let store = idp.store();
        let carol = users::create(store, idp.clock.now(), carol("a long password"))
            .await
            .unwrap();
        let group = groups::create(
            store,
            idp.clock.now(),
            "noaa-curators",
            "Curate the NOAA records",
        )
        .await
        .unwrap();
        assert!(matches!(
            groups::create(store, idp.clock.now(), "noaa-curators", "").await,
            Err(RegistryError::Duplicate(_))
        ));

        groups::add_member(store, idp.clock.now(), "noaa-curators", "carol")
            .await
            .unwrap();
        groups::add_member(store, idp.clock.now(), "noaa-curators", "carol")
            .await
            .unwrap();
        assert_eq!(
            groups::of_identity(store, &carol.id).await.unwrap(),
            std::slice::from_ref(&group)
        );
        assert!(matches!(
            groups::add_member(store, idp.clock.now(), "noaa-curators", "nobody").await,
            Err(RegistryError::NotFound(_))
        ));

        groups::remove_member(store, "noaa-curators", "carol")
            .await
            .unwrap();
        assert!(
            groups::of_identity(store, &carol.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(groups::list(store).await.unwrap(), [group]);
        idp.stop().await;
    }
}
